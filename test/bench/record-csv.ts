import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { rng, ukDate } from './random.ts';

/**
 * The record-level referral csv of the bench: one row per referral, as a trust exports it, a few
 * rows in a thousand with an unreadable date or age. Written in chunks, never held whole.
 */
const TEAMS = ['CAMHS North', 'CAMHS South', 'Perinatal mental health', 'Parent-infant team', 'Community paediatrics'];
const OUTCOMES = ['Accepted', 'Accepted', 'Not accepted', 'Signposted', ''];

export async function writeRecordCsv(path: string, rows: number, seed = 1_000_000): Promise<void> {
  const r = rng(seed);
  const out = createWriteStream(path);
  let buf = 'Referral date,Age at referral (months),Team,Outcome\r\n';
  for (let i = 0; i < rows; i++) {
    const date = r.next() < 0.001 ? 'not recorded' : ukDate(r.int(400, 1600));
    const age = r.next() < 0.001 ? '?' : String(r.int(0, 40));
    buf += `${date},${age},${r.pick(TEAMS)},${r.pick(OUTCOMES)}\r\n`;
    if (buf.length > 1 << 16) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}
