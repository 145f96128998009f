/** Plain aligned text tables for the terminal; stable column order. */
export function textTable(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map((x) => safeName(String(x))))];
  const widths = headers.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]): string =>
    r
      .map((x, c) => (x ?? '').padEnd(widths[c]!))
      .join('  ')
      .trimEnd();
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
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
