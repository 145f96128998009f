import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Question, QuestionList } from '../../schemas/question-list.ts';
import type { FileLimits } from '../../sources/shared/preflight.ts';
import { answerHint } from '../feedback/advice.ts';
import { checkerScript } from './bundle.ts';
import { IDS } from './ids.ts';

/**
 * `check-W.html`, the teams' self-check page (`census template --wave W --with-checker`): one
 * self-contained file (its stylesheet, its script and the wave's question list inline; no font,
 * image, script or style from anywhere else) that works offline from file://. Its
 * Content-Security-Policy allows only its own inline script and style by hash and no connection of
 * any kind, so a team's workbook cannot leave the computer. The wave's questions are listed in the
 * HTML itself, readable without JavaScript; the check needs the script.
 */
const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const sha256 = (s: string): string => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

/** JSON safe inside a <script> element: no "</script", "<!--" or line separators can end or confuse it. */
function scriptJson(v: unknown): string {
  return JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function requiredNote(q: Question): string {
  if (q.required) return '<strong class="tag tag-required">Required</strong>';
  if (q.requiredWhen) return '<strong class="tag tag-required">Required in some cases</strong>';
  return '';
}

function questionItem(q: Question): string {
  const hint = answerHint(q);
  const options =
    q.type === 'multi' && q.options?.length
      ? `<ul class="options">${q.options.map((o) => `<li>${esc(o.label)}</li>`).join('')}</ul>`
      : '';
  return `<li><span class="q-label">${esc(q.label)}</span> ${requiredNote(q)}${
    hint ? `<span class="hint">${esc(hint)}</span>` : ''
  }${q.help ? `<span class="hint">${esc(q.help)}</span>` : ''}${options}</li>`;
}

function questionSections(list: QuestionList): string {
  const sections: { name: string; questions: Question[] }[] = [];
  for (const q of list.questions) {
    const last = sections.at(-1);
    if (last && last.name === q.section) last.questions.push(q);
    else sections.push({ name: q.section, questions: [q] });
  }
  return sections
    .map((s) => `<h3>${esc(s.name)}</h3>\n<ol class="questions">${s.questions.map(questionItem).join('\n')}</ol>`)
    .join('\n');
}

export async function checkerPage(list: QuestionList, limits: FileLimits): Promise<string> {
  const script = await checkerScript();
  if (/<\/script|<!--/i.test(script))
    throw new Error('the self-check script holds "</script" or "<!--" and cannot be inlined; check the checker build');
  const css = readFileSync(join(import.meta.dirname, 'checker.css'), 'utf8');
  const wave = list.wave;
  const survey = list.shape === 'survey_export';
  const accept = survey ? '.csv,.txt,.xlsx' : '.xlsx,.xlsm';
  const what = survey
    ? 'your survey export (.csv or .xlsx)'
    : `your filled ${wave} questionnaire (the Excel workbook, .xlsx)`;
  const required = list.questions.filter((q) => q.required).length;
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(script)}`,
    `style-src ${sha256(css)}`,
    'img-src data:',
    "connect-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
  const data = scriptJson({ list, limits: { ...limits } });
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">
<meta name="referrer" content="no-referrer">
<title>Check your ${wave} questionnaire before you send it</title>
<style>${css}</style>
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header class="header"><div class="width"><p class="header-title">Parent-infant team census ${wave}</p></div></header>
<div class="width">
<main id="main">
<h1>Check your questionnaire before you send it</h1>
<p class="lead">Choose ${esc(what)} to see, in plain words, anything we would ask you to correct, with the cell it is in.</p>
<p>Your file stays on this computer: this page reads it here and sends nothing anywhere. It works without an internet connection. It checks your answers the way we will when we receive them, except the comparison with your team's answers of an earlier year.</p>
<div id="${IDS.needsScript}" class="inset"><p>This page needs JavaScript to check your file. Open it in a web browser with JavaScript turned on (any recent Chrome, Edge, Firefox or Safari). You can still read the questions below.</p></div>
<form id="${IDS.picker}" class="picker" hidden>
<div class="form-group">
<label class="label" for="${IDS.input}">Your filled questionnaire</label>
<p class="hint" id="${IDS.input}-hint">Choose the file, or drop it onto this page. You can check it again after correcting it.</p>
<input class="file-upload" type="file" id="${IDS.input}" name="return" accept="${accept}" aria-describedby="${IDS.input}-hint">
</div>
<div id="${IDS.drop}" class="drop">Or drop your file here</div>
</form>
<p id="${IDS.status}" class="status" role="status" aria-live="polite"></p>
<section id="${IDS.results}" class="results" aria-labelledby="results-heading" hidden></section>
<h2>The questions of the ${wave} questionnaire</h2>
<p>${list.questions.length} questions, ${required} of them required${list.reportingPeriod ? `; the period asked about is ${esc(list.reportingPeriod.label)}` : ''}.</p>
${questionSections(list)}
</main>
</div>
<footer class="footer"><div class="width"><p>Questionnaire version ${esc(list.templateVersion)}. Made with census template --with-checker.</p></div></footer>
<script type="application/json" id="${IDS.data}">${data}</script>
<script>${script}</script>
</body>
</html>
`;
}
