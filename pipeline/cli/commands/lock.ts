import { Command } from 'commander';
import { parseWave, usageError, withCtx } from '../run.ts';
import { lockWave, unlockWave } from '../../db/audit-log.ts';

/** `census lock` / `census unlock`: a verified wave refuses changes until an explicit, logged unlock. */
export function lockCommand(): Command {
  return new Command('lock')
    .description('Lock a verified wave: later ingests, corrections and coding for it are refused until it is unlocked.')
    .requiredOption('--wave <year>', 'wave to lock')
    .requiredOption('--by <name>', 'who locks it (recorded in the audit log)')
    .option('--reason <text>', 'why', 'verified')
    .option('--workspace <dir>', 'workspace folder')
    .addHelpText(
      'after',
      `
Examples:
  census lock --wave 2024 --by "A. Researcher" --reason "published 2025-03-01"`,
    )
    .action(async (opts: { wave: string; by: string; reason: string; workspace?: string }) => {
      process.exitCode = await withCtx(opts, { writes: true }, async (ctx) => {
        const wave = parseWave(opts.wave);
        const done = await lockWave(ctx.db, { wave, by: opts.by, reason: opts.reason, at: ctx.clock.now() });
        ctx.log.info(done ? `Wave ${wave} is locked.` : `Wave ${wave} was already locked; nothing changed.`);
        return 0;
      });
    });
}

export function unlockCommand(): Command {
  return new Command('unlock')
    .description('Unlock a locked wave. The person and the reason are recorded in the audit log.')
    .requiredOption('--wave <year>', 'wave to unlock')
    .requiredOption('--by <name>', 'who unlocks it')
    .requiredOption('--reason <text>', 'why it must change (required)')
    .option('--workspace <dir>', 'workspace folder')
    .addHelpText(
      'after',
      `
Examples:
  census unlock --wave 2024 --by "A. Researcher" --reason "trust X sent a corrected reply"`,
    )
    .action(async (opts: { wave: string; by: string; reason: string; workspace?: string }) => {
      process.exitCode = await withCtx(opts, { writes: true }, async (ctx) => {
        const wave = parseWave(opts.wave);
        if (!opts.reason.trim()) throw usageError('--reason must say why the wave is unlocked.', 'Pass --reason "..."');
        const done = await unlockWave(ctx.db, { wave, by: opts.by, reason: opts.reason, at: ctx.clock.now() });
        ctx.log.info(done ? `Wave ${wave} is unlocked.` : `Wave ${wave} was not locked; nothing changed.`);
        return 0;
      });
    });
}
