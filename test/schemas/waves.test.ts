import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BUILT_IN_DIR,
  QuestionListError,
  availableWaves,
  lintQuestionList,
  loadQuestionList,
  questionsDiff,
} from '../../schemas/waves/index.ts';

const DISCIPLINES = [
  'clinical_psychologist',
  'child_psychotherapist',
  'psychiatrist',
  'family_therapist',
  'health_visitor',
  'midwife',
  'social_worker',
  'nursery_nurse',
  'peer_supporter',
  'administrator',
  'other',
];

/** questionnaire.md's bank: id -> the waves of its W column. */
const BANK: Record<string, number[]> = {
  team_name: [2019, 2023, 2025],
  host_organisation: [2019, 2023, 2025],
  host_ods_code: [2025],
  host_type: [2023, 2025],
  nation: [2019, 2023, 2025],
  region: [2023, 2025],
  areas_covered: [2025],
  year_established: [2019, 2023, 2025],
  status: [2023, 2025],
  def_multidisciplinary: [2023, 2025],
  def_supervision: [2023, 2025],
  def_dyadic: [2019, 2023, 2025],
  def_system_work: [2019, 2023, 2025],
  def_referral_pathway: [2023, 2025],
  funding_sources: [2019, 2023, 2025],
  main_funding_source: [2023, 2025],
  funding_secure_until: [2025],
  wte_total: [2019, 2023, 2025],
  ...Object.fromEntries(DISCIPLINES.map((d) => [`wte_${d}`, [2023, 2025]])),
  lead_consultant_level: [2025],
  age_from: [2023, 2025],
  age_to_months: [2023, 2025],
  accepts_child_protection: [2025],
  records_fathers: [2025],
  period_start: [2023, 2025],
  period_end: [2023, 2025],
  referrals_received: [2023, 2025],
  families_supported: [2019, 2023, 2025],
  babies_under_2: [2025],
  wait_assessment_days: [2025],
  wait_intervention_days: [2025],
  interventions: [2019, 2023, 2025],
  parental_mh_support: [2023, 2025],
  outcome_measures: [2025],
  professionals_consulted: [2023, 2025],
  professionals_supervised: [2023, 2025],
  // W says 19, but the note says 2019 only asked yes/no "Do you provide training?", held under def_system_work: no count to load.
  professionals_trained: [2023, 2025],
  shared_pathways: [2023, 2025],
  parents_in_design: [2025],
  baby_voice: [2025],
  respondent_name: [2019, 2023, 2025],
  respondent_email: [2023, 2025],
  comments: [2019, 2023, 2025],
};

const lists = { 2019: loadQuestionList(2019), 2023: loadQuestionList(2023), 2025: loadQuestionList(2025) };
const question = (wave: 2019 | 2023 | 2025, id: string) => lists[wave].questions.find((q) => q.id === id)!;
const bandsOf = (wave: 2019 | 2023 | 2025) =>
  question(wave, 'families_supported').bands!.map((b) => [b.label, b.low, b.high]);

