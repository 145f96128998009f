import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fillReturn, type TypedAnswer } from '../../sources/questionnaire/fill-return.ts';
import type { QuestionList } from '../../schemas/question-list.ts';
import { loadQuestionList } from '../../schemas/waves/index.ts';
import { stabiliseZip } from '../../reports/zip-stable.ts';
import { rng } from './random.ts';

/**
 * Team returns of the bench corpora: the 2025 template filled as teams fill it, one workbook per team
 * per wave. Later waves are the 2025 list under another year, written to the workspace's waves/
 * folder as a real new wave would be. Team i keeps its name across waves, as real teams do.
 */
export const BENCH_WAVES = [2025, 2027, 2029, 2031, 2033, 2035, 2037, 2039, 2041, 2043];

export function benchWaveList(wave: number, wavesDir: string): QuestionList {
  if (wave === 2025) return loadQuestionList(2025);
  mkdirSync(wavesDir, { recursive: true });
  writeFileSync(
    join(wavesDir, `${wave}.json`),
    JSON.stringify({ ...loadQuestionList(2025), wave, templateVersion: `${wave}.1` }, null, 2),
  );
  return loadQuestionList(wave, [wavesDir]);
}

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
// Family bands with their upper bounds: babies under two must not exceed the families supported.
const BANDS: [string, number][] = [
  ['Fewer than 25', 24],
  ['25-49', 49],
  ['50-99', 99],
  ['100-199', 199],
  ['200-300', 300],
];
const INTERVENTIONS = ['video_feedback', 'circle_of_security', 'parent_infant_psychotherapy', 'watch_wait_wonder'];

function answers(i: number, wave: number): Record<string, TypedAnswer> {
  const r = rng(wave * 100_003 + i);
  const referrals = r.int(20, 400);
  const [band, most] = r.pick(BANDS);
  return {
    team_name: `Bench Parent-Infant Team ${i}`,
    host_organisation: `Bench Host Trust ${i % 40}`,
    nation: 'England',
    region: r.pick(REGIONS),
    status: r.next() < 0.85 ? 'Established' : 'In development',
    host_type: 'NHS mental health trust',
    year_established: r.int(2010, 2024),
    def_multidisciplinary: 'Yes',
    def_supervision: 'Yes',
    def_dyadic: r.pick(['Yes', 'No']),
    def_system_work: 'Yes',
    def_referral_pathway: 'Yes',
    wte_total: r.int(10, 120) / 10,
    // Typed as teams type them: now and then an approximation or a range.
    referrals_received: r.next() < 0.15 ? `approx ${referrals}` : referrals,
    families_supported: band,
    babies_under_2: r.int(1, Math.min(most, referrals)),
    wait_assessment_days: r.int(3, 90),
    interventions: { options: INTERVENTIONS.filter(() => r.next() < 0.5) },
    respondent_name: `Respondent ${i}`,
    respondent_email: `team${i}@example.org`,
  };
}

/** Writes `count` returns of one wave into dir; returns their paths. */
export async function writeReturns(dir: string, list: QuestionList, count: number): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const wb = fillReturn(list, answers(i, list.wave), {
      created: new Date(`${list.wave}-04-01T00:00:00Z`),
      dateCompleted: `${list.wave}-05-${String(1 + (i % 28)).padStart(2, '0')}`,
    });
    const path = join(dir, `team-${String(i).padStart(5, '0')}.xlsx`);
    // jszip stamps entries with the time of writing: pinned, so a seed gives the same bytes every run.
    writeFileSync(
      path,
      stabiliseZip(Buffer.from(await wb.xlsx.writeBuffer()), new Date(`${list.wave}-04-01T00:00:00Z`)),
    );
    paths.push(path);
  }
  return paths;
}
