import { Command } from 'commander';
import { asCensusError } from '../../../schemas/fault.ts';
import { safeName } from '../../runtime/terminal.ts';
import { checkFile, checkList, checkSetting, filesUnder, type CheckedFile } from '../check.ts';
import { exitCodes } from '../exit-codes.ts';
import { pageOut, printList, prose } from '../format.ts';
import { formatOf, withFormat, type OutputFormat } from '../options.ts';
import { parseWave, withCtx } from '../run.ts';
import { textTable } from '../../runtime/terminal.ts';
import type { CheckedReply } from '../check-foi.ts';
import type { Limits } from '../../runtime/workspace.ts';

/** The issues of checked files as one listing (the issue JSON shape of census issues, by file). */
export async function printChecked(checked: CheckedFile[], format: OutputFormat): Promise<void> {
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify(checked, null, 2)}\n`);
    return;
  }
  const rows = checked.flatMap((c) => c.issues.map((i) => ({ file: c.file, ...i })));
  await printList(format, rows, {
    columns: [
      { header: 'severity', value: (r) => r.severity },
      { header: 'code', value: (r) => r.code },
      { header: 'file', value: (r) => safeName(r.file) },
      { header: 'location', value: (r) => r.at },
      { header: 'message', value: (r) => r.message },
    ],
    empty: 'No issues found.',
  });
}

export function checkSummary(checked: CheckedFile[]): string {
  const loadable = checked.reduce((n, c) => n + c.returnsLoadable, 0);
  const rejected = checked.reduce((n, c) => n + c.returnsRejected, 0);
  const count = (s: string): number => checked.reduce((n, c) => n + c.issues.filter((i) => i.severity === s).length, 0);
  return `${checked.length} file(s): ${loadable} return(s) would load, ${rejected} would be kept out; issues: ${count('error')} error, ${count('warning')} warning, ${count('info')} info.`;
}

type CheckOpts = { wave: string; workspace?: string; format?: string; json?: boolean; database?: boolean };

/** FOI replies checked and printed; the workspace database (read-only) matches them when there is one. */
export async function checkFoiFiles(
  files: string[],
  wave: number,
  opts: CheckOpts,
  setting: { wavesDir: string | null; limits: Limits },
  /** How the checked replies are shown (ingest --dry-run frames them); printReplies by default. */
  present: (replies: CheckedReply[], format: OutputFormat, matched: boolean) => Promise<void> = printReplies,
): Promise<number> {
  const { checkReply, databaseMatcher } = await import('../check-foi.ts');
  const { foiReference } = await import('../../foi/wave.ts');
  const format = formatOf(opts);
  const run = async (matcher: Parameters<typeof checkReply>[2]['matcher']): Promise<number> => {
    const replies: CheckedReply[] = [];
    for (const f of files) replies.push(...(await checkReply(f, wave, { ...setting, matcher })));
    await present(replies, format, matcher !== null);
    return replies.some((r) => r.issues.some((i) => i.severity === 'error')) ? 1 : 0;
  };
  // A workspace: its database says which request each reply answers (read-only; nothing is written).
  if (setting.wavesDir !== null && opts.database !== false)
    return withCtx({ ...opts, json: format !== 'text' }, { writes: false, readOnly: true }, async (ctx) =>
      run(await databaseMatcher(ctx.db, foiReference(wave, setting.wavesDir).trusts)),
    );
  return run(null);
}

function trustText(r: CheckedReply): string {
  const t = r.trust;
  if (t.outcome === 'matched') return `${t.ods} (matched: ${t.detail ?? t.method})`;
  if (t.outcome === 'named') return `${t.ods} (${t.detail})`;
  if (t.outcome === 'queued')
    return `none: would wait in the unmatched queue for a person${
      t.candidates.length
        ? `; candidates ${t.candidates
            .slice(0, 5)
            .map((c) => `${c.ods} (${c.why})`)
            .join(', ')}`
        : ''
    }`;
  return `unknown (${t.detail})`;
}

/** Checked replies in a format; the text (paged on a terminal) with `frame`'s lines before and after it. */
export async function printReplies(
  replies: CheckedReply[],
  format: OutputFormat,
  matched: boolean,
  frame: { before?: string; after?: string } = {},
): Promise<void> {
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify(replies, null, 2)}\n`);
    return;
  }
  if (format === 'csv') {
    // One row per value, then per yes/no or text answer (no period; its value "yes", "no" or the text).
    type Row = {
      r: CheckedReply;
      question: string;
      period?: string | null;
      value: string;
      v?: CheckedReply['values'][number];
      at: string;
    };
    const rows: Row[] = replies.flatMap((r) => [
      ...r.values.map((v) => ({ r, question: v.questionId, period: v.period, value: v.value, v, at: v.at })),
      ...r.answers.map((a) => ({
        r,
        question: a.questionId,
        value: a.yesNo === null ? a.text : a.yesNo ? 'yes' : 'no',
        at: a.at,
      })),
    ]);
    await printList('csv', rows, {
      columns: [
        { header: 'file', value: (x) => x.r.file },
        { header: 'trust', value: (x) => x.r.trust.ods },
        { header: 'trust outcome', value: (x) => x.r.trust.outcome },
        { header: 'question', value: (x) => x.question },
        { header: 'period', value: (x) => x.period },
        { header: 'value', value: (x) => x.value },
        { header: 'age band', value: (x) => x.v?.ageBand },
        { header: 'flags', value: (x) => x.v?.flags.join(' ') },
        { header: 'suggestion', value: (x) => x.v?.suggestion },
        { header: 'location', value: (x) => x.at },
        { header: 'quote', value: (x) => x.v?.quote },
      ],
    });
    return;
  }
  const blocks = replies.map((r) => {
    const lines = [
      `${safeName(r.file)}  (${r.kind}, ${r.sha256.slice(0, 12)})`,
      `  trust: ${trustText(r)}`,
      `  dated: ${r.replyDate ?? 'no date in the reply (ingest dates it by --received, its e-mail, or the day received)'}`,
    ];
    if (r.needsManualCoding) lines.push('  to code by hand: yes (it would go on the coding sheet)');
    for (const a of r.answers)
      lines.push(
        `  ${a.questionId}: ${a.yesNo === null ? '' : a.yesNo ? 'yes ' : 'no '}${a.yesNo === null ? a.text : ''}`.trimEnd(),
      );
    if (r.values.length)
      lines.push(
        textTable(
          ['question', 'period', 'value', 'age band', 'read with doubt', 'where'],
          r.values.map((v) => [
            v.questionId,
            v.period ?? '',
            v.value,
            v.ageBand,
            v.suggestion ? `suggestion: ${v.suggestion}` : '',
            v.at,
          ]),
        )
          .split('\n')
          .map((l) => `  ${l}`)
          .join('\n'),
      );
    for (const i of r.issues) lines.push(`  ${i.severity}: ${i.code} ${i.at}: ${i.message}`);
    return lines.join('\n');
  });
  const matchedN = replies.filter((r) => r.trust.outcome === 'matched').length;
  const queued = replies.filter((r) => r.trust.outcome === 'queued').length;
  const summary = matched
    ? `${replies.length} file(s): ${matchedN} matched to a request, ${queued} would wait for a person; nothing was stored.`
    : `${replies.length} file(s) read; not matched to requests (no workspace database); nothing was stored.`;
  await pageOut(`${frame.before ?? ''}${blocks.join('\n\n')}\n\n${summary}\n${frame.after ?? ''}`);
}

