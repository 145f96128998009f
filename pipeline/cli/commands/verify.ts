import { Command } from 'commander';
import { resolve } from 'node:path';
import { withCtx } from '../run.ts';
import { exitCodes } from '../exit-codes.ts';
import { safeName } from '../../runtime/terminal.ts';

export function verifyCommand(): Command {
  const cmd = new Command('verify')
    .description(
      'Rebuild a report from its manifest and compare every file; or check the audit history (--history) or the raw store (--store).',
    )
    .argument('[dir]', 'a folder written by census report')
    .option('--history', 'recompute the audit log hash chain and name any row changed, removed or slipped in')
    .option('--store', 're-hash every file of the raw store and name any missing or altered one')
    .option('--workspace <dir>', 'workspace folder')
    .addHelpText(
      'after',
      `
Prints each file as identical, different, missing or extra, and what changed in the inputs
(source files, corrections, code version, migration level). Re-ingest the original file to
repair a stored file --store finds missing or altered.

Examples:
  census verify report-2025
  census verify --history --store`,
    )
    .action(async (dir: string | undefined, opts: { workspace?: string; history?: boolean; store?: boolean }) => {
      if (!dir && !opts.history && !opts.store) {
        process.stderr.write('error: give a report folder, --history or --store.\n');
        process.exitCode = 2;
        return;
      }
      process.exitCode = await withCtx(opts, { writes: false, readOnly: true }, async (ctx) => {
        let ok = true;
        if (opts.history) {
          const { checkAuditChain } = await import('../../db/audit-log.ts');
          const chain = await checkAuditChain(ctx.db);
          for (const b of chain.breaks) process.stdout.write(`history  audit_log row ${b.id}: ${b.problem}\n`);
          ctx.log.info(
            chain.breaks.length
              ? `The audit history is broken at ${chain.breaks.length} of ${chain.rows} rows.`
              : `The audit history is intact (${chain.rows} rows).`,
          );
          ok &&= chain.breaks.length === 0;
        }
        if (opts.store) {
          const { checkStored } = await import('../../runtime/store.ts');
          const rows = await ctx.db.selectFrom('raw_file').select(['sha256', 'first_name']).orderBy('sha256').execute();
          let bad = 0;
          for (const r of rows) {
            const state = checkStored(ctx.workspace.storeDir, r.sha256);
            if (state === 'ok') continue;
            bad += 1;
            process.stdout.write(`store    ${state.padEnd(8)} ${r.sha256}  ${safeName(r.first_name)}\n`);
          }
          ctx.log.info(
            bad
              ? `${bad} of ${rows.length} stored files are missing or altered; ingest the original files again to repair them.`
              : `All ${rows.length} stored files match their hashes.`,
          );
          ok &&= bad === 0;
        }
        if (dir) {
          const { verifyReport } = await import('../../report/verify.ts');
          const v = await verifyReport(resolve(dir), ctx);
          for (const f of v.files)
            process.stdout.write(`${f.status.padEnd(9)}  ${f.path}${f.note ? ` (${f.note})` : ''}\n`);
          for (const c of v.inputChanges) ctx.log.info(`input changed: ${c}`);
          const elsewhere = v.files.filter((f) => f.status === 'same source').length;
          ctx.log.info(
            v.ok
              ? `All ${v.files.length} files are identical${elsewhere ? ` (${elsewhere} printed by another Chromium from an identical page)` : ''}.`
              : `${v.files.filter((f) => f.status !== 'identical' && f.status !== 'same source').length} of ${v.files.length} files differ.`,
          );
          ok &&= v.ok;
        }
        return ok ? 0 : 1;
      });
    });
  return exitCodes(
    cmd,
    `  0  done: the rebuild is identical (and the history and store are intact, when asked)
  1  a file differs, the audit history is broken (--history) or a stored file is missing or altered (--store)
  2  usage error (no report folder, --history or --store given; not a workspace)
  3  environment fault (database unreachable)`,
  );
}
