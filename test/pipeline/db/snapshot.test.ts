import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { recordAudit } from '../../../pipeline/db/audit-log.ts';
import { inSnapshot } from '../../../pipeline/db/snapshot.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { testCtx } from '../../support/ctx.ts';

/** A report reads in one snapshot: what commits meanwhile is not seen half-way (issue 17, item 5). */
describe('inSnapshot', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  const count = async (db: TestDb['db']): Promise<number> =>
    Number((await sql<{ n: number }>`select count(*)::int as n from audit_log`.execute(db)).rows[0]!.n);

  it('sees the same rows in every query while another session commits, and the new rows after it ends', async () => {
    const ctx = testCtx(t);
    const at = new Date('2025-06-30T09:00:00Z');
    await recordAudit(t.db, { at, actor: 'Ann Lee', action: 'probe' });
    const seen = await inSnapshot(ctx, async (snap) => {
      expect(snap.pool).toBeUndefined();
      const first = await count(snap.db);
      await recordAudit(t.db, { at, actor: 'Ann Lee', action: 'probe' }); // an ingest committing meanwhile
      expect(await count(t.db)).toBe(first + 1);
      return [first, await count(snap.db)];
    });
    expect(seen[1]).toBe(seen[0]);
    expect(await count(t.db)).toBe(seen[0]! + 1);
  });

  it('is read-only: a write inside it is refused', async () => {
    await expect(
      inSnapshot(testCtx(t), (snap) =>
        recordAudit(snap.db, { at: new Date('2025-06-30T09:00:00Z'), actor: 'Ann Lee', action: 'probe' }),
      ),
    ).rejects.toThrow(/read-only transaction/);
  });
});
