import { mkdtempSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadQuestionList } from '../../schemas/waves/index.ts';
import { writeSample2025 } from '../../pipeline/demo/sample-2025.ts';
import { sha256 } from '../../pipeline/runtime/store.ts';
import { freshDatabase, type TestDb } from '../support/db.ts';
import { runCensus } from '../support/cli.ts';

/**
 * Crash safety: `census ingest` is SIGKILLed at named points of the write path (CENSUS_CRASH_AT),
 * then rerun. The store must hold only whole files under their hash, the database no partial
 * return, and the rerun must end with exactly the rows of an uninterrupted run.
 */
async function snapshot(t: TestDb, storeDir: string): Promise<unknown> {
  const q = async (sql: string): Promise<unknown[]> => (await t.pool.query(sql)).rows;
  const stored = existsSync(storeDir)
    ? readdirSync(storeDir)
        .filter((d) => /^[0-9a-f]{2}$/.test(d))
        .flatMap((d) => readdirSync(join(storeDir, d)).map((f) => `${d}/${f}`))
        .sort()
    : [];
  return {
    stored,
    files: await q('select sha256, first_name, media_type from raw_file order by sha256'),
    receipts: await q(
      'select sha256, wave, original_name, source_kind, processed_rule_version from file_receipt order by sha256',
    ),
    returns: await q(
      `select r.sha256, r.state, r.state_reason, t.name from questionnaire_return r left join team t on t.id = r.team_id order by r.sha256`,
    ),
    answers:
      await q(`select r.sha256, a.question_id, a.value_kind, a.text_value, a.codes, a.low, a.high, a.approximate, a.open_high, a.missing_reason, a.raw_text, a.sheet, a.cell
                      from answer a join questionnaire_return r on r.id = a.return_id order by r.sha256, a.question_id`),
    issues: await q(
      'select sha256, file_name, code, severity, sheet, cell, raw from data_issue order by sha256, code, cell',
    ),
    teams: await q('select name, host_organisation from team order by name'),
  };
}

describe('SIGKILL during census ingest, then a rerun', () => {
  let inbox: string;
  let baseline: unknown;
  const dbs: TestDb[] = [];

  async function workspace(): Promise<{ t: TestDb; env: Record<string, string>; ws: string }> {
    const t = await freshDatabase({ migrate: false });
    dbs.push(t);
    const ws = mkdtempSync(join(tmpdir(), 'census-crash-'));
    const env = { DATABASE_URL: t.url, CENSUS_WORKSPACE: ws };
    expect((await runCensus(['init'], { cwd: ws, env })).code).toBe(0);
    return { t, env, ws };
  }

  beforeAll(async () => {
    inbox = mkdtempSync(join(tmpdir(), 'census-crash-inbox-'));
    await writeSample2025(loadQuestionList(2025), inbox);
    const { t, env, ws } = await workspace();
    const clean = await runCensus(['ingest', inbox, '--wave', '2025'], { cwd: ws, env });
    expect(clean.code, clean.stderr).toBe(1);
    baseline = await snapshot(t, join(ws, 'store'));
  });
  afterAll(async () => {
    for (const t of dbs) await t.drop();
  });

  for (const point of ['store:tmp-written#3', 'load:in-transaction#1', 'load:in-transaction#4', 'ingest:file-done#2']) {
    it(`leaves nothing partial when killed at ${point}, and the rerun gives the uninterrupted rows`, async () => {
      const { t, env, ws } = await workspace();
      const killed = await runCensus(['ingest', inbox, '--wave', '2025'], {
        cwd: ws,
        env: { ...env, CENSUS_CRASH_AT: point },
      });
      expect(killed.signal).toBe('SIGKILL');
      const store = join(ws, 'store');
      for (const d of readdirSync(store).filter((x) => /^[0-9a-f]{2}$/.test(x))) {
        for (const f of readdirSync(join(store, d)).filter((x) => !x.startsWith('.tmp-'))) {
          expect(sha256(readFileSync(join(store, d, f))), `${d}/${f} is whole`).toBe(f);
        }
      }
      const partial = await t.pool.query(`select r.id from questionnaire_return r
        where (select count(*) from answer a where a.return_id = r.id) <> (select max(c) from (select count(*) as c from answer group by return_id) x)`);
      expect(partial.rows).toEqual([]);
      const rerun = await runCensus(['ingest', inbox, '--wave', '2025'], { cwd: ws, env });
      expect(rerun.code, rerun.stderr).toBe(1);
      expect(await snapshot(t, store)).toEqual(baseline);
      const runs = (await t.pool.query('select status from ingest_run order by id')).rows.map(
        (r: { status: string }) => r.status,
      );
      expect(runs).toEqual(['failed', 'done_with_errors']);
    });
  }
});
