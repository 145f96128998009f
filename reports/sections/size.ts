import type { Row } from '../csv.ts';
import { formatCell } from '../disclosure.ts';
import { formatRange } from '../format.ts';
import { max, min, point, quartiles } from '../intervals.ts';
import { cellAt, isShown, protectCounts, shareCell } from '../protect.ts';
import type { WaveData } from '../input.ts';
import { answered, coverage, intervalsOf, labelOf, numbersOf } from '../measures.ts';
import type { Figure } from '../figures.ts';
import { denominatorText, Section, teamsDenominator, type Env, type SectionOut } from '../model.ts';
import { shareTable, shareText } from '../share-table.ts';

/** report.md section 3: total WTE, disciplines, consultant-led share, age range served; per-team rows in internal builds. */
export async function sizeSection(env: Env, d: WaveData): Promise<SectionOut> {
  const s = new Section('size', '3. Size and shape of teams', env);
  const wte = numbersOf(d, 'wte_total');
  const cov = coverage(d, 'wte_total');
  const q = quartiles(wte.map((w) => point(w.value)));
  if (q) {
    const den = teamsDenominator(cov);
    const def = s.def(
      'wte',
      'Total staff in whole-time equivalents: quartiles by linear interpolation between closest ranks (Excel QUARTILE.INC), smallest and largest, of teams that answered.',
    );
    const stats = {
      median: q.median,
      lower_quartile: q.q1,
      upper_quartile: q.q3,
      smallest: min(wte.map((w) => point(w.value)))!,
      largest: max(wte.map((w) => point(w.value)))!,
    };
    const fig: Record<string, Figure> = {};
    for (const [k, v] of Object.entries(stats)) {
      // The smallest and the largest are one team's own answer each: never in a public build.
      const extreme = env.publicBuild && (k === 'smallest' || k === 'largest');
      fig[k] = s.figure({
        ...(extreme ? { status: 'c' as const } : {}),
        id: `size.wte.${k}`,
        label: `Total WTE: ${k.replace('_', ' ')}`,
        value: v,
        text: formatRange(v, 1),
        unit: 'WTE',
        denominator: den,
        definition: def,
        records: wte.map((w) => w.id),
      });
    }
    const [med, q1, q3, lo, hi] = ['median', 'lower_quartile', 'upper_quartile', 'smallest', 'largest'].map(
      (k) => fig[k]!,
    ) as [Figure, Figure, Figure, Figure, Figure];
    const extremes = lo.status === 'c' || hi.status === 'c' ? '' : `; smallest ${lo.text}, largest ${hi.text}`;
    s.para(
      med.status === 'c'
        ? `Whole-time equivalent staff are withheld ([c]): fewer than ${env.protection.threshold} teams answered.`
        : `Teams had a median of ${med.text} whole-time equivalent staff (quartiles ${q1.text} and ${q3.text}${extremes}), ${denominatorText(den)}.`,
    );
  }
  await disciplines(s, d);
  const lead = shareTable(s, d, 'lead_consultant_level', {
    name: 'consultant_led',
    title: `Team led by a consultant-level clinician, wave ${d.wave}`,
  });
  const yes = lead.rows.find((r) => r.code === 'yes');
  if (yes && lead.answered > 0)
    s.para(
      `${shareText(yes.share, env.params.percentDigits)} of teams are led by a consultant-level clinician, ${denominatorText(teamsDenominator(lead))}.`,
    );
  shareTable(s, d, 'age_from', { name: 'age_from', title: `Youngest age seen, wave ${d.wave}` });
  ageTo(s, d);
  if (!env.publicBuild) perTeam(s, d);
  return s.out();
}

/** Share of teams with each discipline (WTE > 0), of the teams that filled in the staffing breakdown. */
async function disciplines(s: Section, d: WaveData): Promise<void> {
  const ids =
    d.list.questions
      .find((x) => x.id === 'wte_total')
      ?.checks.flatMap((c) => (c.kind === 'sum_of' ? c.questions : [])) ?? [];
  if (ids.length === 0) return;
  const staffing = new Set(ids.flatMap((id) => answered(d, id).map((a) => a.returnId)));
  const withStaff = ids.map((id) => numbersOf(d, id).filter((n) => n.value > 0));
  const labels = ids.map((id) => (d.list.questions.find((x) => x.id === id)?.label ?? id).replace(/\s*\(WTE\)$/, ''));
  const table = protectCounts(
    labels,
    withStaff.map((w) => w.length),
    false,
    s.env.protection,
  );
  const digits = s.env.params.percentDigits;
  const den = { answered: staffing.size, notAnswered: d.teams.length - staffing.size, of: 'teams' };
  const def = s.def(
    'disciplines',
    'Teams with more than 0 WTE of the discipline, of the teams that gave at least one figure in the staffing breakdown (a discipline left blank there counts as none).',
  );
  const rows: Row[] = labels.map((label, i) => {
    const teams = cellAt(table, i);
    const share = shareCell(teams, staffing.size, digits);
    s.figure({
      id: `size.discipline.${ids[i]}`,
      label: `Teams with a ${label.toLowerCase()}`,
      value: share.value,
      ...(isShown(share) ? {} : { status: 'c' as const }),
      text: shareText(share, digits),
      unit: 'percent',
      denominator: den,
      definition: def,
      records: withStaff[i]!.map((w) => w.id),
    });
    return { discipline: label, teams, share };
  });
  await s.bars(
    {
      title: `Teams with each discipline, wave ${d.wave}`,
      denominator: denominatorText(den),
      source: s.env.source,
      xTitle: 'Share of teams (%)',
      yTitle: 'Discipline',
      bars: rows.map((r) => {
        const c = r.share as ReturnType<typeof shareCell>;
        return isShown(c)
          ? { label: String(r.discipline), value: c.value! }
          : { label: String(r.discipline), value: null, text: formatCell(c) };
      }),
      formatValue: (b) => shareText({ value: b }, digits),
    },
    (t) =>
      `${t.names} ${t.labels.length > 1 ? 'are the disciplines' : 'is the discipline'} most teams have (${t.text} of teams${t.labels.length > 1 ? ' each' : ''}).`,
    `Denominator: ${denominatorText(den)}. A team may have several disciplines, so shares do not add up to 100.`,
  );
  s.table(
    {
      name: 'disciplines',
      title: `Teams with each discipline (WTE above 0), wave ${d.wave}`,
      columns: [
        { key: 'discipline', header: 'Discipline', kind: 'text' },
        { key: 'teams', header: 'Teams', kind: 'number' },
        { key: 'share', header: 'Share of teams (%)', kind: 'range' },
      ],
      rows,
      notes: [`Denominator: ${denominatorText(den)}.`],
    },
    table,
  );
}

