import type { Ctx } from '../runtime/ctx.ts';
import type { Issue } from '../../schemas/issue.ts';
import type { StoredFile } from '../../schemas/stage.ts';
import type { WaveKinds } from '../../sources/index.ts';

/**
 * What the ingest job needs of a wave's domain (questionnaire returns or FOI responses). The job
 * itself receives, queues, skips unchanged files and keeps the order; the processor runs
 * extract -> validate -> normalise -> load for one stored file, in one transaction.
 */
export interface FileResult {
  status: 'loaded' | 'rejected';
  returnsLoaded: number;
  returnsRejected: number;
  issues: Issue[];
  /** Each stage's outcome for the stage_outcome ledger; when absent the job records receive and load only. */
  stages?: StageResult[];
  /** Files found inside this one (e-mail attachments): received as files of their own. */
  attachments?: { name: string; bytes: Buffer }[];
}

export interface StageResult {
  stage: 'extract' | 'validate' | 'normalise' | 'load';
  status: 'ok' | 'issues' | 'failed';
  issueCount: number;
}

export function stageResult(stage: StageResult['stage'], issues: readonly Issue[], failed = false): StageResult {
  return { stage, status: failed ? 'failed' : issues.length ? 'issues' : 'ok', issueCount: issues.length };
}

export interface WaveProcessor {
  domain: 'questionnaire' | 'foi';
  kinds: WaveKinds;
  /** The rules a file would be processed with now; equal to the recorded one = unchanged. */
  ruleVersion(file: StoredFile): string;
  process(file: StoredFile, input: { runId: string; ruleVersion: string }, ctx: Ctx): Promise<FileResult>;
  /** Called when a run starts: begin costly set-up (the parse workers) while files are received. */
  warm?(): void;
}
