import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ISSUE_CODES, type IssueCodeEntry } from '../../schemas/issue-codes.ts';

/**
 * The catalogue against the product source: every code an issue is made with is listed, every listed
 * code is made somewhere (or reserved), every code read back by name is listed. The type of issue()
 * already rejects a code outside the catalogue; this scan also covers the helpers that pass a code on
 * and the places that compare codes as text.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CATALOGUE_FILE = 'schemas/issue-codes.ts';
const SOURCES: { path: string; text: string }[] = ['pipeline', 'sources', 'schemas', 'reports']
  .flatMap((dir) =>
    (readdirSync(join(ROOT, dir), { recursive: true }) as string[]).map((f) => `${dir}/${f.split('\\').join('/')}`),
  )
  .filter((p) => p.endsWith('.ts') && p !== CATALOGUE_FILE)
  .sort()
  .map((path) => ({ path, text: readFileSync(join(ROOT, path), 'utf8') }));

const CODE = "'([a-z][a-z0-9_]*)'";
const literals = (s: string): string[] => [...s.matchAll(new RegExp(CODE, 'g'))].map((m) => m[1]!);

interface Use {
  code: string;
  at: string;
  severity?: string;
}

/** Where an issue is made with a code: issue() and every helper that passes its code parameter on. */
function raised(): Use[] {
  const out: Use[] = [];
  const add = (path: string, text: string, index: number, codes: string[], severity?: string) => {
    const line = text.slice(0, index).split('\n').length;
    for (const code of codes) out.push({ code, at: `${path}:${line}`, ...(severity ? { severity } : {}) });
  };
  for (const { path, text } of SOURCES) {
    const scan = (
      re: RegExp,
      codesOf: (m: RegExpMatchArray) => string[],
      severityOf?: (m: RegExpMatchArray) => string | undefined,
    ) => {
      for (const m of text.matchAll(re)) add(path, text, m.index!, codesOf(m), severityOf?.(m));
    };
    // issue('code', severity, ...) and the local helpers taking the code first: stop, refuse, note (pipeline,
    // preflight), fail (sources/foi/coded.ts).
    scan(
      new RegExp(`\\b(?:issue|stop|refuse|note|fail)\\(\\s*${CODE}(?:,\\s*'(error|warning|info)')?`, 'g'),
      (m) => [m[1]!],
      (m) => m[2],
    );
    // answerIssue(ctx, code, severity, ...) and unreadable(ctx, code, ...) (schemas/answers/common.ts): the
    // code may be a ternary of two literals.
    scan(
      new RegExp(`\\b(?:answerIssue|unreadable)\\(\\s*ctx\\s*,\\s*([^,]*)(?:,\\s*'(error|warning|info)')?`, 'g'),
      (m) => literals(m[1]!),
      (m) => m[2],
    );
    // dropped(col, header, code, why) in sources/questionnaire/survey-export.ts.
    scan(new RegExp(`\\bdropped\\([^,]*,[^,]*,\\s*${CODE}`, 'g'), (m) => [m[1]!]);
    // A code chosen into a local first: const code = ... ? 'a' : 'b'.
    scan(new RegExp(`\\bconst code = [^;]*?\\?\\s*${CODE}\\s*:\\s*${CODE}`, 'g'), (m) => [m[1]!, m[2]!]);
    // An Issue written as an object: { code: '...' satisfies IssueCode, severity: ... }.
    scan(
      new RegExp(`\\bcode:\\s*${CODE}(?:\\s+satisfies IssueCode)?,\\s*severity:\\s*'(error|warning|info)'`, 'g'),
      (m) => [m[1]!],
      (m) => m[2],
    );
    // The answer parsers' result codes (schemas/answers: { code: 'date_invalid' }, unions of them), handed to unreadable().
    if (path.startsWith('schemas/answers/'))
      scan(new RegExp(`\\bcode: (${CODE}(?:\\s*\\|\\s*${CODE})*)`, 'g'), (m) => literals(m[1]!));
  }
  return out;
}

