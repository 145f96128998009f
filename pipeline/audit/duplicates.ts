import type { Ctx } from '../runtime/ctx.ts';
import type { RawFlag } from './flag.ts';

/**
 * Duplicates (spec/foi.md): the same reply loaded twice, or two replies for one trust and wave. A reply
 * file is stored once per wave (a joint reply once per trust it answers for), so "loaded twice" is the same
 * file in two waves, or two files of one request whose coded values are identical (a letter sent again
 * as a scan, a PDF forwarded). An e-mail and its own attachment are one reply, never a duplicate.
 */
export async function duplicateFlags(ctx: Ctx): Promise<RawFlag[]> {
  const responses = await ctx.db
    .selectFrom('foi_response as r')
    .innerJoin('file_receipt as f', (j) => j.onRef('f.sha256', '=', 'r.sha256').onRef('f.wave', '=', 'r.wave'))
    .leftJoin('foi_request as q', 'q.id', 'r.request_id')
    // The trust asked where the reply is matched (as the report has it), else the one it names.
    .select((eb) => [
      'r.id',
      'r.sha256',
      'r.wave',
      'r.request_id',
      eb.fn.coalesce('q.trust_ods', 'r.trust_ods').as('trust_ods'),
      'r.parent_sha256',
      'f.original_name',
    ])
    .orderBy('r.wave')
    .orderBy('r.id')
    .execute();
  const values = await ctx.db
    .selectFrom('foi_value_corrected')
    .select([
      'response_id',
      'question_id',
      'period_id',
      'period_start',
      'basis',
      'age_band_label',
      'service',
      'low',
      'high',
      'yes_no',
      'missing_reason',
    ])
    .orderBy('response_id')
    .orderBy('id')
    .execute();
  const signature = new Map<string, string[]>();
  for (const v of values) {
    const key = String(v.response_id);
    signature.set(key, [
      ...(signature.get(key) ?? []),
      [
        v.question_id,
        v.period_id ?? v.period_start,
        v.basis,
        v.age_band_label,
        v.service,
        v.low,
        v.high,
        v.yes_no,
        v.missing_reason,
      ].join('|'),
    ]);
  }
  const sig = (id: string) => (signature.get(id) ?? []).sort().join('\n');
  const out: RawFlag[] = [];

  const byFile = new Map<string, typeof responses>();
  for (const r of responses) byFile.set(r.sha256, [...(byFile.get(r.sha256) ?? []), r]);
  for (const [sha, list] of byFile) {
    // A joint reply's parts (sql/022) are one file of one wave.
    if (new Set(list.map((r) => r.wave)).size < 2) continue;
    const last = list.at(-1)!;
    out.push({
      id: `duplicate_response:${last.wave}:${last.trust_ods ?? 'unmatched'}:file:${sha.slice(0, 12)}`,
      wave: last.wave,
      trustOds: last.trust_ods,
      kind: 'duplicate_response',
      valueIds: [],
      message: `The same file ${last.original_name} (sha256 ${sha.slice(0, 12)}) is loaded in waves ${list.map((r) => r.wave).join(' and ')}.`,
    });
  }

  const byRequest = new Map<string, typeof responses>();
  for (const r of responses)
    if (r.request_id !== null) byRequest.set(String(r.request_id), [...(byRequest.get(String(r.request_id)) ?? []), r]);
  for (const list of byRequest.values()) {
    // An attachment travels with its e-mail: only files whose parent is not another reply of the request count.
    const replies = list.filter((r) => !list.some((p) => p.sha256 === r.parent_sha256));
    if (replies.length < 2) continue;
    const first = replies[0]!;
    const same = replies.filter(
      (r) => r !== first && sig(String(r.id)) !== '' && sig(String(r.id)) === sig(String(first.id)),
    );
    const kind = same.length > 0 ? ('duplicate_response' as const) : ('two_responses' as const);
    out.push({
      id: `${kind}:${first.wave}:${first.trust_ods ?? 'unmatched'}`,
      wave: first.wave,
      trustOds: first.trust_ods,
      kind,
      valueIds: [],
      message:
        kind === 'duplicate_response'
          ? `${replies.length} replies of this trust in wave ${first.wave} carry the same coded values: ${replies.map((r) => `${r.original_name} (${r.sha256.slice(0, 12)})`).join(', ')}.`
          : `${replies.length} replies for one trust and wave: ${replies.map((r) => `${r.original_name} (${r.sha256.slice(0, 12)})`).join(', ')}; the report uses the later one's value where both answer.`,
    });
  }
  return out;
}
