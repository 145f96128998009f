import { textTable } from '../runtime/terminal.ts';
import type { FigureAudit } from '../audit/figure.ts';
import type { ReviewFlag } from '../audit/flag.ts';
import { trailsCsv, trailText, type AuditFormat } from '../audit/render.ts';
import type { TrustHistory } from '../audit/trust.ts';
import type { BuildDiff } from '../audit/diff.ts';
import Papa from 'papaparse';

/** The audit commands' outputs as text, csv or json: what goes to stdout, nothing else. */

export function figureOutput(a: FigureAudit, format: AuditFormat): string {
  if (format === 'json') return `${JSON.stringify(a, null, 2)}\n`;
  if (format === 'csv') return trailsCsv(a.values, { figure_id: a.figure.id });
  const f = a.figure;
  const head = [
    `figure ${f.id}: ${f.label}`,
    `  printed "${f.text}"${f.value ? `  value ${f.value.low === f.value.high ? f.value.low : `${f.value.low} to ${f.value.high ?? 'open'}`}` : ''}${f.denominator ? `  of ${f.denominator.answered} ${f.denominator.of} (${f.denominator.notAnswered} did not answer)` : ''}`,
    `  definition: ${a.definition}`,
    `  records from ${a.source}: ${a.values.length} FOI value(s), ${a.requests.length} request(s)${a.otherRecords.length ? `, ${a.otherRecords.length} questionnaire record(s)` : ''}`,
  ];
  const requests = a.requests.map(
    (r) =>
      `request ${r.requestId}  ${r.trustOds} ${r.trustName}  sent ${r.sent}  due ${r.due}\n${r.replies.map((x) => `  reply ${x.file}  sha256 ${x.sha256}${x.replyDate ? `  dated ${x.replyDate}` : ''}`).join('\n') || '  no reply'}`,
  );
  const gone = a.goneValues.length
    ? [
        `FOI values ${a.goneValues.join(', ')} of figures.json are no longer stored (their reply was reprocessed since that build); rebuild the report to audit it.`,
      ]
    : [];
  const other = a.otherRecords.length ? [`questionnaire records: ${a.otherRecords.join(', ')}`] : [];
  return `${[head.join('\n'), ...a.values.map(trailText), ...requests, ...other, ...gone].join('\n\n')}\n`;
}

export function flagsOutput(flags: readonly ReviewFlag[], format: AuditFormat): string {
  if (format === 'json') return `${JSON.stringify(flags, null, 2)}\n`;
  const rows = flags.map((f) => ({
    id: f.id,
    wave: f.wave,
    trust_ods: f.trustOds ?? '',
    kind: f.kind,
    status: f.status,
    closed_by: f.closedBy ?? '',
    value_ids: f.valueIds.join(';'),
    message: f.message,
  }));
  if (format === 'csv')
    return `${Papa.unparse(rows.length ? rows : { fields: ['id', 'wave', 'trust_ods', 'kind', 'status', 'closed_by', 'value_ids', 'message'], data: [] }, { newline: '\n' })}\n`;
  if (flags.length === 0) return 'No review flags.\n';
  return `${flags.map((f) => `${f.status.toUpperCase().padEnd(9)} ${f.id}\n  ${f.message}${f.valueIds.length ? `\n  values ${f.valueIds.join(', ')}` : ''}${f.closedBy ? `\n  closed by ${f.closedBy}` : ''}`).join('\n\n')}\n\n${flags.filter((f) => f.status === 'open').length} open of ${flags.length}.\n`;
}

export function trustOutput(h: TrustHistory, format: AuditFormat): string {
  if (format === 'json') return `${JSON.stringify(h, null, 2)}\n`;
  if (format === 'csv') return trailsCsv(h.values);
  const parts = [
    `${h.ods} ${h.name}${h.successor ? ` (successor ${h.successor})` : ''}`,
    h.requests.length
      ? `Requests\n${textTable(
          ['wave', 'request', 'sent', 'received', 'due', 'our ref', 'their ref'],
          h.requests.map((r) => [r.wave, r.id, r.sent, r.received, r.due, r.ourRef ?? '', r.theirRef ?? '']),
        )}`
      : 'No requests.',
    h.events.length
      ? `Status events\n${textTable(
          ['wave', 'date', 'event', 'source', 'note'],
          h.events.map((e) => [e.wave, e.date, e.kind, e.source, e.note ?? '']),
        )}`
      : 'No status events.',
    h.responses.length
      ? `Replies\n${textTable(
          ['wave', 'reply', 'file', 'sha256', 'dated', 'matched', 'state'],
          h.responses.map((r) => [
            r.wave,
            r.id,
            r.file,
            r.sha256.slice(0, 12),
            r.replyDate ?? '',
            r.match ?? '',
            `${r.state}${r.manual ? ', needs coding' : ''}`,
          ]),
        )}`
      : 'No replies.',
    `Coded values (${h.values.length})`,
    ...h.values.map(trailText),
    `Review flags\n${flagsOutput(h.flags, 'text').trimEnd()}`,
  ];
  return `${parts.join('\n\n')}\n`;
}

export function diffOutput(d: BuildDiff, json: boolean): string {
  if (json) return `${JSON.stringify(d, null, 2)}\n`;
  if (d.same) return `The builds are the same: ${d.a} and ${d.b}.\n`;
  const delta = (x: { low: number; high: number | null } | null) =>
    x === null
      ? ''
      : `  (${x.low === x.high || x.high === null ? `${x.low >= 0 ? '+' : ''}${x.low}` : `low ${x.low >= 0 ? '+' : ''}${x.low}, high ${x.high >= 0 ? '+' : ''}${x.high}`})`;
  const src = (s: BuildDiff['sources']['added'][number]) =>
    `wave ${s.wave} ${s.sha256}${s.name ? ` ${s.name}` : ''} (${s.kind})`;
  const lines = [
    `${d.a} -> ${d.b}`,
    `Figures changed: ${d.figures.changed.length}`,
    ...d.figures.changed.map((f) => `  ${f.id}: ${f.before} -> ${f.after}${delta(f.delta)}  ${f.label}`),
    ...d.figures.added.map((f) => `  added ${f.id}: ${f.text}`),
    ...d.figures.removed.map((f) => `  removed ${f.id}: ${f.text}`),
    `Source files: ${d.sources.added.length} added, ${d.sources.removed.length} removed`,
    ...d.sources.added.map((s) => `  + ${src(s)}`),
    ...d.sources.removed.map((s) => `  - ${src(s)}`),
    `Corrections: ${d.corrections.added.length} added, ${d.corrections.removed.length} removed, ${d.corrections.changed.length} changed`,
    ...d.corrections.added.map((c) => `  + ${c.kind} ${c.id}`),
    ...d.corrections.removed.map((c) => `  - ${c.kind} ${c.id}`),
    ...d.corrections.changed.map((c) => `  ~ ${c.kind} ${c.id}`),
    ...d.other.map((o) => `Also: ${o}`),
    `Output files that differ: ${d.outputsChanged.join(', ') || 'none'}`,
  ];
  return `${lines.join('\n')}\n`;
}
