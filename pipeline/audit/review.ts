import { assertWaveUnlocked, recordAudit, recordedText } from '../db/audit-log.ts';
import type { Ctx } from '../runtime/ctx.ts';
import { CensusError } from '../../schemas/fault.ts';
import { reviewFlags } from './flags.ts';

/**
 * `census audit review`: a person looked at a flag and leaves the data as it is. Recorded (flag_review
 * and the audit log), never by editing the flag, which is computed; a locked wave refuses it like a
 * correction, because the review changes what the wave's audit says.
 */
export async function reviewFlag(
  input: { flagId: string; by: string; reason: string },
  ctx: Ctx,
): Promise<{ reviewId: string; wave: number }> {
  // The one rule for recorded names and reasons (no blank, punctuation-only or invisible text).
  input = {
    ...input,
    by: recordedText('--by', input.by, 'name'),
    reason: recordedText('--reason', input.reason, 'reason'),
  };
  const wave = Number(input.flagId.split(':')[1]);
  const flag = Number.isInteger(wave)
    ? (await reviewFlags({ wave }, ctx)).find((f) => f.id === input.flagId)
    : undefined;
  if (!flag)
    throw new CensusError(
      'usage',
      `There is no open or closed flag "${input.flagId}" now.`,
      'List the flags with census audit flags --wave YYYY and copy the id.',
    );
  return ctx.db.transaction().execute(async (trx) => {
    await assertWaveUnlocked(trx, wave, `the review of flag ${input.flagId}`);
    const at = ctx.clock.now();
    const row = await trx
      .insertInto('flag_review')
      .values({
        wave,
        flag_id: input.flagId,
        reviewed_by: input.by,
        reason: input.reason,
        reviewed_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      at,
      actor: input.by,
      action: 'flag_review',
      wave,
      detail: {
        review_id: String(row.id),
        flag_id: input.flagId,
        kind: flag.kind,
        value_ids: flag.valueIds,
        reason: input.reason,
      },
    });
    return { reviewId: String(row.id), wave };
  });
}
