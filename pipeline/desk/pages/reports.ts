import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { builtFiles, MANIFEST_FILE, type Manifest } from '../../../reports/manifest.ts';
import { readManifestFrom, verifyReport, type Verification } from '../../report/verify.ts';
import { renderReport, writeReport } from '../../report/build.ts';
import { listIssues } from '../../db/issue-rows.ts';
import { hasOpenErrors, settledFiles } from '../../returns/open-errors.ts';
import { CensusError } from '../../../schemas/fault.ts';
import { defaultParams, mergeParams } from '../../../schemas/report-params.ts';
import type { Ctx } from '../../runtime/ctx.ts';
import { h, insetText, table, tag, type Html } from '../html.ts';

/**
 * The report builds in the workspace's reports folder (every folder up to three levels down holding
 * a manifest.json), each with a cheap check on every page load (are the files still those the
 * manifest lists, by sha256?) and, on request, `census verify` (a full rebuild from the database,
 * compared byte for byte), through the same verifyReport.
 */

export interface Build {
  /** Path below the reports folder, with '/' separators: the build's name in URLs. */
  id: string;
  dir: string;
  manifest: Manifest | null;
  error: string | null;
}

function findBuilds(root: string, depth = 3): Build[] {
  if (!existsSync(root)) return [];
  const out: Build[] = [];
  const walk = (dir: string, left: number): void => {
    if (existsSync(join(dir, MANIFEST_FILE))) {
      const id = relative(root, dir).split(sep).join('/') || '.';
      try {
        out.push({ id, dir, manifest: readManifestFrom(dir), error: null });
      } catch (err) {
        out.push({ id, dir, manifest: null, error: (err as Error).message });
      }
      return;
    }
    if (left === 0) return;
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name)))
      if (e.isDirectory() && !e.name.startsWith('.')) walk(join(dir, e.name), left - 1);
  };
  walk(root, depth);
  return out;
}

/** Files the manifest lists that are missing or changed since the build (sha256 of each). */
function changedOutputs(b: Build): string[] {
  if (!b.manifest) return [];
  return builtFiles(b.manifest)
    .filter(([path, hash]) => {
      const file = join(b.dir, path);
      return !existsSync(file) || createHash('sha256').update(readFileSync(file)).digest('hex') !== hash;
    })
    .map(([path]) => path);
}

export function findBuild(ctx: Ctx, id: string): Build | undefined {
  return findBuilds(ctx.workspace.reportsDir).find((b) => b.id === id);
}

export function listBuilds(ctx: Ctx): Build[] {
  return findBuilds(ctx.workspace.reportsDir);
}

/** A folder name for a build, below the reports folder (no path separators, no dot first). */
const BUILD_FOLDER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Builds the report as `census report --wave W --out <reports>/<folder> [--public]` does: the same
 * parameters (the defaults, merged as the command merges them), renderReport and writeReport (an
 * existing folder must be an earlier build), and the same check for open data errors. The caller
 * holds the write lock.
 */
export async function buildFromForm(
  ctx: Ctx,
  input: { wave: number; folder: string; publicBuild: boolean },
): Promise<{ id: string; files: string[]; dataErrors: boolean }> {
  if (!BUILD_FOLDER.test(input.folder) || input.folder.includes('..'))
    throw new CensusError(
      'usage',
      `"${input.folder}" is not a folder name for a build.`,
      'Use letters, digits, dots, dashes and underscores, such as 2025 or public-2025.',
    );
  const out = join(ctx.workspace.reportsDir, input.folder);
  const report = await renderReport(
    { wave: input.wave, publicBuild: input.publicBuild, params: mergeParams({}, defaultParams()) },
    ctx,
  );
  const files = writeReport(out, report, { force: false });
  const dataErrors = hasOpenErrors(
    await listIssues(ctx.db, input.wave, 'error'),
    await settledFiles(ctx.db, input.wave),
  );
  return { id: input.folder, files, dataErrors };
}

function buildForm(csrf: string, waves: number[]): Html {
  return h`<form method="post" action="/reports/build" class="govuk-!-margin-bottom-6" novalidate>
<input type="hidden" name="csrf" value="${csrf}">
<fieldset class="govuk-fieldset"><legend class="govuk-fieldset__legend govuk-fieldset__legend--m"><h2 class="govuk-fieldset__heading">Build the report</h2></legend>
<div class="govuk-hint">The same as <code class="desk-code">census report --wave W --out FOLDER</code>, into this workspace's reports folder. A folder that already holds a build is replaced by the new one.</div>
<div class="desk-fields">
<div class="govuk-form-group desk-field"><label class="govuk-label" for="build-wave">Wave</label><input class="govuk-input govuk-input--width-4" id="build-wave" name="wave" type="text" inputmode="numeric" spellcheck="false" value="${waves[0] ?? ''}"></div>
<div class="govuk-form-group desk-field"><label class="govuk-label" for="build-folder">Folder (blank: the wave)</label><input class="govuk-input govuk-input--width-10" id="build-folder" name="folder" type="text" spellcheck="false"></div>
</div>
<div class="govuk-form-group"><div class="govuk-checkboxes govuk-checkboxes--small"><div class="govuk-checkboxes__item"><input class="govuk-checkboxes__input" id="build-public" name="public" type="checkbox" value="yes"><label class="govuk-label govuk-checkboxes__label" for="build-public">Public build (disclosure control, no per-team rows or file names)</label></div></div></div>
</fieldset>
<button type="submit" class="govuk-button">Build the report</button>
</form>`;
}

