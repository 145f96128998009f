import { issue, type Issue } from '../../../schemas/issue.ts';
import type { Condition, QuestionList } from '../../../schemas/question-list.ts';
import type { AnswerValue } from '../../../schemas/answer.ts';
import type { ValidatedAnswer } from '../../../schemas/stage.ts';

/**
 * Checks across fields, declared in the question list (requiredWhen, blankWhen, checks) rather
 * than in code, so a new wave's rules need no code change. Year-on-year checks need the previous
 * wave and run at load time.
 */
function answered(v: AnswerValue | undefined): boolean {
  return v !== undefined && v.kind !== 'missing';
}

function codesOf(v: AnswerValue | undefined): string[] {
  if (!v) return [];
  if (v.kind === 'code') return [v.code];
  if (v.kind === 'codes') return v.codes;
  return [];
}

function conditionHolds(c: Condition, byId: Map<string, ValidatedAnswer>): boolean {
  const v = byId.get(c.question)?.value;
  if (c.answered !== undefined && answered(v) !== c.answered) return false;
  const cond = c as Condition & { notIn?: string[] };
  if (c.in && !codesOf(v).some((x) => c.in!.includes(x))) return false;
  if (cond.notIn && (!answered(v) || codesOf(v).some((x) => cond.notIn!.includes(x)))) return false;
  return true;
}

function numeric(v: AnswerValue | undefined): { low: number; high: number | null } | null {
  if (!v) return null;
  if (v.kind === 'interval') return { low: v.low, high: v.high };
  if (v.kind === 'number' || v.kind === 'integer') return { low: v.value, high: v.value };
  return null;
}

export function crossFieldIssues(list: QuestionList, answers: ValidatedAnswer[]): Issue[] {
  const byId = new Map(answers.map((a) => [a.questionId, a]));
  const out: Issue[] = [];
  for (const q of list.questions) {
    const a = byId.get(q.id);
    if (!a) continue;
    const isAnswered = answered(a.value);
    const unreadable = a.value.kind === 'missing' && a.value.reason === 'unreadable';
    const applies = q.required || (q.requiredWhen !== undefined && conditionHolds(q.requiredWhen, byId));
    if (applies && !isAnswered && !unreadable && a.value.kind === 'missing' && a.value.reason === 'blank') {
      out.push(
        issue(
          'required_missing',
          'error',
          `"${q.label}" must be answered${q.requiredWhen ? ` when ${q.requiredWhen.question} is ${q.requiredWhen.in?.join(' or ') ?? 'answered'}` : ''}. Ask the team for it.`,
          a.location,
          { questionId: q.id },
        ),
      );
    }
    if (q.blankWhen && isAnswered && conditionHolds(q.blankWhen, byId)) {
      out.push(
        issue(
          'should_be_blank',
          'warning',
          `"${q.label}" was answered although it does not apply (${q.blankWhen.question}); the answer was kept, check it.`,
          a.location,
          { questionId: q.id, raw: a.rawText ?? '' },
        ),
      );
    }
    for (const c of q.checks) {
      const me = numeric(a.value);
      if (c.kind === 'not_above_high_of') {
        const other = numeric(byId.get(c.other)?.value);
        if (me && other && other.high !== null && me.low > other.high) {
          out.push(
            issue(
              'exceeds_other_answer',
              c.severity,
              `"${q.label}" (${me.low}) is more than the most that "${c.other}" allows (${other.high}). Check both answers with the team.`,
              a.location,
              { questionId: q.id, raw: a.rawText ?? '' },
            ),
          );
        }
      } else if (c.kind === 'at_least') {
        const other = numeric(byId.get(c.other)?.value);
        if (me && other && me.high !== null && me.high < other.low) {
          out.push(
            issue(
              'less_than_other_answer',
              c.severity,
              `"${q.label}" (${me.high}) is less than "${c.other}" (${other.low}); it should be at least as large.`,
              a.location,
              { questionId: q.id, raw: a.rawText ?? '' },
            ),
          );
        }
      } else if (c.kind === 'not_before') {
        const other = byId.get(c.other);
        if (a.value.kind === 'date' && other?.value.kind === 'date' && a.value.iso < other.value.iso) {
          const label = list.questions.find((x) => x.id === c.other)?.label ?? c.other;
          out.push(
            issue(
              'before_other_answer',
              c.severity,
              `"${q.label}" (${a.value.iso}) is before "${label}" (${other.value.iso}). Check both dates with the team; they may have been swapped.`,
              a.location,
              { questionId: q.id, raw: a.rawText ?? '' },
            ),
          );
        }
      } else if (c.kind === 'within') {
        if (me && (me.low > c.high || (me.high !== null && me.high < c.low))) {
          out.push(
            issue(
              'outside_expected_range',
              c.severity,
              `"${q.label}" (${a.rawText ?? me.low}) is outside the range expected for it (${c.low} to ${c.high}); it was kept as given. Check it with the team.`,
              a.location,
              { questionId: q.id, raw: a.rawText ?? '' },
            ),
          );
        }
      } else if (c.kind === 'sum_of') {
        const parts = c.questions
          .map((id) => numeric(byId.get(id)?.value))
          .filter((x): x is { low: number; high: number | null } => x !== null);
        if (me && parts.length > 0) {
          const sum = parts.reduce((s, p) => s + p.low, 0);
          if (Math.abs(sum - me.low) > c.tolerance + 1e-9) {
            out.push(
              issue(
                'sum_mismatch',
                c.severity,
                `"${q.label}" is ${me.low} but its parts add up to ${Math.round(sum * 100) / 100}.`,
                a.location,
                { questionId: q.id, raw: a.rawText ?? '' },
              ),
            );
          }
        }
      }
    }
  }
  return out;
}
