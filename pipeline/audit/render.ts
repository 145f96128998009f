import Papa from 'papaparse';
import { CensusError } from '../../schemas/fault.ts';
import type { CorrectionRow } from './corrections.ts';
import type { Interval, ValueTrail } from './trail.ts';

/**
 * The audit's value trails as text (for a person at a terminal), csv (one row per value, for a
 * spreadsheet) or json (everything, for a program). Text cells of the csv that a spreadsheet would run
 * as a formula are neutralised (report.md), since quotes are copied from replies as written.
 */

export type AuditFormat = 'text' | 'csv' | 'json';

const showInterval = (i: Interval | null): string =>
  i === null ? '-' : i.high === i.low ? String(i.low) : `[${i.low}, ${i.high ?? 'open'}]`;

function correctionLine(c: CorrectionRow): string {
  const when = c.at.toISOString();
  if (c.reverts !== null) return `revert ${c.id} of correction ${c.reverts} by ${c.by} at ${when}: ${c.reason}`;
  const to = showInterval(c.low === null ? null : { low: c.low, high: c.high });
  return `correction ${c.id} to ${to}${c.flags ? ` flags [${c.flags.join(', ')}]` : ''} by ${c.by} at ${when}${c.file ? ` (file ${c.file})` : ''}: ${c.reason}${c.revertedBy ? ` [reverted by ${c.revertedBy}]` : ''}`;
}

export function trailText(v: ValueTrail): string {
  const used = v.missing ? `missing (${v.missing})` : (v.answer ?? showInterval(v.interval));
  const raw = v.corrections.some((c) => c.reverts === null && c.revertedBy === null)
    ? `  (reply said ${v.missing ? v.missing : showInterval(v.rawInterval)})`
    : '';
  const lines = [
    `value ${v.valueId}  ${v.trustOds ?? '(unmatched)'} ${v.trustName ?? ''}  wave ${v.wave}`,
    `  ${v.questionId}${v.period ? `  ${v.period}${v.periodDates ? ` (${v.periodDates})` : ''}` : ''}${v.basis ? `  ${v.basis}` : ''}${v.ageBand ? `  age ${v.ageBand}` : ''}${v.team ? `  team ${v.team}` : ''}`,
    `  value ${used}${raw}${v.flags.length ? `  flags ${v.flags.join(', ')}` : ''}`,
    `  source ${v.file.name}  sha256 ${v.file.sha256}${v.file.parentSha256 ? `  (attachment of ${v.file.parentSha256.slice(0, 12)})` : ''}`,
    `  at ${v.location}: "${v.quote}"`,
    ...v.parts.map((p) => `    part ${showInterval(p.interval)} at ${p.location}: "${p.quote}"`),
    `  how ${v.how}${v.replaces ? `; replaces value ${v.replaces.valueId}${v.replaces.reason ? ` (${v.replaces.reason})` : ''}` : ''}`,
    ...v.corrections.map((c) => `  ${correctionLine(c)}`),
    ...(v.inReport
      ? []
      : [
          v.suggestion !== null
            ? `  not in the report: only suggested (${v.suggestion}); a person confirms it on the coding sheet`
            : v.periodAsked === false
              ? '  not in the report: the wave did not ask for this period'
              : '  not in the report: a later reply or a coded value is used for this slot',
        ]),
  ];
  return lines.join('\n');
}

const FORMULA = /^[=+\-@\t\r]/;
const cell = (x: string | number | null): string | number =>
  x === null ? '' : typeof x === 'string' && FORMULA.test(x) ? `'${x}` : x;

const TRAIL_COLUMNS = [
  'value_id',
  'wave',
  'trust_ods',
  'trust_name',
  'question_id',
  'period',
  'period_dates',
  'basis',
  'age_band',
  'team',
  'low',
  'high',
  'reply_low',
  'reply_high',
  'missing',
  'answer',
  'flags',
  'file_name',
  'file_sha256',
  'location',
  'quote',
  'how',
  'corrections',
  'in_report',
] as const;

function trailCsvRow(v: ValueTrail, extra: Record<string, string> = {}): Record<string, string | number> {
  const row: Record<string, string | number | null> = {
    ...extra,
    value_id: v.valueId,
    wave: v.wave,
    trust_ods: v.trustOds,
    trust_name: v.trustName,
    question_id: v.questionId,
    period: v.period,
    period_dates: v.periodDates,
    basis: v.basis,
    age_band: v.ageBand,
    team: v.team,
    low: v.interval?.low ?? null,
    high: v.interval ? (v.interval.high ?? 'open') : null,
    reply_low: v.rawInterval?.low ?? null,
    reply_high: v.rawInterval ? (v.rawInterval.high ?? 'open') : null,
    missing: v.missing,
    answer: v.answer,
    flags: v.flags.join(';'),
    file_name: v.file.name,
    file_sha256: v.file.sha256,
    location: v.location,
    quote: v.quote,
    how: v.how,
    corrections: v.corrections.map(correctionLine).join(' | '),
    in_report: v.inReport ? 'yes' : 'no',
  };
  return Object.fromEntries(Object.entries(row).map(([k, x]) => [k, cell(x)]));
}

export function trailsCsv(trails: readonly ValueTrail[], extra: Record<string, string> = {}): string {
  const fields = [...Object.keys(extra), ...TRAIL_COLUMNS];
  return `${Papa.unparse({ fields, data: trails.map((t) => fields.map((f) => trailCsvRow(t, extra)[f] ?? '')) }, { newline: '\n' })}\n`;
}

export function parseFormat(f: string | undefined): AuditFormat {
  const v = (f ?? 'text').toLowerCase();
  if (v === 'text' || v === 'csv' || v === 'json') return v;
  throw new CensusError('usage', `--format must be text, csv or json, not "${f}".`, 'Pass --format text, csv or json.');
}
