import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CensusError } from '../../../schemas/fault.ts';
import { defaultParams, mergeParams, paramsFromFile } from '../../../schemas/report-params.ts';

describe('report parameters', () => {
  it('ship the two need scenarios of report.md as fixed counts with citations, a cap of 500 and a threshold of 3', () => {
    const p = defaultParams();
    expect(p.needScenarios.map((s) => [s.id, s.need, s.nations])).toEqual([
      ['uk_specialist_need', { kind: 'fixed', babiesPerYear: 110_000 }, null],
      ['england_disorganised_attachment', { kind: 'fixed', babiesPerYear: 60_000 }, ['england']],
    ]);
    expect(p.needScenarios.every((s) => s.citation.length > 20)).toBe(true);
    expect(p.openBandCaps).toEqual({ families_supported: 500 });
    expect(p.disclosure.threshold).toBe(3);
    expect(p.percentDigits).toBe(0);
  });

  it('take a partial file over the defaults, merging FOI fields one by one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'params-'));
    const file = join(dir, 'p.json');
    writeFileSync(
      file,
      JSON.stringify({ foi: { referenceDate: '2024-06-30' }, openBandCaps: { families_supported: 400 } }),
    );
    const p = paramsFromFile(file);
    expect(p.foi.referenceDate).toBe('2024-06-30');
    expect(p.foi.questions.accepts).toBe('q1_accepts_under2');
    expect(p.openBandCaps.families_supported).toBe(400);
    expect(p.needScenarios).toHaveLength(2);
  });

  it('accept a births x prevalence scenario limited to some nations', () => {
    const p = mergeParams({
      needScenarios: [
        {
          id: 'births',
          name: 'GB births x 10%',
          citation: 'c',
          need: { kind: 'births', prevalence: 0.1, areas: ['K04000001', 'S92000003'], birthsYear: null },
          nations: ['england', 'wales', 'scotland'],
        },
      ],
    });
    expect(p.needScenarios[0]!.need).toMatchObject({ kind: 'births', prevalence: 0.1 });
  });

  it('refuse a wrong field with a usage error naming its path, and a scenario id used twice', () => {
    expect(() => mergeParams({ disclosure: { threshold: -1 } })).toThrow(CensusError);
    expect(() => mergeParams({ disclosure: { threshold: -1 } })).toThrow(/disclosure\.threshold/);
    const s = defaultParams().needScenarios[0]!;
    expect(() => mergeParams({ needScenarios: [s, s] })).toThrow(/used twice/);
  });

  it('take the release date and contact from a file, and refuse a date that is not YYYY-MM-DD or an empty contact', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'params-')), 'release.json');
    writeFileSync(file, JSON.stringify({ releaseDate: '2026-03-05', contact: 'Census team' }));
    expect(paramsFromFile(file)).toMatchObject({ releaseDate: '2026-03-05', contact: 'Census team' });
    expect(defaultParams().releaseDate).toBeNull();
    expect(() => mergeParams({ releaseDate: '5 March 2026' })).toThrow(/releaseDate/);
    expect(() => mergeParams({ contact: ' ' })).toThrow(/contact/);
  });

  it('refuse a file that is not JSON, saying what to pass', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'params-')), 'bad.json');
    writeFileSync(file, '{');
    expect(() => paramsFromFile(file)).toThrow(/Cannot read the report parameters/);
  });
});
