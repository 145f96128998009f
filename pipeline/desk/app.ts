import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono, type Context } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { asCensusError, CensusError } from '../../schemas/fault.ts';
import { parseIsoOption } from '../foi/dates.ts';
import type { Ctx, Logger } from '../runtime/ctx.ts';
import { h, page, type Crumb, type Html } from './html.ts';
import { dashboardPage, type AsOfRefused } from './pages/dashboard.ts';
import { homePage, wavesPresent } from './pages/home.ts';
import { answerPage, figurePage, figuresPage, latestBuild, valuePage } from './pages/figures.ts';
import { issuesPage } from './pages/issues.ts';
import { buildFromForm, findBuild, reportsPage, verifyPage } from './pages/reports.ts';
import { codeOneRow, codingPage, formAnswers, ReadingChanged, whyNotWaiting } from './pages/coding.ts';
import { correctFromForm, correctionsPage, type RefusedCorrection } from './pages/corrections.ts';
import { labelsPage, mapOneLabel } from './pages/labels.ts';
import { localPath, namePage } from './pages/name.ts';
import { unmatchedPage, type MatchedNote } from './pages/unmatched.ts';
import { listUnmatched, matchByHand, unmatchByHand } from '../foi/unmatched.ts';
import { matchedPage } from './pages/matched.ts';
import { storedReply } from './evidence.ts';
import { asWriter, People, underWriteLock } from './writes.ts';
import {
  checkPassword,
  newToken,
  sameToken,
  SECURITY_HEADERS,
  SESSION_MAX_MS,
  Sessions,
  Throttle,
  type PasswordRecord,
} from './security.ts';

/**
 * The review desk as a Hono app: server-rendered pages over the functions the CLI commands call.
 * `ctx()` gives the context of one request (the CLI's context: the workspace, the database handle
 * the desk holds open, the clock), so every page load reads the database afresh and a CLI ingest
 * made while the desk is open shows on the next load. The forms that write call the same domain
 * function as the CLI command that makes the change, under the same write lock, with the person's
 * name (asked once per session, on /name) as its `by`, so the audit log records who made it.
 */
export interface DeskOptions {
  ctx: () => Ctx | Promise<Ctx>;
  /** The stored password hash: when set, every page but sign-in needs a session. */
  password?: PasswordRecord | null;
  /** Which Host headers to answer (against DNS rebinding of a loopback desk); absent = any. */
  allowedHost?: (host: string) => boolean;
  /** Milliseconds since the epoch, for session expiry (tests pin it). */
  now?: () => number;
  log?: Logger;
}

type Env = { Variables: { csrf: string; signedIn: boolean; person: string | null } };
type C = Context<Env>;

const SESSION_COOKIE = 'desk_session';
const CSRF_COOKIE = 'desk_csrf';
const COOKIE = { httpOnly: true, sameSite: 'Strict', path: '/' } as const;

const STYLESHEET = fileURLToPath(import.meta.resolve('govuk-frontend/dist/govuk/govuk-frontend.min.css'));
const ASSETS = join(dirname(STYLESHEET), 'assets');
const DESK_CSS = join(dirname(fileURLToPath(import.meta.url)), 'desk.css');
const ASSET_NAME = /^[a-z0-9-]+\.(svg|png|ico)$/;
/**
 * GOV.UK Frontend's styles without its @font-face rules: the GDS Transport typeface is licensed for
 * GOV.UK services only, and this desk is not one. Its font stack then falls back to Arial, as the
 * design system itself does where the typeface is not used.
 */
const stylesheet = (): string => readFileSync(STYLESHEET, 'utf8').replace(/@font-face\{[^}]*\}/g, '');
const MEDIA: Record<string, string> = {
  svg: 'image/svg+xml',
  png: 'image/png',
  ico: 'image/x-icon',
};

