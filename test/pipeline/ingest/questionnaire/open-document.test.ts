import { describe, expect, it } from 'vitest';
import { checkReturnBytes } from '../../../../pipeline/ingest/questionnaire/check-return.ts';
import { limitsSchema } from '../../../../pipeline/runtime/workspace.ts';
import { loadQuestionList } from '../../../../schemas/waves/index.ts';
import { writeZip } from '../../../reliability/zip-writer.ts';

/**
 * A return saved by LibreOffice in its own format (.ods) is no zip archive to unpack (v9 questionnaire
 * corpus: the advice said "Unpack it and ingest the files inside"): the message says what it is and
 * how to save it as .xlsx.
 */
describe('an OpenDocument file sent as a return', () => {
  const list = loadQuestionList(2025);
  const limits = limitsSchema.parse({});
  const od = (kind: string) =>
    writeZip([
      { name: 'mimetype', data: Buffer.from(`application/vnd.oasis.opendocument.${kind}`), stored: true },
      { name: 'content.xml', data: Buffer.from('<office:document-content/>') },
      { name: 'META-INF/manifest.xml', data: Buffer.from('<manifest:manifest/>') },
    ]);

  it('names an .ods as a spreadsheet to save as .xlsx', async () => {
    const r = await checkReturnBytes(od('spreadsheet'), { name: 'Wirral PIT.ods', hash: 'a'.repeat(64) }, list, limits);
    const [i] = r.issues;
    expect(i?.code).toBe('unsupported_format');
    expect(i?.message).toMatch(/OpenDocument spreadsheet \(\.ods\), not a zip archive/);
    expect(i?.message).toContain('soffice --headless --convert-to xlsx "Wirral PIT.ods"');
    expect(i?.message).not.toMatch(/Unpack/);
  });

  it('names another OpenDocument file as no return', async () => {
    const r = await checkReturnBytes(od('text'), { name: 'notes.odt', hash: 'b'.repeat(64) }, list, limits);
    expect(r.issues[0]?.message).toMatch(/OpenDocument file .* not a return/);
  });
  it('names a Word document as no return (Word letters are read as FOI replies, not as returns)', async () => {
    const docx = writeZip([
      { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
      { name: 'word/document.xml', data: Buffer.from('<w:document/>') },
    ]);
    const r = await checkReturnBytes(docx, { name: 'our return.docx', hash: 'c'.repeat(64) }, list, limits);
    expect(r.issues[0]?.code).toBe('unsupported_format');
    expect(r.issues[0]?.message).toMatch(/our return\.docx: This is a Word document and not a return/);
  });
});
