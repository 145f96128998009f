import { formatLocation, type Location } from '../../schemas/issue.ts';
import type { StoredFile } from '../../schemas/stage.ts';
import { labelMapFor, mappingVersion } from '../ingest/questionnaire/label-map.ts';
import { checkBeforeParse, parseIsolated } from '../ingest/parse-guard.ts';
import type { Ctx } from '../runtime/ctx.ts';
import { readStored } from '../runtime/store.ts';
import { hasQuestionnaireWave, questionListFor } from '../runtime/waves.ts';
import { h, type Html } from './html.ts';
import {
  PREVIEW_TASK_MODULE,
  readRegions,
  type Region,
  type RegionRequest,
  type RegionResult,
} from './preview-task.ts';

/**
 * The evidence behind an issue or a value, as a preview beside it: for a spreadsheet cell (or a csv
 * row), the sheet region around it read again from the raw store through the parse guard and pool
 * (preview-task.ts); for a PDF page, an e-mail or a text reply, the lines the FOI values of that
 * file quote at that place (the quotes the readers stored, spec/foi.md "Coding rules"). Stored files
 * never change, so a region is kept in memory once read (keyed by file, wave, label mappings and
 * place). Everything shown is escaped by the html template.
 */

export type Preview =
  | { kind: 'region'; region: Region }
  | { kind: 'quotes'; lines: { at: string; quote: string; target: boolean }[] }
  | { kind: 'none'; why: string };

const SPREADSHEETS = new Set([
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-excel.sheet.macroEnabled.12',
  'text/csv',
]);
const QUESTIONNAIRE_KINDS = new Set(['team_workbook', 'hand_workbook', 'survey_export']);
const CACHE_MAX = 2000;
const cache = new Map<string, RegionResult>();

function remember(key: string, r: RegionResult): void {
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
  cache.set(key, r);
}

/** A place that has a region: a cell of a sheet, or a row of a csv. */
const isCellPlace = (l: Location): boolean => l.cell !== undefined || (l.row !== undefined && l.page === undefined);
/** A place in lines of text: a page and line of a PDF, or a line of an e-mail or text reply. */
const isLinePlace = (l: Location): boolean => l.page !== undefined || l.line !== undefined;

interface FileFacts {
  file: StoredFile;
}

async function fileFacts(ctx: Ctx, sha256: string, wave: number): Promise<FileFacts | null> {
  const r = await ctx.db
    .selectFrom('file_receipt as f')
    .innerJoin('raw_file as r', 'r.sha256', 'f.sha256')
    .select(['f.original_name', 'f.source_kind', 'r.media_type', 'r.size_bytes'])
    .where('f.sha256', '=', sha256)
    .where('f.wave', '=', wave)
    .executeTakeFirst();
  if (!r) return null;
  return {
    file: {
      hash: sha256,
      originalName: r.original_name,
      size: Number(r.size_bytes),
      mediaType: r.media_type as StoredFile['mediaType'],
      wave,
      sourceKind: r.source_kind,
      alreadyReceived: true,
    },
  };
}