function parseWaveParam(v: string | undefined): number | null {
  if (!v || !/^\d{4}$/.test(v)) return null;
  const n = Number(v);
  return n >= 2000 && n <= 2100 ? n : null;
}

export function deskApp(opts: DeskOptions): Hono<Env> {
  const now = opts.now ?? Date.now;
  const sessions = new Sessions(now);
  const throttle = new Throttle(now);
  const password = opts.password ?? null;
  const people = new People();
  const app = new Hono<Env>();

  const send = (
    c: C,
    p: { title: string; body: Html; crumbs?: Crumb[] },
    status: 200 | 400 | 401 | 403 | 404 | 409 | 500 = 200,
  ) =>
    c.html(
      page({
        ...p,
        ...(password && c.get('signedIn') ? { signOutCsrf: c.get('csrf') } : {}),
        ...(c.get('person') ? { person: c.get('person')! } : {}),
      }),
      status,
    );
  const problem = (
    c: C,
    status: 400 | 401 | 403 | 404 | 409 | 500,
    title: string,
    what: Html | string,
    next?: Html | string,
  ) =>
    send(
      c,
      {
        title,
        body: h`<h1 class="govuk-heading-l">${title}</h1><p class="govuk-body">${what}</p>${next ? h`<p class="govuk-body">${next}</p>` : ''}<p class="govuk-body"><a class="govuk-link" href="/">Back to the waves</a></p>`,
      },
      status,
    );

  // Every response: the security headers.
  app.use('*', async (c, next) => {
    await next();
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(k, v);
  });

  // A loopback desk answers only to its own host names (a page elsewhere cannot rebind a name to it).
  app.use('*', async (c, next) => {
    if (opts.allowedHost && !opts.allowedHost((c.req.header('host') ?? '').toLowerCase()))
      return c.text('Unknown host.', 421);
    await next();
  });

  // Sessions (with a password) and the CSRF token of the forms.
  app.use('*', async (c, next) => {
    const path = c.req.path;
    if (path.startsWith('/static/') || path.startsWith('/assets/') || path === '/favicon.ico') return next();
    let csrf: string;
    let signedIn = false;
    const session = password ? sessions.get(getCookie(c, SESSION_COOKIE)) : null;
    if (session) {
      csrf = session.csrf;
      signedIn = true;
    } else {
      csrf = getCookie(c, CSRF_COOKIE) ?? '';
      if (!/^[A-Za-z0-9_-]{43}$/.test(csrf)) {
        csrf = newToken();
        setCookie(c, CSRF_COOKIE, csrf, COOKIE);
      }
    }
    c.set('csrf', csrf);
    c.set('signedIn', signedIn);
    c.set('person', people.get(csrf));
    if (c.req.method === 'POST') {
      const origin = c.req.header('origin');
      const host = c.req.header('host');
      if (origin && origin !== 'null' && host && new URL(origin).host !== host)
        return problem(c, 403, 'Refused', 'The form was sent from another site.');
      const body = await c.req.parseBody();
      if (!sameToken(typeof body.csrf === 'string' ? body.csrf : undefined, csrf))
        return problem(
          c,
          403,
          'The form has expired',
          'The form was not sent from this page or has expired (its security token did not match).',
          'Go back, reload the page and send it again.',
        );
    }
    if (password && !signedIn && path !== '/login') {
      if (c.req.method === 'GET') return c.redirect('/login', 303);
      return problem(c, 401, 'Sign in first', 'Your session has ended.', 'Sign in again.');
    }
    await next();
  });

  // ---- files ------------------------------------------------------------------------------------
  const file = (path: string, type: string) => (c: C) =>
    c.body(readFileSync(path), 200, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  app.get('/static/govuk-frontend.min.css', (c) =>
    c.body(stylesheet(), 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'no-store' }),
  );
  app.get('/static/desk.css', file(DESK_CSS, 'text/css; charset=utf-8'));
  app.get('/favicon.ico', file(join(ASSETS, 'images', 'favicon.ico'), 'image/x-icon'));
  app.get('/assets/:kind/:name', (c) => {
    const { kind, name } = c.req.param();
    if (kind !== 'images' || !ASSET_NAME.test(name)) return c.notFound();
    try {
      return c.body(readFileSync(join(ASSETS, kind, name)), 200, { 'Content-Type': MEDIA[name.split('.').pop()!]! });
    } catch {
      return c.notFound();
    }
  });

  // ---- sign in and out --------------------------------------------------------------------------
  const loginForm = (c: C, error?: string) =>
    send(
      c,
      {
        title: 'Sign in',
        body: h`${
          error
            ? h`<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert"><h2 class="govuk-error-summary__title">There is a problem</h2><div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list"><li><a href="#password">${error}</a></li></ul></div></div></div>`
            : ''
        }<h1 class="govuk-heading-xl">Sign in to the review desk</h1>
<form method="post" action="/login" novalidate>
<input type="hidden" name="csrf" value="${c.get('csrf')}">
<div class="govuk-form-group${error ? ' govuk-form-group--error' : ''}">
<label class="govuk-label" for="password">Desk password</label>
<div class="govuk-hint" id="password-hint">Set with census serve --set-password.</div>
${error ? h`<p id="password-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ${error}</p>` : ''}
<input class="govuk-input govuk-input--width-20${error ? ' govuk-input--error' : ''}" id="password" name="password" type="password" autocomplete="current-password" aria-describedby="password-hint${error ? ' password-error' : ''}">
</div>
<button type="submit" class="govuk-button">Sign in</button>
</form>`,
      },
      error ? 401 : 200,
    );
  app.get('/login', (c) => (!password || c.get('signedIn') ? c.redirect('/', 303) : loginForm(c)));
  app.post('/login', async (c) => {
    if (!password) return c.redirect('/', 303);
    if (throttle.blocked()) return loginForm(c, 'Too many wrong passwords: wait ten minutes and try again.');
    const body = await c.req.parseBody();
    const attempt = typeof body.password === 'string' ? body.password : '';
    if (!(await checkPassword(password, attempt))) {
      throttle.fail();
      return loginForm(c, 'The password is not right.');
    }
    const s = sessions.create();
    setCookie(c, SESSION_COOKIE, s.id, { ...COOKIE, maxAge: Math.floor(SESSION_MAX_MS / 1000) });
    deleteCookie(c, CSRF_COOKIE, { path: '/' });
    return c.redirect('/', 303);
  });
  app.post('/logout', (c) => {
    sessions.end(getCookie(c, SESSION_COOKIE));
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect('/login', 303);
  });

  // ---- the person's name, once per session -------------------------------------------------------
  app.get('/name', (c) =>
    send(c, {
      ...namePage({ csrf: c.get('csrf'), next: localPath(c.req.query('next')), current: c.get('person') }),
      crumbs: [{ text: 'Waves', href: '/' }, { text: 'Your name' }],
    }),
  );
  app.post('/name', async (c) => {
    const body = await c.req.parseBody();
    const name = typeof body.name === 'string' ? body.name : '';
    const next = localPath(typeof body.next === 'string' ? body.next : undefined);
    const error = people.set(c.get('csrf'), name);
    if (error)
      return send(c, { ...namePage({ csrf: c.get('csrf'), next, current: c.get('person'), error, value: name }) }, 400);
    return c.redirect(next, 303);
  });
  /** The session's name, or a redirect to the form that asks it (then back to `back`). */
  const personOr = (c: C, back: string) => {
    const person = c.get('person');
    return person ? { person } : { ask: c.redirect(`/name?next=${encodeURIComponent(back)}`, 303) };
  };

  // ---- pages ------------------------------------------------------------------------------------
  const wavePage =
    (
      make: (ctx: Ctx, wave: number, c: C) => Promise<{ title: string; body: Html }>,
      crumb?: (wave: number) => string,
      status: 200 | 400 = 200,
    ) =>
    async (c: C) => {
      const wave = parseWaveParam(c.req.param('wave'));
      if (wave === null) return problem(c, 404, 'Page not found', 'A wave is a year such as 2025.');
      const p = await make(await opts.ctx(), wave, c);
      const crumbs: Crumb[] = [{ text: 'Waves', href: '/' }];
      if (crumb) crumbs.push({ text: `Wave ${wave}`, href: `/waves/${wave}` }, { text: crumb(wave) });
      else crumbs.push({ text: `Wave ${wave}` });
      return send(c, { ...p, crumbs }, status);
    };

  app.get('/', async (c) => send(c, await homePage(await opts.ctx())));
  app.get('/wave', (c) => {
    const wave = parseWaveParam(c.req.query('wave')?.trim());
    return wave === null
      ? problem(c, 400, 'Not a wave', 'A wave is a year such as 2025.')
      : c.redirect(`/waves/${wave}`, 303);
  });
  app.get('/waves/:wave', (c) => {
    const asOf = c.req.query('as-of')?.trim();
    let refused: AsOfRefused | null = null;
    if (asOf)
      try {
        parseIsoOption(asOf, 'The date');
      } catch {
        refused = { typed: asOf, message: `"${asOf}" is not a date: give one as YYYY-MM-DD, e.g. 2024-03-11.` };
      }
    return wavePage(
      (ctx, wave) => dashboardPage(ctx, wave, asOf && !refused ? asOf : undefined, refused),
      undefined,
      refused ? 400 : 200,
    )(c);
  });
  app.get(
    '/waves/:wave/issues',
    wavePage(
      (ctx, wave, c) =>
        issuesPage(ctx, wave, {
          ...(c.req.query('file') ? { file: c.req.query('file')! } : {}),
          ...(c.req.query('severity') ? { severity: c.req.query('severity')! } : {}),
          ...(c.req.query('team') ? { team: c.req.query('team')! } : {}),
        }),
      () => 'Issues',
    ),
  );
  app.get(
    '/waves/:wave/foi/unmatched',
    wavePage(
      async (ctx, wave, c) => {
        // After a match: what the database now says of that reply (not what the form asked).
        const sha = c.req.query('matched');
        let matched: MatchedNote | null = null;
        if (sha && /^[0-9a-f]{64}$/.test(sha)) {
          const r = await ctx.db
            .selectFrom('foi_response')
            .innerJoin('file_receipt', (j) =>
              j
                .onRef('file_receipt.sha256', '=', 'foi_response.sha256')
                .onRef('file_receipt.wave', '=', 'foi_response.wave'),
            )
            .select(['foi_response.trust_ods', 'foi_response.state', 'file_receipt.original_name'])
            .where('foi_response.wave', '=', wave)
            .where('foi_response.sha256', '=', sha)
            .where('foi_response.state', '=', 'matched')
            .where('foi_response.trust_ods', 'is not', null)
            .orderBy('foi_response.trust_ods')
            .execute();
          const attachments = Number(c.req.query('attachments') ?? '0');
          // One row, or one per trust of a joint reply (sql/022).
          if (r.length > 0)
            matched = {
              file: r[0]!.original_name,
              sha256: sha,
              trusts: [...new Set(r.map((x) => x.trust_ods!))],
              attachments: Number.isInteger(attachments) ? attachments : 0,
            };
        }
        // After "back to the queue": said only when the database holds the reply unmatched.
        const back = c.req.query('sent-back');
        const sentBack =
          back && /^[0-9a-f]{64}$/.test(back)
            ? ((await listUnmatched(wave, ctx)).find((r) => r.sha256 === back)?.file ?? null)
            : null;
        return unmatchedPage(ctx, wave, {
          csrf: c.get('csrf'),
          person: c.get('person'),
          matched,
          sentBack: sentBack === null ? null : { file: sentBack, sha256: back! },
        });
      },
      () => 'Unmatched FOI replies',
    ),
  );
  app.post('/waves/:wave/foi/unmatched/match', async (c) => {
    const wave = parseWaveParam(c.req.param('wave'));
    if (wave === null) return problem(c, 404, 'Page not found', 'A wave is a year such as 2025.');
    const back = `/waves/${wave}/foi/unmatched`;
    const who = personOr(c, back);
    if ('ask' in who) return who.ask;
    const body = await c.req.parseBody();
    const file = typeof body.file === 'string' ? body.file : '';
    // "RTQ, R1A" typed for a joint reply, else the one trust of a button or the list.
    const trust =
      typeof body.trusts === 'string' && body.trusts.trim() !== ''
        ? body.trusts
        : typeof body.trust === 'string'
          ? body.trust
          : '';
    if (!/^[0-9a-f]{64}$/.test(file) || trust.trim() === '')
      return problem(
        c,
        400,
        'That cannot be matched',
        'The form named no reply or no trust.',
        'Go back and choose a trust.',
      );
    const m = await asWriter(await opts.ctx(), who.person, 'the match', (ctx) =>
      matchByHand({ wave, file, trust, by: who.person }, ctx),
    );
    // A match changed from the matched replies' page goes back there, to the trust it now has.
    if (body.from === 'matched')
      return c.redirect(`/waves/${wave}/foi/matched?trust=${encodeURIComponent(m.trust.split(',')[0]!)}`, 303);
    return c.redirect(
      `${back}?matched=${m.sha256}${m.attachments.length ? `&attachments=${m.attachments.length}` : ''}`,
      303,
    );
  });
  app.get(
    '/waves/:wave/foi/matched',
    wavePage(
      (ctx, wave, c) => {
        const trust = c.req.query('trust');
        return matchedPage(ctx, wave, {
          csrf: c.get('csrf'),
          person: c.get('person'),
          ...(trust && /^[A-Z0-9]{3,5}$/.test(trust) ? { trust } : {}),
        });
      },
      () => 'Matched FOI replies',
    ),
  );
  app.post('/waves/:wave/foi/matched/unmatch', async (c) => {
    const wave = parseWaveParam(c.req.param('wave'));
    if (wave === null) return problem(c, 404, 'Page not found', 'A wave is a year such as 2025.');
    const who = personOr(c, `/waves/${wave}/foi/matched`);
    if ('ask' in who) return who.ask;
    const body = await c.req.parseBody();
    const file = typeof body.file === 'string' ? body.file : '';
    if (!/^[0-9a-f]{64}$/.test(file))
      return problem(c, 400, 'That was not done', 'The form named no reply.', 'Go back and choose a reply.');
    const r = await asWriter(await opts.ctx(), who.person, 'sending the reply back', (ctx) =>
      unmatchByHand({ wave, file, by: who.person }, ctx),
    );
    return c.redirect(`/waves/${wave}/foi/unmatched?sent-back=${r.sha256}`, 303);
  });
  app.get('/waves/:wave/foi/replies/:sha256', async (c) => {
    const wave = parseWaveParam(c.req.param('wave'));
    const reply = wave === null ? null : await storedReply(await opts.ctx(), wave, c.req.param('sha256'));
    if (reply === null) return problem(c, 404, 'Page not found', 'The wave has no FOI reply with that hash.');
    // The name goes in the header encoded (RFC 6266), never raw: a reply's name is the sender's.
    const disposition = `${reply.inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(reply.name)}`;
    return c.body(new Uint8Array(reply.bytes), 200, {
      'Content-Type': reply.type,
      'Content-Disposition': disposition,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    });
  });
  app.get(
    '/waves/:wave/foi/coding',
    wavePage(
      (ctx, wave, c) => {
        const n = (k: string) => {
          const v = Number(c.req.query(k) ?? '');
          return Number.isInteger(v) && v >= 0 ? v : 0;
        };
        const trust = c.req.query('trust');
        return codingPage(ctx, wave, {
          csrf: c.get('csrf'),
          person: c.get('person'),
          ...(trust ? { trust } : {}),
          done: c.req.query('recorded') !== undefined ? { recorded: n('recorded'), corrected: n('corrected') } : null,
        });
      },
      () => 'FOI coding queue',
    ),
  );
  app.post('/waves/:wave/foi/coding/code', async (c) => {
    const wave = parseWaveParam(c.req.param('wave'));
    if (wave === null) return problem(c, 404, 'Page not found', 'A wave is a year such as 2025.');
    const back = `/waves/${wave}/foi/coding`;
    const who = personOr(c, back);
    if ('ask' in who) return who.ask;
    const body = await c.req.parseBody();
    const key = typeof body.key === 'string' ? body.key : '';
    const answers = formAnswers(body);
    if (Object.keys(answers).length === 0)
      return problem(
        c,
        400,
        'Nothing was recorded',
        'The form had no answer in it.',
        'Go back and fill in the answer.',
      );
    const seen = typeof body.seen === 'string' ? body.seen : undefined;
    let load: Awaited<ReturnType<typeof codeOneRow>>;
    try {
      load = await asWriter(await opts.ctx(), who.person, 'the coding', (ctx) =>
        codeOneRow({ wave, key, answers, by: who.person, ...(seen === undefined ? {} : { seen }) }, ctx),
      );
    } catch (e) {
      if (!(e instanceof ReadingChanged)) throw e;
      return problem(
        c,
        400,
        'Nothing was recorded',
        `What the reply was read as is not what the page showed (it was read again since, or the form was changed): it now reads ${e.now}. Nothing was recorded; look at it again before confirming.`,
        h`<a class="govuk-link" href="${back}">Back to the coding queue</a>`,
      );
    }
    if (!load)
      return problem(
        c,
        400,
        'Nothing was recorded',
        await whyNotWaiting(wave, key, await opts.ctx()),
        h`<a class="govuk-link" href="${back}">Back to the coding queue</a>`,
      );
    if (load.recorded + load.corrected === 0)
      return send(
        c,
        {
          title: 'Nothing was recorded',
          body: h`<h1 class="govuk-heading-l">Nothing was recorded</h1><p class="govuk-body">The answer was not recorded: ${load.issues.length ? '' : 'it says the same as before.'}</p>${
            load.issues.length
              ? h`<ul class="govuk-list govuk-list--bullet">${load.issues.map((i) => h`<li>${i.message}</li>`)}</ul>`
              : ''
          }<p class="govuk-body"><a class="govuk-link" href="${back}">Back to the coding queue</a></p>`,
        },
        400,
      );
    return c.redirect(`${back}?recorded=${load.recorded}&corrected=${load.corrected}`, 303);
  });
  const correctionsOf = (
    trust: string | undefined,
    more: { corrected?: string | null; refused?: RefusedCorrection | null } = {},
  ) =>
    wavePage(
      (ctx, wave, c) =>
        correctionsPage(ctx, wave, {
          csrf: c.get('csrf'),
          person: c.get('person'),
          ...(trust ? { trust } : {}),
          ...more,
        }),
      () => 'Correct FOI values',
      more.refused ? 400 : 200,
    );
  app.get('/waves/:wave/foi/corrections', (c) => {
    const corrected = c.req.query('corrected');
    return correctionsOf(c.req.query('trust'), {
      corrected: corrected && /^\d+$/.test(corrected) ? corrected : null,
    })(c);
  });
  app.post('/waves/:wave/foi/corrections/correct', async (c) => {
    const wave = parseWaveParam(c.req.param('wave'));
    if (wave === null) return problem(c, 404, 'Page not found', 'A wave is a year such as 2025.');
    const back = `/waves/${wave}/foi/corrections`;
    const body = await c.req.parseBody();
    const trust = typeof body.trust === 'string' && /^[A-Z0-9]{3,5}$/.test(body.trust) ? body.trust : '';
    const who = personOr(c, trust ? `${back}?trust=${trust}` : back);
    if ('ask' in who) return who.ask;
    const r = await asWriter(await opts.ctx(), who.person, 'the correction', (ctx) =>
      correctFromForm({ wave, body, by: who.person }, ctx),
    );
    if ('refused' in r) {
      // The form again, with what was typed and each problem on its field; nothing was recorded.
      return correctionsOf(trust || undefined, { refused: r.refused })(c);
    }
    return c.redirect(`${back}?${trust ? `trust=${trust}&` : ''}corrected=${r.valueId}`, 303);
  });
  app.get(
    '/waves/:wave/labels',
    wavePage(
      (ctx, wave, c) => {
        const n = Number(c.req.query('reread') ?? '');
        return labelsPage(ctx, wave, {
          csrf: c.get('csrf'),
          person: c.get('person'),
          mapped: c.req.query('reread') !== undefined && Number.isInteger(n) && n >= 0 ? { reread: n } : null,
        });
      },
      () => 'Labels to map',
    ),
  );
  app.post('/waves/:wave/labels/map', async (c) => {
    const wave = parseWaveParam(c.req.param('wave'));
    if (wave === null) return problem(c, 404, 'Page not found', 'A wave is a year such as 2025.');
    const back = `/waves/${wave}/labels`;
    const who = personOr(c, back);
    if ('ask' in who) return who.ask;
    const body = await c.req.parseBody();
    const label = typeof body.label === 'string' ? body.label : '';
    const question = typeof body.question === 'string' ? body.question : '';
    if (label.trim() === '' || question === '')
      return problem(c, 400, 'That was not done', 'The form named no label or no question.');
    const reread = await asWriter(await opts.ctx(), who.person, 'the mapping', (ctx) =>
      mapOneLabel({ wave, label, question }, ctx),
    );
    return c.redirect(`${back}?reread=${reread}`, 303);
  });
  app.get('/reports', async (c) => {
    const ctx = await opts.ctx();
    const built = c.req.query('built');
    return send(c, {
      ...reportsPage(ctx, c.get('csrf'), {
        waves: await wavesPresent(ctx),
        built: built && findBuild(ctx, built) ? { id: built, dataErrors: c.req.query('errors') === '1' } : null,
      }),
      crumbs: [{ text: 'Waves', href: '/' }, { text: 'Reports' }],
    });
  });
  app.post('/reports/build', async (c) => {
    const body = await c.req.parseBody();
    const wave = parseWaveParam(typeof body.wave === 'string' ? body.wave.trim() : undefined);
    if (wave === null) return problem(c, 400, 'That was not done', 'A wave is a year such as 2025.');
    const folder = typeof body.folder === 'string' && body.folder.trim() !== '' ? body.folder.trim() : String(wave);
    const ctx = await opts.ctx();
    const r = await underWriteLock(ctx, 'the report build', () =>
      buildFromForm(ctx, { wave, folder, publicBuild: body.public === 'yes' }),
    );
    return c.redirect(`/reports?built=${encodeURIComponent(r.id)}&errors=${r.dataErrors ? 1 : 0}`, 303);
  });
  const buildOr404 = (c: C, ctx: Ctx) => {
    const id = c.req.query('build');
    const b = id ? findBuild(ctx, id) : undefined;
    return b && b.manifest ? b : null;
  };
  app.get('/reports/figures', async (c) => {
    const ctx = await opts.ctx();
    const b = buildOr404(c, ctx);
    if (!b) return problem(c, 404, 'No such build', 'That folder holds no report build.');
    return send(c, {
      ...figuresPage(b),
      crumbs: [{ text: 'Waves', href: '/' }, { text: 'Reports', href: '/reports' }, { text: `Figures of ${b.id}` }],
    });
  });
  app.get('/reports/figure', async (c) => {
    const ctx = await opts.ctx();
    const b = buildOr404(c, ctx);
    const id = c.req.query('id');
    if (!b || !id) return problem(c, 404, 'No such figure', 'Choose a figure from the list of a build.');
    return send(c, {
      ...(await figurePage(ctx, b, id)),
      crumbs: [
        { text: 'Waves', href: '/' },
        { text: 'Reports', href: '/reports' },
        { text: `Figures of ${b.id}`, href: `/reports/figures?build=${encodeURIComponent(b.id)}` },
        { text: id },
      ],
    });
  });
  app.get('/waves/:wave/figures', async (c) => {
    const wave = parseWaveParam(c.req.param('wave'));
    if (wave === null) return problem(c, 404, 'Page not found', 'A wave is a year such as 2025.');
    const b = latestBuild(await opts.ctx(), wave);
    if (!b)
      return problem(
        c,
        404,
        'No report built yet',
        `No report of wave ${wave} is in the reports folder.`,
        'Build it on the report builds page, then its figures can be audited.',
      );
    return c.redirect(`/reports/figures?build=${encodeURIComponent(b.id)}`, 303);
  });
  app.get(
    '/waves/:wave/foi/values/:id',
    wavePage(
      async (ctx, wave, c) => {
        const id = c.req.param('id') ?? '';
        const p = /^\d{1,18}$/.test(id) ? await valuePage(ctx, wave, id) : null;
        if (!p)
          throw new CensusError(
            'usage',
            `Wave ${wave} has no FOI value ${id}.`,
            'Follow a link from a figure or the corrections page.',
          );
        return p;
      },
      () => 'FOI value',
    ),
  );
  app.get(
    '/waves/:wave/answer',
    wavePage(
      async (ctx, wave, c) => {
        const ret = c.req.query('return') ?? '';
        const question = c.req.query('question') ?? null;
        const ok =
          /^([0-9a-f]{16}\.\d+|\d{1,18})$/.test(ret) && (question === null || /^[A-Za-z0-9_.-]{1,80}$/.test(question));
        const p = ok ? await answerPage(ctx, wave, ret, question) : null;
        if (!p) throw new CensusError('usage', `Wave ${wave} has no such answer.`, 'Follow a link from a figure.');
        return p;
      },
      () => 'Answer',
    ),
  );
  app.post('/reports/verify', async (c) => {
    const body = await c.req.parseBody();
    const ctx = await opts.ctx();
    const b = typeof body.build === 'string' ? findBuild(ctx, body.build) : undefined;
    if (!b || !b.manifest) return problem(c, 404, 'No such build', 'That folder holds no report build.');
    return send(c, {
      ...(await verifyPage(ctx, b)),
      crumbs: [{ text: 'Waves', href: '/' }, { text: 'Reports', href: '/reports' }, { text: `Verify ${b.id}` }],
    });
  });

  app.notFound((c) => problem(c as C, 404, 'Page not found', 'There is no page at this address.'));
  app.onError((err, c) => {
    const e = err instanceof CensusError ? err : asCensusError(err, 'showing the page');
    if (e.code === 'usage' || e.code === 'wave_locked')
      return problem(
        c as C,
        400,
        c.req.method === 'POST' ? 'That was not done' : 'That cannot be shown',
        e.message,
        e.hint,
      );
    if (e.code === 'lock_busy')
      return problem(
        c as C,
        409,
        'Another change is being made',
        'A census command that writes is running on this database, so nothing was changed.',
        'Wait for it to finish, then send the form again.',
      );
    // The path only: query strings are not logged.
    opts.log?.error(`${c.req.method} ${c.req.path}: ${e.message}`);
    return problem(c as C, 500, 'Something went wrong', e.message, e.hint);
  });
  return app;
}
