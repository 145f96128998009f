import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { terminalProgress } from '../../../pipeline/runtime/progress.ts';

/** A stream that says it is a terminal, keeping what is written (cursor moves are no-ops). */
function fakeTerminal(): { stream: NodeJS.WriteStream; text: () => string } {
  const out: string[] = [];
  const s = new PassThrough() as unknown as NodeJS.WriteStream & Record<string, unknown>;
  Object.assign(s, {
    isTTY: true,
    columns: 200,
    rows: 40,
    write: (chunk: string | Buffer) => {
      out.push(String(chunk));
      return true;
    },
    cursorTo: () => true,
    moveCursor: () => true,
    clearLine: () => true,
    clearScreenDown: () => true,
    getWindowSize: () => [200, 40],
  });
  return { stream: s, text: () => out.join('') };
}

describe('progress on a terminal', () => {
  it('shows a bar with the count, the throughput in files per second and the ETA', async () => {
    const t = fakeTerminal();
    const p = await terminalProgress(t.stream);
    p.start(4, 'Ingesting wave 2025');
    p.tick('a.xlsx');
    p.tick('b.xlsx');
    p.stop();
    const shown = t.text();
    expect(shown).toContain('Ingesting wave 2025');
    expect(shown).toMatch(/2\/4 files \| \d+(\.\d)? files\/s \| ETA \S+/);
    expect(shown).toContain('b.xlsx');
  });

  it('writes plain numbered lines when the stream is not a terminal', async () => {
    const out: string[] = [];
    const stream = new PassThrough() as unknown as NodeJS.WriteStream;
    Object.assign(stream, {
      isTTY: false,
      write: (c: string) => {
        out.push(c);
        return true;
      },
    });
    const p = await terminalProgress(stream);
    p.start(2, 'Ingesting wave 2025');
    p.tick('a.xlsx');
    expect(out.join('')).toBe('Ingesting wave 2025: 2 file(s)\n[1/2] a.xlsx\n');
  });
});
