import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../schemas/db.ts';
import type { Trust, TrustList } from '../../sources/foi/trusts.ts';
import type { FoiLaw } from './calendar.ts';

/**
 * The `trust` table mirrors the bundled reference list. It is filled from code, not by a migration,
 * because the list changes with mergers while landed migrations never change; each row records the
 * sha256 of the file it came from, so a request can be traced to the list it was made with.
 */

type Db = Kysely<Database> | Transaction<Database>;

/** Upserts every trust of the list; a no-op when the table already holds this version. Rows no longer in the file are kept (requests point at them). */
export async function seedTrusts(db: Db, list: TrustList, now: Date): Promise<{ changed: boolean }> {
  const current = await db.selectFrom('trust').select(['ods_code', 'reference_sha256']).execute();
  const have = new Map(current.map((r) => [r.ods_code, r.reference_sha256]));
  if (list.trusts.every((t) => have.get(t.odsCode) === list.version)) return { changed: false };
  // 53 rows: one Kysely insert is plenty (COPY only pays for bulk rows).
  await db
    .insertInto('trust')
    .values(
      list.trusts.map((t) => ({
        ods_code: t.odsCode,
        name: t.name,
        region: t.region,
        postcode: t.postcode,
        mh_confidence: t.mhConfidence,
        opened: t.opened,
        closed: t.closed,
        successor_ods_code: t.successorOdsCode,
        reference_sha256: list.version,
        loaded_at: now,
      })),
    )
    .onConflict((oc) =>
      oc.column('ods_code').doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        region: eb.ref('excluded.region'),
        postcode: eb.ref('excluded.postcode'),
        mh_confidence: eb.ref('excluded.mh_confidence'),
        opened: eb.ref('excluded.opened'),
        closed: eb.ref('excluded.closed'),
        successor_ods_code: eb.ref('excluded.successor_ods_code'),
        reference_sha256: eb.ref('excluded.reference_sha256'),
        loaded_at: eb.ref('excluded.loaded_at'),
      })),
    )
    .execute();
  return { changed: true };
}

/**
 * reference/SOURCES.md defines mh_confidence `former` as "provided MH services in March 2024, no longer
 * does", with no date the services ended (R1F's moved to RW1 on 2024-05-01). So a former trust is asked
 * only when the request is sent on or before this date, the last day the reference list vouches for;
 * after it, its successor (already in the list) is asked instead.
 */
const FORMER_MH_VOUCHED_UNTIL = '2024-03-31';

export type Exclusion = 'opened_after_sent' | 'closed_before_sent' | 'former_mh_provider';

/** Whether a trust provided mental health services on the day a request was sent. */
export function eligibility(t: Trust, sent: string): Exclusion | null {
  // A blank `opened` (the T-codes) means the date was not found, not that the trust is new.
  if (t.opened !== null && t.opened > sent) return 'opened_after_sent';
  if (t.closed !== null && t.closed < sent) return 'closed_before_sent';
  if (t.mhConfidence === 'former' && sent > FORMER_MH_VOUCHED_UNTIL) return 'former_mh_provider';
  return null;
}

/** Scottish boards answer under FOISA; every other body in the list under FOIA 2000. */
export function lawOf(t: Pick<Trust, 'nation'>): FoiLaw {
  return t.nation === 'scotland' ? 'foisa' : 'foia';
}

/** `nations`: the wave's (absent: england only, as in wave 2024). */
export function trustsAskedOn(
  list: TrustList,
  sent: string,
  nations: readonly string[] = ['england'],
): { asked: Trust[]; excluded: { trust: Trust; why: Exclusion }[] } {
  const asked: Trust[] = [];
  const excluded: { trust: Trust; why: Exclusion }[] = [];
  for (const t of [...list.trusts].sort((a, b) => a.odsCode.localeCompare(b.odsCode))) {
    if (!nations.includes(t.nation)) continue; // not an exclusion: the wave does not ask that nation
    const why = eligibility(t, sent);
    if (why === null) asked.push(t);
    else excluded.push({ trust: t, why });
  }
  return { asked, excluded };
}
