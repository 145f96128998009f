import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { renderReport } from '../../../pipeline/report/build.ts';
import type { Ctx } from '../../../pipeline/runtime/ctx.ts';
import { mergeParams } from '../../../schemas/report-params.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { testCtx } from '../../support/ctx.ts';
import { loadGolden } from './golden/build.ts';
import { attack, attackAcross, withheld, type WaveBuild } from './attack.ts';

/**
 * Differencing across tables and across waves (attack.ts attackAcross) on the public builds of the
 * golden fixtures, this wave's (2025) together with the previous wave's public build (2023): nothing
 * withheld may be recovered. Then each rule that stops such a leak is switched off in a build of its
 * own (a deliberately leaky variant made by the product's code with that one rule replaced, below),
 * and the attack must find the leak.
 */
const leak = vi.hoisted(() => ({ rule: null as null | 'secondary' | 'remainder' | 'flow' | 'wave-rows' }));

// The leaky variants: the product's own disclosure code, with one rule replaced while `leak.rule` names it.
vi.mock('../../../reports/disclosure.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../reports/disclosure.ts')>();
  return {
    ...real,
    // No complementary (secondary) suppression: a lone withheld cell of a line with a shown total.
    applyDisclosure: (table: Parameters<typeof real.applyDisclosure>[0], rule: { threshold?: number } = {}) => {
      const protectedTable = real.applyDisclosure(table, rule);
      if (leak.rule !== 'secondary') return protectedTable;
      const open = real.applyDisclosure(table, { threshold: 0 });
      const secondary = new Set(
        protectedTable.suppressed.filter((s) => s.reason === 'secondary').map((s) => `${s.row}\u0000${s.col}`),
      );
      return {
        ...protectedTable,
        cells: protectedTable.cells.map((r, i) =>
          r.map((c, j) =>
            secondary.has(`${protectedTable.rows[i]}\u0000${protectedTable.cols[j]}`) ? open.cells[i]![j]! : c,
          ),
        ),
      };
    },
  };
});
vi.mock('../../../reports/protect.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../reports/protect.ts')>();
  return {
    ...real,
    // UK minus England: the part printed even when the remainder is a small group.
    smallRemainder: (...a: Parameters<typeof real.smallRemainder>) =>
      leak.rule === 'remainder' ? false : real.smallRemainder(...a),
    // Flow of teams between waves: one withheld count left alone.
    complementRelated: (cells: Parameters<typeof real.complementRelated>[0]) =>
      leak.rule === 'flow' ? [...cells] : real.complementRelated(cells),
    // Teams by wave printed unprotected beside the protected table of teams by nation and status.
    protectGrid: (grid: Parameters<typeof real.protectGrid>[0], p: Parameters<typeof real.protectGrid>[1]) =>
      real.protectGrid(
        grid,
        leak.rule === 'wave-rows' && grid.rows.every((r) => /^\d{4}$/.test(r)) ? { ...p, threshold: 0 } : p,
      ),
  };
});

type Outputs = Map<string, Buffer>;
const THRESHOLDS = [3, 5, 11];

describe('attack across tables and waves: no withheld cell can be recovered', () => {
  let t: TestDb;
  let ctx: Ctx;
  const open = new Map<number, Outputs>();
  const pub = new Map<string, Outputs>();
  const build = async (wave: number, threshold: number, rule: typeof leak.rule = null): Promise<Outputs> => {
    leak.rule = rule;
    try {
      const params = mergeParams({ disclosure: { threshold } });
      return (await renderReport({ wave, publicBuild: true, params, pdf: false }, ctx)).outputs;
    } finally {
      leak.rule = null;
    }
  };
  const waves = (th: number, current: Outputs = pub.get(`2025/${th}`)!): WaveBuild[] => [
    { wave: 2023, pub: pub.get(`2023/${th}`)!, open: open.get(2023)! },
    { wave: 2025, pub: current, open: open.get(2025)! },
  ];
  beforeAll(async () => {
    t = await freshDatabase();
    ctx = testCtx(t);
    await loadGolden(ctx);
    for (const w of [2023, 2025]) open.set(w, await build(w, 0));
    for (const th of THRESHOLDS) for (const w of [2023, 2025]) pub.set(`${w}/${th}`, await build(w, th));
  }, 600_000);
  afterAll(async () => {
    await t.drop();
  });

  for (const th of THRESHOLDS) {
    it(`threshold ${th}: this wave's and the previous wave's public builds together give nothing withheld back`, () => {
      expect(withheld(pub.get(`2025/${th}`)!).length + withheld(pub.get(`2023/${th}`)!).length).toBeGreaterThan(0);
      expect(attackAcross(waves(th))).toEqual([]);
    });
  }

  it('public files name no code: no snake_case id, command, file name or "(harmonised)" reaches a reader', async () => {
    const { default: ExcelJS } = await import('exceljs');
    for (const key of ['2025/3', '2023/3']) {
      const o = pub.get(key)!;
      const texts: [string, string][] = [];
      for (const [path, bytes] of o) {
        if (path.endsWith('.csv')) texts.push([path, bytes.toString('utf8')]);
        if (path.endsWith('.html'))
          texts.push([
            path,
            bytes
              .toString('utf8')
              .replace(/<style>[\s\S]*?<\/style>/g, ' ')
              .replace(/<[^>]+>/g, ' '),
          ]);
        if (path.endsWith('.xlsx')) {
          const wb = new ExcelJS.Workbook();
          await wb.xlsx.load(bytes as unknown as ArrayBuffer);
          for (const ws of wb.worksheets)
            texts.push([
              `${path}!${ws.name}`,
              ws
                .getSheetValues()
                .flat(2)
                .filter((v) => typeof v === 'string')
                .join('\n'),
            ]);
        }
      }
      const codes =
        /\b[a-z]+_[a-z0-9_]+\b|\bcensus (?:resolve|issues|returns|audit|report|verify|ingest)\b|\(harmonised\)|\b[\w-]+\.(?:ts|sql)\b|\b(?:questionnaire|foi|report|README)\.md\b|\bspec\/|reference\//i;
      const found = texts.flatMap(([path, text]) => {
        const m = codes.exec(text);
        return m ? [`${key} ${path}: "${m[0]}" in "${text.slice(Math.max(0, m.index - 40), m.index + 40)}"`] : [];
      });
      expect(found).toEqual([]);
    }
  });

  it('finds a lone withheld cell when complementary suppression is switched off', async () => {
    const leaky = await build(2025, 5, 'secondary');
    const found = attack(leaky, open.get(2025)!, open.get(2025)!, 5).filter((r) => r.attack === 'differencing');
    const across = attackAcross(waves(5, leaky)).filter((r) => r.attack === 'differencing');
    expect([...found, ...across].length).toBeGreaterThan(0);
  });

  it("finds the previous wave's withheld reach printed again by this wave's over-time table", async () => {
    const leaky = await build(2025, 3, 'remainder');
    expect(attackAcross(waves(3, leaky)).map((r) => r.target)).toContain(
      'over-time.reach_england_disorganised_attachment.2023',
    );
  });

  it('finds a withheld count of the flow of teams by subtraction from the two waves', async () => {
    const leaky = await build(2025, 5, 'flow');
    expect(attackAcross(waves(5, leaky)).map((r) => r.target)).toContain('2025:fig:growth.flow.2');
  });

  it('finds teams by wave printing what the table of teams by nation and status withholds', async () => {
    const leaky = await build(2025, 11, 'wave-rows');
    expect(attackAcross(waves(11, leaky)).some((r) => r.attack === 'differencing')).toBe(true);
  });
});
