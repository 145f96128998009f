import { createHash } from 'node:crypto';
import type { FoiReadResult } from '../../../schemas/foi.ts';
import { issue } from '../../../schemas/issue.ts';
import type { FoiKind } from '../../../sources/index.ts';
import { CensusError, isEnvironmentFault } from '../../../schemas/fault.ts';
import { foiPreflight, forPerson } from './extract.ts';
import { stageResult, type WaveProcessor } from '../processor.ts';
import { readStored, storedPath } from '../../runtime/store.ts';
import type { Limits } from '../../runtime/workspace.ts';
import { FOI_READER_RULES, lazyFoiReaders, type FoiReaders } from './reader-table.ts';
import { RECORD_COPY_MIN_BYTES, readRecordCsvByCopy } from './record-copy.ts';
import { storeResponse } from './response-store.ts';
import { foiReference } from '../../foi/wave.ts';
import { seedTrusts } from '../../foi/trust-table.ts';

/** Bumped when matching or storing changes: every reply of the wave is then processed again. */
const STORE_RULES = 'foi-store/4';
/** Bumped when the preflight of files no reader takes changes: only those files are processed again. */
const UNREAD_RULES = 'foi-preflight/1';

/**
 * FOI waves: each received file is a reply (or an attachment of one). The reader is chosen by the
 * file's kind; the reply is matched to a request and stored with its values and issues in one
 * transaction; e-mail attachments go back to the ingest job, which receives them as files of their own.
 * A file of no FOI kind (an old .xls or .doc, a password-protected workbook, a binary ".csv", a zip
 * bomb) is named for what it is by the preflight (`limits`, else the workspace's); files of a
 * reader kind are checked by the reader table itself (guardedFoiReaders), so nothing runs twice.
 */
export function foiProcessorFor(
  wave: number,
  opts: {
    readers?: FoiReaders;
    limits?: Limits;
    recordCopyMinBytes?: number;
    wavesDir?: string | null;
    /** `census ingest --received`: the day these replies arrived (YYYY-MM-DD). */
    received?: string;
  } = {},
): WaveProcessor {
  const { list, trusts } = foiReference(wave, opts.wavesDir);
  const readers = opts.readers ?? lazyFoiReaders();
  const listHash = createHash('sha256').update(JSON.stringify(list)).digest('hex').slice(0, 12);
  // The trust table is brought to this list's version once per processor (one run of one wave), on its
  // own commit before the first reply is stored, not read again in every reply's load (#18).
  let seeded: Promise<unknown> | null = null;
  return {
    domain: 'foi',
    kinds: { questionnaire: null, foi: true },
    ruleVersion: (file) =>
      `${FOI_READER_RULES}|${file.sourceKind}|list:${listHash}|trusts:${trusts.version.slice(0, 12)}|${STORE_RULES}${readers[file.sourceKind as FoiKind] ? '' : `|${UNREAD_RULES}`}${opts.received ? `|received:${opts.received}` : ''}`,
    async process(file, input, ctx) {
      const at = { fileHash: file.hash };
      const readerCtx = { fileHash: file.hash, originalName: file.originalName, wave: list, sentDate: list.sentDate };
      // A large csv streams into the database and is counted there (sql/009): a record-level extract
      // of a million referrals never sits in memory. Null when it is not record-level after all.
      // A failure of that path other than the database's own goes on to the ordinary reader.
      const streamed =
        file.sourceKind === 'foi_csv' && file.size >= (opts.recordCopyMinBytes ?? RECORD_COPY_MIN_BYTES) && ctx.pool
          ? await readRecordCsvByCopy(storedPath(ctx.workspace.storeDir, file.hash), readerCtx, {
              pool: ctx.pool,
              now: ctx.clock.now(),
            }).catch((err: unknown) => {
              if (err instanceof CensusError || isEnvironmentFault(err)) throw err;
              return null;
            })
          : null;
      const bytes = streamed ? Buffer.alloc(0) : readStored(ctx.workspace.storeDir, file.hash);
      const reader = readers[file.sourceKind as FoiKind];
      let read: FoiReadResult;
      let failed = false;
      if (streamed) {
        read = streamed;
      } else if (reader === undefined) {
        read =
          foiPreflight(file, bytes, opts.limits ?? ctx.workspace.config.limits) ??
          forPerson([
            issue(
              'foi_format_unsupported',
              'warning',
              `${file.mediaType} is not a format census reads; the reply is kept for coding by hand (census foi coding-sheet).`,
              at,
            ),
          ]);
      } else {
        try {
          read = await reader(bytes, readerCtx);
        } catch (err) {
          if (err instanceof CensusError) throw err;
          // A reader bug on one reply must not lose it: it is kept for a person, with the failure as an issue.
          failed = true;
          read = forPerson([
            issue(
              'foi_reader_failed',
              'error',
              `The ${file.sourceKind} reader failed on this reply (${(err as Error).message}); it is kept for coding by hand. Please report the file.`,
              at,
            ),
          ]);
        }
      }
      await (seeded ??= seedTrusts(ctx.db, trusts, ctx.clock.now()).catch((err: unknown) => {
        seeded = null;
        throw err;
      }));
      const stored = await storeResponse(
        file,
        read,
        { ...input, trusts, trustsSeeded: true, ...(opts.received ? { received: opts.received } : {}) },
        ctx,
      );
      return {
        status: 'loaded',
        returnsLoaded: 1,
        returnsRejected: 0,
        issues: stored.issues,
        stages: [stageResult('extract', read.issues, failed), stageResult('load', stored.loadIssues)],
        ...(read.attachments?.length
          ? { attachments: read.attachments.map((a) => ({ name: a.name, bytes: a.bytes })) }
          : {}),
      };
    },
  };
}