/** Oldest age seen: up to 24 months (the core focus) or older; a range across 24 is counted apart. */
function ageTo(s: Section, d: WaveData): void {
  const items = intervalsOf(d, 'age_to_months');
  if (!d.list.questions.some((x) => x.id === 'age_to_months')) return;
  const groups = [
    { label: 'Up to 24 months', test: (h: number | null, l: number) => h !== null && h <= 24 && l >= 0 },
    { label: 'Older than 24 months', test: (_h: number | null, l: number) => l > 24 },
  ];
  const members = groups.map((g) => items.filter((i) => g.test(i.value.high, i.value.low)));
  const spans = items.filter((i) => !members.some((m) => m.includes(i)));
  const labels = [...groups.map((g) => g.label), 'Range across 24 months'];
  const table = protectCounts(labels, [...members.map((m) => m.length), spans.length], true, s.env.protection);
  const cov = coverage(d, 'age_to_months');
  const def = s.def(
    'age_to',
    'Teams by the oldest age they see (age_to_months): up to 24 months when the whole answer is at most 24, older when it is above 24.',
  );
  [...members, spans].forEach((m, i) => {
    const c = cellAt(table, i);
    s.figure({
      id: `size.age_to.${i}`,
      label: `Oldest age seen: ${labels[i]}`,
      value: c.value,
      ...(isShown(c) ? {} : { status: 'c' as const }),
      text: formatCell(c),
      unit: 'teams',
      denominator: teamsDenominator(cov),
      definition: def,
      records: m.map((x) => x.id),
    });
  });
  s.table(
    {
      name: 'age_to',
      title: `Oldest age seen, wave ${d.wave}`,
      columns: [
        { key: 'group', header: 'Oldest age seen', kind: 'text' },
        { key: 'teams', header: 'Teams', kind: 'number' },
      ],
      rows: table.rows.map((label, i) => ({ group: label, teams: cellAt(table, i) })),
      notes: [`Denominator: ${denominatorText(teamsDenominator(cov))}.`],
    },
    table,
  );
}

/** Internal builds only: one row per team (team names never appear in a public build). */
function perTeam(s: Section, d: WaveData): void {
  const value = (q: string, returnId: string) => (d.answers.get(q) ?? []).find((a) => a.returnId === returnId);
  const rows: Row[] = d.teams.map((t) => {
    const fam = value('families_supported', t.returnId);
    const famText = fam?.interval ? bandText(d, fam.band, fam.interval) : null;
    return {
      team: t.name,
      nation: labelOf(d, 'nation', t.nation),
      status: labelOf(d, 'status', t.status),
      wte: value('wte_total', t.returnId)?.num ?? null,
      families: famText,
      babies: value('babies_under_2', t.returnId)?.interval ?? null,
    };
  });
  s.table({
    name: 'teams',
    title: `Teams, wave ${d.wave} (internal build only)`,
    columns: [
      { key: 'team', header: 'Team', kind: 'text' },
      { key: 'nation', header: 'Nation', kind: 'text' },
      { key: 'status', header: 'Status', kind: 'text' },
      { key: 'wte', header: 'Total WTE', kind: 'number', digits: 1 },
      { key: 'families', header: 'Families supported', kind: 'text' },
      { key: 'babies', header: 'Babies under two', kind: 'range' },
    ],
    rows,
    notes: ['Internal build: team names are shown. A public build leaves this table out.'],
  });
}

/** The band's label when the answer is the band itself, else the number or range as typed ("40"). */
function bandText(d: WaveData, code: string | null, v: { low: number; high: number | null }): string {
  const band = d.list.questions.find((x) => x.id === 'families_supported')?.bands?.find((b) => b.code === code);
  return band && band.low === v.low && band.high === v.high ? band.label : formatRange(v);
}
