import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MANIFEST_FILE } from '../../reports/manifest.ts';
import type { ReportParams } from '../../schemas/report-params.ts';
import type { Ctx } from '../runtime/ctx.ts';
import { CensusError } from '../../schemas/fault.ts';
import { renderReport } from '../report/build.ts';
import { foiValueContentKeys } from '../report/foi-data.ts';
import { FIGURES_JSON } from '../../reports/render.ts';
import { hasQuestionnaireWave } from '../runtime/waves.ts';
import { valueTrails, type ValueTrail } from './trail.ts';

/**
 * `census audit figure`: from a figure of the report to every value behind it. The record ids come
 * from figures.json (report.md: "the ids of the records behind it"): of a build folder when given,
 * else of an internal build rendered in memory from the database as it is now (nothing is written).
 */

interface FigureJson {
  id: string;
  section: string;
  label: string;
  value: { low: number; high: number | null } | null;
  status: string | null;
  text: string;
  unit: string;
  denominator: { answered: number; notAnswered: number; of: string } | null;
  definition: string;
  /** null in a public build, which lists no records (older public builds: their count and hash). */
  records: string[] | { count: number; sha256: string } | null;
}
interface FiguresFile {
  wave: number;
  build: string;
  figures: FigureJson[];
  definitions: Record<string, string>;
}

interface RequestRecord {
  key: string;
  requestId: string;
  trustOds: string;
  trustName: string;
  sent: string;
  due: string;
  replies: { file: string; sha256: string; replyDate: string | null }[];
}

export interface FigureAudit {
  figure: FigureJson;
  definition: string;
  source: string;
  values: ValueTrail[];
  requests: RequestRecord[];
  /** Records that are not FOI values or requests (questionnaire answers), listed as figures.json has them. */
  otherRecords: string[];
  /** FOI value ids of figures.json no longer in the database (the reply was reprocessed since the build). */
  goneValues: string[];
}

function readFigures(path: string): { file: FiguresFile; source: string } {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, FIGURES_JSON) : path;
  try {
    return { file: JSON.parse(readFileSync(file, 'utf8')) as FiguresFile, source: file };
  } catch (err) {
    throw new CensusError(
      'usage',
      `Cannot read ${file}: ${(err as Error).message}.`,
      'Pass --report a folder written by census report (or its figures.json).',
    );
  }
}

/**
 * FOI waves (2024) and questionnaire waves (2025) differ: an FOI wave with no questionnaire list is shown
 * in the report of the next questionnaire wave that has one, with the FOI wave pinned in the parameters.
 */
async function renderedFigures(
  wave: number,
  params: ReportParams,
  ctx: Ctx,
): Promise<{ file: FiguresFile; source: string }> {
  let reportWave = wave;
  let p = params;
  if (!hasQuestionnaireWave(wave, ctx.workspace.wavesDir)) {
    const next = Array.from({ length: 10 }, (_, i) => wave + i + 1).find((w) =>
      hasQuestionnaireWave(w, ctx.workspace.wavesDir),
    );
    if (next === undefined)
      throw new CensusError('usage', `No report wave shows FOI wave ${wave}.`, 'Pass --report a report folder.');
    reportWave = next;
    p = { ...params, foi: { ...params.foi, wave } };
  }
  const report = await renderReport({ wave: reportWave, publicBuild: false, params: p }, ctx);
  return {
    file: JSON.parse(report.outputs.get(FIGURES_JSON)!.toString('utf8')) as FiguresFile,
    source: `internal build of wave ${reportWave} rendered now from the database`,
  };
}

/** The waves a build shows: its own and its FOI wave (from the manifest beside figures.json). */
function wavesOf(file: FiguresFile, source: string): number[] {
  const manifest = join(dirname(source), MANIFEST_FILE);
  const foi = existsSync(manifest)
    ? (JSON.parse(readFileSync(manifest, 'utf8')) as { parameters?: { foi?: { wave?: number | null } } }).parameters
        ?.foi?.wave
    : null;
  return [file.wave, ...(typeof foi === 'number' ? [foi] : [])];
}

/** The figure by id, else the one figure whose label or printed text contains `wanted`. */
function findFigure(file: FiguresFile, wanted: string): FigureJson {
  const exact = file.figures.find((f) => f.id === wanted);
  if (exact) return exact;
  const w = wanted.toLowerCase();
  const near = file.figures.filter(
    (f) => f.label.toLowerCase().includes(w) || f.text.toLowerCase() === w || f.id.startsWith(`${wanted}.`),
  );
  if (near.length === 1) return near[0]!;
  const list = (near.length ? near : file.figures)
    .slice(0, 40)
    .map((f) => `  ${f.id}  ${f.text}  (${f.label})`)
    .join('\n');
  throw new CensusError(
    'usage',
    `${near.length ? `"${wanted}" matches ${near.length} figures` : `No figure "${wanted}"`} in wave ${file.wave}'s figures.json:\n${list}`,
    'Pass one figure id from the list (figures.json lists every figure of report.html with its id).',
  );
}

