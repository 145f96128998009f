import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TypedAnswer } from '../../../../sources/questionnaire/fill-return.ts';
import { fillReturn } from '../../../../sources/questionnaire/fill-return.ts';
import type { QuestionList } from '../../../../schemas/question-list.ts';

/**
 * 49 team returns for wave 2025, built so the report must print the published figures
 * (spec/README.md): families bands and typed numbers summing to 4,400 to 6,500 with the default cap
 * of 500, answers from "Fewer than 25" to "More than 300", professionals consulted "over 2,000",
 * supervised "over 1,500", trained "over 40,000", a third offering parental mental health support,
 * around half sharing a pathway with perinatal mental health and involving parents in design.
 */
export const TEAMS_2025 = 49;
export const HOSTED_BY = ['RX4', 'RXT', 'RWK']; // trusts hosting a team, linked to the FOI replies

export const teamName = (i: number): string => `Golden Team ${String(i + 1).padStart(2, '0')}`;
export const hostName = (i: number): string => `Host Organisation ${String(i + 1).padStart(2, '0')}`;
const REGIONS = [
  'North East',
  'North West',
  'Yorkshire and The Humber',
  'East Midlands',
  'West Midlands',
  'East of England',
  'London',
  'South East',
  'South West',
];

export const nationOf = (i: number): string =>
  i < 40 ? 'England' : i < 44 ? 'Scotland' : i < 47 ? 'Wales' : 'Northern Ireland';
export const inDevelopment = (i: number): boolean => i % 5 === 4 || i === 48;
/** Teams 4, 9, 14 and 19 (in development) leave families supported as "n/a". */
const NO_FAMILIES = new Set([4, 9, 14, 19]);

// 30 band answers and 15 typed numbers: lows 2,701 + 1,699 = 4,400; highs (cap 500) 4,801 + 1,699 = 6,500.
const BANDS = [
  'Fewer than 25',
  ...Array(6).fill('25-49'),
  ...Array(9).fill('50-99'),
  ...Array(8).fill('100-199'),
  ...Array(5).fill('200-300'),
  'More than 300',
] as string[];
const TYPED = [30, 35, 40, 45, 60, 70, 80, 90, 110, 120, 130, 150, 180, 250, 309];
export const FAMILY_ANSWERS: readonly (string | number)[] = [...BANDS, ...TYPED];

/** Counts that sum to `lowTotal` at their low ends, with `open` answers "over n" first. */
function counts(answering: number, lowTotal: number, open: { text: string; low: number }[]): (string | number)[] {
  const exact = answering - open.length;
  const rest = lowTotal - open.reduce((s, o) => s + o.low, 0);
  const each = Math.floor(rest / exact);
  return [
    ...open.map((o) => o.text),
    ...Array.from({ length: exact }, (_, k) => (k === 0 ? rest - each * (exact - 1) : each)),
  ];
}
const CONSULTED = counts(40, 2000, [
  { text: 'over 100', low: 101 },
  { text: 'over 100', low: 101 },
  { text: 'more than 60', low: 61 },
]);
const SUPERVISED = counts(38, 1500, [
  { text: 'over 50', low: 51 },
  { text: '40+', low: 40 },
]);
const TRAINED = counts(42, 40000, [{ text: '1000 or more', low: 1000 }]);

export function answers2025(i: number): Record<string, TypedAnswer> {
  const a: Record<string, TypedAnswer> = {
    team_name: teamName(i),
    host_organisation: hostName(i),
    nation: nationOf(i),
    status: inDevelopment(i) ? 'In development' : 'Established',
    host_type:
      i < 3
        ? 'NHS mental health trust'
        : ['NHS community or acute trust', 'Local authority', 'Voluntary sector', 'Health board'][i % 4]!,
    year_established: 2008 + (i % 17),
    wte_total: 1 + (i % 9) * 0.5,
    respondent_name: `Respondent ${i + 1}`,
    respondent_email: `respondent${i + 1}@example.org`,
    comments: i === 0 ? '=HYPERLINK("http://x")' : null,
  };
  if (i < 3) a.host_ods_code = HOSTED_BY[i]!;
  if (i < 40) a.region = REGIONS[i % REGIONS.length]!;
  const famIndex = [...Array(TEAMS_2025).keys()].filter((k) => !NO_FAMILIES.has(k)).indexOf(i);
  a.families_supported = famIndex < 0 ? 'n/a' : FAMILY_ANSWERS[famIndex]!;
  if (i < 20 && famIndex >= 0) a.babies_under_2 = 10;
  if (i < 40) a.professionals_consulted = CONSULTED[i]!;
  if (i < 38) a.professionals_supervised = SUPERVISED[i]!;
  if (i < 42) a.professionals_trained = TRAINED[i]!;
  if (i < 45) a.parental_mh_support = i < 15 ? 'Yes' : 'No'; // 15 of 45: a third
  if (i < 44)
    a.shared_pathways = { options: i < 22 ? ['perinatal_mental_health', 'health_visiting'] : ['health_visiting'] }; // 22 of 44
  if (i < 46) a.parents_in_design = i < 24 ? 'Yes' : i < 36 ? 'No' : 'Planned'; // 24 of 46
  a.interventions = {
    options: i % 3 === 0 ? ['video_feedback', 'parent_infant_psychotherapy'] : ['circle_of_security'],
  };
  a.funding_sources = { options: i % 2 === 0 ? ['nhs_commissioner', 'start_for_life'] : ['voluntary_or_charitable'] };
  a.wait_assessment_days = 20 + (i % 10);
  if (i < 30)
    a.areas_covered = ['Hartlepool', 'E06000002', 'Leeds', 'Cardiff', 'Glasgow City', 'Nowhere Borough'][i % 6]!;
  return a;
}

export async function writeReturns2025(list: QuestionList, dir: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < TEAMS_2025; i++) {
    const wb = fillReturn(list, answers2025(i), {
      created: new Date('2025-04-01T00:00:00Z'),
      dateCompleted: '2025-05-01',
    });
    const path = join(dir, `team-${String(i + 1).padStart(2, '0')}.xlsx`);
    writeFileSync(path, Buffer.from(await wb.xlsx.writeBuffer()));
    files.push(path);
  }
  return files;
}

/** Wave 2023 as one survey-tool export (csv): 45 teams, 14 in development; teams 1-41 return again in 2025. */
export const TEAMS_2023 = 45;
export function surveyExport2023(): Buffer {
  const header = [
    'Name of your team',
    'Organisation that hosts the team',
    'Nation',
    'Region (England only)',
    'Status of the team',
    'Families supported directly',
    'Sources of funding (tick all)',
    'Offers mental health support to parents themselves',
  ];
  const rows = Array.from({ length: TEAMS_2023 }, (_, i) => {
    const name = i < 41 ? teamName(i) : `Former Team ${i - 40}`;
    const host = i < 41 ? hostName(i) : `Former Host ${i - 40}`;
    const nation = i < 41 ? nationOf(i) : 'England';
    return [
      name,
      host,
      nation,
      nation === 'England' ? REGIONS[i % REGIONS.length]! : '',
      i < 14 ? 'In development' : 'Established',
      ['0-24', '25-50', '51-100', '101-200'][i % 4]!,
      i % 2 === 0 ? 'NHS commissioner (ICB or health board); CAMHS' : 'Voluntary or charitable',
      i % 3 === 0 ? 'Yes' : 'No',
    ];
  });
  const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return Buffer.from([header, ...rows].map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n', 'utf8');
}
