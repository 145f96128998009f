import type { Row } from '../csv.ts';
import type { WaveData } from '../input.ts';
import { Section, type Env, type SectionOut } from '../model.ts';
import { byText } from '../order.ts';

/** What the coverage section reads (pipeline/returns/coverage.ts makes it from the database). */
export interface CoverageInput {
  network: number;
  returned: number;
  questions: readonly {
    questionId: string;
    answered: number;
    notAnswered: number;
    unreadable: number;
    flagged: number;
  }[];
  keptOut: readonly { file: string; part: number; state: string; reason: string }[];
  /** Flagged answers left out of the statistics by the `leaveOutFlagged` parameter, by question. */
  leftOut: ReadonlyMap<string, number>;
  /** Pairs of the network's teams possibly one team under two names, not reviewed by a person yet. */
  openCandidatePairs?: number;
}

/**
 * Coverage of the wave (questionnaire.md "What a problem in a return does to it", report.md
 * section 8): teams with a loaded return of the network, per question the answers not given,
 * unreadable and flagged (item non-response), and the files kept out of the figures with their
 * reason. A public build lists the files kept out by state only (file names and withdrawal reasons
 * name people and teams).
 */
export function coverageSection(env: Env, d: WaveData, c: CoverageInput): SectionOut {
  const s = new Section('coverage', '8b. Coverage of the returns', env);
  const unreadable = c.questions.reduce((n, q) => n + q.unreadable, 0);
  const flagged = c.questions.reduce((n, q) => n + q.flagged, 0);
  const leftOut = [...c.leftOut.values()].reduce((n, x) => n + x, 0);
  s.para(
    `${c.returned} of ${c.network} teams in the wave ${d.wave} network have a loaded return. ` +
      `${unreadable} answer${unreadable === 1 ? ' was' : 's were'} unreadable (stored as missing with the raw text kept) and ` +
      `${flagged} ${flagged === 1 ? 'was' : 'were'} flagged (kept as given: answers that contradict each other); a problem with one answer never keeps a team out. ` +
      (leftOut > 0
        ? `By the build parameter leaveOutFlagged, ${leftOut} flagged answer${leftOut === 1 ? ' is' : 's are'} left out of the statistics of their question (${[
            ...c.leftOut,
          ]
            .sort(([a], [b]) => byText(a, b))
            .map(([q, n]) => `${q.replace(/_/g, ' ')}: ${n}`)
            .join(', ')}).`
        : 'Flagged answers count in every statistic (build parameter leaveOutFlagged is empty).'),
  );
  const pairs = c.openCandidatePairs ?? 0;
  if (pairs > 0)
    s.para(
      `The network may count a team twice: ${pairs} pair${pairs === 1 ? '' : 's'} of its teams ${pairs === 1 ? 'is' : 'are'} possibly one team under two names (a name written differently in an earlier wave, or a renamed team) and ${pairs === 1 ? 'has' : 'have'} not been reviewed yet, so the number of teams in the network and the response rate may be too high by up to ${pairs}.` +
        (env.publicBuild ? '' : ' Review them with `census teams candidates`.'),
    );
  const asked = new Set(d.list.questions.filter((q) => !q.personal).map((q) => q.id));
  const label = (q: string) => d.list.questions.find((x) => x.id === q)?.label ?? q;
  const rows = c.questions
    .filter((q) => asked.has(q.questionId) && (q.notAnswered > 0 || q.flagged > 0))
    .sort((a, b) => b.notAnswered + b.flagged - (a.notAnswered + a.flagged) || byText(a.questionId, b.questionId));
  s.table({
    name: 'item_nonresponse',
    title: `Item non-response: answers not given, unreadable or flagged, wave ${d.wave}`,
    columns: [
      { key: 'question', header: 'Question', kind: 'text' },
      // issue 16: question ids only in the internal build (no code names reach readers)
      ...(env.publicBuild ? [] : [{ key: 'id', header: 'Question id', kind: 'text' as const }]),
      { key: 'answered', header: 'Answered', kind: 'number' },
      { key: 'missing', header: 'Not answered', kind: 'number' },
      { key: 'unreadable', header: 'Of which unreadable', kind: 'number' },
      { key: 'flagged', header: 'Flagged', kind: 'number' },
      { key: 'left_out', header: 'Flagged left out', kind: 'number' },
    ],
    rows: rows.map((q): Row => ({
      question: label(q.questionId),
      id: q.questionId,
      answered: q.answered,
      missing: q.notAnswered,
      unreadable: q.unreadable,
      flagged: q.flagged,
      left_out: c.leftOut.get(q.questionId) ?? 0,
    })),
    notes: [
      `Of ${c.returned} teams with a loaded return. Not answered: blank, "n/a", "not known" or unreadable; unreadable answers ("lots", "TBC") keep their raw text and wait for the team's reply. Flagged: kept as given with an issue; counted unless left out by the build parameter leaveOutFlagged.`,
    ],
  });
  const states = [...new Set(c.keptOut.map((k) => k.state))].sort(byText);
  if (env.publicBuild)
    s.table({
      name: 'files_kept_out',
      title: `Files kept out of the figures, wave ${d.wave}`,
      columns: [
        { key: 'state', header: 'State', kind: 'text' },
        { key: 'files', header: 'Files', kind: 'number' },
      ],
      rows: states.map((st): Row => ({ state: st, files: c.keptOut.filter((k) => k.state === st).length })),
      notes: ['Only a problem with the file as a whole, a resubmission or a withdrawal keeps a file out.'],
    });
  else
    s.table({
      name: 'files_kept_out',
      title: `Files kept out of the figures, wave ${d.wave}`,
      columns: [
        { key: 'file', header: 'File', kind: 'text' },
        { key: 'state', header: 'State', kind: 'text' },
        { key: 'reason', header: 'Reason', kind: 'text' },
      ],
      rows: c.keptOut.map((k): Row => ({
        file: k.part ? `${k.file} #${k.part}` : k.file,
        state: k.state,
        reason: k.reason,
      })),
      notes: [
        'Rejected: a file-level problem (another wave, not a workbook, no team) or withdrawn; superseded: a later return of the same team replaced it; copy: the same bytes as another file. `census returns --wave W` lists the same.',
      ],
    });
  return s.out();
}
