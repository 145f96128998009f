import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import ExcelJS from 'exceljs';
import { simpleParser } from 'mailparser';
import Papa from 'papaparse';
import { PDFParse } from 'pdf-parse';

/**
 * The libraries alone on the corpus files, with no pipeline around them: exceljs loads a workbook,
 * pdf-parse extracts a PDF's text, papaparse splits a csv or text file, mailparser opens an e-mail
 * (and exceljs its workbook). One file after another on this thread: the baseline of "ingest <= 1.5x".
 */
async function parseOne(path: string): Promise<void> {
  const bytes = readFileSync(path);
  switch (extname(path)) {
    case '.xlsx': {
      // exceljs types its Buffer older than @types/node 20's generic one; the bytes are the same.
      await new ExcelJS.Workbook().xlsx.load(bytes as unknown as ArrayBuffer);
      return;
    }
    case '.pdf': {
      const parser = new PDFParse({ data: new Uint8Array(bytes) });
      try {
        await parser.getText();
      } finally {
        await parser.destroy();
      }
      return;
    }
    case '.eml': {
      const mail = await simpleParser(bytes);
      for (const a of mail.attachments)
        if (a.filename?.endsWith('.xlsx')) await new ExcelJS.Workbook().xlsx.load(a.content as unknown as ArrayBuffer);
      return;
    }
    default:
      Papa.parse(bytes.toString('utf8'));
  }
}

export interface LibraryTiming {
  ms: number;
  byExt: Record<string, { files: number; ms: number }>;
}

export async function libraryParse(paths: readonly string[]): Promise<LibraryTiming> {
  // Warm: the first PDF and workbook pay for loading pdf.js and exceljs code, which ingest pays once too.
  for (const ext of ['.pdf', '.xlsx']) {
    const first = paths.find((p) => extname(p) === ext);
    if (first) await parseOne(first);
  }
  const byExt: LibraryTiming['byExt'] = {};
  let ms = 0;
  for (const p of paths) {
    const t0 = performance.now();
    await parseOne(p);
    const dt = performance.now() - t0;
    ms += dt;
    const e = (byExt[extname(p)] ??= { files: 0, ms: 0 });
    e.files += 1;
    e.ms += dt;
  }
  return { ms, byExt };
}
