import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../../pipeline/report/build.ts';
import { defaultParams, mergeParams } from '../../../schemas/report-params.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { testCtx } from '../../support/ctx.ts';
import { loadGolden } from './golden/build.ts';
import { attack, withheld, type Recovery } from './attack.ts';

type Outputs = Map<string, Buffer>;
const THRESHOLDS = [3, 5, 10];

/**
 * The attack of attack.ts on each public build of the golden fixtures (49 teams, 50 trusts), at
 * thresholds that make small groups: nothing withheld may be recovered from the public files together.
 * Then each leak of issue 16 is put back into a build by hand, and the attack must find it.
 */
describe('attack on the public builds: no withheld cell can be recovered', () => {
  let t: TestDb;
  let internal: Outputs;
  let open: Outputs;
  const pub = new Map<number, Outputs>();
  beforeAll(async () => {
    t = await freshDatabase();
    const ctx = testCtx(t);
    await loadGolden(ctx);
    const build = async (publicBuild: boolean, threshold: number) =>
      (
        await renderReport(
          { wave: 2025, publicBuild, params: mergeParams({ disclosure: { threshold } }), pdf: false },
          ctx,
        )
      ).outputs;
    internal = (await renderReport({ wave: 2025, publicBuild: false, params: defaultParams(), pdf: false }, ctx))
      .outputs;
    open = await build(true, 0);
    for (const th of THRESHOLDS) pub.set(th, await build(true, th));
  }, 600_000);
  afterAll(async () => {
    await t.drop();
  });

  const recover = (th: number, o: Outputs = pub.get(th)!): Recovery[] => attack(o, open, internal, th);

  for (const th of THRESHOLDS) {
    it(`threshold ${th}: withholds cells, and none of them is recovered`, () => {
      expect(withheld(pub.get(th)!).length).toBeGreaterThan(0);
      expect(recover(th)).toEqual([]);
    });
  }

  const figures = (o: Outputs) => JSON.parse(o.get('figures.json')!.toString('utf8'));
  const withFigures = (o: Outputs, f: (json: { figures: Record<string, unknown>[] }) => void): Outputs => {
    const json = figures(o);
    f(json);
    return new Map([...o, ['figures.json', Buffer.from(JSON.stringify(json))]]);
  };

  it('finds the leak of withheld figures that still carry the count of their records', () => {
    const truth = new Map(figures(internal).figures.map((f: { id: string; records: string[] }) => [f.id, f.records]));
    const leaky = withFigures(pub.get(3)!, (json) => {
      for (const f of json.figures)
        if (f.status === 'c') f.records = { count: (truth.get(f.id as string) as string[] | undefined)?.length ?? 0 };
    });
    expect(recover(3, leaky).some((r) => r.attack === 'json')).toBe(true);
  });

  it('finds the per-trust FOI table printing the figures its band table withholds', () => {
    const leaky = new Map([...pub.get(3)!, ['tables/foi_trusts.csv', open.get('tables/foi_trusts.csv')!]]);
    const found = recover(3, leaky);
    expect(found.filter((r) => r.attack === 'differencing').map((r) => r.target)).toContain('foi_referrals[0, Trusts]');
  });

  it('finds a sentence naming a withheld band', () => {
    const o = pub.get(3)!;
    const html = o
      .get('report.html')!
      .toString('utf8')
      .replace(
        /(<section id="families">[\s\S]*?)(<\/section>)/,
        '$1<p>Answers ran from "fewer than 25" to "more than 300".</p>$2',
      );
    const found = recover(3, new Map([...o, ['report.html', Buffer.from(html)]]));
    expect(found.some((r) => r.attack === 'sentence' || r.attack === 'json')).toBe(true);
  });

  it("finds the smallest and largest WTE shown as single teams' values", () => {
    const shown = new Map(figures(internal).figures.map((f: { id: string }) => [f.id, { ...f, records: null }]));
    const leaky = withFigures(pub.get(3)!, (json) => {
      json.figures = json.figures.map((f) =>
        String(f.id).startsWith('size.wte.smallest') ? shown.get(f.id as string) : f,
      ) as Record<string, unknown>[];
    });
    expect(recover(3, leaky).map((r) => r.target)).toContain('size.wte.smallest');
  });

  it("finds UK minus England giving the other nations' families when those are a small group", () => {
    const leaky = new Map([...pub.get(10)!, ['tables/reach.csv', open.get('tables/reach.csv')!]]);
    expect(recover(10, leaky).some((r) => r.attack === 'nested')).toBe(true);
  });

  it('finds the over-time table repeating a reach the families section withholds', () => {
    const o = pub.get(10)!;
    const leak = figures(open).figures.filter((f: { id: string }) => f.id.startsWith('over-time.reach_'));
    const leaky = withFigures(o, (json) => {
      json.figures = json.figures.map((f) => leak.find((l: { id: string }) => l.id === f.id) ?? f);
    });
    expect(recover(10, leaky).some((r) => r.attack === 'json' && r.how.startsWith('over-time.reach_'))).toBe(true);
  });

  it('finds a withheld cell drawn as a bar with its number', () => {
    const o = pub.get(3)!;
    const html = o
      .get('report.html')!
      .toString('utf8')
      .replace(/>\[c\]</g, '>1<');
    expect(recover(3, new Map([...o, ['report.html', Buffer.from(html)]])).some((r) => r.attack === 'chart')).toBe(
      true,
    );
  });
});
