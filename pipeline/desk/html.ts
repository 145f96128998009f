/**
 * Server-rendered HTML: a tagged template that escapes every interpolated value unless it is
 * already `Html` (made by this template), and the page layout on govuk-frontend's classes. No
 * inline script or style anywhere (the Content-Security-Policy forbids both): the stylesheets are
 * files the app serves itself.
 */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Part = Html | string | number | boolean | null | undefined | readonly Part[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function render(p: Part): string {
  if (p === null || p === undefined || p === false) return '';
  if (p instanceof Html) return p.text;
  if (Array.isArray(p)) return (p as readonly Part[]).map(render).join('');
  return escapeHtml(String(p));
}

export function h(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1]!;
  return new Html(out);
}

export interface Crumb {
  text: string;
  href?: string;
}

/** A table in the design system's markup; `head` cells are column titles, numeric columns right-aligned. */
export function table(opts: {
  caption: string;
  head: readonly string[];
  rows: readonly (readonly Part[])[];
  numeric?: readonly number[];
}): Html {
  const num = new Set(opts.numeric ?? []);
  const cls = (i: number, base: string) => (num.has(i) ? `${base} ${base}--numeric` : base);
  return h`<table class="govuk-table">
<caption class="govuk-table__caption govuk-table__caption--m">${opts.caption}</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row">${opts.head.map(
    (c, i) => h`<th scope="col" class="${cls(i, 'govuk-table__header')}">${c}</th>`,
  )}</tr></thead>
<tbody class="govuk-table__body">${opts.rows.map(
    (r) =>
      h`<tr class="govuk-table__row">${r.map((c, i) => h`<td class="${cls(i, 'govuk-table__cell')}">${c}</td>`)}</tr>`,
  )}</tbody>
</table>`;
}

export function tag(text: string, colour?: 'red' | 'green' | 'yellow' | 'grey' | 'blue' | 'orange'): Html {
  return h`<strong class="govuk-tag${colour ? ` govuk-tag--${colour}` : ''}">${text}</strong>`;
}

export function insetText(text: Part): Html {
  return h`<div class="govuk-inset-text">${text}</div>`;
}

/** A whole page: header with the service name, optional breadcrumbs, main content. */
export function page(opts: {
  title: string;
  crumbs?: readonly Crumb[];
  body: Html;
  /** Set when a password protects the desk: a sign-out form with this CSRF token. */
  signOutCsrf?: string;
  /** The name the session gave, which every change is recorded under. */
  person?: string;
}): string {
  const crumbs = opts.crumbs?.length
    ? h`<nav class="govuk-breadcrumbs" aria-label="Breadcrumb"><ol class="govuk-breadcrumbs__list">${opts.crumbs.map(
        (c) =>
          h`<li class="govuk-breadcrumbs__list-item">${c.href ? h`<a class="govuk-breadcrumbs__link" href="${c.href}">${c.text}</a>` : c.text}</li>`,
      )}</ol></nav>`
    : '';
  return h`<!DOCTYPE html>
<html lang="en-GB" class="govuk-template">
<head>
<meta charset="utf-8">
<title>${opts.title} – Census review desk</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/static/govuk-frontend.min.css">
<link rel="stylesheet" href="/static/desk.css">
</head>
<body class="govuk-template__body">
<a href="#main-content" class="govuk-skip-link">Skip to main content</a>
<header class="govuk-header" role="banner">
<div class="govuk-header__container govuk-width-container">
<div class="govuk-header__content"><a href="/" class="govuk-header__link govuk-header__service-name">Census review desk</a>${
    opts.person
      ? h` <span class="desk-person">Changes recorded as ${opts.person} (<a class="govuk-header__link" href="/name">change</a>)</span>`
      : ''
  }</div>
</div>
</header>
<div class="govuk-width-container">
${crumbs}
<main class="govuk-main-wrapper" id="main-content" role="main">
${opts.body}
</main>
</div>
<footer class="govuk-footer" role="contentinfo"><div class="govuk-width-container"><p class="govuk-body-s">Pages over the workspace database: every figure, and every change made here, goes through the same functions as the census command line.${
    opts.signOutCsrf
      ? h` <form method="post" action="/logout" class="desk-inline-form"><input type="hidden" name="csrf" value="${opts.signOutCsrf}"><button type="submit" class="govuk-button govuk-button--secondary desk-small-button">Sign out</button></form>`
      : ''
  }</p></div></footer>
</body>
</html>
`.text;
}
