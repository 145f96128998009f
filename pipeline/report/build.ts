import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { CensusError } from '../../schemas/fault.ts';
import type { Json } from '../../reports/canonical-json.ts';
import { sha256Hex } from '../../reports/hash.ts';
import {
  builtFiles,
  MANIFEST_FILE,
  ManifestError,
  manifestJson,
  MANIFEST_FORMAT,
  parseManifest,
  type Manifest,
} from '../../reports/manifest.ts';
import type { ReportParams } from '../../schemas/report-params.ts';
import type { Ctx } from '../runtime/ctx.ts';
import { inSnapshot } from '../db/snapshot.ts';
import { questionListFor } from '../runtime/waves.ts';
import { loadedWaves, loadWave } from './data.ts';
import type { FoiData, WaveData } from '../../reports/input.ts';
import { loadFoi, resolveFoiWave, resolveReferenceDate } from './foi-data.ts';
import { correctionCounts, corrections, migrationLevel, sourceFiles } from './inputs.ts';
import type { Env } from '../../reports/model.ts';
import { loadReference } from './reference.ts';
import { NO_CHROMIUM, renderPdf, REPORT_PDF } from './pdf.ts';
import { renderOutputs, REPORT_HTML } from '../../reports/render.ts';
import { familiesSection } from '../../reports/sections/families.ts';
import { foiSection } from '../../reports/sections/foi.ts';
import { growthSection } from '../../reports/sections/growth.ts';
import { offerSection } from '../../reports/sections/offer.ts';
import { overTimeSection } from '../../reports/sections/over-time.ts';
import { qualitySection } from '../../reports/sections/quality.ts';
import { sizeSection } from '../../reports/sections/size.ts';
import { whereSection } from '../../reports/sections/where.ts';
import { byText } from '../../reports/order.ts';
// issue 14: coverage of the returns and flagged answers left out by parameter
import { coverageSection } from '../../reports/sections/coverage.ts';
import { leaveOutFlagged } from '../../reports/flagged.ts';
import { flaggedAnswers, waveCoverage } from '../returns/coverage.ts';
import { publishedSeriesSection } from '../../reports/sections/published-series.ts';
import { loadPublished } from './published-reference.ts';

export interface ReportRequest {
  wave: number;
  publicBuild: boolean;
  params: ReportParams;
  /** Build the PDF edition (default true; skipped with a warning when Chromium is missing). */
  pdf?: boolean;
}

export interface RenderedReport {
  /** Relative path -> bytes, manifest.json included. */
  outputs: Map<string, Buffer>;
  manifest: Manifest;
}

/**
 * The whole report of a wave from what is in the database: the same database content, parameters and
 * code give byte-identical files. Parameters left null (FOI wave, FOI reference date, data date) are
 * resolved from the data, never from the clock, and recorded resolved in the manifest.
 */
export async function renderReport(req: ReportRequest, ctx: Ctx): Promise<RenderedReport> {
  return inSnapshot(ctx, (snap) => renderInSnapshot(req, snap)); // one repeatable-read view (issue 17)
}

