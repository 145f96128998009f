import type { Row } from '../csv.ts';
import { formatRange } from '../format.ts';
import type { WaveData } from '../input.ts';
import { intervalSum } from '../measures.ts';
import { denominatorText, Section, teamsDenominator, type Env, type SectionOut } from '../model.ts';
import { shareSentence, shareTable, type ShareResult } from '../share-table.ts';

const PROFESSIONALS = [
  ['professionals_consulted', 'consultation'],
  ['professionals_supervised', 'supervision'],
  ['professionals_trained', 'training'],
] as const;

/** A question the section shows as the share of teams giving one answer, with a sentence led by `lead`. */
interface ShareQuestion {
  id: string;
  name: string;
  title: string;
  code: string;
  lead: string;
}

// In the order the section prints them; the professionals reached come between the two lists.
const BEFORE_PROFESSIONALS: readonly ShareQuestion[] = [
  {
    id: 'parental_mh_support',
    name: 'parental_mh_support',
    title: 'Mental health support for parents',
    code: 'yes',
    lead: 'Teams offering mental health support to parents themselves',
  },
  {
    id: 'shared_pathways',
    name: 'shared_pathways',
    title: 'Shared referral pathways, by partner',
    code: 'perinatal_mental_health',
    lead: 'Teams sharing a referral pathway with perinatal mental health services',
  },
];
const AFTER_PROFESSIONALS: readonly ShareQuestion[] = [
  {
    id: 'parents_in_design',
    name: 'parents_in_design',
    title: 'Parents involved in service design or feedback',
    code: 'yes',
    lead: 'Teams involving parents in service design or feedback',
  },
  {
    id: 'baby_voice',
    name: 'baby_voice',
    title: "The baby's voice central to practice",
    code: 'yes',
    lead: "Teams saying the baby's voice is central to practice",
  },
  {
    id: 'records_fathers',
    name: 'records_fathers',
    title: 'Records the involvement of fathers and partners',
    code: 'yes',
    lead: 'Teams recording the involvement of fathers and partners',
  },
  {
    id: 'accepts_child_protection',
    name: 'child_protection',
    title: 'Accepts babies on a child protection plan',
    code: 'yes',
    lead: 'Teams accepting referrals for babies on a child protection plan',
  },
];

/** report.md section 5: interventions, parental mental health support, shared pathways, professionals reached, voice, outcome measures. */
export async function offerSection(env: Env, d: WaveData): Promise<SectionOut> {
  const s = new Section('offer', '5. What teams offer and how they work with others', env);
  const digits = env.params.percentDigits;
  const has = (q: string) => d.list.questions.some((x) => x.id === q);
  const say = (r: ShareResult, code: string, lead: string) => {
    const row = r.rows.find((x) => x.code === code);
    if (row && r.answered > 0)
      s.para(`${lead}: ${shareSentence(row, r.answered, digits)}; ${r.notAnswered} teams did not answer.`);
  };
  if (has('interventions')) {
    const r = shareTable(s, d, 'interventions', {
      name: 'interventions',
      title: `Interventions offered, wave ${d.wave}`,
    });
    await s.bars(
      {
        title: `Interventions offered, wave ${d.wave}`,
        denominator: denominatorText(teamsDenominator(r)),
        source: env.source,
        xTitle: 'Share of teams (%)',
        yTitle: 'Intervention',
        bars: r.bars,
        formatValue: (b) => `${formatRange(b, digits)}%`,
      },
      (t) =>
        `${t.names} ${t.labels.length > 1 ? 'are the interventions' : 'is the intervention'} teams offer most often (${t.text} of teams${t.labels.length > 1 ? ' each' : ''}).`,
      'Teams could name several interventions, so shares do not add up to 100.',
    );
  }
  const shares = (list: readonly ShareQuestion[]) => {
    for (const q of list)
      if (has(q.id)) say(shareTable(s, d, q.id, { name: q.name, title: `${q.title}, wave ${d.wave}` }), q.code, q.lead);
  };
  shares(BEFORE_PROFESSIONALS);
  professionals(s, d);
  shares(AFTER_PROFESSIONALS);
  if (has('outcome_measures'))
    shareTable(s, d, 'outcome_measures', { name: 'outcome_measures', title: `Outcome measures used, wave ${d.wave}` });
  return s.out();
}

/** Professionals reached: sums of the teams' counts; an open answer ("over 100") makes the total "over" the sum of lows. */
function professionals(s: Section, d: WaveData): void {
  const def = s.def(
    'professionals',
    'Professionals reached in the reporting period, summed over teams that answered at both ends; when any answer is open above, the total is open and prints as "over" the sum of the low ends.',
  );
  const rows: Row[] = [];
  for (const [q, what] of PROFESSIONALS) {
    if (!d.list.questions.some((x) => x.id === q)) continue;
    const t = intervalSum(d, q);
    const den = teamsDenominator(t);
    const none = t.answered === 0;
    const fig = s.figure({
      id: `offer.${q}`,
      label: `Professionals given ${what}`,
      value: none ? null : t.value,
      ...(none ? { status: 'x' as const } : {}),
      text: none ? '[x]' : formatRange(t.value),
      unit: 'professionals',
      denominator: den,
      definition: def,
      records: t.records,
    });
    s.para(
      t.answered === 0
        ? `No team said how many professionals it gave ${what} to (${t.notAnswered} did not answer).`
        : `Teams gave ${what} to ${fig.text} professionals, ${denominatorText(den)}.${t.open > 0 ? ` ${t.open} answers were open above ("over 100"), so the total is the sum of the low ends.` : ''}`,
    );
    rows.push({
      activity: `Professionals given ${what}`,
      answered: t.answered,
      not_answered: t.notAnswered,
      open: t.open,
      total: t.value,
    });
  }
  if (rows.length === 0) return;
  s.table({
    name: 'professionals',
    title: `Professionals reached by teams, wave ${d.wave}`,
    columns: [
      { key: 'activity', header: 'Activity', kind: 'text' },
      { key: 'answered', header: 'Teams that answered', kind: 'number' },
      { key: 'not_answered', header: 'Teams that did not answer', kind: 'number' },
      { key: 'open', header: 'Answers open above', kind: 'number' },
      { key: 'total', header: 'Professionals', kind: 'range' },
    ],
    rows,
    notes: [
      'Counts summed at both ends. A high end of [x] means some answers were open above ("over 100"), so the total has no upper bound and is printed as "over" its low end.',
    ],
  });
}
