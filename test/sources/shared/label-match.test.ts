import { describe, expect, it } from 'vitest';
import {
  labelSimilarity,
  levenshtein,
  matchLabel,
  matchOptionHeader,
  normaliseLabel,
} from '../../../sources/shared/label-match.ts';
import { loadQuestionList } from '../../../schemas/waves/index.ts';

const list2025 = loadQuestionList(2025);
const Q = list2025.questions;

describe('normaliseLabel', () => {
  it.each([
    ['Q1. Name of your team', 'name of your team'],
    ['12) Name of your team *', 'name of your team'],
    ['  NAME  of your team? ', 'name of your team'],
    ['Local authority children’s services', 'local authority childrens services'],
    ['Host organization', 'host organization'],
    ['Years 2-4', 'years 2 4'],
  ])('normalises %j to %j', (raw, out) => {
    expect(normaliseLabel(raw)).toBe(out);
  });
});

describe('matchLabel', () => {
  it.each([2019, 2023, 2025])('ties every label and alias of the %i list to its own question with score 1', (wave) => {
    const list = loadQuestionList(wave);
    for (const q of list.questions) {
      for (const label of [q.label, ...q.aliases])
        expect(matchLabel(label, list.questions), label).toEqual({ id: q.id, score: 1 });
    }
  });

  it.each([
    ['Name of the team', 'team_name'],
    ['Year team was established', 'year_established'],
    ['Reporting period - end date', 'period_end'],
    ['Reporting period start date', 'period_start'],
    ['Number of professionals consulted', 'professionals_consulted'],
    ['How many families were supported directly', 'families_supported'],
    ['Clinical psychologists (WTE)', 'wte_clinical_psychologist'],
    ['Median number of days from referral to assessment', 'wait_assessment_days'],
    ['Median days referral to first intervention', 'wait_intervention_days'],
    ['Sources of funding (tick all that apply)', 'funding_sources'],
    ['Multi-disciplinary team including mental health professionals', 'def_multidisciplinary'],
    ['Funding secure until (date)', 'funding_secure_until'],
    ['Does the team record the involvement of fathers?', 'records_fathers'],
  ])('ties the reworded label %j to %s', (label, id) => {
    const m = matchLabel(label, Q);
    expect(m?.id).toBe(id);
    expect(m!.score).toBeGreaterThanOrEqual(0.75);
    expect(m!.score).toBeLessThan(1);
  });

  // Hand-reworded labels (2019 workbooks): answer options in parentheses, abbreviations, numbers,
  // question words and the same words in another form or order.
  it.each([
    ['Nation (England / Scotland / Wales / NI)', 'nation'],
    ['Approx. no. of families supported a year', 'families_supported'],
    ['Families seen in 2018 (under 25 / 25-49 / 50+)', 'families_supported'],
    ['No. of staff (WTE)', 'wte_total'],
    ['Year the service began seeing families', 'year_established'],
    ['Who funds the service? (NHS / Charity / Other)', 'funding_sources'],
    ['Parent-baby dyadic therapeutic work?', 'def_dyadic'],
  ])('ties the hand-reworded 2019 label %j to %s', (label, id) => {
    expect(matchLabel(label, loadQuestionList(2019).questions)?.id).toBe(id);
  });

  it.each(['Parent-Infant Team Survey 2019', 'FUNDING AND STAFFING', 'Thank you for completing the survey!'])(
    'ties the 2019 title or section row %j to nothing',
    (label) => {
      expect(matchLabel(label, loadQuestionList(2019).questions)).toBeNull();
    },
  );

  it.each(['Name', 'Date completed', 'Random unrelated text', '', 'Professionals who received supervision'])(
    'ties %j to nothing rather than guess',
    (label) => {
      expect(matchLabel(label, Q)).toBeNull();
    },
  );

  it('reports two equally close questions as no match', () => {
    const qs = [
      { id: 'a', label: 'Referrals received' },
      { id: 'b', label: 'Referrals recieved' },
    ];
    expect(matchLabel('Referrals receivd', qs)).toBeNull();
    expect(matchLabel('Referrals received', qs)).toEqual({ id: 'a', score: 1 });
  });

  it('takes a configurable threshold', () => {
    expect(matchLabel('Type of host', Q)).toBeNull();
    expect(matchLabel('Type of host', Q, { threshold: 0.6 })?.id).toBe('host_type');
  });

  it('scores 1 only for an exact normalised match', () => {
    expect(labelSimilarity('Name of your team', 'name of your team.')).toBe(1);
    expect(labelSimilarity('Name of your team', 'Name of the team')).toBeLessThan(1);
    expect(levenshtein('kitten', 'sitting')).toBe(3);
  });
});

