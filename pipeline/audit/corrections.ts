import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import { foiFlagSchema } from '../../schemas/foi.ts';
import type { Database } from '../../schemas/db.ts';
import { assertWaveUnlocked, recordAudit, recordedText, recordedTextProblem } from '../db/audit-log.ts';
import type { Ctx } from '../runtime/ctx.ts';
import { CensusError } from '../../schemas/fault.ts';

/**
 * Corrections of coded FOI values (sql/010): a new row per correction or revert, never an edit of the
 * reply's values; foi_value_corrected applies the latest correction in force of each value on read.
 */

type Db = Kysely<Database> | Transaction<Database>;

export interface CorrectionInput {
  wave: number;
  valueId: string;
  low: number;
  /** null: open above */
  high: number | null;
  /** undefined: keep the value's flags */
  flags?: string[];
  by: string;
  reason: string;
  file?: { sha256: string; row: number };
}

const usage = (message: string, hint: string) => new CensusError('usage', message, hint);

/** The fields of a correction a person types (CLI options, a corrections file's columns, the desk's form). */
export type CorrectionField = 'low' | 'high' | 'flags' | 'by' | 'reason';

/** What the command line calls each field; the desk passes its form's labels instead. */
const OPTION_NAMES: Record<CorrectionField, string> = {
  low: '--low',
  high: '--high',
  flags: '--flags',
  by: '--by',
  reason: '--reason',
};

export interface CorrectionProblem {
  field: CorrectionField;
  message: string;
  hint: string;
}

/**
 * The one rule for what a correction may say, before any value is looked up: a name and a reason in
 * words (recordedText's rule), a low end that is a whole number of 0 or more, a high end not below it
 * (or open), known flags. Every problem, each naming its field as `names` calls it, so the desk shows
 * them on its form and the command line throws the first. A count past 2^53 - 1 is refused: a
 * JavaScript number cannot hold it exactly, so the stored value would not be the one typed.
 */
export function correctionProblems(
  c: CorrectionInput,
  names: Record<CorrectionField, string> = OPTION_NAMES,
): CorrectionProblem[] {
  const out: CorrectionProblem[] = [];
  const add = (field: CorrectionField, message: string, hint: string) => out.push({ field, message, hint });
  const text = (field: 'by' | 'reason', kind: 'name' | 'reason') => {
    const p = recordedTextProblem(names[field], c[field], kind);
    if (p) add(field, p.message, p.hint);
  };
  text('by', 'name');
  text('reason', 'reason');
  const whole = (n: number) => Number.isSafeInteger(n) && n >= 0;
  const shown = (n: number) => (Number.isNaN(n) ? 'blank or not a number' : String(n));
  const tooLarge = (field: 'low' | 'high') =>
    add(
      field,
      `${names[field]} is too large: counts above ${Number.MAX_SAFE_INTEGER} cannot be kept exactly.`,
      'Check the number typed.',
    );
  if (Number.isInteger(c.low) && !Number.isSafeInteger(c.low)) tooLarge('low');
  else if (!whole(c.low))
    add(
      'low',
      `${names.low} must be a whole number of 0 or more, not ${shown(c.low)}.`,
      'Counts are intervals of whole numbers.',
    );
  if (c.high !== null && Number.isInteger(c.high) && !Number.isSafeInteger(c.high)) tooLarge('high');
  else if (c.high !== null && !(whole(c.high) && (!whole(c.low) || c.high >= c.low)))
    add(
      'high',
      whole(c.low)
        ? `${names.high} must be a whole number not below ${names.low} (${c.low}), or "open".`
        : `${names.high} must be a whole number, or "open".`,
      `Give ${names.high} as a whole number, or "open" for no upper bound.`,
    );
  for (const f of c.flags ?? []) {
    if (!foiFlagSchema.safeParse(f).success)
      add('flags', `Unknown flag "${f}".`, `Flags are: ${foiFlagSchema.options.join(', ')} (or none).`);
  }
  return out;
}

