/**
 * A tile map of teams by English region and by nation: one equal square per area, placed roughly where
 * the area lies, so no boundary file is needed and a small area is as visible as a large one. Each tile
 * prints its area and its published count ([c] where withheld, [x] where missing): the map is drawn from
 * the protected tables only. Hand-written SVG (no layout engine), so the bytes are fixed.
 */
import { escapeHtml } from './html.ts';
import { FONT } from './charts.ts';

export interface Tile {
  readonly label: string;
  /** The count as printed: "12", "[c]", "[x]". */
  readonly text: string;
  /** "region" tiles are English regions; "nation" tiles are whole nations. */
  readonly kind: 'region' | 'nation';
}

// Column, row of each area: Scotland at the top, Northern Ireland to the west, Wales beside the Midlands.
const PLACE: Record<string, [number, number]> = {
  Scotland: [2, 0],
  'Northern Ireland': [0, 1],
  'North East': [3, 1],
  'North West': [2, 2],
  'Yorkshire and The Humber': [3, 2],
  Wales: [1, 3],
  'West Midlands': [2, 3],
  'East Midlands': [3, 3],
  'East of England': [4, 3],
  'South West': [1, 4],
  London: [3, 4],
  'South East': [4, 4],
};

const SIZE = 104;
const GAP = 6;
const TOP = 40;

/** Splits a label into lines of at most `width` characters at spaces. */
function lines(label: string, width = 13): string[] {
  const out: string[] = [];
  for (const word of label.split(' ')) {
    const last = out[out.length - 1];
    if (last !== undefined && (last + ' ' + word).length <= width) out[out.length - 1] = `${last} ${word}`;
    else out.push(word);
  }
  return out;
}

export function tileMapSvg(input: { title: string; source: string; tiles: readonly Tile[] }): string {
  // Areas without a place (a region a later question list adds) go in a row of their own below.
  let extra = 0;
  const placed = input.tiles.map((t) => {
    const at = PLACE[t.label] ?? [extra++, 6];
    return { t, x: at[0] * (SIZE + GAP), y: TOP + at[1] * (SIZE + GAP) };
  });
  const width = Math.max(5, extra) * (SIZE + GAP);
  const height = TOP + (extra > 0 ? 7 : 5) * (SIZE + GAP) + 40;
  const tiles = placed.map(({ t, x, y }) => {
    const name = lines(t.label)
      .map(
        (l, i) =>
          `<text x="${x + SIZE / 2}" y="${y + 22 + i * 15}" text-anchor="middle" font-size="13">${escapeHtml(l)}</text>`,
      )
      .join('');
    const dash = t.kind === 'nation' ? ' stroke-dasharray="6 3"' : '';
    return (
      `<rect x="${x}" y="${y}" width="${SIZE}" height="${SIZE}" fill="${t.kind === 'nation' ? '#ffffff' : '#e8eef5'}" stroke="#222222" stroke-width="1.5"${dash}/>` +
      name +
      `<text x="${x + SIZE / 2}" y="${y + SIZE - 14}" text-anchor="middle" font-size="22" font-weight="bold">${escapeHtml(t.text)}</text>`
    );
  });
  const key = `<text x="0" y="${height - 22}" font-size="12">Solid tiles: English regions. Dashed tiles: whole nations. [c] withheld, [x] not available.</text><text x="0" y="${height - 6}" font-size="12">Source: ${escapeHtml(input.source)}</text>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="${escapeHtml(FONT)}" fill="#222222">` +
    `<title>${escapeHtml(input.title)}</title>` +
    `<text x="0" y="20" font-size="15" font-weight="bold">${escapeHtml(input.title)}</text>` +
    tiles.join('') +
    key +
    `</svg>`
  );
}
