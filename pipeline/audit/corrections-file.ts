import Papa from 'papaparse';
import { readGivenFile } from '../runtime/given-file.ts';
import type { Ctx } from '../runtime/ctx.ts';
import { CensusError } from '../../schemas/fault.ts';
import { sha256 } from '../runtime/store.ts';
import { recordCorrection, type CorrectionInput } from './corrections.ts';

/**
 * `census correct --file corrections.csv`: columns value_id, low, high (a number, "open", or blank for the low end), flags
 * (";"-separated, "none" to clear, blank to keep), by, reason, and wave unless --wave is given. All rows
 * are checked first and recorded in one transaction, so a bad row leaves nothing half-applied; a row
 * of the same file already recorded is skipped, so loading the file again changes nothing.
 */
const CORRECTIONS_COLUMNS = ['value_id', 'low', 'high', 'flags', 'by', 'reason'] as const;

export function parseFlags(text: string | undefined): string[] | undefined {
  const t = (text ?? '').trim();
  if (t === '') return undefined;
  if (t.toLowerCase() === 'none') return [];
  return t
    .split(/[;,]/)
    .map((f) => f.trim())
    .filter(Boolean);
}

/** A count as typed in a cell or a form field: digits only; blank or anything else is NaN, which the rule refuses. */
function parseCount(text: string | undefined): number {
  const t = (text ?? '').trim();
  return /^\d+$/.test(t) ? Number(t) : Number.NaN;
}

/** The high end as typed: "open" (no upper bound), else a count. */
export function parseHigh(text: string): number | null {
  return text.trim().toLowerCase() === 'open' ? null : parseCount(text);
}

/** The interval of a form or a file's row: a blank high end is the low end, as census correct without --high. */
export function typedInterval(low: string | undefined, high: string | undefined): { low: number; high: number | null } {
  const l = parseCount(low);
  return { low: l, high: (high ?? '').trim() === '' ? l : parseHigh(high!) };
}

export async function loadCorrectionsFile(
  input: { path: string; wave?: number },
  ctx: Ctx,
): Promise<{ sha256: string; recorded: string[]; skipped: number }> {
  const bytes = readGivenFile(input.path, 'corrections file', 'Check the path.');
  const hash = sha256(bytes);
  const parsed = Papa.parse<Record<string, string>>(bytes.toString('utf8').replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: 'greedy',
    transformHeader: (h) => h.trim().toLowerCase(),
  });
  const missing = CORRECTIONS_COLUMNS.filter((c) => !parsed.meta.fields?.includes(c));
  if (missing.length || (input.wave === undefined && !parsed.meta.fields?.includes('wave'))) {
    throw new CensusError(
      'usage',
      `The corrections file ${input.path} lacks the column(s) ${[...missing, ...(input.wave === undefined && !parsed.meta.fields?.includes('wave') ? ['wave (or pass --wave)'] : [])].join(', ')}.`,
      `Columns: ${CORRECTIONS_COLUMNS.join(', ')}[, wave].`,
    );
  }
  const rows: CorrectionInput[] = parsed.data.map((r, i) => ({
    wave: input.wave ?? Number(r.wave),
    valueId: (r.value_id ?? '').trim(),
    ...typedInterval(r.low, r.high),
    ...(parseFlags(r.flags) !== undefined ? { flags: parseFlags(r.flags)! } : {}),
    by: r.by ?? '',
    reason: r.reason ?? '',
    file: { sha256: hash, row: i + 2 },
  }));
  return ctx.db.transaction().execute(async (trx) => {
    const done = new Set(
      (await trx.selectFrom('correction').select('file_row').where('file_sha256', '=', hash).execute()).map(
        (r) => r.file_row,
      ),
    );
    const recorded: string[] = [];
    let skipped = 0;
    for (const row of rows) {
      if (done.has(row.file!.row)) {
        skipped += 1;
        continue;
      }
      try {
        recorded.push((await recordCorrection(row, ctx, trx)).id);
      } catch (err) {
        if (err instanceof CensusError)
          throw new CensusError(
            err.code,
            `${input.path} row ${row.file!.row}: ${err.message} Nothing from the file was recorded.`,
            err.hint,
          );
        throw err;
      }
    }
    return { sha256: hash, recorded, skipped };
  });
}
