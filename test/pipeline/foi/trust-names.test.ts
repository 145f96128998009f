import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { findTrustHint } from '../../../sources/foi/trust-hint.ts';
import { loadTrusts, matchTrust, rankTrusts, trustNamesFromCsv, trustsFromCsv } from '../../../sources/foi/trusts.ts';

/** The dated trust name history (reference/nhs_trust_name_history.csv) and the names a reply's letterhead carries. */

const list = loadTrusts();
const HISTORY = fileURLToPath(new URL('../../../reference/nhs_trust_name_history.csv', import.meta.url));

describe('trust name history', () => {
  it("matches a reply in a renamed trust's former name exactly, and in its new name", () => {
    expect(matchTrust({ name: 'Kent and Medway NHS and Social Care Partnership Trust' }, list)).toEqual({
      odsCode: 'RXY',
      method: 'name',
      score: 1,
    });
    expect(matchTrust({ name: 'Kent & Medway Mental Health NHS Trust' }, list)).toMatchObject({
      odsCode: 'RXY',
      score: 1,
    });
    expect(matchTrust({ name: 'Southern Health NHS Foundation Trust' }, list)).toMatchObject({
      odsCode: 'RW1',
      score: 1,
    });
    expect(matchTrust({ name: 'Sheffield Health and Social Care NHS FT' }, list)).toMatchObject({
      odsCode: 'TAH',
      score: 1,
    });
  });
  it('reads a domain built from the former name as loose evidence of the trust (kmpt: Kent Medway Partnership Trust)', () => {
    expect(matchTrust({ emailDomain: 'foi@kmpt.nhs.uk' }, list)).toMatchObject({ odsCode: 'RXY', method: 'domain' });
    expect(matchTrust({ emailDomain: 'foi@kmpt.nhs.uk' }, list)!.score).toBeLessThan(1);
  });
  it('without the history the former name is no exact match', () => {
    const bare = trustsFromCsv(
      readFileSync(new URL('../../../reference/nhs_mental_health_trusts_england.csv', import.meta.url)),
    );
    expect(
      matchTrust({ name: 'Kent and Medway NHS and Social Care Partnership Trust' }, bare)?.score ?? 0,
    ).toBeLessThan(1);
  });
  it('lists former names among the candidates a person picks from', () => {
    expect(rankTrusts({ name: 'Southern Health' }, list)[0]).toMatchObject({ ods: 'RW1' });
  });
  it('dates every name row that a source dates, cites a source for each, and names only trusts of the list', () => {
    const names = trustNamesFromCsv(readFileSync(HISTORY));
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) {
      expect(list.byOds.has(n.odsCode)).toBe(true);
      expect(n.source).not.toBe('');
      if (n.from !== null && n.to !== null) expect(n.from <= n.to).toBe(true);
    }
  });
  it("records the same merges as the trust list's successor column", () => {
    const { data } = Papa.parse<Record<string, string>>(readFileSync(HISTORY, 'utf8'), {
      header: true,
      skipEmptyLines: true,
    });
    const merged = data.filter((r) => r.kind === 'merged_into');
    expect(merged.length).toBeGreaterThan(0);
    for (const r of merged) expect(list.byOds.get(r.ods_code!)?.successorOdsCode).toBe(r.successor_ods_code);
    const withSuccessor = list.trusts.filter((t) => t.successorOdsCode !== null).map((t) => t.odsCode);
    expect(merged.map((r) => r.ods_code).sort()).toEqual(withSuccessor.sort());
  });
});

describe("the trust's name in a letterhead", () => {
  it('keeps an ampersand and words between NHS and Trust', () => {
    expect(findTrustHint(['Lancashire & South Cumbria NHS Foundation Trust']).name).toBe(
      'Lancashire & South Cumbria NHS Foundation Trust',
    );
    expect(findTrustHint(['Kent and Medway NHS and Social Care Partnership Trust', 'Riverside House']).name).toBe(
      'Kent and Medway NHS and Social Care Partnership Trust',
    );
    expect(matchTrust({ name: 'Lancashire & South Cumbria NHS Foundation Trust' }, list)).toMatchObject({
      odsCode: 'RW5',
      score: 1,
    });
  });
  it('finds no name in a line that only says "the Trust"', () => {
    expect(findTrustHint(['Response: The Trust does not hold this information.']).name).toBeUndefined();
  });
});