function checkInput(c: CorrectionInput): void {
  if (!c.by.trim())
    throw usage(
      '--by must name the person making the correction.',
      'Pass --by "Your Name"; it is kept with the correction.',
    );
  if (!c.reason.trim())
    throw usage(
      '--reason must say why the value is corrected.',
      'Pass --reason "..."; it is kept with the correction and printed by census audit.',
    );
  const [first] = correctionProblems(c);
  if (first) throw usage(first.message, first.hint);
}

/** The value in force named by id, with its reply file and slot; a usage error says why one cannot be corrected. */
async function valueToCorrect(db: Db, valueId: string, wave: number) {
  if (!/^\d+$/.test(valueId))
    throw usage(
      `--value must be a FOI value id (a number), not "${valueId}".`,
      'Find ids with census audit figure or census audit trust.',
    );
  const v = await db
    .selectFrom('foi_value_corrected as v')
    .innerJoin('foi_response as r', 'r.id', 'v.response_id')
    .select([
      'v.id',
      'v.slot',
      'v.low',
      'v.high',
      'v.flags',
      'v.yes_no',
      'v.text_value',
      'v.missing_reason',
      'v.period_start',
      'r.wave',
      'r.sha256',
    ])
    .where('v.id', '=', valueId)
    .executeTakeFirst();
  if (!v) {
    const later = await db.selectFrom('foi_value').select('id').where('correction_of', '=', valueId).executeTakeFirst();
    if (later)
      throw usage(
        `FOI value ${valueId} was replaced by coded value ${later.id} (coding sheet); correct that one.`,
        `census correct --value ${later.id} ...`,
      );
    throw usage(
      `There is no FOI value ${valueId}; the reply may have been reprocessed since the id was read.`,
      'Look the value up again with census audit figure or census audit trust.',
    );
  }
  if (v.wave !== wave)
    throw usage(`FOI value ${valueId} belongs to wave ${v.wave}, not ${wave}.`, `Pass --wave ${v.wave}.`);
  if (v.period_start === null && v.low === null && v.missing_reason === null) {
    throw usage(
      `FOI value ${valueId} is a yes/no or text answer; only counts are corrected with --low/--high.`,
      'Load a corrected coding sheet for text answers (census foi coding-sheet).',
    );
  }
  return v;
}

export interface RecordedCorrection {
  id: string;
  valueId: string;
  before: { low: number | null; high: number | null; flags: string[] };
}

