import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { QuestionList } from '../../schemas/question-list.ts';
import { fillReturn, type TypedAnswer } from '../../sources/questionnaire/fill-return.ts';

/**
 * The bundled sample year: six 2025 team returns made from code (fictional teams, pinned dates),
 * typed the way teams type them ("approx 40", "n/a"), with one deliberately bad answer
 * ("lots" for families supported) and one typo'd option that the reader must still place.
 */
export interface SampleReturn {
  file: string;
  answers: Record<string, TypedAnswer>;
  dateCompleted: string;
}

const base = (
  name: string,
  host: string,
  nation: string,
  extra: Record<string, TypedAnswer>,
): Record<string, TypedAnswer> => ({
  team_name: name,
  host_organisation: host,
  nation,
  status: 'Established',
  host_type: 'NHS mental health trust',
  year_established: 2016,
  def_multidisciplinary: 'Yes',
  def_supervision: 'Yes',
  def_dyadic: 'Yes',
  def_system_work: 'Yes',
  def_referral_pathway: 'Yes',
  respondent_name: 'Sample Respondent',
  respondent_email: 'respondent@example.org',
  ...extra,
});

export const SAMPLE_2025: SampleReturn[] = [
  {
    file: 'north-star-parent-infant-team.xlsx',
    dateCompleted: '2025-05-02',
    answers: base('North Star Parent-Infant Team', 'Northshire Mental Health NHS Foundation Trust', 'England', {
      region: 'North East',
      families_supported: '100-199',
      referrals_received: 'approx 140',
      babies_under_2: 120,
    }),
  },
  {
    file: 'riverside-babies.xlsx',
    dateCompleted: '2025-05-09',
    answers: base('Riverside Babies', 'Riverside Council', 'England', {
      region: 'London',
      host_type: 'Local authority',
      families_supported: '50-99',
      referrals_received: '60-80',
    }),
  },
  {
    file: 'glen-parent-infant-service.xlsx',
    dateCompleted: '2025-04-28',
    answers: base('Glen Parent Infant Service', 'NHS Glenshire', 'Scotland', {
      host_type: 'Health board',
      families_supported: 'Fewer than 25',
      referrals_received: '<25',
    }),
  },
  {
    file: 'cwtch-team.xlsx',
    dateCompleted: '2025-05-15',
    answers: base('Cwtch Team', 'Bwrdd Iechyd Example', 'Wales', {
      host_type: 'Health board',
      status: 'In development',
      families_supported: 'n/a',
      referrals_received: 'n/a',
    }),
  },
  {
    file: 'lough-families.xlsx',
    dateCompleted: '2025-05-20',
    answers: base('Lough Families', 'Lough Trust', 'Northern Ireland', {
      host_type: 'Voluntary sector',
      families_supported: 'lots',
      referrals_received: 'over 300',
    }),
  },
  {
    file: 'meadow-parent-infant-partnership.xlsx',
    dateCompleted: '2025-05-21',
    answers: base('Meadow Parent Infant Partnership', 'Meadow Charity', 'England', {
      region: 'South West',
      host_type: 'Voluntary sector',
      families_supported: '200-300',
      referrals_received: '2,150',
    }),
  },
];

export async function writeSample2025(list: QuestionList, dir: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const s of SAMPLE_2025) {
    const wb = fillReturn(list, s.answers, {
      created: new Date('2025-04-01T00:00:00Z'),
      dateCompleted: s.dateCompleted,
    });
    const path = join(dir, s.file);
    writeFileSync(path, Buffer.from(await wb.xlsx.writeBuffer()));
    files.push(path);
  }
  return files;
}
