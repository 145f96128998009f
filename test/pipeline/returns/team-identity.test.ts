import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTeam } from '../../../pipeline/returns/teams.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';

const NOW = new Date('2025-06-30T12:00:00Z');

describe('team identity when a return names no host', () => {
  let t: TestDb;
  const resolve = (name: string, host: string | null) =>
    t.db.transaction().execute((trx) => resolveTeam(trx, name, host, NOW));
  beforeAll(async () => {
    t = await freshDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  it('ties a return with no host to the one known team of that name, and keeps the pair as an alias', async () => {
    const first = await resolve('Alder Babies', 'Alder NHS Trust');
    expect(first.match).toBe('new');
    expect(await resolve('Alder Babies', null)).toEqual({ teamId: first.teamId, match: 'alias' });
    expect(await resolve('alder babies', null)).toEqual({ teamId: first.teamId, match: 'alias' });
  });

  it('ties a later return naming a host to the one team of that name known only without a host', async () => {
    const hostless = await resolve('Birch Babies', null);
    expect(hostless.match).toBe('new');
    expect(await resolve('Birch Babies', 'Birch Council')).toEqual({ teamId: hostless.teamId, match: 'alias' });
  });

  it('keeps two teams of one name at different hosts apart, and a hostless return of that name is then new', async () => {
    const a = await resolve('Cedar Team', 'North Trust');
    const b = await resolve('Cedar Team', 'South Trust');
    expect(b.teamId).not.toBe(a.teamId);
    expect(b.match).toBe('new');
    const c = await resolve('Cedar Team', null);
    expect([a.teamId, b.teamId]).not.toContain(c.teamId);
  });
});