/** Where a code is read back by name: compared, filtered on, or given its own advice. Each spot must be found. */
const READERS: { path: string; re: RegExp }[] = [
  { path: 'pipeline/foi/coding-rows.ts', re: /const ABOUT_MATCHING = new Set\(\[([^\]]*)\]\)/g },
  { path: 'pipeline/foi/coding-rows.ts', re: /const WHY_UNREAD = new Set\(\[([^\]]*)\]\)/g },
  // dropFileIssues(db, wave, [files], [codes]): the issues that no longer hold once a reply is matched or dated.
  { path: 'pipeline/foi/unmatched.ts', re: /dropFileIssues\([^;]*\[([^\]]*)\]\s*,?\s*\)/g },
  { path: 'pipeline/foi/match.ts', re: /dropFileIssues\([^;]*\[([^\]]*)\]\s*,?\s*\)/g },
];

function read(): Use[] {
  const out: Use[] = [];
  for (const { path, text } of SOURCES) {
    for (const m of text.matchAll(new RegExp(`\\b(?:i|issue)\\.code\\s*[!=]==\\s*${CODE}`, 'g')))
      out.push({ code: m[1]!, at: path });
  }
  for (const { path, re } of READERS) {
    const text = SOURCES.find((s) => s.path === path)?.text ?? '';
    const found = [...text.matchAll(re)];
    expect(found.length, `${path}: ${re.source} (update READERS if the code moved)`).toBeGreaterThan(0);
    for (const m of found) {
      const body = m[1]!;
      // BY_CODE's keys are bare words; the lists are quoted.
      const codes = path.endsWith('advice.ts')
        ? [...body.matchAll(/^\s*([a-z][a-z0-9_]*):/gm)].map((k) => k[1]!)
        : literals(body);
      for (const code of codes) out.push({ code, at: path });
    }
  }
  return out;
}

const catalogue = ISSUE_CODES as Record<string, IssueCodeEntry>;
const raisedUses = raised();

describe('the issue-code catalogue', () => {
  it('scans the product source (the scan itself works)', () => {
    expect(SOURCES.length).toBeGreaterThan(100);
    expect(new Set(raisedUses.map((u) => u.code)).size).toBeGreaterThan(100);
  });

  it('lists every code an issue is made with', () => {
    const unknown = raisedUses.filter((u) => !(u.code in catalogue)).map((u) => `${u.code} (${u.at})`);
    expect(unknown, 'codes raised but not in schemas/issue-codes.ts').toEqual([]);
  });

  it('lists every code read back by name', () => {
    const unknown = read()
      .filter((u) => !(u.code in catalogue))
      .map((u) => `${u.code} (${u.at})`);
    expect(unknown, 'codes compared or filtered on but not in schemas/issue-codes.ts').toEqual([]);
  });

  it('is raised at the severities it records', () => {
    const wrong = raisedUses
      .filter((u) => u.severity !== undefined && u.code in catalogue)
      .filter((u) => {
        const e = catalogue[u.code]!;
        return u.severity !== e.severity && !(e.also ?? []).includes(u.severity as 'error');
      })
      .map((u) => `${u.code} raised as ${u.severity} (${u.at})`);
    expect(wrong).toEqual([]);
  });

  it('gives every code a one-line meaning and action, a severity and what it touches', () => {
    for (const [code, e] of Object.entries(catalogue)) {
      expect(code, code).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(e.meaning.trim(), `${code}.meaning`).not.toBe('');
      expect(e.action.trim(), `${code}.action`).not.toBe('');
      expect(e.meaning, `${code}.meaning is one line`).not.toMatch(/\n/);
      expect(e.action, `${code}.action is one line`).not.toMatch(/\n/);
      expect(['error', 'warning', 'info'], `${code}.severity`).toContain(e.severity);
      expect(['file', 'table', 'row', 'cell'], `${code}.touches`).toContain(e.touches);
      for (const s of e.also ?? []) expect(s, `${code}.also repeats its severity`).not.toBe(e.severity);
    }
  });

  it('has every code made somewhere, or marked reserved with a reason', () => {
    const made = new Set(raisedUses.map((u) => u.code));
    const unused = Object.entries(catalogue)
      .filter(([code, e]) => !made.has(code) && e.reserved !== true)
      .map(([code]) => code);
    expect(unused, 'catalogue codes no source raises: remove them or mark them reserved: true with a reason').toEqual(
      [],
    );
    for (const [code, e] of Object.entries(catalogue).filter(([, e]) => e.reserved === true)) {
      expect(e.reason?.trim() ?? '', `${code} is reserved without a reason`).not.toBe('');
      expect(made.has(code), `${code} is marked reserved but is raised`).toBe(false);
    }
  });
});
