import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Ctx } from '../runtime/ctx.ts';
import { asCensusError } from '../../schemas/fault.ts';
import { readStored } from '../runtime/store.ts';
import { questionListFor } from '../runtime/waves.ts';
import { childPath, safeStem, uniqueNamer } from '../runtime/safe-file-name.ts';
import { redactor } from './advice.ts';
import { STAFF_ONLY } from '../../schemas/team-wording.ts';
import { teamIssues, type FeedbackIssue } from './team-issue.ts';
import { summaryWorkbook } from './workbook.ts';
import { feedbackEmail } from './email.ts';
import { preflight } from '../../sources/shared/preflight.ts';
import { runIsolated } from '../runtime/isolate.ts';

/** The module the parse worker loads to reopen a team's workbook (annotate.ts, as a file URL). */
const ANNOTATE_MODULE = new URL('./annotate.ts', import.meta.url).href;
import { feedbackReturns, type FeedbackReturn } from './query.ts';

/**
 * `census feedback`: for each loaded or rejected return with issues, a workbook to send back to the
 * team. A team workbook gets a copy of its own original (from the raw store, never modified there)
 * with every issue marked on its cell and a summary sheet first; a survey export (one file, many
 * teams) gets a summary-only workbook per team. Files are named from the team name made safe.
 * The respondent's name and e-mail never reach the summary sheet.
 */
export interface FeedbackOutput {
  returnId: string;
  team: string;
  file: string;
  kind: 'annotated' | 'summary';
  issues: number;
}

export async function writeFeedback(
  input: { wave: number; outDir: string; emailsDir?: string },
  ctx: Ctx,
): Promise<FeedbackOutput[]> {
  const list = questionListFor(input.wave, ctx.workspace.wavesDir);
  // Notes meant for census staff (a copy in the same batch, a check not run, ...) never reach a team
  // (teamIssues leaves them out): a return with nothing else gets no feedback.
  const returns = latestPerTeam(await feedbackReturns(ctx.db, input.wave)).filter((r) =>
    r.issues.some((i) => !STAFF_ONLY.has(i.code)),
  );
  try {
    // Private by default: feedback names teams and quotes their answers (umask still applies).
    mkdirSync(input.outDir, { recursive: true, mode: 0o700 });
    if (input.emailsDir) mkdirSync(input.emailsDir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw asCensusError(err, `creating the folder ${input.emailsDir ?? input.outDir}`);
  }
  const nameFor = uniqueNamer();
  const out: FeedbackOutput[] = [];
  for (const r of returns) {
    const redact = redactor([r.respondentName, r.respondentEmail]);
    const issues = teamIssues(r.issues, list, [r.respondentName, r.respondentEmail]);
    const head = {
      title: `Feedback on your ${input.wave} questionnaire return`,
      lines: [
        `Team: ${redact(r.team)}`,
        `Your file: ${redact(r.fileName)}${r.sourceKind === 'survey_export' ? ' (the survey export holding your answers)' : ''}`,
        r.state === 'rejected'
          ? 'Your return could not be counted yet: please correct the errors below and send it again.'
          : 'Your return was loaded; please check the points below.',
      ],
    };
    const annotated = r.sourceKind !== 'survey_export' && !r.sharedFile ? await annotate(ctx, r, head, issues) : null;
    const bytes = annotated ?? Buffer.from(await summaryWorkbook(head, issues, ctx.clock.now()).xlsx.writeBuffer());
    const name = nameFor(`${safeStem(r.team, `return-${r.id}`)}-${input.wave}-feedback`, r.id, '.xlsx');
    writeAtomically(childPath(input.outDir, name), bytes);
    if (input.emailsDir) {
      const eml = feedbackEmail({
        wave: input.wave,
        team: r.team,
        to: r.respondentEmail,
        rejected: r.state === 'rejected',
        issues,
        fileName: name,
        attachment: bytes,
        date: ctx.clock.now(),
        boundary: `census-feedback-${r.sha256.slice(0, 16)}-${r.id}`,
      });
      writeAtomically(childPath(input.emailsDir, name.replace(/\.xlsx$/, '.eml')), Buffer.from(eml, 'utf8'));
    }
    out.push({
      returnId: r.id,
      team: r.team,
      file: name,
      kind: annotated ? 'annotated' : 'summary',
      issues: issues.length,
    });
  }
  return out;
}

/**
 * One return per team: its latest (the highest return id: a later return supersedes an earlier one,
 * and a superseded one is not listed at all). Returns with no known team stay one each.
 */
function latestPerTeam(rs: FeedbackReturn[]): FeedbackReturn[] {
  const latest = new Map<string, FeedbackReturn>();
  for (const r of rs) {
    const key = r.team.trim().toLowerCase();
    const prev = latest.get(key);
    if (!prev || BigInt(r.id) > BigInt(prev.id)) latest.set(key, r);
  }
  return rs.filter((r) => latest.get(r.team.trim().toLowerCase()) === r);
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The team's own workbook with the issues marked (its bytes), or null when the stored copy cannot
 * be opened as one. The workbook is read as ingest reads it: the preflight (size, zip bomb, rows)
 * first, then exceljs in the parse pool under limits.parseTimeoutMs, where a workbook too big or
 * too slow stops its worker, not this command; any of those gives the team a summary workbook.
 */
async function annotate(
  ctx: Ctx,
  r: FeedbackReturn,
  head: { title: string; lines: string[] },
  issues: FeedbackIssue[],
): Promise<Buffer | null> {
  const limits = ctx.workspace.config.limits;
  const bytes = readStored(ctx.workspace.storeDir, r.sha256);
  const checked = preflight(bytes, { mediaType: XLSX, name: r.fileName, fileHash: r.sha256 }, limits);
  if (checked.some((i) => i.severity === 'error')) {
    ctx.log.warn(
      `${r.fileName}: not reopened for feedback (${checked.find((i) => i.severity === 'error')!.message.slice(0, 160)}); the team gets a summary workbook.`,
    );
    return null;
  }
  const res = await runIsolated<Uint8Array | null>(
    ANNOTATE_MODULE,
    'annotatedWorkbook',
    [bytes, head, issues],
    limits.parseTimeoutMs,
  );
  if (res.ok) return res.value ? Buffer.from(res.value) : null;
  // Stopped (time, memory), failed, or no worker could start: never parsed here instead.
  ctx.log.warn(`${r.fileName}: could not be reopened for feedback (${res.reason}); the team gets a summary workbook.`);
  return null;
}

function writeAtomically(path: string, bytes: Buffer): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, bytes, { mode: 0o600 });
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw asCensusError(err, `writing ${path}`);
  }
}
