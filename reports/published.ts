import Papa from 'papaparse';

/**
 * Figures the charity published for years whose raw returns are not held (reference/published_figures.csv,
 * provenance in reference/SOURCES.md): a cited series the over-time figures use where no wave is loaded,
 * always marked as published, never as computed.
 */
export interface PublishedFigure {
  year: number;
  measure: string;
  low: number;
  high: number;
  source: string;
  sourceDate: string;
}

const COLUMNS = ['year', 'measure', 'value', 'source', 'source_date'];

/** Parses the csv; a row that is not a year, a measure id, a number or "low-high", a source and a date is an error naming it. */
export function parsePublishedCsv(text: string): PublishedFigure[] {
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  if (!COLUMNS.every((c) => parsed.meta.fields?.includes(c)))
    throw new Error(`published_figures.csv must have the columns ${COLUMNS.join(', ')}`);
  return parsed.data.map((r, i) => {
    const year = Number(r.year);
    const m = /^\s*(\d+(?:\.\d+)?)\s*(?:-\s*(\d+(?:\.\d+)?))?\s*$/.exec(r.value ?? '');
    const measure = (r.measure ?? '').trim();
    const source = (r.source ?? '').trim();
    const sourceDate = (r.source_date ?? '').trim();
    if (!Number.isInteger(year) || !m || !/^[a-z][a-z0-9_]*$/.test(measure) || !source || !sourceDate)
      throw new Error(
        `published_figures.csv row ${i + 2}: needs a year, a measure id, a value (a number or "low-high"), a source and a source date`,
      );
    const low = Number(m[1]);
    return { year, measure, low, high: m[2] === undefined ? low : Number(m[2]), source, sourceDate };
  });
}

/** The figure's column label: the year, with the source date when it says more than the year. */
export function publishedLabel(f: PublishedFigure): string {
  return f.sourceDate === String(f.year) ? String(f.year) : `${f.year} (${f.sourceDate})`;
}
