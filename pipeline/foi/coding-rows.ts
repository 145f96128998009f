import type { FoiQuestionList } from '../../schemas/foi.ts';
import { formatLocation } from '../../schemas/issue.ts';
import type { CodingRow, CodingReason } from '../../sources/foi/coding-sheet.ts';
import type { Ctx } from '../runtime/ctx.ts';
import { slotOf } from './conflicts.ts';

/**
 * What in a wave still needs a person, one row per trust x question x period: replies nothing could be
 * read from (needs_manual_coding), questions no reply of a request answers, and band_mismatch values
 * nobody has accepted or rejected. Replies of one request are taken together, so an e-mail that only
 * says "see attached" does not ask again for what its attachment answered.
 */

// Issues about who sent a reply or about coding, not about what it says: never shown as found text.
const ABOUT_MATCHING = new Set([
  'foi_reply_unmatched',
  'foi_reply_no_request',
  'foi_trust_matched_loosely',
  'coding_conflict',
]);
/** Why a reply could not be read at all (reader, preflight and parse-worker codes): shown beside its blank cells. */
const WHY_UNREAD = new Set([
  'needs_manual_coding',
  'foi_format_unsupported',
  'foi_reader_failed',
  'pdf_unreadable',
  'no_answers_found',
  'file_too_large',
  'password_protected',
  'legacy_binary_format',
  'binary_not_text',
  'zip_bomb_suspected',
  'unsupported_format',
  'file_unreadable',
  'too_many_rows',
  'too_many_pages',
  'parse_timeout',
  'parse_failed',
]);

interface Slot {
  questionId: string;
  periodId: string | null;
  basis: 'received' | 'accepted' | null;
}

function slotsOf(list: FoiQuestionList): Slot[] {
  return list.questions.flatMap((q): Slot[] =>
    q.answerType === 'count_per_period'
      ? list.periods.map((p) => ({ questionId: q.id, periodId: p.id, basis: q.basis ?? null }))
      : [{ questionId: q.id, periodId: null, basis: null }],
  );
}

const slotKey = (s: Slot): string => [s.questionId, s.periodId ?? '', s.basis ?? ''].join('|');

/** A reply in a row's key: its file, and for a joint reply's part (sql/022) the trust, "<sha256>@RTQ". */
const replyRef = (r: { sha256: string; joint_ods: string | null }): string =>
  r.joint_ods === null ? r.sha256 : `${r.sha256}@${r.joint_ods}`;

/** The hidden key of a row: what to record the answer against, stable across sheets and reloads. */
const rowKey = (reason: CodingReason, sha256: string, s: Slot, band?: string): string =>
  [
    reason === 'band_mismatch' ? 'band' : reason === 'suggestion' ? 'confirm' : 'code',
    sha256,
    s.questionId,
    s.periodId ?? '-',
    s.basis ?? '-',
    ...(band === undefined ? [] : [band]),
  ].join('|');

