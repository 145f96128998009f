/**
 * Two report builds compared as the build's contract has it (issue 17, reports/manifest.ts): every output
 * byte for byte; a rendering (report.pdf) by the page it printed, which the manifest records as its
 * `source` (Chromium may write the same page to other bytes); manifest.json with the renderings' own
 * byte hashes set aside.
 */
type Files = ReadonlyMap<string, Buffer>;

interface ManifestLike {
  renderings?: Record<string, { sha256: string; source: string; renderer: string }>;
  [key: string]: unknown;
}

function manifestOf(files: Files): ManifestLike | null {
  const m = files.get('manifest.json');
  return m ? (JSON.parse(m.toString('utf8')) as ManifestLike) : null;
}

/** A manifest without the renderings' byte hashes: what must be the same for the same inputs. */
export function manifestWithoutRenderedBytes(m: ManifestLike): ManifestLike {
  const renderings = Object.fromEntries(
    Object.entries(m.renderings ?? {}).map(([p, r]) => [p, { source: r.source, renderer: r.renderer }]),
  );
  return { ...m, ...(m.renderings ? { renderings } : {}) } as ManifestLike;
}

/**
 * The paths of `a` that differ in `b` (or are missing there). `renderings`: the renderings' records when
 * the maps hold no manifest.json (a build in memory: RenderedReport.manifest.renderings).
 */
export function differingFiles(
  a: Files,
  b: Files,
  renderings?: { a?: ManifestLike['renderings']; b?: ManifestLike['renderings'] },
): string[] {
  const ma = manifestOf(a);
  const mb = manifestOf(b);
  const ra = renderings?.a ?? ma?.renderings ?? {};
  const rb = renderings?.b ?? mb?.renderings ?? {};
  return [...a.keys()].filter((p) => {
    const x = a.get(p)!;
    const y = b.get(p);
    if (y === undefined) return true;
    if (p in ra) return ra[p]!.source !== rb[p]?.source;
    if (p === 'manifest.json' && ma && mb)
      return JSON.stringify(manifestWithoutRenderedBytes(ma)) !== JSON.stringify(manifestWithoutRenderedBytes(mb));
    return !x.equals(y);
  });
}