async function renderInSnapshot(req: ReportRequest, ctx: Ctx): Promise<RenderedReport> {
  const { wave, publicBuild } = req;
  const waveNumbers = [...new Set([...(await loadedWaves(ctx.db, wave)), wave])].sort((a, b) => a - b);
  const waves: WaveData[] = [];
  for (const w of waveNumbers) waves.push(await loadWave(ctx.db, questionListFor(w, ctx.workspace.wavesDir)));
  // issue 14: flagged answers of the questions in params.leaveOutFlagged count as not answered, in every wave.
  let leftOut = new Map<string, number>();
  for (const [i, w] of waves.entries()) {
    const out = leaveOutFlagged(w, await flaggedAnswers(ctx.db, w.wave), req.params.leaveOutFlagged ?? []);
    waves[i] = out.data;
    if (w.wave === wave) leftOut = out.leftOut;
  }
  const d = waves.find((w) => w.wave === wave)!;
  const foiWave = await resolveFoiWave(ctx, wave, req.params.foi.wave);
  const referenceDate =
    foiWave === null ? null : (req.params.foi.referenceDate ?? (await resolveReferenceDate(ctx, foiWave)));
  const inputWaves = [...new Set([...waveNumbers, ...(foiWave === null ? [] : [foiWave])])].sort((a, b) => a - b);
  const files = await sourceFiles(ctx, inputWaves, publicBuild);
  const dataDate =
    req.params.dataDate ?? (files.latestReceived ? files.latestReceived.toISOString().slice(0, 10) : `${wave}-01-01`);
  const params: ReportParams = { ...req.params, foi: { ...req.params.foi, wave: foiWave, referenceDate }, dataDate };
  const foi: FoiData | null =
    foiWave === null || referenceDate === null ? null : await loadFoi(ctx, foiWave, referenceDate, wave);
  const ref = loadReference();
  const published = loadPublished(); // issue 14: reference/published_figures.csv
  const env: Env = {
    wave,
    publicBuild,
    params,
    protection: { publicBuild, threshold: params.disclosure.threshold },
    source: `Parent-infant team survey ${wave}`,
  };

  const sections = [
    await growthSection(env, d, waves),
    await whereSection(env, d, ref),
    await sizeSection(env, d),
    await familiesSection(env, d, ref.births),
    await offerSection(env, d),
    await foiSection(env, foi),
    await overTimeSection(env, waves, ref.births),
    await publishedSeriesSection(env, waves, published.figures), // issue 14
    await qualitySection(env, d, foi, await correctionCounts(ctx, inputWaves)),
    coverageSection(env, d, { ...(await waveCoverage(ctx.db, wave)), leftOut }), // issue 14
  ];
  const build = publicBuild ? 'public' : 'internal';
  const caps =
    Object.entries(params.openBandCaps)
      .map(([q, c]) => `${q.replace(/_/g, ' ')} ${c}`)
      .join(', ') || 'none';
  const notes = [
    `Report of wave ${wave}, ${build} build, from the database as loaded; data date ${dataDate}.`,
    `Open top bands are capped at: ${caps}. ${publicBuild ? `Disclosure control: cells counting fewer than ${params.disclosure.threshold} teams or trusts are withheld ([c]), with a second cell where a total would reveal it.` : 'Internal build: no cell is withheld and team names appear in per-team tables; do not publish.'}`,
    ...(leftOut.size // issue 14
      ? [
          `Flagged answers left out of the statistics (parameter leaveOutFlagged): ${[...leftOut]
            .sort(([a], [b]) => byText(a, b))
            .map(([q, n]) => `${q.replace(/_/g, ' ')} ${n}`)
            .join(', ')}.`,
        ]
      : []),
    `Percentages below 10% are shown to one decimal place, others to ${params.percentDigits === 0 ? 'whole numbers' : `${params.percentDigits} decimals`}; a range of percentages rounds each end separately.`,
  ];
  const outputs = await renderOutputs({
    wave,
    publicBuild,
    title: `Parent-infant relationship teams: the annual report, wave ${wave}`,
    intro: notes,
    notes,
    date: new Date(`${dataDate}T00:00:00Z`),
    sections,
    params,
    waves: waveNumbers,
    source: `Parent-infant team survey ${wave}${foi ? `; Freedom of Information requests to NHS mental health trusts, ${foi.wave}` : ''}`,
    contact: params.contact,
    releaseDate: params.releaseDate ?? dataDate,
    dataPeriod: `Survey wave ${wave} (returns received up to ${dataDate})${foi ? `; FOI requests of ${foi.wave}, status as of ${foi.referenceDate}` : ''}`,
  });
  // issue 17: the PDF is a rendering (its bytes depend on the machine's Chromium), listed apart from outputs
  const renderings: NonNullable<Manifest['renderings']> = {};
  let pdfBytes: Buffer | undefined;
  if (req.pdf !== false) {
    const pdf = await renderPdf(outputs.get(REPORT_HTML)!, dataDate);
    if (pdf) {
      pdfBytes = pdf.bytes;
      renderings[REPORT_PDF] = { sha256: sha256Hex(pdf.bytes), source: pdf.source, renderer: pdf.renderer };
    } else ctx.log.warn(NO_CHROMIUM);
  }
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    wave,
    build,
    codeVersion: ctx.codeVersion,
    migrationLevel: await migrationLevel(ctx),
    parameters: params as unknown as Record<string, Json>,
    sources: files.sources,
    corrections: await corrections(ctx, inputWaves),
    reference: { ...ref.hashes, ...published.hashes }, // issue 14: published_figures.csv too
    outputs: Object.fromEntries(
      [...outputs.entries()].sort(([a], [b]) => byText(a, b)).map(([path, bytes]) => [path, sha256Hex(bytes)]),
    ),
    ...(Object.keys(renderings).length ? { renderings } : {}),
  };
  if (pdfBytes) outputs.set(REPORT_PDF, pdfBytes);
  outputs.set(MANIFEST_FILE, Buffer.from(manifestJson(manifest), 'utf8'));
  return { outputs, manifest };
}

/** The files a report folder's manifest says its build wrote (manifest.json itself included), or null if it is no build. */
function previousBuildFiles(out: string): string[] | null {
  const path = join(out, MANIFEST_FILE);
  if (!existsSync(path)) return null;
  try {
    return [...builtFiles(parseManifest(readFileSync(path, 'utf8'), path)).map(([p]) => p), MANIFEST_FILE];
  } catch (err) {
    if (err instanceof ManifestError || err instanceof SyntaxError) return null;
    throw err;
  }
}

/**
 * Writes a rendered report into `out`. An empty or missing folder, or one holding an earlier build
 * (its manifest.json lists what it wrote), is written; the earlier build's files that this one does
 * not make are removed, and nothing else is. A non-empty folder that is not a build is refused
 * unless `force`, which writes this build's files beside what is there and deletes nothing.
 */
export function writeReport(out: string, report: RenderedReport, opts: { force?: boolean } = {}): string[] {
  const present = existsSync(out) ? listFiles(out) : [];
  const previous = present.length > 0 ? previousBuildFiles(out) : [];
  if (previous === null && !opts.force)
    throw new CensusError(
      'usage',
      `${out} is not empty and holds no report build (no readable manifest.json); census report writes only into an empty folder or over one of its own builds.`,
      'Choose a new folder with --out, or add --force to write the report files there (nothing else in the folder is touched).',
    );
  const mine = new Set(report.outputs.keys());
  for (const old of previous ?? []) {
    if (mine.has(old) || old.includes('..') || isAbsolute(old)) continue;
    rmSync(join(out, old), { force: true });
  }
  // Private by default (issue 17): folders 0700, files 0600, less what the umask takes away.
  for (const [path, bytes] of report.outputs) {
    mkdirSync(dirname(join(out, path)), { recursive: true, mode: 0o700 });
    writeFileSync(join(out, path), bytes, { mode: 0o600 });
  }
  return [...report.outputs.keys()].sort();
}

async function buildReport(
  req: ReportRequest & { out: string },
  ctx: Ctx,
): Promise<{ files: string[]; manifest: Manifest }> {
  const report = await renderReport(req, ctx);
  return { files: writeReport(req.out, report), manifest: report.manifest };
}

/** Files in a report folder, relative, sorted (for verify). */
export function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(dir, join(prefix, e.name)) : [join(prefix, e.name)]))
    .sort();
}
