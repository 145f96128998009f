import type { Row } from '../csv.ts';
import { formatCount, formatRange, formatDenominator, TRUSTS } from '../format.ts';
import { cellAt, protectCounts } from '../protect.ts';
import { foiValueKey, type FoiData, type FoiValue } from '../input.ts';
import { acceptance, classifyReferrals, EXCLUSION_TEXT, headlinePeriod, NO_REPLY, REPLIED } from '../foi-measures.ts';
import { Section, type Env, type SectionOut } from '../model.ts';
import { listWords } from '../statements.ts';
import { distributionTable, fewStatement, teamComparison } from './foi-distribution.ts';
import { byText } from '../order.ts';

const STATUS_LABEL: Record<string, string> = {
  answered: 'Answered',
  partial: 'Partly answered',
  not_held: 'Information not held',
  ncnd: 'Neither confirmed nor denied',
  internal_review: 'Under internal review',
  no_reply: 'No reply',
};

/** report.md section 6: the FOI request to mental health trusts. */
export async function foiSection(env: Env, d: FoiData | null): Promise<SectionOut> {
  const s = new Section('foi', '6. Mental health trusts (FOI)', env);
  if (!d || d.requests.length === 0) {
    s.para('No FOI wave with requests is loaded for this report, so this section has no figures.');
    return s.out();
  }
  const q = env.params.foi.questions;
  const ref = `as of ${d.referenceDate}`;
  const statusDef = s.def(
    'status',
    `Status of each request ${ref}, derived from its dated events and from what the coded reply answers, not from a typed register; "replied" is answered, partly answered, refused or not held; a reply is within time when dated on or before the statutory due date (20 working days, an e-mailed request being received the day it is sent).`,
  );
  const statusOf = (id: string) => d.status.get(id);
  const groupOf = (id: string): string => {
    const st = statusOf(id);
    if (!st || NO_REPLY.has(st.status)) return 'no_reply';
    if (st.status === 'refused')
      return `refused: ${st.exemptions.length ? st.exemptions.join(', ') : 'no exemption recorded'}`;
    return st.status;
  };
  const groups = [...new Set(d.requests.map((r) => groupOf(r.requestId)))].sort(
    (a, b) => order(a) - order(b) || byText(a, b),
  );
  const members = groups.map((g) => d.requests.filter((r) => groupOf(r.requestId) === g));
  const table = protectCounts(
    groups.map((g) => STATUS_LABEL[g] ?? `Refused (${g.slice(9)})`),
    members.map((m) => m.length),
    true,
    env.protection,
    false,
    'Trusts',
  );
  const replied = d.requests.filter((r) => REPLIED.has(statusOf(r.requestId)?.status ?? ''));
  const inTime = replied.filter((r) => statusOf(r.requestId)?.withinTime === true);
  for (const [id, label, n, recs] of [
    ['asked', 'Trusts asked', d.requests.length, d.requests],
    ['replied', 'Trusts that replied', replied.length, replied],
    ['in_time', 'Trusts that replied within 20 working days', inTime.length, inTime],
  ] as const) {
    s.figure({
      id: `foi.${id}`,
      label,
      value: { low: n, high: n },
      text: formatCount(n),
      unit: 'trusts',
      definition: statusDef,
      records: recs.map((r) => `foi_request:${r.requestId}`),
    });
  }
  s.para(
    `In wave ${d.wave} the request went to ${d.requests.length} mental health trusts; ${replied.length} replied and ${inTime.length} of them within 20 working days (${ref}).`,
  );
  // Issue 15: how the values were read, automatically or by a person (the coding sheet).
  const byPerson = d.values.filter((v) => v.byPerson === true).length;
  s.para(
    `Of the ${formatCount(d.values.length)} FOI values this section draws on, ${formatCount(d.values.length - byPerson)} were read automatically and ${formatCount(byPerson)} were coded or confirmed by a person on the coding sheet${d.awaitingPerson ? `; ${formatCount(d.awaitingPerson)} more automatic readings wait for a person and feed no figure` : ''}.`,
  );
  s.table(
    {
      name: 'foi_status',
      title: `FOI requests by status, wave ${d.wave} (${ref})`,
      columns: [
        { key: 'status', header: 'Status', kind: 'text' },
        { key: 'trusts', header: 'Trusts', kind: 'number' },
      ],
      rows: table.rows.map((label, i): Row => ({ status: label, trusts: cellAt(table, i) })),
      notes: [`Status ${ref}; refusals are shown by the exemptions cited.`],
    },
    table,
  );

  const acc = acceptance(d, q.accepts);
  const yes = [...acc.values()].filter((a) => a.accepts);
  const no = [...acc.values()].filter((a) => !a.accepts);
  const accDef = s.def(
    'accepts',
    'Trusts whose reply says they do (or do not) accept referrals for children under two into any mental health service, of the trusts that answered that question.',
  );
  const accDen = { answered: acc.size, notAnswered: d.requests.length - acc.size, of: 'trusts' };
  s.figure({
    id: 'foi.accepts.no',
    label: 'Trusts that take no referrals for under-twos',
    value: { low: no.length, high: no.length },
    text: formatCount(no.length),
    unit: 'trusts',
    denominator: accDen,
    definition: accDef,
    records: no.map((a) => foiValueKey(a.valueId)),
  });
  s.figure({
    id: 'foi.accepts.yes',
    label: 'Trusts that take referrals for under-twos',
    value: { low: yes.length, high: yes.length },
    text: formatCount(yes.length),
    unit: 'trusts',
    denominator: accDen,
    definition: accDef,
    records: yes.map((a) => foiValueKey(a.valueId)),
  });
  s.para(
    `${formatCount(no.length)} trusts take no referrals for under-twos (n = ${formatCount(yes.length)} take them), ${formatDenominator(accDen.answered, accDen.notAnswered, TRUSTS)}.`,
  );

  const period = headlinePeriod(d.list);
  const c = classifyReferrals(d, q);
  const distDef = s.def(
    'distribution',
    `Under-two referrals received per trust in the headline year (${period?.label ?? 'none'}: the latest financial year asked that was complete when the request was sent), trusts that accept under-two referrals only, age band exactly under two; an interval wholly inside one band counts there, any other in "spans bands"; where a stated total disagrees with its months, the sum of the months is used.`,
  );
  const reasons = Object.entries(EXCLUSION_TEXT)
    .map(([k, text]) => ({ text, n: c.excluded.filter((e) => e.reason === k).length }))
    .filter((r) => r.n > 0);
  const notes = [
    `${c.included.length} trusts gave a usable figure for ${period?.label ?? 'the headline year'}.`,
    ...reasons.map((r) => `Values left out: ${r.n}, ${r.text}.`),
    ...basisNotes(c.included),
  ];
  const dist = distributionTable(s, {
    name: 'foi_referrals',
    title: `Trusts by under-two referrals received in ${period?.label ?? 'the year'}`,
    values: c.included,
    notes,
    figurePrefix: 'foi.referrals',
    def: distDef,
  });
  const few = fewStatement(s, c.included, env.params.foi.fewReferralsMax, distDef);
  await s.bars(
    {
      title: `Under-two referrals per trust, ${period?.label ?? ''}`,
      denominator: `of ${c.included.length} trusts that accept under-two referrals and gave a figure`,
      source: `FOI requests to mental health trusts, wave ${d.wave}`,
      xTitle: 'Trusts',
      yTitle: 'Referrals in the year',
      bars: dist.bars,
      integer: true,
    },
    (t) =>
      few
        ? few.replace(/\.$/, period ? ` in ${period.label}.` : '.')
        : `The most common number of under-two referrals a trust received in a year was ${listWords(t.labels)} (${t.text} trusts${t.labels.length > 1 ? ' each' : ''}).`,
    `Denominator: ${c.included.length} trusts. ${notes.slice(1).join(' ')}`,
  );
  if (few) s.para(few);
  const piService = acceptance(d, q.parentInfantService);
  teamComparison(
    s,
    c.included,
    (v) => (d.hosted.get(v.requestId) ?? 0) > 0 || piService.get(v.requestId)?.accepts === true,
    distDef,
  );
  const sens = distributionTable(s, {
    name: 'foi_referrals_sensitivity',
    title: 'Sensitivity: the same, with age bands other than under two that a person accepted',
    values: c.sensitivity,
    notes: [
      `${c.sensitivity.length - c.included.length} band-mismatch values accepted by a person are added to the ${c.included.length} above.`,
    ],
    figurePrefix: 'foi.sensitivity',
    def: distDef,
  });
  perTrust(s, d, period?.id ?? null, new Set([...dist.withheld, ...sens.withheld]));
  toDate(s, d);
  return s.out();
}