/** The regions of the places of one stored spreadsheet, in order (one parse for all of them). */
async function regions(ctx: Ctx, facts: FileFacts, places: Location[]): Promise<RegionResult[]> {
  const { file } = facts;
  const questionnaire =
    QUESTIONNAIRE_KINDS.has(file.sourceKind) && hasQuestionnaireWave(file.wave, ctx.workspace.wavesDir);
  const list = questionnaire ? questionListFor(file.wave, ctx.workspace.wavesDir) : null;
  const mapping = questionnaire ? await labelMapFor(ctx.db, file.wave) : [];
  const keyOf = (p: Location) =>
    `${file.hash}|${file.wave}|${mappingVersion(mapping)}|${p.sheet ?? ''}|${p.cell ?? ''}|${p.row ?? ''}|${p.column ?? ''}`;
  const wanted = places.filter((p) => !cache.has(keyOf(p)));
  if (wanted.length > 0) {
    const limits = ctx.workspace.config.limits;
    const target = { mediaType: file.mediaType, name: file.originalName, fileHash: file.hash };
    let found: RegionResult[];
    let bytes: Buffer | null = null;
    try {
      bytes = readStored(ctx.workspace.storeDir, file.hash);
    } catch {
      found = wanted.map(() => ({ missing: 'The file is missing from the raw store (census verify --store).' }));
    }
    if (bytes) {
      // The same checks as ingest before any reader opens the file: one it refused is never opened here.
      if (checkBeforeParse(bytes, target, limits).refused)
        found = wanted.map(() => ({ missing: 'The file was refused before reading (see its issues).' }));
      else {
        const req: RegionRequest = { storeDir: ctx.workspace.storeDir, file, list, mapping, places: wanted };
        try {
          const out = await parseIsolated<RegionResult[]>(
            { module: PREVIEW_TASK_MODULE, fn: 'readRegions', args: [req], fallback: () => readRegions(req) },
            target,
            limits,
            { timeout: '.', crashed: '.' },
          );
          found =
            'stopped' in out
              ? wanted.map(() => ({ missing: `The file could not be read again: ${out.stopped.message}` }))
              : out.value;
        } catch (err) {
          found = wanted.map(() => ({
            missing: `The file could not be read again (${(err as Error).message.slice(0, 200)}).`,
          }));
        }
      }
    }
    wanted.forEach((p, i) => remember(keyOf(p), found[i]!));
  }
  return places.map((p) => cache.get(keyOf(p))!);
}

/** The lines FOI values of the file quote at or near the place (two lines either side on the page). */
async function quotedLines(ctx: Ctx, sha256: string, wave: number, place: Location): Promise<Preview> {
  let q = ctx.db
    .selectFrom('foi_value as v')
    .innerJoin('foi_response as r', 'r.id', 'v.response_id')
    .select(['v.page', 'v.line', 'v.quote'])
    .distinct()
    .where('r.sha256', '=', sha256)
    .where('r.wave', '=', wave)
    .where('v.line', 'is not', null);
  q = place.page !== undefined ? q.where('v.page', '=', place.page) : q.where('v.page', 'is', null);
  if (place.line !== undefined) q = q.where('v.line', '>=', place.line - 2).where('v.line', '<=', place.line + 2);
  const rows = await q.orderBy('v.page').orderBy('v.line').orderBy('v.quote').limit(12).execute();
  if (rows.length === 0)
    return { kind: 'none', why: 'No value of this file quotes a line there: open the file itself to see it.' };
  return {
    kind: 'quotes',
    lines: rows.map((r) => ({
      at: formatLocation({
        ...(r.page !== null ? { page: r.page } : {}),
        ...(r.line !== null ? { line: r.line } : {}),
      }),
      quote: r.quote,
      target: place.line !== undefined && r.line === place.line,
    })),
  };
}

/**
 * Previews of places in one file (issues or values of it), in order. A file not in the wave's
 * receipts, or a place that is neither a cell nor a line, has none (said why).
 */
export async function previewsOf(
  ctx: Ctx,
  input: { sha256: string | null; wave: number; places: Location[] },
): Promise<Preview[]> {
  const none = (why: string): Preview => ({ kind: 'none', why });
  if (!input.sha256 || !/^[0-9a-f]{64}$/.test(input.sha256)) return input.places.map(() => none('No file is named.'));
  const facts = await fileFacts(ctx, input.sha256, input.wave);
  if (!facts) return input.places.map(() => none('The file is not among the files received for this wave.'));
  const spreadsheet = SPREADSHEETS.has(facts.file.mediaType);
  const cellPlaces = spreadsheet ? input.places.filter(isCellPlace) : [];
  const found = cellPlaces.length ? await regions(ctx, facts, cellPlaces) : [];
  const byPlace = new Map(cellPlaces.map((p, i) => [p, found[i]!]));
  const out: Preview[] = [];
  for (const p of input.places) {
    const r = byPlace.get(p);
    if (r) out.push('region' in r ? { kind: 'region', region: r.region } : none(r.missing));
    else if (!spreadsheet && isLinePlace(p)) out.push(await quotedLines(ctx, input.sha256, input.wave, p));
    else out.push(none(spreadsheet ? 'The issue names no cell or row.' : 'The issue names no page or line.'));
  }
  return out;
}

