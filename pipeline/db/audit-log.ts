import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../schemas/db.ts';
import { CensusError } from '../../schemas/fault.ts';

/**
 * The append-only audit log (sql/008): who did what and when. Detail holds ids and counts, never
 * personal data or answer text.
 */
export async function recordAudit(
  db: Kysely<Database> | Transaction<Database>,
  entry: { at: Date; actor: string; action: string; wave?: number | null; detail?: Record<string, unknown> },
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      wave: entry.wave ?? null,
      detail: JSON.stringify(entry.detail ?? {}),
    })
    .execute();
}

/** Refuses to change a locked wave: ingest, corrections and coding all call this first. */
export async function assertWaveUnlocked(
  db: Kysely<Database> | Transaction<Database>,
  wave: number,
  what: string,
): Promise<void> {
  const lock = await db.selectFrom('wave_lock').selectAll().where('wave', '=', wave).executeTakeFirst();
  if (lock) {
    throw new CensusError(
      'wave_locked',
      `Wave ${wave} is locked (by ${lock.locked_by} on ${new Date(lock.locked_at).toISOString().slice(0, 10)}: ${lock.reason}); ${what} was refused.`,
      `If the wave really must change, unlock it first: census unlock --wave ${wave} --by NAME --reason "why"; the unlock is logged.`,
    );
  }
}

/** A lock or unlock's --by and --reason, checked by the one rule for recorded text. */
function recordedByAndReason<T extends { by: string; reason: string }>(input: T): T {
  return {
    ...input,
    by: recordedText('--by', input.by, 'name'),
    reason: recordedText('--reason', input.reason, 'reason'),
  };
}

export async function lockWave(
  db: Kysely<Database>,
  input: { wave: number; by: string; reason: string; at: Date },
): Promise<boolean> {
  input = recordedByAndReason(input);
  return db.transaction().execute(async (trx) => {
    const res = await trx
      .insertInto('wave_lock')
      .values({ wave: input.wave, locked_at: input.at, locked_by: input.by, reason: input.reason })
      .onConflict((oc) => oc.column('wave').doNothing())
      .returning('wave')
      .executeTakeFirst();
    if (res)
      await recordAudit(trx, {
        at: input.at,
        actor: input.by,
        action: 'lock',
        wave: input.wave,
        detail: { reason: input.reason },
      });
    return res !== undefined;
  });
}

export async function unlockWave(
  db: Kysely<Database>,
  input: { wave: number; by: string; reason: string; at: Date },
): Promise<boolean> {
  input = recordedByAndReason(input);
  return db.transaction().execute(async (trx) => {
    const res = await trx.deleteFrom('wave_lock').where('wave', '=', input.wave).returning('wave').executeTakeFirst();
    if (res)
      await recordAudit(trx, {
        at: input.at,
        actor: input.by,
        action: 'unlock',
        wave: input.wave,
        detail: { reason: input.reason },
      });
    return res !== undefined;
  });
}

/**
 * A name or reason recorded in the history must say something: blank text, punctuation alone, or
 * characters that print nothing (zero-width spaces, joiners, bidi marks, controls) are refused, and
 * so is a control character inside the text (it would reach a terminal raw). The one rule for every
 * command that records a person or a reason (lock, unlock, resolve, correct, teams alias, audit
 * review, FOI coding). Returns the text trimmed, or throws a usage error naming the option.
 */
export function recordedText(option: string, value: string | undefined, kind: 'name' | 'reason'): string {
  const problem = recordedTextProblem(option, value, kind);
  if (problem) throw new CensusError('usage', problem.message, problem.hint);
  return trimInvisible(value ?? '');
}

/** The same check as recordedText, as a message rather than a throw (for callers that collect problems). */
export function recordedTextProblem(
  option: string,
  value: string | undefined,
  kind: 'name' | 'reason',
): { message: string; hint: string } | null {
  const text = trimInvisible(value ?? '');
  if (/[\p{L}\p{N}]/u.test(text) && !/[\p{Cc}]/u.test(text)) return null;
  const shown = text.replace(/[\p{Cc}\p{Cf}]/gu, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);
  return {
    message: `${option} must be ${kind === 'name' ? 'the name of a person' : 'a reason in words'}: "${shown}" ${/[\p{Cc}]/u.test(text) && /[\p{L}\p{N}]/u.test(text) ? 'holds a control character' : 'says nothing'}.`,
    hint:
      kind === 'name' ? `Pass ${option} "Your Name".` : `Pass ${option} "why", for whoever reads the history later.`,
  };
}

function trimInvisible(s: string): string {
  return s.replace(/^[\s\p{Cf}\p{Cc}]+|[\s\p{Cf}\p{Cc}]+$/gu, '');
}

export interface ChainBreak {
  id: number;
  problem: string;
}

/**
 * Recomputes the audit log's hash chain (sql/013) in id order and names every row that does not
 * fit: its own hash recomputed differs (the row was changed), or its link to the row before is
 * wrong (a row was removed or slipped in), or (sql/017, when the session holds the workspace's
 * audit key) its seal is not the key's HMAC of its hash: a chain rewritten and rehashed by someone
 * without the key, or a row written without it.
 */
export async function checkAuditChain(db: Kysely<Database>): Promise<{ rows: number; breaks: ChainBreak[] }> {
  const sealed = await sql<{ has: boolean }>`
    select exists (select 1 from information_schema.columns where table_name = 'audit_log' and column_name = 'seal') as has`.execute(
    db,
  );
  const res = sealed.rows[0]?.has
    ? await sql<{ id: number; prev_ok: boolean; self_ok: boolean; seal_ok: boolean | null; sealed: boolean }>`
    select id,
      prev_hash is not distinct from coalesce(lag(row_hash) over (order by id), '') as prev_ok,
      row_hash is not distinct from audit_log_row_hash(prev_hash, id, at, actor, action, wave, detail) as self_ok,
      case when audit_log_seal(row_hash) is null then null else seal is not distinct from audit_log_seal(row_hash) end as seal_ok,
      seal is not null as sealed
    from audit_log order by id`.execute(db)
    : await sql<{ id: number; prev_ok: boolean; self_ok: boolean; seal_ok: boolean | null; sealed: boolean }>`
    select id,
      prev_hash is not distinct from coalesce(lag(row_hash) over (order by id), '') as prev_ok,
      row_hash is not distinct from audit_log_row_hash(prev_hash, id, at, actor, action, wave, detail) as self_ok,
      null::boolean as seal_ok, false as sealed
    from audit_log order by id`.execute(db);
  const breaks: ChainBreak[] = [];
  for (const r of res.rows) {
    if (!r.self_ok)
      breaks.push({ id: Number(r.id), problem: 'its content does not match its hash (changed after it was written)' });
    else if (!r.prev_ok)
      breaks.push({
        id: Number(r.id),
        problem: 'it does not follow the row before it (a row was removed or inserted)',
      });
    else if (r.seal_ok === false)
      breaks.push({
        id: Number(r.id),
        problem: r.sealed
          ? "its seal does not match (the chain was rewritten by someone without the workspace's audit key)"
          : "it is not sealed (written without the workspace's audit key)",
      });
  }
  return { rows: res.rows.length, breaks };
}
