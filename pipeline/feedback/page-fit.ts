import { entryData, readCentralDirectory } from '../../sources/shared/zip-guard.ts';

/**
 * The sheets of an xlsx set to fit their printout to a number of pages (`<sheetPr><pageSetUpPr
 * fitToPage=.../>`), by name. LibreOffice writes that flag as "true", which exceljs 4.4 reads as
 * false (it knows only "1"): without this, the feedback copy of a return saved in LibreOffice would
 * lose the template's fit to the page width and print its sheets cut across pages. Read from the
 * zip's own directory, each part inflated with the cap of its declared size (the preflight has
 * already checked the workbook). A part that cannot be read leaves its sheet as exceljs read it.
 */
export function sheetsFittedToPage(bytes: Uint8Array): Set<string> {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fitted = new Set<string>();
  const dir = readCentralDirectory(b);
  if (!dir.ok) return fitted;
  const part = (name: string): string | null => {
    const e = dir.entries.find((x) => x.name === name);
    if (!e) return null;
    try {
      return entryData(b, e).toString('utf8');
    } catch {
      return null;
    }
  };
  const workbook = part('xl/workbook.xml');
  const rels = part('xl/_rels/workbook.xml.rels');
  if (workbook === null || rels === null) return fitted;
  const targets = new Map<string, string>();
  for (const m of rels.matchAll(/<Relationship\b[^>]*>/g)) {
    const id = attr(m[0], 'Id');
    const target = attr(m[0], 'Target');
    if (id !== null && target !== null)
      targets.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`);
  }
  for (const m of workbook.matchAll(/<(?:\w+:)?sheet\b[^>]*>/g)) {
    const name = attr(m[0], 'name');
    const id = attr(m[0], 'r:id') ?? attr(m[0], 'id');
    const target = id !== null ? targets.get(id) : undefined;
    if (name === null || target === undefined) continue;
    const xml = part(target);
    const pr = xml === null ? null : /<(?:\w+:)?pageSetUpPr\b[^>]*>/.exec(xml);
    const fit = pr ? attr(pr[0], 'fitToPage') : null;
    if (fit === 'true' || fit === '1') fitted.add(name);
  }
  return fitted;
}

/** An attribute's value in a start tag, its XML entities decoded; null when absent. */
function attr(tag: string, name: string): string | null {
  const m = new RegExp(`\\s${name.replace(/[.:]/g, '\\$&')}="([^"]*)"`).exec(tag);
  if (!m) return null;
  return m[1]!
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
