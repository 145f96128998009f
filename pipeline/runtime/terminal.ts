/**
 * How wide the table may be: $COLUMNS when set (a narrow terminal, or a test), else the terminal's
 * width when stdout is one; unlimited when piped, so `census issues | grep` sees whole lines.
 */
export function terminalWidth(env: NodeJS.ProcessEnv = process.env, out: NodeJS.WriteStream = process.stdout): number {
  const fromEnv = Number(env.COLUMNS);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  if (out.isTTY && out.columns) return out.columns;
  return Infinity;
}

/**
 * A cell's text cut into lines of at most `width` characters at spaces; a word longer than the
 * line is broken after / _ - . ! or , inside it, and one still longer is cut with "…".
 */
export function wrapCell(text: string, width: number): string[] {
  if (text.length <= width) return [text];
  const lines: string[] = [];
  let line = '';
  const place = (token: string): void => {
    if ((line + token).trimEnd().length <= width) {
      line += token;
      return;
    }
    if (line.trim() !== '') lines.push(line.trimEnd());
    line = token.trimStart();
    if (line.trimEnd().length > width) {
      lines.push(`${line.slice(0, Math.max(width - 1, 1))}…`);
      line = '';
    }
  };
  // Words keep their trailing space; a word too long for any line is split into parts that keep their break character.
  for (const word of words(text)) {
    if (word.trimEnd().length <= width) place(word);
    else for (const part of word.match(/[^/_.!,-]*[/_.!,-]?/g)?.filter((t) => t !== '') ?? [word]) place(part);
  }
  if (line.trim() !== '') lines.push(line.trimEnd());
  return lines.length ? lines : [''];
}

/** A date with its time ("2026-12-07 20:02") is one word: it never wraps at its space. */
const WORD = /(?:\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?::\d{2})?|\S+)\s*/g;

/** A text's words, each with its trailing spaces. */
function words(text: string): string[] {
  return text.match(WORD) ?? [text];
}

function longestToken(text: string): number {
  // Only spaces and folder separators count here, so codes (band_unknown) and cells (Sheet!C29) stay whole while they can.
  return Math.max(
    0,
    ...words(text)
      .flatMap((w) => w.trimEnd().split('/'))
      .map((t) => t.length + 1),
  );
}

/** A file name or path: it may wrap after - _ . / inside it (names, not codes, dates or cells). */
const FILE_LIKE = /\.[A-Za-z][A-Za-z0-9]{1,4}$|\//;

/** The longest part of a file name between the characters wrapCell breaks a long word after. */
function longestPart(text: string): number {
  return Math.max(0, ...(text.match(/[^/_.!,-]*[/_.!,-]?/g) ?? [text]).map((t) => t.length));
}

/** The longest piece of a text wrapCell never breaks: a word, or a part of one between / _ . ! , -. */
function longestWordPart(text: string): number {
  return Math.max(0, ...words(text).map((w) => longestPart(w.trimEnd())));
}

/**
 * Plain aligned text tables for the terminal; stable column order. Wider than `width` (the
 * terminal's, see terminalWidth), the widest columns are narrowed first (never below their header
 * or 8 characters) and their cells wrap inside the column at word boundaries, so no row runs into
 * the next line mid-word.
 */
