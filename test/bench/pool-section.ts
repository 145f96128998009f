import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFoiWave } from '../../schemas/foi/index.ts';
import { loadTrusts } from '../../sources/foi/trusts.ts';
import { foiReply, shapeOf } from './foi-corpus.ts';
import {
  benchFile,
  extractInPool,
  extractOnThread,
  sameResults,
  type BenchFile,
  type ExtractRun,
} from './pool-bench.ts';
import { writeRecordCsv } from './record-csv.ts';
import { benchWaveList } from './returns-corpus.ts';

/**
 * Does a worker pool pay? Extraction alone (no database) of CPU-heavy files (100-page PDFs, 5,000-row
 * workbooks, 100,000-row record csvs) through 1 and 2 workers, and of the 1x corpus's small files
 * on this thread and through 2 workers. The pool's results must equal this thread's.
 */
export interface PoolSection {
  /** Every repetition (ms): 1 and 2 workers measured one after the other, so their ratio is taken pair by pair. */
  runs: { heavyThread: number; heavy1: number; heavy2: number; smallThread: number; small1: number; small2: number }[];
  /** The last repetition's runs in full. */
  heavy: { files: number; bytes: number; thread: ExtractRun; pool1: ExtractRun; pool2: ExtractRun; mismatches: number };
  small: { files: number; thread: ExtractRun; pool1: ExtractRun; pool2: ExtractRun; mismatches: number };
}

const strip = (r: ExtractRun): ExtractRun => ({ ...r, results: [] });

async function heavyFiles(dir: string, store: string): Promise<BenchFile[]> {
  mkdirSync(dir, { recursive: true });
  const trusts = loadTrusts().trusts.filter((t) => t.closed === null);
  const wave = loadFoiWave(2024);
  const picks = Array.from({ length: 200 }, (_, i) => i).filter((i) => ['long_pdf', 'large_xlsx'].includes(shapeOf(i)));
  // 20 files: each worker pays its own JIT warm-up on its first files, which ten files did not amortise.
  const long = picks.filter((i) => shapeOf(i) === 'long_pdf').slice(0, 8);
  const large = picks.filter((i) => shapeOf(i) === 'large_xlsx').slice(0, 4);
  const paths: string[] = [];
  for (const i of [...long, ...large]) {
    const path = join(dir, `heavy-${i}-${shapeOf(i)}.${shapeOf(i) === 'long_pdf' ? 'pdf' : 'xlsx'}`);
    if (!existsSync(path)) writeFileSync(path, await foiReply(i, trusts[i % trusts.length]!));
    paths.push(path);
  }
  for (let k = 0; k < 8; k++) {
    const path = join(dir, `records-100k-${k}.csv`);
    if (!existsSync(path)) await writeRecordCsv(path, 100_000, 7 + k);
    paths.push(path);
  }
  return Promise.all(paths.map((p) => benchFile(p, store, 2024, { foi: wave })));
}

export async function poolSection(input: {
  root: string;
  small: { wave: number; paths: string[] }[];
  repeats: number;
  log: (m: string) => void;
}): Promise<PoolSection> {
  const store = join(input.root, 'pool-store');
  const heavy = await heavyFiles(join(input.root, 'heavy'), store);
  const wave = loadFoiWave(2024);
  const small = (
    await Promise.all(
      input.small.flatMap(({ wave: w, paths }) =>
        paths.map((p) =>
          benchFile(
            p,
            store,
            w,
            w === 2024 ? { foi: wave } : { list: benchWaveList(w, join(input.root, 'pool-waves')) },
          ),
        ),
      ),
    )
  ).filter((f) => !/long_pdf|large_xlsx/.test(f.file.originalName));
  const runs: PoolSection['runs'] = [];
  let last: Record<'hThread' | 'hPool1' | 'hPool2' | 'sThread' | 'sPool1' | 'sPool2', ExtractRun> | null = null;
  for (let rep = 1; rep <= input.repeats; rep++) {
    const tag = `pool run ${rep}/${input.repeats}`;
    input.log(`${tag}: ${heavy.length} heavy files on this thread, then through 1 and 2 workers`);
    const hThread = await extractOnThread(heavy);
    const hPool1 = await extractInPool(heavy, store, 1);
    const hPool2 = await extractInPool(heavy, store, 2);
    input.log(`${tag}: ${small.length} small files on this thread, then through 1 and 2 workers`);
    const sThread = await extractOnThread(small);
    const sPool1 = await extractInPool(small, store, 1);
    const sPool2 = await extractInPool(small, store, 2);
    runs.push({
      heavyThread: hThread.ms,
      heavy1: hPool1.ms,
      heavy2: hPool2.ms,
      smallThread: sThread.ms,
      small1: sPool1.ms,
      small2: sPool2.ms,
    });
    last = { hThread, hPool1, hPool2, sThread, sPool1, sPool2 };
  }
  const { hThread, hPool1, hPool2, sThread, sPool1, sPool2 } = last!;
  return {
    runs,
    heavy: {
      files: heavy.length,
      bytes: heavy.reduce((s, f) => s + f.file.size, 0),
      thread: strip(hThread),
      pool1: strip(hPool1),
      pool2: strip(hPool2),
      mismatches: sameResults(hThread.results, hPool2.results) + sameResults(hThread.results, hPool1.results),
    },
    small: {
      files: small.length,
      thread: strip(sThread),
      pool1: strip(sPool1),
      pool2: strip(sPool2),
      mismatches: sameResults(sThread.results, sPool2.results),
    },
  };
}
