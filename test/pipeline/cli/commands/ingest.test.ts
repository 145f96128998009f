import { describe, expect, it } from 'vitest';
import { printSummary } from '../../../../pipeline/cli/commands/ingest.ts';
import type { IngestSummary } from '../../../../pipeline/ingest/job.ts';

const summary = (kinds: string[]): IngestSummary => ({
  runId: '7',
  wave: 2024,
  files: kinds.map((kind, n) => ({
    name: `file-${n}`,
    hash: null,
    kind,
    status: 'loaded' as const,
    returnsLoaded: 1,
    returnsRejected: 0,
    issues: [],
  })),
  returnsLoaded: kinds.length,
  returnsRejected: 0,
  issuesBySeverity: { error: 0, warning: 0, info: 0 },
  issuesByCode: {},
});

function printed(s: IngestSummary): string {
  let text = '';
  printSummary(s, { write: (c: string) => ((text += c), true) } as unknown as NodeJS.WritableStream);
  return text;
}

describe('the ingest summary', () => {
  it('counts FOI replies as replies, not questionnaire returns', () => {
    const foi = printed(summary(['foi_text', 'foi_pdf', 'none']));
    expect(foi).toMatch(/\breplies loaded\b/);
    expect(foi).toMatch(/^Files: 3 {3}replies loaded: 3 /m);
    expect(foi).not.toMatch(/returns loaded/);
    const returns = printed(summary(['team_workbook']));
    expect(returns).toMatch(/^Files: 1 {3}returns loaded: 1 /m);
  });
});
