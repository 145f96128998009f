import type { QuestionList } from '../../schemas/question-list.ts';
import type { FileLimits } from '../../sources/shared/preflight.ts';
import { checkReturnBytes, type ReturnCheck } from '../ingest/questionnaire/check-return.ts';
import { IDS } from './ids.ts';
import { teamIssues, type TeamIssue } from './wording.ts';

/**
 * The self-check page's script (bundled by ./bundle.ts, inlined by ./page.ts). A team picks or
 * drops its filled workbook; the page reads it with the product's own reader and validation
 * (checkReturnBytes, the function `census check` runs) and lists every issue with its cell in the
 * team's words. The file is read in the page's memory only: nothing is sent anywhere (the page's
 * Content-Security-Policy forbids any connection).
 */
interface PageData {
  list: QuestionList;
  limits: FileLimits;
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  attrs: Record<string, string> = {},
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** What the result means for the team, in one or two sentences. */
function verdict(check: ReturnCheck, rows: TeamIssue[]): string {
  const errors = rows.filter((r) => r.severity === 'error').length;
  const checks = rows.length - errors;
  if (check.returnsLoadable === 0)
    return 'We could not use this file as it is. Please follow the advice below, then check the file again here.';
  if (rows.length === 0) return 'We found nothing to correct. You can send this file.';
  const parts = [
    errors ? plural(errors, 'answer to correct', 'answers to correct') : '',
    checks ? plural(checks, 'point to check', 'points to check') : '',
  ].filter(Boolean);
  return errors
    ? `We found ${parts.join(' and ')}. Please correct your workbook, save it and check it again here before you send it.`
    : `We found ${parts.join(' and ')}. If your answers are right, you can send this file.`;
}

function render(name: string, check: ReturnCheck, rows: TeamIssue[]): void {
  const results = document.getElementById(IDS.results)!;
  results.replaceChildren();
  const heading = el('h2', `Results for ${name}`, { id: 'results-heading', tabindex: '-1' });
  results.append(heading, el('p', verdict(check, rows), { class: 'verdict' }));
  if (rows.length > 0) {
    const table = el('table', undefined, { class: 'issues' });
    table.append(el('caption', `${plural(rows.length, 'point', 'points')} found in ${name}`));
    const head = el('tr');
    for (const h of ['Where', 'Question', 'What to do']) head.append(el('th', h, { scope: 'col' }));
    table.append(el('thead'));
    table.tHead!.append(head);
    const body = el('tbody');
    for (const r of rows) {
      const tr = el('tr', undefined, { class: `issue issue-${r.severity}` });
      tr.append(el('td', r.at, { class: 'at' }), el('td', r.question, { class: 'question' }));
      const what = el('td', undefined, { class: 'what' });
      what.append(
        el('strong', r.need, { class: `tag tag-${r.severity}` }),
        ' ',
        el('span', r.sentence, { class: 'sentence' }),
      );
      tr.append(what);
      body.append(tr);
    }
    table.append(body);
    results.append(table);
  }
  results.hidden = false;
  heading.focus();
}

async function checkFile(file: File, data: PageData): Promise<void> {
  const status = document.getElementById(IDS.status)!;
  status.textContent = `Checking ${file.name}…`;
  document.getElementById(IDS.results)!.setAttribute('aria-busy', 'true');
  try {
    const bytes = Buffer.from(await file.arrayBuffer());
    const check = await checkReturnBytes(bytes, { name: file.name, hash: '' }, data.list, data.limits);
    const rows = teamIssues(check.issues, data.list);
    render(file.name, check, rows);
    const errors = rows.filter((r) => r.severity === 'error').length;
    status.textContent =
      rows.length === 0
        ? `Checked ${file.name}: nothing to correct.`
        : `Checked ${file.name}: ${[
            errors ? `${plural(errors, 'answer', 'answers')} to correct` : '',
            rows.length - errors ? `${plural(rows.length - errors, 'point', 'points')} to check` : '',
          ]
            .filter(Boolean)
            .join(', ')}.`;
  } catch (err) {
    // A file no reader could open: the same sentence a team reads in feedback for an unreadable file.
    const rows = teamIssues(
      [{ code: 'file_unreadable', severity: 'error', message: String(err), location: {} }],
      data.list,
    );
    render(file.name, { kind: 'unsupported', returnsLoadable: 0, returnsRejected: 1, issues: [] }, rows);
    status.textContent = `Checked ${file.name}: we could not open it.`;
  } finally {
    document.getElementById(IDS.results)!.removeAttribute('aria-busy');
  }
}

function start(): void {
  const data = JSON.parse(document.getElementById(IDS.data)!.textContent ?? '{}') as PageData;
  const input = document.getElementById(IDS.input) as HTMLInputElement;
  const drop = document.getElementById(IDS.drop)!;
  document.getElementById(IDS.picker)!.hidden = false;
  document.getElementById(IDS.needsScript)!.hidden = true;
  const take = (files: FileList | null | undefined): void => {
    const file = files?.[0];
    if (file) void checkFile(file, data);
  };
  input.addEventListener('change', () => {
    take(input.files);
    // The same file, corrected and saved, can be picked again.
    input.value = '';
  });
  for (const target of [drop, document.body]) {
    target.addEventListener('dragover', (e) => {
      e.preventDefault();
      drop.classList.add('drop-over');
    });
    target.addEventListener('dragleave', () => drop.classList.remove('drop-over'));
    target.addEventListener('drop', (e) => {
      e.preventDefault();
      e.stopPropagation();
      drop.classList.remove('drop-over');
      take(e.dataTransfer?.files);
    });
  }
}

start();
