import { Command } from 'commander';
import { resolve } from 'node:path';
import { auditFigure } from '../../audit/figure.ts';
import { reviewFlags } from '../../audit/flags.ts';
import { figureOutput, flagsOutput, trustOutput } from '../audit-print.ts';
import { parseFormat } from '../../audit/render.ts';
import { reviewFlag } from '../../audit/review.ts';
import { trustHistory } from '../../audit/trust.ts';
import { defaultParams, paramsFromFile } from '../../../schemas/report-params.ts';
import { EXIT_CODES_HELP, EXIT_CODES_NO_ISSUES_HELP } from '../exit-codes.ts';
import { parseWave, withCtx } from '../run.ts';

/** `census audit ...`: every under-two count behind a figure or a trust, and the review flags (spec/foi.md). */

const FORMAT = ['--format <format>', 'text, csv (one row per value) or json', 'text'] as const;

function figureCommand(): Command {
  return new Command('figure')
    .description(
      'Every value behind a published figure: trust, period, interval, flags, source file and sha256, page:line / sheet!cell / row, the quoted text, who coded it, each correction.',
    )
    .argument(
      '<figure>',
      'figure id from figures.json (e.g. foi.referrals.1), or words of its label when they pick one figure',
    )
    .requiredOption('--wave <year>', 'the report wave')
    .option(
      '--report <dir>',
      "a report folder (or its figures.json): use that build's record ids; default: rebuild the figures from the database now",
    )
    .option('--params <file>', 'build parameters, when rebuilding (as census report --params)')
    .option(...FORMAT)
    .option('--workspace <dir>', 'workspace folder')
    .addHelpText(
      'after',
      `
Examples:
  census audit figure foi.referrals.1 --wave 2024
  census audit figure foi.few_referrals --wave 2024 --report report-2024 --format csv > behind.csv
  census audit figure "take no referrals" --wave 2024`,
    )
    .action(
      async (
        wanted: string,
        opts: { wave: string; report?: string; params?: string; format: string; workspace?: string },
      ) => {
        process.exitCode = await withCtx(opts, { writes: false }, async (ctx) => {
          const format = parseFormat(opts.format);
          const params = opts.params ? paramsFromFile(resolve(opts.params)) : defaultParams();
          const a = await auditFigure(
            { wanted, wave: parseWave(opts.wave), ...(opts.report ? { report: resolve(opts.report) } : {}), params },
            ctx,
          );
          process.stdout.write(figureOutput(a, format));
          return 0;
        });
      },
    );
}

function trustCommand(): Command {
  return new Command('trust')
    .description(
      "A trust's whole FOI history across waves: requests, status events, replies, coded values with their sources and corrections, review flags.",
    )
    .argument('<ods>', "the trust's ODS code, e.g. RXT")
    .option(...FORMAT)
    .option('--workspace <dir>', 'workspace folder')
    .addHelpText(
      'after',
      `
Examples:
  census audit trust RXT
  census audit trust RXT --format json > rxt.json`,
    )
    .action(async (ods: string, opts: { format: string; workspace?: string }) => {
      process.exitCode = await withCtx(opts, { writes: false }, async (ctx) => {
        process.stdout.write(trustOutput(await trustHistory(ods, ctx), parseFormat(opts.format)));
        return 0;
      });
    });
}

function flagsCommand(): Command {
  return new Command('flags')
    .description(
      'Review flags: jumps of 3x and 10x between consecutive periods, under-two counts above an all-age or under-five count, "does not accept" with referrals, duplicate replies.',
    )
    .requiredOption('--wave <year>', 'FOI wave')
    .option('--trust <ods>', 'one trust only')
    .option('--open', 'only flags not yet closed by a correction or a review')
    .option(...FORMAT)
    .option('--workspace <dir>', 'workspace folder')
    .addHelpText(
      'after',
      `
Flags are computed from the data as stored now. Close one with a correction (census correct) or with
census audit review --flag ID --by NAME --reason TEXT. Exit 1 while any listed flag is open.

Examples:
  census audit flags --wave 2024
  census audit flags --wave 2024 --open --format csv > to-review.csv`,
    )
    .action(async (opts: { wave: string; trust?: string; open?: boolean; format: string; workspace?: string }) => {
      process.exitCode = await withCtx(opts, { writes: false }, async (ctx) => {
        const format = parseFormat(opts.format);
        const flags = (
          await reviewFlags({ wave: parseWave(opts.wave), ...(opts.trust ? { trust: opts.trust } : {}) }, ctx)
        ).filter((f) => !opts.open || f.status === 'open');
        process.stdout.write(flagsOutput(flags, format));
        return flags.some((f) => f.status === 'open') ? 1 : 0;
      });
    });
}

function reviewCommand(): Command {
  return new Command('review')
    .description('Close a review flag as "reviewed, no change": who and why are recorded (and in the audit log).')
    .requiredOption('--flag <id>', 'flag id as census audit flags prints it')
    .requiredOption('--by <name>', 'who reviewed it')
    .requiredOption('--reason <text>', 'what was checked')
    .option('--workspace <dir>', 'workspace folder')
    .addHelpText(
      'after',
      `
Examples:
  census audit review --flag "jump_10:2024:RXT:q2_referrals_under2:received:under-2-0-23-months:fy2021_22>fy2022_23" --by "A. Researcher" --reason "trust confirmed: new perinatal pathway"`,
    )
    .action(async (opts: { flag: string; by: string; reason: string; workspace?: string }) => {
      process.exitCode = await withCtx(opts, { writes: true }, async (ctx) => {
        const r = await reviewFlag({ flagId: opts.flag, by: opts.by, reason: opts.reason }, ctx);
        ctx.log.info(`Flag ${opts.flag} reviewed (review ${r.reviewId}).`);
        return 0;
      });
    });
}

export function auditCommand(): Command {
  const audit = new Command('audit')
    .description(
      'Audit under-two referral counts: the values behind a figure or a trust, with sources, quotes and corrections; review flags.',
    )
    .addHelpText(
      'after',
      `
Examples:
  census audit figure foi.referrals.1 --wave 2024
  census audit trust RXT
  census audit flags --wave 2024
  census audit review --flag ID --by "A. Researcher" --reason "checked"`,
    );
  for (const make of [figureCommand, trustCommand, flagsCommand, reviewCommand]) {
    // addCommand does not pass the parent's settings down: each sub-command gets them here.
    const cmd = make();
    cmd.exitOverride();
    cmd.addHelpText(
      'after',
      cmd.name() === 'flags'
        ? EXIT_CODES_HELP.replace(
            'data issues of severity "error" were found (see census issues)',
            'review flags are open',
          )
        : EXIT_CODES_NO_ISSUES_HELP,
    );
    audit.addCommand(cmd);
  }
  return audit;
}
