import { createHash } from 'node:crypto';
import PQueue from 'p-queue';
import type { Ctx } from './ctx.ts';
import { issue, type Issue, type Severity } from '../schemas/issue.ts';
import type { QuestionList } from '../schemas/question-list.ts';
import { CensusError, asCensusError } from './errors.ts';
import { listInputFiles, receivePath } from './receive.ts';
import { extract } from './extract.ts';
import { validate } from './validate.ts';
import { normalise } from './normalise.ts';
import { load, issueRow } from './load.ts';
import type { StoredFile } from './types.ts';
import { questionnaireReader } from '../sources/questionnaire/index.ts';
import type { QuestionnaireKind } from '../sources/index.ts';

export interface FileOutcome {
  name: string;
  hash: string | null;
  kind: string;
  status: 'loaded' | 'rejected' | 'unchanged' | 'refused' | 'failed';
  returnsLoaded: number;
  returnsRejected: number;
  issues: Issue[];
}

export interface IngestSummary {
  runId: string;
  wave: number;
  files: FileOutcome[];
  returnsLoaded: number;
  returnsRejected: number;
  issuesBySeverity: Record<Severity, number>;
  issuesByCode: Record<string, number>;
}

/** The rules a file was processed with: reader, question list and validation. Same version = skip on rerun. */
export function ruleVersion(kind: string, list: QuestionList): string {
  const reader = questionnaireReader(kind as QuestionnaireKind)?.ruleVersion ?? 'none';
  const listHash = createHash('sha256').update(JSON.stringify(list)).digest('hex').slice(0, 12);
  return `${reader}|list:${listHash}|validate/1`;
}

const ENV_FAULT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOSPC', '57P01', '08006', '08001', '08003', '57P03', 'EPIPE']);

function isEnvironmentFault(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (err instanceof CensusError) return true;
  return ENV_FAULT_CODES.has(e?.code ?? '') || /Connection terminated|connection.*(closed|ended)|terminating connection/i.test(e?.message ?? '');
}

async function processFile(file: StoredFile, list: QuestionList, runId: string, ctx: Ctx): Promise<FileOutcome> {
  const base = { name: file.originalName, hash: file.hash, kind: file.sourceKind };
  const rv = ruleVersion(file.sourceKind, list);
  const receipt = await ctx.db.selectFrom('file_receipt').select('processed_rule_version')
    .where('sha256', '=', file.hash).where('wave', '=', file.wave).executeTakeFirst();
  if (receipt?.processed_rule_version === rv) {
    return { ...base, status: 'unchanged', returnsLoaded: 0, returnsRejected: 0, issues: [] };
  }
  try {
    const extraction = await extract(file, list, ctx);
    const validation = validate(extraction, list);
    const nf = normalise(validation, list);
    const res = await load(nf, { runId, ruleVersion: rv }, ctx);
    const status = res.returnsLoaded > 0 ? 'loaded' : 'rejected';
    return { ...base, status, returnsLoaded: res.returnsLoaded, returnsRejected: res.returnsRejected, issues: res.issues };
  } catch (err) {
    if (isEnvironmentFault(err)) throw asCensusError(err, `loading ${file.originalName}`);
    // A bug in a reader must not stop the batch: the file gets an issue and the others go on.
    const i = issue('internal_error', 'error', `census failed on ${file.originalName}: ${(err as Error).message}. Other files were not affected; please report this with the file.`, { fileHash: file.hash });
    await ctx.db.insertInto('data_issue').values(issueRow(i, file.originalName, file.wave, runId)).execute();
    return { ...base, status: 'failed', returnsLoaded: 0, returnsRejected: 0, issues: [i] };
  }
}

/** The ingest job: receive every file, then extract -> validate -> normalise -> load each, two at a time. */
export async function ingest(input: { paths: string[]; wave: number; list: QuestionList; command: string }, ctx: Ctx): Promise<IngestSummary> {
  const { files: paths, missing } = listInputFiles(input.paths);
  if (missing.length) throw new CensusError('usage', `Not found: ${missing.join(', ')}`, 'Check the paths given to census ingest.');
  const run = await ctx.db.insertInto('ingest_run').values({
    wave: input.wave, command: input.command, code_version: ctx.codeVersion, started_at: ctx.clock.now(),
  }).returning('id').executeTakeFirstOrThrow();
  const runId = String(run.id);
  const kinds = { questionnaire: input.list, foi: false };
  const outcomes: FileOutcome[] = new Array(paths.length);
  ctx.progress.start(paths.length, `Ingesting wave ${input.wave}`);
  const queue = new PQueue({ concurrency: 2 });
  try {
    for (const [i, path] of paths.entries()) {
      const rec = await receivePath(path, { wave: input.wave, runId, kinds }, ctx);
      if (!rec.file) {
        const name = path.split(/[\\/]/).pop() ?? path;
        await ctx.db.insertInto('data_issue').values(rec.issues.map((x) => issueRow(x, name, input.wave, runId))).execute();
        outcomes[i] = { name, hash: null, kind: 'none', status: 'refused', returnsLoaded: 0, returnsRejected: 0, issues: rec.issues };
        ctx.progress.tick(name);
        continue;
      }
      const file = rec.file;
      void queue.add(async () => {
        outcomes[i] = await processFile(file, input.list, runId, ctx);
        ctx.progress.tick(file.originalName);
      });
    }
    await queue.onIdle();
  } catch (err) {
    queue.clear();
    await queue.onIdle().catch(() => {});
    ctx.progress.stop();
    await ctx.db.updateTable('ingest_run').set({ status: 'failed', finished_at: ctx.clock.now() }).where('id', '=', runId).execute().catch(() => {});
    throw asCensusError(err, 'ingesting');
  }
  ctx.progress.stop();
  const summary = summarise(runId, input.wave, outcomes.filter(Boolean));
  await ctx.db.updateTable('ingest_run').set({
    status: summary.issuesBySeverity.error > 0 ? 'done_with_errors' : 'done',
    finished_at: ctx.clock.now(),
    counts: JSON.stringify({ files: summary.files.length, returnsLoaded: summary.returnsLoaded, returnsRejected: summary.returnsRejected, issues: summary.issuesBySeverity }),
  }).where('id', '=', runId).execute();
  return summary;
}

export function summarise(runId: string, wave: number, files: FileOutcome[]): IngestSummary {
  const bySev: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  const byCode: Record<string, number> = {};
  for (const f of files) for (const i of f.issues) { bySev[i.severity] += 1; byCode[i.code] = (byCode[i.code] ?? 0) + 1; }
  return {
    runId, wave, files,
    returnsLoaded: files.reduce((s, f) => s + f.returnsLoaded, 0),
    returnsRejected: files.reduce((s, f) => s + f.returnsRejected, 0),
    issuesBySeverity: bySev,
    issuesByCode: Object.fromEntries(Object.entries(byCode).sort(([a], [b]) => a.localeCompare(b))),
  };
}