/** report.md: a year asked "to date" is partial, so it is shown only in a table of its own, as given. */
function toDate(s: Section, d: FoiData): void {
  for (const p of d.list.periods.filter((x) => x.toDate)) {
    const values = d.values.filter(
      (v) =>
        v.questionId === s.env.params.foi.questions.referrals &&
        v.periodId === p.id &&
        v.basis !== 'accepted' &&
        v.value !== null,
    );
    if (values.length === 0) continue;
    const names = new Map(d.requests.map((r) => [r.requestId, r.name]));
    s.table({
      name: `foi_to_date_${p.id}`.slice(0, 31),
      title: `Under-two referrals in ${p.label}, as given (a partial year)`,
      columns: [
        { key: 'trust', header: 'Trust', kind: 'text' },
        { key: 'referrals', header: 'Under-two referrals', kind: 'range' },
        { key: 'period', header: 'Period as the trust gave it', kind: 'text' },
        { key: 'band', header: 'Age band given', kind: 'text' },
      ],
      rows: values.map((v): Row => ({
        trust: names.get(v.requestId) ?? v.ods,
        referrals: v.value,
        period: v.periodLabel ?? p.label,
        band: v.ageLabel,
      })),
      notes: [
        `${p.label} had not ended when the request was sent, so these counts cover part of a year and enter no other figure.`,
      ],
    });
  }
}

