import { describe, expect, it } from 'vitest';
import { printSummary } from '../../../../pipeline/cli/commands/ingest.ts';
import type { IngestSummary } from '../../../../pipeline/ingest/job.ts';
import { issue } from '../../../../schemas/issue.ts';

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

function printed(s: IngestSummary, width = Infinity): string {
  let text = '';
  printSummary(s, { write: (c: string) => ((text += c), true) } as unknown as NodeJS.WritableStream, width);
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

  it('fits a narrow terminal: the issues as a table of wrapped cells, the sentences wrapped; piped, one line per issue', () => {
    const s = summary(['team_workbook']);
    s.files[0]!.name = 'northshire-parent-infant-team-return.xlsx';
    s.files[0]!.issues = [
      issue(
        'band_unknown',
        'error',
        '"Families supported directly" (families_supported): found "lots"; expected one of the listed bands ("Fewer than 25", "25-49", "50-99", "100-199", "200-300", "More than 300") or a number.',
        { sheet: 'Questionnaire', cell: 'C40' },
      ),
      issue('count_unreadable', 'error', '"Referrals received": found "lots"; expected a whole number.', {
        sheet: 'Questionnaire',
        cell: 'C39',
      }),
    ];
    s.issuesBySeverity = { error: 2, warning: 0, info: 0 };
    const narrow = printed(s, 60);
    for (const l of narrow.split('\n')) expect(l.length, l).toBeLessThanOrEqual(60);
    expect(narrow).toMatch(/Questionnaire!C39/);
    expect(narrow).toMatch(/Questionnaire!C40/);
    // Every word of the long message is still there.
    for (const w of ['"More', 'than', '300")', 'number.']) expect(narrow).toContain(w);
    const piped = printed(s);
    expect(piped.split('\n').filter((l) => /^error +(band_unknown|count_unreadable) /.test(l))).toHaveLength(2);
    // C39 before C40: by row in number order, as census issues sorts.
    expect(piped.indexOf('Questionnaire!C39')).toBeLessThan(piped.indexOf('Questionnaire!C40'));
  });
});