export async function codingRows(wave: number, list: FoiQuestionList, ctx: Ctx): Promise<CodingRow[]> {
  const responses = await ctx.db
    .selectFrom('foi_response')
    .innerJoin('file_receipt', (j) =>
      j.onRef('file_receipt.sha256', '=', 'foi_response.sha256').onRef('file_receipt.wave', '=', 'foi_response.wave'),
    )
    .leftJoin('trust', 'trust.ods_code', 'foi_response.trust_ods')
    .select([
      'foi_response.id',
      'foi_response.sha256',
      'foi_response.joint_ods',
      'foi_response.request_id',
      'foi_response.trust_ods',
      'trust.name',
      'foi_response.needs_manual_coding',
      'file_receipt.original_name',
    ])
    .where('foi_response.wave', '=', wave)
    .orderBy('foi_response.trust_ods')
    .orderBy('foi_response.sha256')
    .execute();
  if (responses.length === 0) return [];
  const ids = responses.map((r) => String(r.id));
  const values = await ctx.db
    .selectFrom('foi_value_current')
    .selectAll()
    .where('response_id', 'in', ids)
    .orderBy('id')
    .execute();
  const issues = await ctx.db
    .selectFrom('data_issue')
    .selectAll()
    .where('wave', '=', wave)
    .where(
      'sha256',
      'in',
      responses.map((r) => r.sha256),
    )
    .orderBy('id')
    .execute();
  const questionText = new Map(list.questions.map((q) => [q.id, q.text]));
  const yesNoQuestions = new Set(
    list.questions.filter((q) => q.answerType === 'yes_no' || q.answerType === 'yes_no_text').map((q) => q.id),
  );
  const periods = new Map(list.periods.map((p) => [p.id, p]));

  // A unit is a request's replies together, or one reply matched to no request.
  const units = new Map<string, typeof responses>();
  for (const r of responses) {
    const unit = r.request_id !== null ? `req:${r.request_id}` : `file:${r.sha256}`;
    units.set(unit, [...(units.get(unit) ?? []), r]);
  }
  const rows: CodingRow[] = [];
  for (const members of units.values()) {
    const memberIds = new Set(members.map((m) => String(m.id)));
    const own = values.filter((v) => memberIds.has(String(v.response_id)));
    const countOf = (id: string) => own.filter((v) => String(v.response_id) === id).length;
    // Answers are recorded against the reply that needs a person, else the one that says most.
    const target = [...members].sort(
      (a, b) =>
        Number(b.needs_manual_coding) - Number(a.needs_manual_coding) ||
        countOf(String(b.id)) - countOf(String(a.id)) ||
        a.sha256.localeCompare(b.sha256),
    )[0]!;
    const base = {
      trustOds: target.trust_ods,
      trustName: target.name,
      file: target.original_name,
      sha256: target.sha256,
    };
    // A yes/no question whose answer says neither (yes_no_unreadable) still waits for a person.
    const covered = new Set(
      own
        .filter((v) => !(yesNoQuestions.has(v.question_id) && v.yes_no === null && v.missing_reason === null))
        .map((v) => slotOf(v)),
    );
    for (const s of slotsOf(list)) {
      if (covered.has(slotKey(s))) continue;
      const reason: CodingReason = target.needs_manual_coding ? 'manual_coding' : 'uncoded';
      // Beside the blank cells: what the reader found but could not code, else why it could not read the reply.
      // An issue tied to no question is shown beside every blank cell it may be about: a count the reader
      // could not read (count_*) beside count cells only, not beside the yes/no and text questions.
      const found = issues.filter(
        (i) =>
          i.sha256 === target.sha256 &&
          (i.question_id === s.questionId ||
            (i.question_id === null && (s.periodId !== null || !i.code.startsWith('count_')))) &&
          i.raw !== null &&
          !ABOUT_MATCHING.has(i.code),
      );
      const loose = own.filter((v) => v.question_id === s.questionId && v.period_id === null && s.periodId !== null);
      const why = issues.filter((i) => i.sha256 === target.sha256 && WHY_UNREAD.has(i.code));
      const hint = found[0] ?? why[0];
      const extracted =
        [...loose.map((v) => `${v.period_label ?? ''}: ${v.quote}`), ...found.slice(0, 3).map((i) => i.raw!)].join(
          '\n',
        ) ||
        (why[0]?.message ?? '');
      rows.push({
        ...base,
        key: rowKey(reason, replyRef(target), s),
        reason,
        ...question(s),
        extracted,
        location: loose[0] ? formatLocation(loc(loose[0])) : hint ? formatLocation(loc(hint)) : '',
      });
    }
    rows.push(...suggestionRows(own, members, base));
    for (const v of own.filter(
      (x) =>
        x.method === 'automatic' &&
        x.suggestion === null &&
        x.flags.includes('band_mismatch') &&
        x.period_id !== null &&
        x.service === null,
    )) {
      const s: Slot = { questionId: v.question_id, periodId: v.period_id, basis: v.basis };
      // The decision is recorded against the reply the value came from, which may not be the target.
      const from = members.find((m) => String(m.id) === String(v.response_id))!;
      const key = rowKey('band_mismatch', replyRef(from), s, v.age_band_label ?? '');
      if (own.some((c) => c.method === 'coded' && c.coding_key === key)) continue;
      const given = `[${Number(v.low)}, ${v.high === null ? 'open' : Number(v.high)}] for ages "${v.age_band_label}"`;
      rows.push({
        ...base,
        file: from.original_name,
        sha256: from.sha256,
        key,
        reason: 'band_mismatch',
        ...question(s),
        extracted: `${given}: ${v.quote}`,
        location: formatLocation(loc(v)),
      });
    }
  }
  return rows;

  /**
   * The confidence gate: a slot read only by weak rules or by readings that disagree gets one row with
   * the suggestion(s) beside the blank answer cells, until a person confirms or codes it.
   */
  function suggestionRows(
    own: typeof values,
    members: typeof responses,
    base: Pick<CodingRow, 'trustOds' | 'trustName'>,
  ): CodingRow[] {
    const out: CodingRow[] = [];
    const bySlot = new Map<string, typeof values>();
    for (const v of own)
      if (v.method === 'automatic' && v.suggestion !== null && v.period_id !== null && v.service === null) {
        const k = `${v.response_id}|${slotOf(v)}`;
        bySlot.set(k, [...(bySlot.get(k) ?? []), v]);
      }
    for (const group of bySlot.values()) {
      const v = group[0]!;
      const s: Slot = { questionId: v.question_id, periodId: v.period_id, basis: v.basis };
      // Coded by a person for this slot already (confirmed, or typed on any row): nothing to ask.
      if (own.some((c) => c.method === 'coded' && slotOf(c) === slotOf(v))) continue;
      // A confirmed reading of the same slot in another reply of the request feeds the figure already.
      if (
        own.some((c) => c.method === 'automatic' && c.suggestion === null && slotOf(c) === slotOf(v) && c.low !== null)
      )
        continue;
      const from = members.find((m) => String(m.id) === String(v.response_id))!;
      const show = (x: (typeof values)[number]) =>
        x.missing_reason ??
        (x.low === null
          ? ''
          : Number(x.low) === Number(x.high)
            ? String(Number(x.low))
            : `${Number(x.low)}-${x.high === null ? 'open' : Number(x.high)}`);
      const readings = [...new Set(group.map(show))];
      out.push({
        ...base,
        file: from.original_name,
        sha256: from.sha256,
        key: rowKey('suggestion', replyRef(from), s),
        reason: 'suggestion',
        ...question(s),
        extracted: [...new Set(group.map((x) => `${x.rule ?? 'reader'}: ${x.quote} (why in doubt: ${x.suggestion})`))]
          .slice(0, 4)
          .join('\n'),
        location: formatLocation(loc(v)),
        suggestion: readings.join(' or '),
      });
    }
    return out;
  }

  function question(s: Slot) {
    const p = s.periodId === null ? undefined : periods.get(s.periodId);
    return {
      questionId: s.questionId,
      question: questionText.get(s.questionId) ?? s.questionId,
      periodId: s.periodId,
      periodLabel: p?.label ?? '',
      basis: s.basis,
    };
  }
}

function loc(r: {
  page: number | null;
  line: number | null;
  sheet: string | null;
  cell: string | null;
  row_no: number | null;
}) {
  return {
    ...(r.page !== null ? { page: r.page } : {}),
    ...(r.line !== null ? { line: r.line } : {}),
    ...(r.sheet !== null ? { sheet: r.sheet } : {}),
    ...(r.cell !== null ? { cell: r.cell } : {}),
    ...(r.row_no !== null ? { row: r.row_no } : {}),
  };
}