export async function auditFigure(
  input: { wanted: string; wave: number; report?: string; params: ReportParams },
  ctx: Ctx,
): Promise<FigureAudit> {
  const { file, source } = input.report
    ? readFigures(input.report)
    : await renderedFigures(input.wave, input.params, ctx);
  if (input.report && !wavesOf(file, source).includes(input.wave))
    throw new CensusError(
      'usage',
      `${source} is the report of wave ${file.wave}, which does not show wave ${input.wave}.`,
      `Pass --wave ${file.wave}, or the report folder of wave ${input.wave}.`,
    );
  const figure = findFigure(file, input.wanted);
  if (!Array.isArray(figure.records)) {
    throw new CensusError(
      'usage',
      `${source} is a public build: figure ${figure.id} lists no records.`,
      "Audit the internal build of the same data: leave out --report (the figure is rebuilt from the database) or pass the internal build's folder.",
    );
  }
  const records = figure.records;
  const valueKeys = records.filter((r) => r.startsWith('foi_value:')).map((r) => r.slice('foi_value:'.length));
  const requestKeys = records.filter((r) => r.startsWith('foi_request:')).map((r) => r.slice('foi_request:'.length));
  const byKey = await valueIdsByKey(valueKeys, ctx);
  const { trails, missing } = await valueTrails(
    valueKeys.map((k) => byKey.get(k) ?? k),
    ctx,
  );
  const keyOfId = new Map([...byKey].map(([k, id]) => [id, k]));
  return {
    figure,
    definition: file.definitions[figure.definition] ?? figure.definition,
    source,
    values: trails,
    requests: await requestRecords(requestKeys, ctx),
    otherRecords: records.filter((r) => !r.startsWith('foi_value:') && !r.startsWith('foi_request:')),
    goneValues: missing.map((id) => keyOfId.get(id) ?? id),
  };
}

async function requestRecords(keys: readonly string[], ctx: Ctx): Promise<RequestRecord[]> {
  // A request is cited as <wave>/<ODS code> (one request per trust a wave); older builds cited its row id.
  const byContent = keys.map((k) => /^(\d{4})\/([A-Z0-9]+)$/.exec(k)).filter((m) => m !== null);
  const byId = keys.filter((k) => /^\d+$/.test(k));
  if (byContent.length === 0 && byId.length === 0) return [];
  const rows = await ctx.db
    .selectFrom('foi_request as q')
    .innerJoin('trust as t', 't.ods_code', 'q.trust_ods')
    .select(['q.id', 'q.wave', 'q.trust_ods', 't.name', 'q.sent_date', 'q.due_date'])
    .where((eb) =>
      eb.or([
        ...(byId.length ? [eb('q.id', 'in', byId)] : []),
        ...byContent.map((m) => eb.and([eb('q.wave', '=', Number(m[1])), eb('q.trust_ods', '=', m[2]!)])),
      ]),
    )
    .orderBy('q.trust_ods')
    .execute();
  const wanted = rows.map((r) => String(r.id));
  if (wanted.length === 0) return [];
  const replies = await ctx.db
    .selectFrom('foi_response as r')
    .innerJoin('file_receipt as f', (j) => j.onRef('f.sha256', '=', 'r.sha256').onRef('f.wave', '=', 'r.wave'))
    .select(['r.request_id', 'r.sha256', 'r.reply_date', 'f.original_name'])
    .where('r.request_id', 'in', wanted)
    .orderBy('r.id')
    .execute();
  return rows.map((r) => ({
    key: `foi_request:${r.wave}/${r.trust_ods}`,
    requestId: String(r.id),
    trustOds: r.trust_ods,
    trustName: r.name,
    sent: r.sent_date,
    due: r.due_date,
    replies: replies
      .filter((x) => String(x.request_id) === String(r.id))
      .map((x) => ({ file: x.original_name, sha256: x.sha256, replyDate: x.reply_date })),
  }));
}

/**
 * Content key of figures.json (reply sha256 prefix, place, question, period, basis, age band) ->
 * the value's id today: the values of the replies whose sha256 starts with the key's prefix, keyed
 * the way the report keys them. Keys of older builds (plain row ids) map to themselves.
 */
async function valueIdsByKey(keys: readonly string[], ctx: Ctx): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const prefixes = [...new Set(keys.map((k) => /^([0-9a-f]{16})[@/]/.exec(k)?.[1]).filter((p) => p !== undefined))];
  for (const k of keys) if (/^\d+$/.test(k)) out.set(k, k);
  if (prefixes.length === 0) return out;
  const ids = await ctx.db
    .selectFrom('foi_value_corrected as v')
    .innerJoin('foi_response as r', 'r.id', 'v.response_id')
    .select('v.id')
    .where((eb) => eb.or(prefixes.map((p) => eb('r.sha256', 'like', `${p}%`))))
    .orderBy('v.id')
    .execute();
  const { keys: keyOf } = await foiValueContentKeys(
    ctx,
    ids.map((i) => String(i.id)),
  );
  const wanted = new Set(keys);
  for (const [id, key] of keyOf) if (wanted.has(key) && !out.has(key)) out.set(key, id);
  return out;
}