describe('the shipped question lists', () => {
  it('ships 2019, 2023 and 2025', () => {
    expect(availableWaves()).toEqual(expect.arrayContaining([2019, 2023, 2025]));
  });

  it.each([2019, 2023, 2025] as const)('%i validates and has no consistency problems', (wave) => {
    expect(lists[wave].wave).toBe(wave);
    expect(lintQuestionList(lists[wave])).toEqual([]);
  });

  it.each([2019, 2023, 2025] as const)('%i asks exactly the bank questions of its W column', (wave) => {
    const expected = Object.entries(BANK)
      .filter(([, w]) => w.includes(wave))
      .map(([id]) => id)
      .sort();
    expect(lists[wave].questions.map((q) => q.id).sort()).toEqual(expected);
  });

  it('stamps 2025 as template 2025.1 for the financial year 2023/24', () => {
    expect(lists[2025]).toMatchObject({
      templateVersion: '2025.1',
      shape: 'template',
      reportingPeriod: { start: '2023-04-01', end: '2024-03-31', label: 'financial year 2023/24' },
    });
    expect(lists[2023].shape).toBe('survey_export');
    expect(lists[2019].shape).toBe('hand_workbook');
  });

  it('marks the respondent questions, and only those, as personal', () => {
    expect(lists[2025].questions.filter((q) => q.personal).map((q) => q.id)).toEqual([
      'respondent_name',
      'respondent_email',
      'comments',
    ]);
  });

  it('keeps the WTE by discipline on the Staffing sheet in 2025', () => {
    const staffing = lists[2025].questions.filter((q) => q.sheet === 'Staffing').map((q) => q.id);
    expect(staffing).toEqual(DISCIPLINES.map((d) => `wte_${d}`));
  });

  it("uses each wave's own families_supported bands", () => {
    expect(bandsOf(2025)).toEqual([
      ['Fewer than 25', 0, 24],
      ['25-49', 25, 49],
      ['50-99', 50, 99],
      ['100-199', 100, 199],
      ['200-300', 200, 300],
      ['More than 300', 301, null],
    ]);
    expect(bandsOf(2023)).toEqual([
      ['0-24', 0, 24],
      ['25-50', 25, 50],
      ['51-100', 51, 100],
      ['101-200', 101, 200],
      ['201-300', 201, 300],
      ['301+', 301, null],
    ]);
    expect(bandsOf(2019)).toEqual([
      ['Under 20', 0, 19],
      ['20-49', 20, 49],
      ['50-99', 50, 99],
      ['100-199', 100, 199],
      ['200 or more', 200, null],
    ]);
  });

  it('maps the 2019 funding options to harmonised categories that every 2025 option also has', () => {
    const h2019 = question(2019, 'funding_sources').options!.map((o) => [o.label, o.harmonised]);
    expect(h2019).toEqual([
      ['NHS', 'nhs'],
      ['Local authority', 'local_authority'],
      ['Charity', 'charity'],
      ['Other', 'other'],
    ]);
    for (const id of ['funding_sources', 'main_funding_source']) {
      const categories = question(2025, id).options!.map((o) => o.harmonised);
      expect(categories.every((c) => c !== undefined)).toBe(true);
      expect(new Set(categories)).toEqual(new Set(['nhs', 'local_authority', 'charity', 'other']));
    }
  });

  it('declares the cross-field checks of the spec', () => {
    expect(question(2025, 'babies_under_2').checks).toEqual([
      { kind: 'not_above_high_of', other: 'families_supported', severity: 'error' },
    ]);
    expect(question(2025, 'wait_intervention_days').checks).toEqual([
      { kind: 'at_least', other: 'wait_assessment_days', severity: 'warning' },
    ]);
    expect(question(2025, 'wte_total').checks).toEqual([
      { kind: 'sum_of', questions: DISCIPLINES.map((d) => `wte_${d}`), tolerance: 0.1, severity: 'warning' },
    ]);
    for (const id of ['families_supported', 'referrals_received'])
      expect(question(2025, id).checks).toEqual([{ kind: 'year_on_year_factor', factor: 3 }]);
    for (const wave of [2023, 2025] as const) {
      expect(question(wave, 'period_end').checks).toEqual([
        { kind: 'not_before', other: 'period_start', severity: 'error' },
      ]);
      expect(question(wave, 'age_to_months').checks).toEqual([
        { kind: 'within', low: 12, high: 60, severity: 'warning' },
      ]);
    }
  });

  it('asks region only in England', () => {
    expect(question(2025, 'region')).toMatchObject({
      requiredWhen: { question: 'nation', in: ['england'] },
      blankWhen: { question: 'nation', in: ['scotland', 'wales', 'northern_ireland'] },
    });
  });
});