/** Records one correction (in `db`'s transaction when given one); refused for a locked wave; logged. */
export async function recordCorrection(c: CorrectionInput, ctx: Ctx, db: Db = ctx.db): Promise<RecordedCorrection> {
  checkInput(c);
  const run = async (trx: Db) => {
    await assertWaveUnlocked(trx, c.wave, `the correction of FOI value ${c.valueId}`);
    const v = await valueToCorrect(trx, c.valueId, c.wave);
    const at = ctx.clock.now();
    const row = await trx
      .insertInto('correction')
      .values({
        wave: c.wave,
        value_id: c.valueId,
        response_sha256: v.sha256,
        slot: v.slot,
        low: c.low,
        high: c.high,
        flags: c.flags ? [...new Set(c.flags)].sort() : null,
        reverts: null,
        made_by: recordedText('--by', c.by, 'name'),
        reason: recordedText('--reason', c.reason, 'reason'),
        made_at: at,
        file_sha256: c.file?.sha256 ?? null,
        file_row: c.file?.row ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const before = {
      low: v.low === null ? null : Number(v.low),
      high: v.high === null ? null : Number(v.high),
      flags: v.flags,
    };
    await recordAudit(trx, {
      at,
      actor: recordedText('--by', c.by, 'name'),
      action: 'correct',
      wave: c.wave,
      detail: {
        correction_id: String(row.id),
        value_id: c.valueId,
        low: c.low,
        high: c.high,
        flags: c.flags ?? null,
        before,
        reason: recordedText('--reason', c.reason, 'reason'),
        ...(c.file ? { file_sha256: c.file.sha256, file_row: c.file.row } : {}),
      },
    });
    return { id: String(row.id), valueId: c.valueId, before };
  };
  return 'isTransaction' in db && db.isTransaction ? run(db) : ctx.db.transaction().execute(run);
}

/** Withdraws a correction in force: the value's earlier correction (or the reply's value) applies again. */
export async function revertCorrection(
  input: { correctionId: string; by: string; reason: string },
  ctx: Ctx,
): Promise<{ id: string; wave: number; valueId: string }> {
  if (!input.by.trim() || !input.reason.trim())
    throw usage('A revert needs --by and --reason.', 'Pass --by "Your Name" --reason "why".');
  recordedText('--by', input.by, 'name');
  recordedText('--reason', input.reason, 'reason');
  if (!/^\d+$/.test(input.correctionId))
    throw usage(
      `--revert takes a correction id (a number), not "${input.correctionId}".`,
      'Correction ids are printed by census correct and census audit.',
    );
  return ctx.db.transaction().execute(async (trx) => {
    const c = await trx.selectFrom('correction').selectAll().where('id', '=', input.correctionId).executeTakeFirst();
    if (!c)
      throw usage(
        `There is no correction ${input.correctionId}.`,
        'List corrections with census audit trust ODS or census audit figure ID.',
      );
    if (c.reverts !== null)
      throw usage(
        `Correction ${input.correctionId} is itself a revert; it cannot be reverted.`,
        `Record the correction again with census correct --value ${c.value_id} ...`,
      );
    await assertWaveUnlocked(trx, c.wave, `the revert of correction ${input.correctionId}`);
    const done = await trx
      .selectFrom('correction')
      .select('id')
      .where('reverts', '=', input.correctionId)
      .executeTakeFirst();
    if (done)
      throw usage(`Correction ${input.correctionId} was already reverted (by revert ${done.id}).`, 'Nothing to do.');
    const at = ctx.clock.now();
    const row = await trx
      .insertInto('correction')
      .values({
        wave: c.wave,
        value_id: c.value_id,
        response_sha256: c.response_sha256,
        slot: c.slot,
        low: null,
        high: null,
        flags: null,
        reverts: input.correctionId,
        made_by: recordedText('--by', input.by, 'name'),
        reason: recordedText('--reason', input.reason, 'reason'),
        made_at: at,
        file_sha256: null,
        file_row: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      at,
      actor: recordedText('--by', input.by, 'name'),
      action: 'correct_revert',
      wave: c.wave,
      detail: {
        revert_id: String(row.id),
        correction_id: input.correctionId,
        value_id: String(c.value_id),
        reason: recordedText('--reason', input.reason, 'reason'),
      },
    });
    return { id: String(row.id), wave: c.wave, valueId: String(c.value_id) };
  });
}

export interface CorrectionRow {
  id: string;
  wave: number;
  valueId: string;
  slot: string;
  low: number | null;
  high: number | null;
  flags: string[] | null;
  reverts: string | null;
  by: string;
  reason: string;
  at: Date;
  revertedBy: string | null;
  file: string | null;
}

/** Every correction and revert of the given values' slots (so corrections made under an earlier id show too), in order. */
export async function correctionsOf(db: Db, slots: readonly string[]): Promise<CorrectionRow[]> {
  if (slots.length === 0) return [];
  const rows = await sql<{
    id: string;
    wave: number;
    value_id: string;
    low: string | null;
    high: string | null;
    flags: string[] | null;
    reverts: string | null;
    slot: string;
    made_by: string;
    reason: string;
    made_at: Date;
    reverted_by: string | null;
    file_sha256: string | null;
    file_row: number | null;
  }>`
    select c.*, (select r.id from correction r where r.reverts = c.id) as reverted_by
    from correction c where c.slot = any(${[...slots]}) order by c.id`.execute(db);
  return rows.rows.map((r) => ({
    id: String(r.id),
    wave: r.wave,
    valueId: String(r.value_id),
    slot: r.slot,
    low: r.low === null ? null : Number(r.low),
    high: r.high === null ? null : Number(r.high),
    flags: r.flags,
    reverts: r.reverts === null ? null : String(r.reverts),
    by: r.made_by,
    reason: r.reason,
    at: new Date(r.made_at),
    revertedBy: r.reverted_by === null ? null : String(r.reverted_by),
    file: r.file_sha256 ? `${r.file_sha256.slice(0, 12)} row ${r.file_row}` : null,
  }));
}
