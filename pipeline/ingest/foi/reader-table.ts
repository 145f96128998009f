import type { FoiReader } from '../../../schemas/foi.ts';
import type { FoiKind } from '../../../sources/index.ts';

/**
 * What the main thread needs to know of the FOI readers without loading them: their kinds and rule
 * version. The readers themselves (pipeline/foi/readers.ts: pdf.js, exceljs, mailparser, 1-2 s to
 * load under tsx) are loaded where files are parsed, in the parse workers, or on first use.
 */
export type FoiReaders = Partial<Record<FoiKind, FoiReader>>;

/** The kinds census has a reader for; the table in readers.ts has exactly these (checked by a test). */
export const FOI_READER_KINDS: readonly FoiKind[] = [
  'foi_pdf',
  'foi_spreadsheet',
  'foi_csv',
  'foi_mail',
  'foi_text',
  'foi_document',
];

/** Bumped when a reader's coding changes: every reply of the wave is then read again on the next ingest. */
export const FOI_READER_RULES = 'foi-readers/7';

/** The shipped readers, loaded on first call. */
export function lazyFoiReaders(): FoiReaders {
  return Object.fromEntries(
    FOI_READER_KINDS.map(
      (kind) =>
        [
          kind,
          async (bytes, ctx) => (await import('./readers.ts')).FOI_READERS[kind]!(bytes, ctx),
        ] as const satisfies readonly [FoiKind, FoiReader],
    ),
  );
}