describe('matchOptionHeader', () => {
  it('splits "Question label: Option" and finds the option code', () => {
    expect(matchOptionHeader('Interventions offered (tick all): Circle of Security', Q)).toEqual({
      id: 'interventions',
      score: 1,
      option: 'Circle of Security',
      optionCode: 'circle_of_security',
    });
  });

  it('keeps commas and colons of the option part ("Watch, Wait and Wonder", "ASQ:SE")', () => {
    expect(matchOptionHeader('Interventions offered: Watch, Wait and Wonder', Q)).toMatchObject({
      id: 'interventions',
      optionCode: 'watch_wait_wonder',
    });
    expect(matchOptionHeader('Outcome measures used (tick all): ASQ:SE', Q)).toMatchObject({
      id: 'outcome_measures',
      optionCode: 'asq_se',
    });
  });

  it('splits on the last ": " that leaves a known question label', () => {
    const qs = [
      { id: 'q', label: 'Services: which do you offer', options: [{ code: 'a', label: 'Alpha: the first' }] },
    ];
    expect(matchOptionHeader('Services: which do you offer: Alpha: the first', qs)).toMatchObject({
      id: 'q',
      option: 'Alpha: the first',
      optionCode: 'a',
    });
  });

  it('matches a reworded question part by fuzzy score', () => {
    const m = matchOptionHeader('Sources of funding (tick all that apply): CAMHS', Q);
    expect(m).toMatchObject({ id: 'funding_sources', option: 'CAMHS', optionCode: 'camhs' });
    expect(m!.score).toBeLessThan(1);
  });

  it('returns a null option code for an option the question does not list', () => {
    expect(matchOptionHeader('Interventions offered: Theraplay', Q)).toMatchObject({
      id: 'interventions',
      option: 'Theraplay',
      optionCode: null,
    });
  });

  it('returns null when no split leaves a known question label', () => {
    expect(matchOptionHeader('WTE by discipline: Other', Q)).toBeNull();
    expect(matchOptionHeader('Name of your team', Q)).toBeNull();
  });
});

describe('matchLabel skips candidates that cannot win', () => {
  /** The plain definition: every candidate scored in full by labelSimilarity. */
  function reference(
    label: string,
    qs: readonly { id: string; label: string; aliases?: readonly string[] }[],
  ): { id: string; score: number } | null {
    const best = new Map<string, number>();
    for (const q of qs)
      for (const c of [q.label, ...(q.aliases ?? [])]) {
        const s = labelSimilarity(label, c);
        if (s > (best.get(q.id) ?? -1)) best.set(q.id, s);
      }
    const [first, second] = [...best.entries()].sort((x, y) => y[1] - x[1]);
    if (!first || first[1] < 0.75) return null;
    if (second && (first[1] === 1 ? second[1] === 1 : first[1] - second[1] < 0.05)) return null;
    return { id: first[0], score: Math.round(first[1] * 1000) / 1000 };
  }
  const lists = [2019, 2023, 2025].map((w) => loadQuestionList(w).questions);
  // Real labels, then the same with typos, dropped and swapped words, and unrelated text.
  const mutate = (s: string, seed: number): string => {
    const w = s.split(' ');
    switch (seed % 5) {
      case 0:
        return s.replace(/[aeiou]/, '');
      case 1:
        return w.slice(0, -1).join(' ');
      case 2:
        return [...w.slice(1), w[0]].join(' ');
      case 3:
        return `${s} (please state)`;
      default:
        return `Section ${seed}`;
    }
  };
  it('gives exactly what scoring every candidate gives', () => {
    let compared = 0;
    for (const qs of lists) {
      for (const [i, q] of qs.entries()) {
        for (const label of [q.label, mutate(q.label, i), mutate(q.label, i + 1), mutate(q.label, i + 2)]) {
          expect(matchLabel(label, qs), label).toEqual(reference(label, qs));
          compared += 1;
        }
      }
    }
    expect(compared).toBeGreaterThan(200);
  });
});
