import { createHash } from 'node:crypto';
import type { QuestionList } from '../../../schemas/question-list.ts';
import type { Ctx } from '../../runtime/ctx.ts';
import { stageResult, type WaveProcessor } from '../processor.ts';
import { extract, warmExtract } from './extract.ts';
import { validate, type ValidateOptions } from './validate.ts';
import { normalise } from './normalise.ts';
import { load } from './load.ts';
import { questionnaireReader } from '../../../sources/questionnaire/index.ts';
import type { QuestionnaireKind } from '../../../sources/index.ts';
import type { LabelMapping } from '../../../sources/questionnaire/label-target.ts';
import { mappingVersion } from './label-map.ts';
import { filesWithWithdrawals } from '../../returns/withdraw.ts';

/** Bumped when validate/normalise rules change: every questionnaire file is then reprocessed. */
const VALIDATE_RULES = 'validate/6';

export interface QuestionnaireOptions extends ValidateOptions {
  /** The wave's labels mapped by a person (label-map.ts labelMapFor): part of every file's rule version. */
  labelMap?: readonly LabelMapping[];
}

export function questionnaireProcessor(list: QuestionList, opts: QuestionnaireOptions = {}): WaveProcessor {
  // A run with --accept-wave-stamp reads files under another rule, so a kept-out file is read again.
  const accept = opts.acceptWaveStamp ? '|accept-wave-stamp' : '';
  const mapping = opts.labelMap ?? [];
  const mapped = mappingVersion(mapping);
  const listHash = createHash('sha256').update(JSON.stringify(list)).digest('hex').slice(0, 12);
  // Once per processor (one run of one wave), not once per file: the list cannot change meanwhile.
  let harmonised: Promise<void> | null = null;
  // The wave's withdrawn files, read once per processor too (#18): a withdrawal needs the write lock the ingest holds.
  const withdrawals = new Map<number, Promise<Set<string>>>();
  return {
    domain: 'questionnaire',
    kinds: { questionnaire: list, foi: false },
    warm: warmExtract,
    ruleVersion: (file) =>
      `${questionnaireReader(file.sourceKind as QuestionnaireKind)?.ruleVersion ?? 'none'}|list:${listHash}|${VALIDATE_RULES}${accept}${mapped}`,
    async process(file, input, ctx) {
      await (harmonised ??= recordHarmonised(list, ctx));
      const extraction = await extract(file, list, ctx, mapping);
      const validation = validate(extraction, list, opts);
      const nf = normalise(validation, list);
      let withdrawn = withdrawals.get(file.wave);
      if (!withdrawn) withdrawals.set(file.wave, (withdrawn = filesWithWithdrawals(ctx.db, file.wave)));
      const res = await load(nf, input, ctx, await withdrawn, list);
      const extractIssues = [...extraction.issues, ...extraction.returns.flatMap((r) => r.issues)];
      // validate keeps each return's extraction issues first; what follows them is its own
      const validateIssues = validation.returns.flatMap((v, i) =>
        v.issues.slice(extraction.returns[i]?.issues.length ?? 0),
      );
      const stages = [
        stageResult('extract', extractIssues, extraction.returns.length === 0),
        stageResult('validate', validateIssues),
        stageResult('normalise', []),
        {
          stage: 'load' as const,
          status: res.returnsLoaded > 0 ? ('ok' as const) : ('failed' as const),
          issueCount: 0,
        },
      ];
      return {
        status: res.returnsLoaded > 0 ? 'loaded' : 'rejected',
        returnsLoaded: res.returnsLoaded,
        returnsRejected: res.returnsRejected,
        issues: res.issues,
        stages,
      };
    },
  };
}

/** The wave's option -> harmonised category pairs of its question list, in list order. */
function harmonisedRows(
  list: QuestionList,
): { wave: number; question_id: string; option_code: string; harmonised: string }[] {
  return list.questions.flatMap((q) =>
    (q.options ?? []).flatMap((o) =>
      o.harmonised === undefined
        ? []
        : [{ wave: list.wave, question_id: q.id, option_code: o.code, harmonised: o.harmonised }],
    ),
  );
}

/**
 * Writes the list's harmonised categories to option_harmonised (sql/003), so cross-wave views map each
 * wave's codes without reading JSON. Idempotent and safe when two files of a wave run at once: pairs
 * are upserted, and pairs the list no longer has are removed.
 */
async function recordHarmonised(list: QuestionList, ctx: Pick<Ctx, 'db'>): Promise<void> {
  const rows = harmonisedRows(list);
  const keep = new Set(rows.map((r) => `${r.question_id}\u0000${r.option_code}`));
  const stale = (
    await ctx.db
      .selectFrom('option_harmonised')
      .select(['question_id', 'option_code'])
      .where('wave', '=', list.wave)
      .execute()
  ).filter((r) => !keep.has(`${r.question_id}\u0000${r.option_code}`));
  for (const r of stale) {
    await ctx.db
      .deleteFrom('option_harmonised')
      .where('wave', '=', list.wave)
      .where('question_id', '=', r.question_id)
      .where('option_code', '=', r.option_code)
      .execute();
  }
  if (rows.length === 0) return;
  await ctx.db
    .insertInto('option_harmonised')
    .values(rows)
    .onConflict((oc) =>
      oc
        .columns(['wave', 'question_id', 'option_code'])
        .doUpdateSet((eb) => ({ harmonised: eb.ref('excluded.harmonised') })),
    )
    .execute();
}