describe('questionsDiff', () => {
  it('finds the questions 2025 added to 2023, host_ods_code among them, and none removed', () => {
    const d = questionsDiff(lists[2023], lists[2025]);
    expect(d.added).toContain('host_ods_code');
    expect(d.added).toEqual(
      Object.entries(BANK)
        .filter(([, w]) => w.includes(2025) && !w.includes(2023))
        .map(([id]) => id),
    );
    expect(d.removed).toEqual([]);
    expect(d.typeChanged).toEqual([]);
  });

  it('finds the changed families_supported bands', () => {
    const d = questionsDiff(lists[2023], lists[2025]);
    expect(d.bandsChanged.map((b) => b.id)).toEqual(['families_supported']);
    expect(d.bandsChanged[0]!.from.map((b) => b.code)).toEqual([
      '0_24',
      '25_50',
      '51_100',
      '101_200',
      '201_300',
      '301_plus',
    ]);
  });

  it('finds the 2019 wording and the 2019 funding options', () => {
    const d = questionsDiff(lists[2019], lists[2025]);
    expect(d.reworded).toEqual([
      { id: 'def_system_work', from: 'Do you provide training?', to: 'Training and consultation for other services' },
    ]);
    expect(d.optionsChanged.find((o) => o.id === 'funding_sources')).toMatchObject({
      removed: ['nhs', 'local_authority', 'charity'],
    });
  });

  it('finds a removed question and a relabelled option', () => {
    const b = structuredClone(lists[2025]);
    b.questions = b.questions.filter((q) => q.id !== 'baby_voice');
    b.questions.find((q) => q.id === 'nation')!.options![0]!.label = 'England (UK)';
    const d = questionsDiff(lists[2025], b);
    expect(d.removed).toEqual(['baby_voice']);
    expect(d.optionsChanged).toEqual([
      { id: 'nation', added: [], removed: [], relabelled: [{ code: 'england', from: 'England', to: 'England (UK)' }] },
    ]);
  });
});

describe('loadQuestionList with a workspace folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'census-waves-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const base = JSON.parse(readFileSync(join(BUILT_IN_DIR, '2025.json'), 'utf8'));

  it('adds a new wave from its JSON file alone', () => {
    writeFileSync(join(dir, '2027.json'), JSON.stringify({ ...base, wave: 2027, templateVersion: '2027.1' }));
    expect(availableWaves([dir])).toContain(2027);
    expect(loadQuestionList(2027, [dir]).templateVersion).toBe('2027.1');
  });

  it('prefers the workspace copy of a shipped wave', () => {
    writeFileSync(join(dir, '2023.json'), JSON.stringify({ ...base, wave: 2023, templateVersion: 'local' }));
    expect(loadQuestionList(2023, [dir]).templateVersion).toBe('local');
  });

  it('names the file and the zod path of an invalid entry', () => {
    const broken = structuredClone(base);
    broken.wave = 2031;
    broken.questions[3].type = 'dropdown';
    writeFileSync(join(dir, '2031.json'), JSON.stringify(broken));
    expect(() => loadQuestionList(2031, [dir])).toThrow(QuestionListError);
    expect(() => loadQuestionList(2031, [dir])).toThrow(/2031\.json[\s\S]*questions\.3\.type/);
  });

  it('reports a check naming an unknown question and a file whose wave differs from its name', () => {
    const broken = structuredClone(base);
    broken.wave = 2032;
    broken.questions.find((q: { id: string }) => q.id === 'babies_under_2').checks[0].other = 'families';
    writeFileSync(join(dir, '2033.json'), JSON.stringify(broken));
    expect(() => loadQuestionList(2033, [dir])).toThrow(/the file says 2032[\s\S]*unknown question "families"/);
  });

  it('reports a file that is not JSON, and a wave with no list', () => {
    writeFileSync(join(dir, '2035.json'), '{ "wave": 2035, ');
    expect(() => loadQuestionList(2035, [dir])).toThrow(expect.objectContaining({ code: 'question_list_unreadable' }));
    expect(() => loadQuestionList(2041, [dir])).toThrow(expect.objectContaining({ code: 'question_list_missing' }));
  });
});