export function reportsPage(
  ctx: Ctx,
  csrf: string,
  opts: { waves: number[]; built?: { id: string; dataErrors: boolean } | null } = { waves: [] },
): { title: string; body: Html } {
  const builds = findBuilds(ctx.workspace.reportsDir);
  const banner = opts.built
    ? h`<div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="built-title" data-module="govuk-notification-banner"><div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="built-title">Success</h2></div><div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">The report was built in ${opts.built.id}.${
        opts.built.dataErrors
          ? ' The wave has data issues of severity error: the report is written from what is loaded.'
          : ''
      }</p></div></div>`
    : '';
  return {
    title: 'Report builds',
    body: h`${banner}<h1 class="govuk-heading-xl">Report builds</h1>
<p class="govuk-body">In <code class="desk-code">${ctx.workspace.reportsDir}</code>. Each build is checked against its manifest on every visit; <strong>Verify</strong> rebuilds it from the database and compares every file byte for byte, as <code class="desk-code">census verify</code> does.</p>
${
  builds.length === 0
    ? insetText(
        h`No builds yet: <code class="desk-code">census report --wave W --out ${ctx.workspace.reportsDir}/W</code> makes one.`,
      )
    : table({
        caption: `Builds (${builds.length})`,
        head: ['Folder', 'Wave', 'Build', 'Code version', 'Sources', 'Files as built', 'Figures', 'Verify'],
        numeric: [4],
        rows: builds.map((b) => {
          if (!b.manifest) return [b.id, '–', '–', '–', '–', tag('unreadable manifest', 'red'), '', b.error ?? ''];
          const changed = changedOutputs(b);
          return [
            b.id,
            b.manifest.wave,
            b.manifest.build,
            b.manifest.codeVersion,
            b.manifest.sources.length,
            changed.length === 0 ? tag('unchanged', 'green') : h`${tag('changed', 'red')} ${changed.join(', ')}`,
            h`<a class="govuk-link" href="/reports/figures?build=${encodeURIComponent(b.id)}">Figures<span class="govuk-visually-hidden"> of ${b.id}</span></a>`,
            verifyForm(b.id, csrf),
          ];
        }),
      })
}
${buildForm(csrf, opts.waves)}`,
  };
}

function verifyForm(id: string, csrf: string): Html {
  return h`<form method="post" action="/reports/verify" class="desk-inline-form">
<input type="hidden" name="csrf" value="${csrf}">
<input type="hidden" name="build" value="${id}">
<button type="submit" class="govuk-button govuk-button--secondary desk-small-button" aria-label="Verify the build in ${id}">Verify</button>
</form>`;
}

export async function verifyPage(ctx: Ctx, b: Build): Promise<{ title: string; body: Html }> {
  const v: Verification = await verifyReport(b.dir, ctx);
  const differ = v.files.filter((f) => f.status !== 'identical');
  const colour = {
    identical: 'green',
    different: 'red',
    missing: 'red',
    extra: 'yellow',
    'same source': 'green',
  } as const;
  return {
    title: `Verify ${b.id}`,
    body: h`<h1 class="govuk-heading-xl">Verify ${b.id}</h1>
${
  v.ok
    ? h`<div class="govuk-panel govuk-panel--confirmation"><h2 class="govuk-panel__title">Identical</h2><div class="govuk-panel__body">All ${v.files.length} files rebuild byte for byte.</div></div>`
    : h`<div class="govuk-error-summary"><h2 class="govuk-error-summary__title">${differ.length} of ${v.files.length} files differ</h2></div>`
}
${
  v.inputChanges.length
    ? h`<h2 class="govuk-heading-m">What changed in the inputs</h2><ul class="govuk-list govuk-list--bullet">${v.inputChanges.map((c) => h`<li>${c}</li>`)}</ul>`
    : ''
}
${table({ caption: 'Files', head: ['File', 'Result'], rows: v.files.map((f) => [f.path, tag(f.status, colour[f.status])]) })}
<p class="govuk-body"><a class="govuk-link" href="/reports">Back to the builds</a></p>`,
  };
}
