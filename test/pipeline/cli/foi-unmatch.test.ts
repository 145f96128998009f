import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { runCensus } from '../../support/cli.ts';

/**
 * `census foi unmatch FILE`: a wrong match undone from the command line, through the function the review
 * desk's "Back to the queue" calls (unmatchByHand): the reply feeds no figure, waits in `foi unmatched`,
 * is audit-logged as foi_unmatch under the name given, and can be matched again; what it cannot do exits 2.
 */
describe('census foi unmatch', () => {
  let t: TestDb;
  let home: string;
  let env: Record<string, string>;
  const census = (...args: string[]) => runCensus(args, { cwd: home, env });
  let sha = '';
  beforeAll(async () => {
    t = await freshDatabase({ migrate: false });
    home = mkdtempSync(join(tmpdir(), 'census-foi-unmatch-'));
    env = { DATABASE_URL: t.url, CENSUS_WORKSPACE: join(home, 'ws') };
    expect((await census('init')).code).toBe(0);
    expect((await census('foi', 'send', '--wave', '2024', '--sent', '2024-03-11')).code).toBe(0);
    const replies = join(home, 'replies');
    mkdirSync(replies);
    writeFileSync(
      join(replies, 'oxleas-reply.txt'),
      [
        'Freedom of Information Office, Oxleas NHS Foundation Trust',
        'Dear requester, thank you for your request of 11 March 2024.',
        '1. Does the trust accept referrals for children aged under two? Yes.',
        '2. How many referrals for children aged under two did the trust receive? 2021/22: 14; 2022/23: 17; 2023/24: 9.',
        '',
      ].join('\n'),
    );
    const ingested = await census('ingest', replies, '--wave', '2024', '--received', '2024-04-02');
    expect([0, 1], ingested.stderr).toContain(ingested.code);
    const row = (
      await t.pool.query(
        "select sha256, trust_ods from foi_response r join file_receipt f using (sha256, wave) where f.original_name = 'oxleas-reply.txt'",
      )
    ).rows[0] as { sha256: string; trust_ods: string };
    expect(row.trust_ods).toBe('RPG');
    sha = row.sha256;
  }, 300_000);
  afterAll(async () => {
    await t.drop();
  });

  it('sends a matched reply back to the queue, audit-logged under the name, and it can be matched again', async () => {
    const help = await census('foi', 'unmatch', '--help');
    expect(help.stdout).toContain('census foi unmatch 3fa29c1e --by "A. Researcher" --wave 2024');
    expect(help.stdout).toMatch(/Exit codes:[\s\S]*2 {2}usage error/);

    const back = await census('foi', 'unmatch', 'oxleas-reply', '--by', 'Sam Checker', '--wave', '2024');
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toContain(
      `Sent oxleas-reply.txt (${sha.slice(0, 12)}) back to the queue of unmatched replies; it was matched to RPG (Sam Checker).`,
    );
    const queue = await census('foi', 'unmatched', '--wave', '2024', '--format', 'json');
    expect((JSON.parse(queue.stdout) as { sha256: string; why: string }[]).find((r) => r.sha256 === sha)?.why).toBe(
      'sent back to the queue by hand',
    );
    const feeds = await t.pool.query(
      'select count(*)::int as n from report_foi_value v join foi_response r on r.id = v.response_id where r.sha256 = $1',
      [sha],
    );
    expect(feeds.rows[0].n).toBe(0);
    const audit = await t.pool.query("select actor, detail from audit_log where action = 'foi_unmatch'");
    expect(audit.rows).toEqual([{ actor: 'Sam Checker', detail: { sha256: sha, was: 'RPG', attachments: 0 } }]);

    // Already in the queue, a blank name, a reply not there, a locked-out mistake: exit 2, nothing recorded.
    const again = await census('foi', 'unmatch', sha.slice(0, 8), '--by', 'Sam Checker', '--wave', '2024');
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('is matched to no request already');
    expect((await census('foi', 'unmatch', sha.slice(0, 8), '--by', '  ', '--wave', '2024')).code).toBe(2);
    const none = await census('foi', 'unmatch', 'abcdef12', '--by', 'Sam Checker', '--wave', '2024');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/No reply in wave 2024 has the file name, path or sha256 "abcdef12"/);
    expect(
      (await t.pool.query("select count(*)::int as n from audit_log where action = 'foi_unmatch'")).rows[0].n,
    ).toBe(1);

    // Matched again by hand: it feeds the report again.
    const rematch = await census(
      'foi',
      'match',
      '--file',
      sha.slice(0, 8),
      '--trust',
      'RPG',
      '--by',
      'Sam',
      '--wave',
      '2024',
    );
    expect(rematch.code, rematch.stderr).toBe(0);
    expect(
      (
        await t.pool.query(
          'select count(*)::int as n from report_foi_value v join foi_response r on r.id = v.response_id where r.sha256 = $1',
          [sha],
        )
      ).rows[0].n,
    ).toBeGreaterThan(0);
  }, 300_000);
});
