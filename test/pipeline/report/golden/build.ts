import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Ctx } from '../../../../pipeline/runtime/ctx.ts';
import { ingest } from '../../../../pipeline/ingest/job.ts';
import { questionnaireProcessor } from '../../../../pipeline/ingest/questionnaire/processor.ts';
import { loadQuestionList } from '../../../../schemas/waves/index.ts';
import { loadFoiFixtures } from './foi-2024.ts';
import { surveyExport2023, writeReturns2025 } from './teams-2025.ts';

/** Loads the golden scenario: 2023 through the survey-export reader, 2025 through the template reader, FOI 2024 as fixtures. */
export async function loadGolden(ctx: Ctx): Promise<void> {
  const inbox = mkdtempSync(join(tmpdir(), 'golden-inbox-'));
  const csv = join(inbox, 'survey-2023.csv');
  writeFileSync(csv, surveyExport2023());
  await ingest(
    { paths: [csv], wave: 2023, processor: questionnaireProcessor(loadQuestionList(2023)), command: 'golden 2023' },
    ctx,
  );
  const dir = join(inbox, '2025');
  await writeReturns2025(loadQuestionList(2025), dir);
  await ingest(
    { paths: [dir], wave: 2025, processor: questionnaireProcessor(loadQuestionList(2025)), command: 'golden 2025' },
    ctx,
  );
  await loadFoiFixtures(ctx.db, ctx.clock.now());
}
