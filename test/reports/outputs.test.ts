import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../reports/canonical-json.ts';
import { applyDisclosure } from '../../reports/disclosure.ts';
import { figuresJson, tablesFromFiguresJson, type Figure, type FiguresFile } from '../../reports/figures.ts';
import { sha256Hex } from '../../reports/hash.ts';
import { ManifestError, manifestJson, MANIFEST_FORMAT, parseManifest, type Manifest } from '../../reports/manifest.ts';

describe('canonicalJson', () => {
  it('gives the same bytes whatever order the keys were set in, dropping undefined fields', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 2 }], c: undefined } })).toBe(
      canonicalJson({ a: { d: [2, { x: 2, y: 1 }] }, b: 1 }),
    );
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{\n  "a": 2,\n  "b": 1\n}\n');
  });
  it('refuses a number JSON cannot hold', () => {
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(/NaN/);
  });
});

const figure: Figure = {
  id: 'families.total',
  section: 'families',
  label: 'Families',
  value: { low: 4400, high: 6500 },
  text: '4,400 to 6,500',
  unit: 'families',
  denominator: { answered: 45, notAnswered: 4, of: 'teams' },
  definition: 'families.total',
  records: ['answer:2/families_supported', 'answer:1/families_supported'],
};
const file: FiguresFile = {
  wave: 2025,
  build: 'internal',
  figures: [figure],
  definitions: { 'families.total': 'Sum of lows and highs.' },
  tables: {},
};

describe('figuresJson', () => {
  it('lists every figure with value, denominator, definition and the records behind it, sorted', () => {
    const json = JSON.parse(figuresJson(file));
    expect(json.figures[0]).toMatchObject({
      id: 'families.total',
      value: { low: 4400, high: 6500 },
      denominator: { answered: 45, notAnswered: 4 },
      records: ['answer:1/families_supported', 'answer:2/families_supported'],
    });
    expect(json.definitions['families.total']).toBe('Sum of lows and highs.');
  });
  it('lists no records in a public build: not their ids, their count or a hash of them', () => {
    const text = figuresJson({ ...file, build: 'public' });
    expect(JSON.parse(text).figures[0].records).toBeNull();
    expect(text).not.toContain(sha256Hex('answer:1/families_supported\nanswer:2/families_supported'));
    expect(text).not.toContain('answer:');
  });
  it('refuses a public figure withheld ([c]) that still carries its value or text', () => {
    const leaky: Figure = { ...figure, status: 'c' };
    expect(() => figuresJson({ ...file, build: 'public', figures: [leaky] })).toThrow(/withheld/);
    const gated: Figure = { ...figure, status: 'c', value: null, text: '[c]' };
    expect(JSON.parse(figuresJson({ ...file, build: 'public', figures: [gated] })).figures[0]).toMatchObject({
      value: null,
      text: '[c]',
    });
  });
  it('refuses a figure id used twice and a definition that does not exist', () => {
    expect(() => figuresJson({ ...file, figures: [figure, figure] })).toThrow(/used twice/);
    expect(() => figuresJson({ ...file, definitions: {} })).toThrow(/not defined/);
  });
  it('keeps the public tables so a later build can be back-tested against them', () => {
    const table = applyDisclosure({
      rows: ['a', 'b'],
      cols: ['Teams'],
      cells: [[{ value: { low: 1, high: 1 } }], [{ value: { low: 9, high: 9 } }]],
      totals: { rows: false, cols: true },
    });
    const back = tablesFromFiguresJson(figuresJson({ ...file, build: 'public', tables: { t: table } }));
    expect(back.t!.cells).toEqual(table.cells);
    expect(back.t!.rows).toEqual(['a', 'b', 'Total']);
  });
});

describe('manifest', () => {
  const m: Manifest = {
    format: MANIFEST_FORMAT,
    wave: 2025,
    build: 'public',
    codeVersion: '0.1.0+abc',
    migrationLevel: 7,
    parameters: { percentDigits: 0 },
    sources: [
      { wave: 2025, sha256: 'b'.repeat(64), kind: 'team_workbook', sizeBytes: 10 },
      { wave: 2023, sha256: 'a'.repeat(64), kind: 'survey_export', sizeBytes: 5 },
    ],
    corrections: [],
    reference: { 'reference/live_births.csv': 'c'.repeat(64) },
    outputs: { 'report.html': 'd'.repeat(64) },
  };
  it('round-trips, with sources in a stable order and no clock time', () => {
    const text = manifestJson(m);
    expect(parseManifest(text, 'm').sources.map((s) => s.wave)).toEqual([2023, 2025]);
    expect(text).not.toMatch(/\d{2}:\d{2}:\d{2}/);
  });
  it('refuses a file that is not a manifest, saying which field is wrong', () => {
    expect(() => parseManifest('{"format":"x"}', 'm.json')).toThrow(ManifestError);
    expect(() => parseManifest('{"format":"x"}', 'm.json')).toThrow(/m\.json is not a report manifest: format/);
    expect(() => parseManifest('not json', 'm.json')).toThrow(/not JSON/);
  });
});
