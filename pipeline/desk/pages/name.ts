import { h, type Html } from '../html.ts';

/** A path of this desk to go back to after the name is given (never another site: '//host' is refused). */
export function localPath(next: string | undefined): string {
  return next && /^\/(?![/\\])[A-Za-z0-9/_.~%?=&-]*$/.test(next) ? next : '/';
}

/**
 * The form that asks the person's name, once per session: every change made on the desk is recorded
 * under it in the audit log, as `--by` is for the command line.
 */
export function namePage(opts: {
  csrf: string;
  next: string;
  current: string | null;
  error?: string;
  value?: string;
}): {
  title: string;
  body: Html;
} {
  const { error } = opts;
  const value = opts.value ?? opts.current ?? '';
  return {
    title: 'Your name',
    body: h`${
      error
        ? h`<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert"><h2 class="govuk-error-summary__title">There is a problem</h2><div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list"><li><a href="#name">${error}</a></li></ul></div></div></div>`
        : ''
    }<form method="post" action="/name" novalidate>
<input type="hidden" name="csrf" value="${opts.csrf}">
<input type="hidden" name="next" value="${opts.next}">
<div class="govuk-form-group${error ? ' govuk-form-group--error' : ''}">
<h1 class="govuk-label-wrapper"><label class="govuk-label govuk-label--l" for="name">What is your name?</label></h1>
<div class="govuk-hint" id="name-hint">Every change you make on the desk is recorded under this name in the audit log, as census commands record --by. You are asked once for this session.</div>
${error ? h`<p id="name-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ${error}</p>` : ''}
<input class="govuk-input govuk-input--width-20${error ? ' govuk-input--error' : ''}" id="name" name="name" type="text" autocomplete="name" spellcheck="false" value="${value}" aria-describedby="name-hint${error ? ' name-error' : ''}">
</div>
<button type="submit" class="govuk-button">Continue</button>
</form>`,
  };
}

/** Shown above a queue's forms until the session has a name. */
export function askNameFirst(next: string): Html {
  return h`<div class="govuk-inset-text">Before you change anything, <a class="govuk-link" href="/name?next=${encodeURIComponent(next)}">give your name</a>: the audit log records who made each change.</div>`;
}