export function textTable(headers: string[], rows: (string | number)[][], width = terminalWidth()): string {
  const cells = [headers, ...rows.map((r) => r.map((x) => safeName(String(x))))];
  const widths = headers.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  const total = (): number => widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
  const longestWord = headers.map((_, c) => Math.max(...cells.slice(1).map((r) => longestToken(r[c] ?? '') - 1), 0));
  // Headers wrap like cells: a column may narrow to its header's longest word ("working days" to
  // "working"), and below 8 characters only when its cells are that short (counts, yes/no).
  const floor = headers.map((h, c) =>
    Math.min(widths[c]!, Math.max(longestToken(h) - 1, Math.min(8, longestWord[c]!))),
  );
  // First down to each column's longest word (codes, dates and cell references stay whole), then file
  // names down to their longest part (they wrap after - _ . /), and only then the prose (cells of several
  // words: names, messages) down to its floor, wrapping at spaces. A word of prose is never cut: a
  // trust's name keeps "Worcestershire" whole (a long path in a message may still wrap after its / - _ .);
  // when that does not fit, the table becomes one record per row.
  const whole = headers.map((_, c) => Math.max(floor[c]!, Math.min(widths[c]!, longestWord[c]!)));
  const prose = headers.map((_, c) => cells.slice(1).some((r) => words(r[c] ?? '').length > 1));
  const files = whole.map((l, c) => {
    const column = cells.slice(1).map((r) => r[c] ?? '');
    if (prose[c] || !column.some((v) => FILE_LIKE.test(v))) return l;
    return Math.min(l, Math.max(floor[c]!, ...column.map(longestPart)));
  });
  const proseFloor = files.map((l, c) =>
    prose[c] ? Math.min(l, Math.max(floor[c]!, ...cells.slice(1).map((r) => longestWordPart(r[c] ?? '')))) : l,
  );
  for (const limit of [whole, files, proseFloor]) {
    while (total() > width) {
      let widest = -1;
      for (let c = 0; c < widths.length; c++)
        if (widths[c]! > limit[c]! && (widest < 0 || widths[c]! > widths[widest]!)) widest = c;
      if (widest < 0) break; // every column at its limit
      widths[widest]! -= 1;
    }
  }
  // Still too wide (a narrow terminal, many columns): one record per row, "header: value" lines, rather
  // than codes, dates and cell references broken across lines or cut.
  if (total() > width) return recordList(cells[0]!, cells.slice(1), width);
  const render = (r: string[]): string[] => {
    const wrapped = widths.map((w, c) => wrapCell(r[c] ?? '', w));
    const height = Math.max(...wrapped.map((x) => x.length));
    const out: string[] = [];
    for (let i = 0; i < height; i++)
      out.push(
        wrapped
          .map((x, c) => (x[i] ?? '').padEnd(widths[c]!))
          .join('  ')
          .trimEnd(),
      );
    return out;
  };
  return [...render(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).flatMap(render)].join(
    '\n',
  );
}

/** Rows as records: each cell on a line of its own after its header, values wrapped at word boundaries. */
function recordList(headers: string[], rows: string[][], width: number): string {
  const label = Math.max(...headers.map((h) => h.length)) + 2;
  const room = Math.max(width - label, 12);
  return rows
    .map((r) =>
      headers
        .flatMap((h, c) =>
          wrapCell(r[c] ?? '', room).map((line, i) => `${i === 0 ? `${h}:`.padEnd(label) : ' '.repeat(label)}${line}`),
        )
        .map((l) => l.trimEnd())
        .join('\n'),
    )
    .join('\n\n');
}

/**
 * What a terminal would act on rather than print: C0 controls (ESC starts colour, title and
 * clear-screen sequences; CR overwrites a line), DEL, C1 controls (0x9b is a one-byte CSI), and the
 * bidirectional overrides and isolates that reorder what is shown.
 */
const TERMINAL_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const NAME_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function visible(c: string): string {
  const n = c.codePointAt(0)!;
  return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
}

/** Names from input are shown, never trusted: control characters (newlines too) are made visible. */
export function safeName(s: string): string {
  return s.replace(NAME_UNSAFE, visible);
}

/**
 * A whole message for the terminal: the same characters made visible, but the message's own line
 * breaks and tabs kept. Every line the CLI's logger writes goes through this, so a file name, sheet
 * name or cell text inside any message cannot drive the terminal.
 */
export function terminalText(s: string): string {
  return s.replace(TERMINAL_UNSAFE, visible);
}

/**
 * A message fitted to a terminal's width by breaking its lines at spaces only: a word longer than
 * the line (a path, a command) is left whole on a line of its own, never cut, so nothing a person
 * may copy is lost. Indentation at the start of a line is kept on the lines it wraps to.
 */
export function wrapAtSpaces(text: string, width: number): string {
  if (!Number.isFinite(width) || width < 20) return text;
  return text
    .split('\n')
    .flatMap((line) => {
      if (line.length <= width) return [line];
      const indent = /^\s*/.exec(line)![0];
      const out: string[] = [];
      let cur = '';
      for (const word of line.trimStart().split(/ +/)) {
        if (cur !== '' && cur.length + 1 + word.length > width) {
          out.push(cur);
          cur = indent + word;
        } else cur = cur === '' ? indent + word : `${cur} ${word}`;
      }
      if (cur !== '') out.push(cur);
      return out;
    })
    .join('\n');
}