/** A request's status in readers' words (never the code). */
function statusWords(status: string | undefined): string {
  if (status === undefined) return 'Unknown';
  if (status === 'refused') return 'Refused';
  return STATUS_LABEL[status] ?? status.charAt(0).toUpperCase() + status.slice(1).replace(/_/g, ' ');
}

const MISSING_WORDS: Record<string, string> = {
  not_held: 'not held',
  withheld: 'withheld',
  refused: 'refused',
  ncnd: 'neither confirmed nor denied',
};
const missingWords = (m: string | null): string => (m === null ? '' : (MISSING_WORDS[m] ?? m.replace(/_/g, ' ')));

function order(g: string): number {
  return ['answered', 'partial', 'refused', 'not_held', 'ncnd', 'internal_review', 'no_reply'].indexOf(
    g.startsWith('refused') ? 'refused' : g,
  );
}

function basisNotes(values: readonly { fromMonths: boolean; totalDiffers: boolean; suppressed: boolean }[]): string[] {
  const months = values.filter((v) => v.fromMonths).length;
  const differ = values.filter((v) => v.totalDiffers).length;
  const suppressed = values.filter((v) => v.suppressed).length;
  return [
    `Basis: referrals received, age band under two (0-23 months), financial year. ${months} figures are sums of monthly counts${differ ? `, of which ${differ} disagreed with a stated total (the sum of the months is used; both are kept)` : ''}; ${suppressed} were withheld by the trust as small numbers and count as the range the trust's wording allows.`,
  ];
}

/** Per-trust figures are public information (report.md): shown in both builds, suppression kept as the trust wrote it. */
function perTrust(s: Section, d: FoiData, periodId: string | null, withheld: ReadonlySet<FoiValue['id']>): void {
  const q = s.env.params.foi.questions;
  const acc = acceptance(d, q.accepts);
  const rows: Row[] = d.requests.map((r) => {
    const v =
      d.values.find(
        (x) =>
          x.requestId === r.requestId && x.questionId === q.referrals && x.periodId === periodId && x.ageExact === true,
      ) ?? d.values.find((x) => x.requestId === r.requestId && x.questionId === q.referrals && x.periodId === periodId);
    const st = d.status.get(r.requestId);
    if (v && s.env.publicBuild && withheld.has(v.id)) {
      // The trust's figure sits in a band the band table withholds: printing it would give that count back.
      const c = { value: null, status: 'c' as const };
      return {
        trust: r.name,
        ods: r.ods,
        status: statusWords(st?.status),
        accepts: acc.has(r.requestId) ? (acc.get(r.requestId)!.accepts ? 'Yes' : 'No') : null,
        referrals: c,
        written: '[c]',
        band: v.ageLabel,
      };
    }
    // A figure for another period (a calendar year where the financial year was asked) is not the
    // year's figure: it is shown as written, with the period the trust gave, outside the year's column.
    const otherPeriod = v !== undefined && v.value !== null && v.flags.includes('partial_period');
    const written = v?.suppressed ? v.quote : v ? (v.value ? formatRange(v.value) : missingWords(v.missing)) : '';
    return {
      trust: r.name,
      ods: r.ods,
      status: statusWords(st?.status),
      accepts: acc.has(r.requestId) ? (acc.get(r.requestId)!.accepts ? 'Yes' : 'No') : null,
      referrals: otherPeriod ? null : (v?.value ?? null),
      written: otherPeriod ? `${written}, for ${v.periodLabel ?? 'another period'} (not the year asked)` : written,
      band: v ? v.ageLabel : null,
    };
  });
  s.table({
    name: 'foi_trusts',
    title: `Replies by trust, wave ${d.wave}`,
    columns: [
      { key: 'trust', header: 'Trust', kind: 'text' },
      { key: 'ods', header: 'ODS code', kind: 'text' },
      { key: 'status', header: 'Status', kind: 'text' },
      { key: 'accepts', header: 'Accepts under-twos', kind: 'text' },
      {
        key: 'referrals',
        header: `Under-two referrals received in ${headlinePeriod(d.list)?.label ?? 'the headline year'}`,
        kind: 'range',
      },
      { key: 'written', header: 'As the trust wrote it', kind: 'text' },
      { key: 'band', header: 'Age band given', kind: 'text' },
    ],
    rows,
    notes: [
      'Per-trust FOI figures are public information; a figure the trust withheld ("<5") is shown as the trust wrote it and as the range its wording allows.',
      ...(s.env.publicBuild
        ? ['[c]: the figure falls in a band whose count of trusts is withheld above, so it is not repeated here.']
        : []),
    ],
  });
}