/** A preview as HTML (caption names what it shows; the cell or line pointed at is marked in words too). */
export function previewHtml(p: Preview, what: string): Html {
  if (p.kind === 'none') return h`<p class="govuk-body-s desk-no-preview">${p.why}</p>`;
  if (p.kind === 'quotes')
    return h`<div class="desk-evidence"><p class="govuk-body-s desk-compact">${what}: the lines quoted there</p><ul class="govuk-list govuk-body-s desk-compact">${p.lines.map(
      (l) =>
        h`<li${l.target ? h` class="desk-target-line"` : ''}><span class="desk-code">${l.at}</span> <q class="desk-quote-inline">${l.quote}</q>${l.target ? h` <span class="govuk-visually-hidden">(the line pointed at)</span>` : ''}</li>`,
    )}</ul></div>`;
  const r = p.region;
  return h`<div class="desk-evidence"><table class="govuk-table desk-region">
<caption class="govuk-table__caption govuk-body-s">${what}: ${r.sheet !== null ? `sheet ${r.sheet}` : 'the file'}, the cells around it</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><td class="govuk-table__header"></td>${r.columns.map(
    (c) => h`<th scope="col" class="govuk-table__header">${c}</th>`,
  )}</tr></thead>
<tbody class="govuk-table__body">${r.rows.map(
    (row) =>
      h`<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">${row.n}</th>${row.cells.map((c) =>
        c.target
          ? h`<td class="govuk-table__cell desk-target"><strong>${c.withheld ? 'personal data not shown' : c.text}</strong><span class="govuk-visually-hidden"> (the cell pointed at)</span></td>`
          : c.withheld
            ? h`<td class="govuk-table__cell desk-withheld">personal data not shown</td>`
            : h`<td class="govuk-table__cell">${c.text}</td>`,
      )}</tr>`,
  )}</tbody></table></div>`;
}

/** How a stored reply is sent to the browser: shown in it (a PDF, text) or saved (a workbook, an e-mail). */
const REPLY_TYPES: Record<string, { type: string; inline: boolean }> = {
  foi_pdf: { type: 'application/pdf', inline: true },
  foi_text: { type: 'text/plain; charset=utf-8', inline: true },
  foi_csv: { type: 'text/plain; charset=utf-8', inline: true },
  foi_mail: { type: 'message/rfc822', inline: false },
  foi_spreadsheet: { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', inline: false },
  foi_document: { type: 'application/octet-stream', inline: false },
};

/**
 * An FOI reply of the wave as stored (the coding queue's "Open the reply", for rows where nothing was found
 * to quote: a scan, a question left unanswered): its bytes, name and how to send them; null when the wave
 * has no such reply. Only FOI replies: a questionnaire return holds respondents' personal data.
 */
export async function storedReply(
  ctx: Ctx,
  wave: number,
  hash: string,
): Promise<{ bytes: Buffer; name: string; type: string; inline: boolean } | null> {
  if (!/^[0-9a-f]{64}$/.test(hash)) return null;
  const row = await ctx.db
    .selectFrom('file_receipt')
    .select(['original_name', 'source_kind'])
    .where('wave', '=', wave)
    .where('sha256', '=', hash)
    .where('source_kind', 'like', 'foi_%')
    .orderBy('id')
    .executeTakeFirst();
  const how = row ? REPLY_TYPES[row.source_kind] : undefined;
  if (!row || how === undefined) return null;
  return { bytes: readStored(ctx.workspace.storeDir, hash), name: row.original_name, ...how };
}
