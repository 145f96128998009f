import type { TypedAnswer } from '../../sources/questionnaire/fill-return.ts';
import type { TestDb } from './db.ts';

/** A 2025 return answering every kind of question, as a team would type it; loads with no issue. */
export const FULL_2025: Record<string, TypedAnswer> = {
  team_name: 'Full Team',
  host_organisation: 'Riverside NHS Foundation Trust',
  host_ods_code: 'RX1',
  host_type: 'NHS mental health trust',
  nation: 'England',
  region: 'London',
  areas_covered: 'Camden; Islington',
  year_established: 2016,
  status: 'Established',
  def_multidisciplinary: 'Yes',
  def_supervision: 'Yes',
  def_dyadic: 'Yes',
  def_system_work: 'No',
  def_referral_pathway: 'Yes',
  funding_sources: { options: ['nhs_commissioner', 'camhs'] },
  main_funding_source: 'NHS commissioner (ICB or health board)',
  funding_secure_until: new Date('2026-03-31T00:00:00Z'),
  wte_total: 4.5,
  wte_clinical_psychologist: 2,
  wte_health_visitor: 1.5,
  wte_administrator: 1,
  lead_consultant_level: 'Yes',
  age_from: 'Pregnancy',
  age_to_months: 24,
  accepts_child_protection: 'Sometimes',
  records_fathers: 'No',
  period_start: '01/04/2023',
  period_end: '31/03/2024',
  referrals_received: 40,
  families_supported: '50-99',
  babies_under_2: 30,
  wait_assessment_days: 14,
  wait_intervention_days: '2 weeks',
  interventions: { options: ['video_feedback', 'watch_wait_wonder', 'group_work'] },
  parental_mh_support: 'Yes',
  outcome_measures: { options: ['core10', 'asq_se'] },
  professionals_consulted: 'over 100',
  professionals_supervised: '20-30',
  professionals_trained: 'c.40',
  shared_pathways: { options: ['perinatal_mental_health', 'childrens_social_care'] },
  parents_in_design: 'Planned',
  baby_voice: 'Yes',
  respondent_name: 'Sam Example',
  respondent_email: 'sam@example.org',
  comments: 'Thanks – “great” survey, £0 spent',
};

/**
 * Every loaded answer in its stored form, by file name then question id; where it was found and how
 * it was matched are left out so that returns laid out differently compare equal. team_name is left
 * out too: fixtures name their teams apart.
 */
export async function answersByFile(t: TestDb): Promise<Map<string, Record<string, Record<string, unknown>>>> {
  const rows = (
    await t.pool
      .query(`select f.original_name, a.question_id, a.value_kind, a.text_value, a.codes, a.low, a.high, a.approximate,
      a.open_high, a.band_code, a.num_value, a.date_value::text as date_value, a.missing_reason, a.raw_text
    from answer a join questionnaire_return r on r.id = a.return_id join file_receipt f on f.sha256 = r.sha256 and f.wave = r.wave
    where a.question_id <> 'team_name' order by f.original_name, a.question_id`)
  ).rows as Record<string, unknown>[];
  const out = new Map<string, Record<string, Record<string, unknown>>>();
  for (const { original_name: file, question_id: q, ...value } of rows) {
    const byQ = out.get(String(file)) ?? {};
    byQ[String(q)] = value;
    out.set(String(file), byQ);
  }
  return out;
}