export function checkCommand(): Command {
  const cmd = new Command('check')
    .description(
      'Read and validate questionnaire returns (no database needed) or FOI replies as census ingest would, without storing or loading anything.',
    )
    .argument('<paths...>', 'files or folders')
    .requiredOption('--wave <year>', 'wave the returns belong to, e.g. 2025')
    .option('--workspace <dir>', 'workspace folder (its waves/ lists and limits); not needed for the shipped waves')
    .option(
      '--no-database',
      "FOI replies: do not open the workspace's database; the trust the reply names is shown, not the request it answers",
    );
  withFormat(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  census check team-a.xlsx --wave 2025
  census check returns-2025/ --wave 2025 --format csv > issues.csv
  census check "FOI 0744-2024 response.pdf" --wave 2024
  census check replies/ --wave 2024 --format json --no-database
Questionnaire returns: no database is used. Not checked (they need the database): labels mapped with
census questions map, the change from the team's previous return, and whether the file was received
before. Use census ingest --dry-run for the same check with a summary of what would load.
FOI replies (an FOI wave: pdf, xlsx, csv, eml, txt): each reply (and each e-mail attachment) with the
trust, the values read (a value read with doubt shows its suggestion; it feeds no figure until a person
confirms it), the yes/no and text answers, and the issues. Which request a reply answers needs the
register: in a workspace, its database is opened read-only (nothing is written) and the reply is matched
as ingest would (matched, or queued for a person with candidates); with --no-database or no workspace,
the trust the reply names is shown instead. --format csv lists the values and the yes/no and text answers, one row each.`,
  );
  cmd.action(async (paths: string[], opts: CheckOpts) => {
    try {
      const wave = parseWave(opts.wave);
      const { wavesDir, limits } = checkSetting(opts.workspace);
      const [{ hasQuestionnaireWave }, { isFoiWave }] = await Promise.all([
        import('../../runtime/waves.ts'),
        import('../../foi/wave.ts'),
      ]);
      if (!hasQuestionnaireWave(wave, wavesDir) && isFoiWave(wave, wavesDir)) {
        const files = filesUnder(paths);
        process.exitCode = await checkFoiFiles(files, wave, opts, { wavesDir, limits });
        return;
      }
      const list = checkList(wave, wavesDir, 'census check');
      const checked: CheckedFile[] = [];
      for (const f of filesUnder(paths)) checked.push(await checkFile(f, list, limits));
      const format = formatOf(opts);
      await printChecked(checked, format);
      if (format === 'text') process.stdout.write(`\n${prose(checkSummary(checked))}\n`);
      process.exitCode = checked.some((c) => c.issues.some((i) => i.severity === 'error')) ? 1 : 0;
    } catch (err) {
      const e = asCensusError(err, 'checking the files');
      process.stderr.write(`error: ${e.message}\nwhat to do: ${e.hint}\n`);
      process.exitCode = e.exitCode;
    }
  });
  return exitCodes(
    cmd,
    `  0  done, no errors (warnings and info may be listed)
  1  a return has errors (an unreadable answer, or a problem that keeps the return out)
  2  usage error (no such file, an empty folder, not a questionnaire wave)
  3  environment fault`,
  );
}
