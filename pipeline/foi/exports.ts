import { neutraliseFormula } from '../../reports/disclosure.ts';
import type { Ctx } from '../runtime/ctx.ts';
import { chaseList, requestStatuses, type RegisterLine } from './register-status.ts';
import { today } from './dates.ts';
import { foiReference } from './wave.ts';

/**
 * `census foi export`: the request register, the status of every request and the chase list of a wave
 * as a table for a spreadsheet (csv or xlsx). Every value is derived as `census foi status` derives it
 * (register-status.ts); nothing here is stored.
 */

export const EXPORT_KINDS = ['register', 'status', 'chase'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];
type Cell = string | number | null;
export interface ExportTable {
  title: string;
  headers: string[];
  rows: Cell[][];
}

const yesNo = (b: boolean | null) => (b === null ? null : b ? 'yes' : 'no');

export async function exportTable(
  input: { wave: number; kind: ExportKind; asOf?: string },
  ctx: Ctx,
): Promise<ExportTable> {
  const asOf = input.asOf ?? today(ctx.clock);
  const { trusts, list } = foiReference(input.wave, ctx.workspace.wavesDir);
  const contact = (ods: string) => trusts.byOds.get(ods)?.foiEmail ?? null;
  if (input.kind === 'chase') {
    const lines = await chaseList({ wave: input.wave, asOf }, ctx);
    return {
      title: `FOI chase list, wave ${input.wave}, as of ${asOf}`,
      headers: [
        'ODS code',
        'Trust',
        'Status',
        'Our ref',
        'Their ref',
        'Sent',
        'Due',
        'Working days since the clock started',
        'Calendar days since the clock started',
        'FOI address',
      ],
      rows: lines.map((l) => [
        l.request.ods,
        l.request.name,
        l.status.status,
        l.request.ourRef,
        l.request.theirRef,
        l.request.sent,
        l.status.due?.due ?? null,
        l.status.daysElapsed?.working ?? null,
        l.status.daysElapsed?.calendar ?? null,
        // Said, not left blank: a chase needs an address, and none is guessed (foi letters says the same).
        contact(l.request.ods) ?? 'not known',
      ]),
    };
  }
  const lines = await requestStatuses({ wave: input.wave, asOf }, ctx);
  if (input.kind === 'register')
    return {
      title: `FOI request register, wave ${input.wave}`,
      headers: [
        'ODS code',
        'Trust',
        'Law',
        'Our ref',
        'Their ref',
        'Sent',
        'Received',
        'Statutory due date',
        'How the due date was computed',
        'FOI address',
        'FOI address source',
        'Note',
      ],
      rows: lines.map((l) => [
        l.request.ods,
        l.request.name,
        l.law === 'foisa' ? 'FOISA 2002' : 'FOIA 2000',
        l.request.ourRef,
        l.request.theirRef,
        l.request.sent,
        l.request.received,
        l.request.due,
        l.request.dueExplanation.summary,
        contact(l.request.ods),
        trusts.byOds.get(l.request.ods)?.foiEmailSource ?? (contact(l.request.ods) ? null : 'not known'),
        l.request.note,
      ]),
    };
  const questions = list.questions.map((q) => q.id);
  return {
    title: `FOI request status, wave ${input.wave}, as of ${asOf}`,
    headers: [
      'ODS code',
      'Trust',
      'Status',
      'Due (after any clarification or extension)',
      'First reply',
      'Within the statutory time',
      'Working days taken',
      'Exemptions',
      'Internal review requested',
      'Internal review due',
      'ICO complaint / decision',
      'Events retracted',
      'Replies',
      'Replies awaiting coding',
      ...questions,
    ],
    rows: lines.map((l: RegisterLine) => [
      l.request.ods,
      l.request.name,
      l.status.status,
      l.status.due?.due ?? null,
      l.status.firstReply,
      yesNo(l.status.withinTime),
      l.status.daysTaken?.working ?? null,
      l.status.exemptions.join(', ') || null,
      l.review?.requested ?? null,
      l.review?.due ?? null,
      l.regulator.map((e) => `${e.kind === 'ico_complaint' ? 'complaint' : 'decision'} ${e.date}`).join('; ') || null,
      l.retracted.map((e) => `${e.kind} ${e.date}: ${e.reason}`).join('; ') || null,
      l.replies,
      l.awaitingCoding,
      ...questions.map((q) => l.status.questions[q] ?? null),
    ]),
  };
}

function csvField(v: Cell): string {
  if (v === null) return '';
  const text = typeof v === 'number' ? String(v) : neutraliseFormula(v);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 csv, LF line ends, cells that would start a formula neutralised. */
export function tableCsv(t: ExportTable): string {
  return [t.headers, ...t.rows].map((r) => `${r.map(csvField).join(',')}\n`).join('');
}

/** One sheet: a title row, the header row frozen and filtered, widths to fit. */
export async function tableXlsx(t: ExportTable, created: Date): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'census';
  wb.created = created;
  wb.modified = created;
  wb.title = t.title;
  const ws = wb.addWorksheet('Requests', { views: [{ state: 'frozen', ySplit: 2 }] });
  ws.addRow([t.title]).font = { bold: true, size: 12 };
  const header = ws.addRow(t.headers);
  header.font = { bold: true };
  for (const r of t.rows) ws.addRow(r.map((c) => (typeof c === 'string' ? neutraliseFormula(c) : c)));
  ws.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: t.headers.length } };
  t.headers.forEach((h, i) => {
    const longest = Math.max(h.length, ...t.rows.map((r) => String(r[i] ?? '').length));
    ws.getColumn(i + 1).width = Math.min(60, Math.max(8, longest + 2));
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
