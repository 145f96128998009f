import type { Kysely } from 'kysely';
import type { Database } from '../../schemas/db.ts';
import type { QuestionList } from '../../schemas/question-list.ts';
import type { Bounds } from '../../reports/intervals.ts';
import type { AnswerRow, Coverage, TeamRow, WaveData } from '../../reports/input.ts';
import { byId, byText } from '../../reports/order.ts';

const num = (v: string | number | null): number | null => (v === null ? null : Number(v));

function nested(rows: { q: string; k: string; n: number }[]): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const m = out.get(r.q) ?? new Map<string, number>();
    m.set(r.k, r.n);
    out.set(r.q, m);
  }
  return out;
}

export async function loadWave(db: Kysely<Database>, list: QuestionList): Promise<WaveData> {
  const wave = list.wave;
  const teams = await db
    .selectFrom('report_team')
    .selectAll()
    .where('wave', '=', wave)
    .orderBy('team_name')
    .orderBy('team_id')
    .execute();
  const answers = await db
    .selectFrom('report_answer')
    .selectAll()
    .where('wave', '=', wave)
    .orderBy('question_id')
    .orderBy('return_id')
    .execute();
  const coverage = await db
    .selectFrom('report_question_coverage')
    .selectAll()
    .where('wave', '=', wave)
    .orderBy('question_id')
    .execute();
  const options = await db
    .selectFrom('report_option_count')
    .selectAll()
    .where('wave', '=', wave)
    .orderBy('question_id')
    .orderBy('option_code')
    .execute();
  const harmonised = await db
    .selectFrom('report_harmonised_count')
    .selectAll()
    .where('wave', '=', wave)
    .orderBy('question_id')
    .orderBy('harmonised')
    .execute();
  const statuses = await db
    .selectFrom('report_team_status')
    .selectAll()
    .where('wave', '=', wave)
    .orderBy('status')
    .execute();
  const established = await db
    .selectFrom('report_established_by_year')
    .selectAll()
    .where('wave', '=', wave)
    .orderBy('year_established')
    .execute();
  const flow = await db.selectFrom('report_team_flow').selectAll().where('wave', '=', wave).executeTakeFirst();
  const network = await db
    .selectFrom('report_network')
    .select(['team_id', 'returned'])
    .where('wave', '=', wave)
    .orderBy('team_id')
    .execute();
  const states = await db
    .selectFrom('report_return_state')
    .selectAll()
    .where('wave', '=', wave)
    .orderBy('state')
    .execute();
  const issues = await db
    .selectFrom('report_issue_count')
    .selectAll()
    .where('wave', '=', wave)
    .orderBy('severity')
    .orderBy('code')
    .execute();

  // Returns are cited by content (the file's sha256 and the part of the file), never by database id, so
  // two workspaces loaded from the same files in any order build the same figures.json (issue 16).
  const ids = [...new Set([...teams.map((t) => t.return_id), ...answers.map((a) => a.return_id)])].map(String);
  const contentKey = new Map(
    ids.length === 0
      ? []
      : (
          await db.selectFrom('questionnaire_return').select(['id', 'sha256', 'part']).where('id', 'in', ids).execute()
        ).map((r) => [String(r.id), `${r.sha256.slice(0, 16)}.${r.part}`]),
  );
  const keyOf = (id: unknown): string => contentKey.get(String(id)) ?? String(id);
  answers.sort((a, b) => byText(a.question_id, b.question_id) || byText(keyOf(a.return_id), keyOf(b.return_id)));
  const byQuestion = new Map<string, AnswerRow[]>();
  for (const a of answers) {
    const row: AnswerRow = {
      returnId: keyOf(a.return_id),
      teamId: String(a.team_id),
      status: a.status,
      nation: a.nation,
      questionId: a.question_id,
      answered: a.answered,
      kind: a.value_kind,
      text: a.text_value,
      codes: a.codes ?? [],
      band: a.band_code,
      num: num(a.num_value),
      interval:
        a.value_kind === 'interval' && a.low !== null
          ? { low: Number(a.low), high: a.open_high ? null : num(a.high) }
          : null,
      ...(!a.answered && a.missing_reason === 'unreadable' ? { missingReason: 'unreadable' as const } : {}),
    };
    byQuestion.set(a.question_id, [...(byQuestion.get(a.question_id) ?? []), row]);
  }
  return {
    wave,
    list,
    teams: teams
      .map((t) => ({
        teamId: String(t.team_id),
        returnId: keyOf(t.return_id),
        name: t.team_name,
        status: t.status,
        nation: t.nation,
        region: t.region,
        hostType: t.host_type,
        hostOds: t.host_ods_code,
        yearEstablished: t.year_established,
      }))
      .sort((a, b) => byText(a.name, b.name) || byId(a.teamId, b.teamId)),
    answers: byQuestion,
    coverage: new Map(
      coverage.map((c) => {
        const unreadable = (byQuestion.get(c.question_id) ?? []).filter((a) => a.missingReason === 'unreadable').length;
        const counts = { teams: c.teams, answered: c.answered, notAnswered: c.not_answered };
        return [c.question_id, unreadable ? { ...counts, unreadable } : counts];
      }),
    ),
    options: nested(options.map((o) => ({ q: o.question_id, k: o.option_code, n: o.teams }))),
    harmonised: nested(harmonised.map((o) => ({ q: o.question_id, k: o.harmonised, n: o.teams }))),
    statuses: new Map(statuses.map((s) => [s.status, s.teams])),
    established: established.map((e) => ({ year: e.year_established, teams: e.teams, cumulative: e.cumulative_teams })),
    flow: flow
      ? {
          previousWave: flow.previous_wave,
          newTeams: flow.new_teams,
          leftNetwork: flow.left_network,
          previousNoReturn: flow.previous_no_return,
        }
      : null,
    network: network.map((n) => ({ teamId: String(n.team_id), returned: n.returned })),
    returnStates: new Map(states.map((s) => [s.state, s.returns])),
    issues: issues
      .map((i) => ({ code: i.code, severity: i.severity, issues: i.issues, files: i.files }))
      .sort((a, b) => byText(a.severity, b.severity) || byText(a.code, b.code)),
  };
}

/** Questionnaire waves with a loaded return, up to `upTo`, oldest first. */
export async function loadedWaves(db: Kysely<Database>, upTo: number): Promise<number[]> {
  const rows = await db
    .selectFrom('report_team')
    .select('wave')
    .distinct()
    .where('wave', '<=', upTo)
    .orderBy('wave')
    .execute();
  return rows.map((r) => r.wave);
}
