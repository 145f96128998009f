/**
 * The text of an e-mail sent as HTML only (foi.md "plain e-mail text (.txt or .eml) with the answers
 * inline"; a reply pasted from Word or Outlook): block elements and <br> end lines, a table's cells are
 * set apart by tabs (a tab-separated line is a row of cells to the readers), and a table row whose first
 * cell is only a question's number ("2", "Q2") is written "Q2: ..." so the answer beside it reads as
 * that question's. mailparser's own conversion runs the cells together ("QuestionResponse1Yes22021/22:
 * 15"), which joins numbers that must stay apart.
 */

const NAMED: Record<string, string> = {
  nbsp: ' ',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  pound: '£',
  ndash: '\u2013',
  mdash: '\u2014',
  lsquo: '\u2018',
  rsquo: '\u2019',
  ldquo: '\u201c',
  rdquo: '\u201d',
  hellip: '\u2026',
};

function decodeEntities(t: string): string {
  return t.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1));
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
    }
    return NAMED[e.toLowerCase()] ?? m;
  });
}

/** Text of an HTML fragment with <br> as line ends and no tags. */
function inline(html: string): string {
  return decodeEntities(
    html
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<\/(?:p|div|li|h[1-6])>/gi, '\n')
      .replace(/<[^>]*>/g, ''),
  )
    .split('\n')
    .map((l) => l.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .trim();
}

export function htmlToText(html: string): string {
  const body = html.replace(/<!--[\s\S]*?-->/g, '').replace(/<(script|style|head)\b[\s\S]*?<\/\1>/gi, '');
  const out: string[] = [];
  // Tables row by row; the text between them as blocks.
  const parts = body.split(/(<table\b[\s\S]*?<\/table>)/i);
  for (const part of parts) {
    if (!/^<table\b/i.test(part)) {
      const t = inline(part);
      if (t !== '') out.push(...t.split('\n'));
      continue;
    }
    for (const row of part.match(/<tr\b[\s\S]*?<\/tr>/gi) ?? []) {
      const cells = (row.match(/<t[dh]\b[\s\S]*?<\/t[dh]>/gi) ?? []).map((c) => inline(c));
      if (cells.length === 0) continue;
      const num = /^(?:q(?:uestion)?\s*)?(\d{1,2})[.)]?$/i.exec(cells[0]!);
      if (num && cells.length > 1) {
        const [first, ...rest] = cells
          .slice(1)
          .join('\n')
          .split('\n')
          .filter((l) => l !== '');
        out.push(`Q${num[1]}: ${first ?? ''}`.trimEnd(), ...rest);
        continue;
      }
      // A cell's own lines stay in its cell: a row is one line of cells.
      out.push(cells.map((c) => c.replace(/\n/g, ' ')).join('\t'));
    }
  }
  return out.filter((l) => l.trim() !== '').join('\n');
}
