import { describe, expect, it } from 'vitest';
import { tileMapSvg, type Tile } from '../../reports/tile-map.ts';

const tiles: Tile[] = [
  { label: 'North East', text: '5', kind: 'region' },
  { label: 'London', text: '[c]', kind: 'region' },
  { label: 'Scotland', text: '4', kind: 'nation' },
  { label: 'Wales', text: '[x]', kind: 'nation' },
  { label: 'Atlantis', text: '3', kind: 'region' },
];
const svg = () => tileMapSvg({ title: 'Teams by region and nation, wave 2025', source: 'Survey 2025', tiles });

describe('tile map of teams by region and nation', () => {
  it('draws one equal square per area, nations dashed, with each published count as text', () => {
    const s = svg();
    const rects = [...s.matchAll(/<rect x="(\d+)" y="(\d+)" width="(\d+)" height="(\d+)"[^>]*>/g)];
    expect(rects).toHaveLength(tiles.length);
    expect(new Set(rects.map((r) => `${r[3]}x${r[4]}`)).size).toBe(1);
    expect(rects.filter((r) => r[0].includes('stroke-dasharray'))).toHaveLength(2);
    for (const t of ['>5<', '>[c]<', '>4<', '>[x]<', '>London<', '>Scotland<']) expect(s).toContain(t);
  });

  it('puts an area it has no place for in a row of its own, overlapping no other tile', () => {
    const at = [...svg().matchAll(/<rect x="(\d+)" y="(\d+)"/g)].map((m) => `${m[1]},${m[2]}`);
    expect(new Set(at).size).toBe(at.length);
  });

  it('gives the same bytes every time and carries its title for screen readers', () => {
    expect(svg()).toBe(svg());
    expect(svg()).toContain('<title>Teams by region and nation, wave 2025</title>');
  });
});
