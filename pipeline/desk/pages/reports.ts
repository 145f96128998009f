import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { builtFiles, MANIFEST_FILE, type Manifest } from '../../../reports/manifest.ts';
import { readManifestFrom, verifyReport, type Verification } from '../../report/verify.ts';
import type { Ctx } from '../../runtime/ctx.ts';
import { h, insetText, table, tag, type Html } from '../html.ts';

/**
 * The report builds in the workspace's reports folder (every folder up to three levels down holding
 * a manifest.json), each with a cheap check on every page load (are the files still those the
 * manifest lists, by sha256?) and, on request, `census verify` (a full rebuild from the database,
 * compared byte for byte), through the same verifyReport.
 */

interface Build {
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

export function reportsPage(ctx: Ctx, csrf: string): { title: string; body: Html } {
  const builds = findBuilds(ctx.workspace.reportsDir);
  return {
    title: 'Report builds',
    body: h`<h1 class="govuk-heading-xl">Report builds</h1>
<p class="govuk-body">In <code class="desk-code">${ctx.workspace.reportsDir}</code>. Each build is checked against its manifest on every visit; <strong>Verify</strong> rebuilds it from the database and compares every file byte for byte, as <code class="desk-code">census verify</code> does.</p>
${
  builds.length === 0
    ? insetText(
        h`No builds yet: <code class="desk-code">census report --wave W --out ${ctx.workspace.reportsDir}/W</code> makes one.`,
      )
    : table({
        caption: `Builds (${builds.length})`,
        head: ['Folder', 'Wave', 'Build', 'Code version', 'Sources', 'Files as built', 'Verify'],
        numeric: [4],
        rows: builds.map((b) => {
          if (!b.manifest) return [b.id, '–', '–', '–', '–', tag('unreadable manifest', 'red'), b.error ?? ''];
          const changed = changedOutputs(b);
          return [
            b.id,
            b.manifest.wave,
            b.manifest.build,
            b.manifest.codeVersion,
            b.manifest.sources.length,
            changed.length === 0 ? tag('unchanged', 'green') : h`${tag('changed', 'red')} ${changed.join(', ')}`,
            verifyForm(b.id, csrf),
          ];
        }),
      })
}`,
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
