import { describe, expect, it } from 'vitest';
import { barChartSvg } from '../../reports/charts.ts';
import { escapeHtml, figure, page, paragraph, section, table } from '../../reports/html.ts';

describe('escapeHtml', () => {
  it('escapes the five characters that matter in text and attributes', () => {
    expect(escapeHtml(`<a href="x">Tom & Jerry's</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;',
    );
  });
});

describe('page', () => {
  it('is a self-contained document: inline styles, print styles, no scripts and no external requests', async () => {
    const svg = await barChartSvg({
      title: 'T',
      denominator: 'of 3 teams',
      source: 'S',
      xTitle: 'x',
      yTitle: 'y',
      bars: [{ label: 'a', value: 3 }],
    });
    const html = page({
      title: 'Who is holding the baby?',
      intro: ['Annual report'],
      sections: [
        section({
          id: 'growth',
          heading: '1. Growth of teams',
          body: [figure({ svg, caption: 'Teams', note: 'Of 45 teams.' })],
        }),
      ],
    });
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en-GB">')).toBe(true);
    expect(html).toContain('Content-Security-Policy" content="default-src \'none\'');
    expect(html).toContain('@media print');
    expect(html).not.toMatch(/<script|<link|<iframe|<img|\bsrc=|url\(/i);
    expect(html.match(/https?:\/\/[^"]+/g)?.every((u) => u.startsWith('http://www.w3.org/'))).toBe(true);
  });

  it('escapes the title', () => {
    expect(page({ title: '<b>', sections: [] })).toContain('<title>&lt;b&gt;</title>');
  });
});

describe('section and figure', () => {
  it('puts the heading, the inline SVG, its caption and the note under it', () => {
    const html = section({
      id: 'families',
      heading: 'Families & gap',
      body: [
        figure({
          svg: '<svg xmlns="http://www.w3.org/2000/svg"></svg>',
          caption: 'Families',
          note: 'Ranges are banded answers summed at both ends.',
        }),
      ],
    });
    expect(html).toContain('<h2>Families &amp; gap</h2>');
    expect(html).toContain('<svg role="img" aria-label="Families" aria-describedby="figure-families-note" xmlns=');
    expect(html).toContain('<figcaption>Families</figcaption>');
    expect(html).toMatch(
      /<\/figure>\n<p class="note" id="figure-families-note">Ranges are banded answers summed at both ends.<\/p>/,
    );
  });

  it('scales a chart to its box (viewBox, width 100%, no fixed height) and shows the phone drawing on a narrow screen', () => {
    const html = figure({
      svg: '<svg xmlns="http://www.w3.org/2000/svg" class="marks" width="600" height="200" viewBox="0 0 600 200"></svg>',
      narrowSvg: '<svg xmlns="http://www.w3.org/2000/svg" class="marks" width="350" height="260"></svg>',
      caption: 'Teams by nation',
      note: 'Of 49 teams.',
      table: 'teams_by_nation',
    });
    expect(html).toContain(
      'class="wide marks" width="100%" viewBox="0 0 600 200" style="max-width:600px;min-width:480px"',
    );
    expect(html).toContain(
      'class="narrow marks" width="100%" viewBox="0 0 350 260" style="max-width:350px;min-width:280px"',
    );
    expect(html).not.toMatch(/height="\d/);
    expect(html).toContain('<div class="scroll" role="region" tabindex="0" aria-label="Chart: Teams by nation">');
    expect(html).toContain('<a href="#table-teams-by-nation">Data for this chart (table)</a>');
  });

  it('refuses an id that is not a simple slug and markup that is not an SVG', () => {
    expect(() => section({ id: 'a b', heading: 'x', body: [] })).toThrow(/section id/);
    expect(() => figure({ svg: '<img src=x>', caption: 'c', note: 'n' })).toThrow(/<svg>/);
  });
});

describe('table', () => {
  it('formats ranges, markers and numbers, with a caption and notes', () => {
    const html = table({
      caption: 'Teams by region',
      columns: [
        { key: 'region', header: 'Region', kind: 'text' },
        { key: 'teams', header: 'Teams', kind: 'number' },
        { key: 'families', header: 'Families', kind: 'range' },
      ],
      rows: [
        { region: 'North <East>', teams: { value: null, status: 'c' }, families: { low: 4400, high: 6500 } },
        { region: 'London', teams: 1234, families: { low: 2000, high: null } },
      ],
      notes: ['[c] withheld to protect small numbers.'],
    });
    expect(html).toContain('<caption>Teams by region</caption>');
    expect(html).toContain(
      '<th scope="row">North &lt;East&gt;</th><td class="num">[c]</td><td class="num">4,400 to 6,500</td>',
    );
    expect(html).toContain('<td class="num">1,234</td><td class="num">over 2,000</td>');
    expect(html).toContain(paragraph('[c] withheld to protect small numbers.', 'note'));
  });
});

describe('an empty table', () => {
  it('puts the table in a focusable, named box that scrolls sideways, with the id charts link to', () => {
    const html = table({
      caption: 'Teams by nation',
      name: 'teams_by_nation',
      columns: [{ key: 'n', header: 'Nation', kind: 'text' }],
      rows: [{ n: 'Wales' }],
    });
    expect(html).toMatch(
      /^<div class="table-wrap scroll" id="table-teams-by-nation" role="region" tabindex="0" aria-label="Table: Teams by nation">\n<table>/,
    );
  });

  it('says "none" instead of printing bare headers', () => {
    const html = String(
      table({ caption: 'Corrections', columns: [{ key: 'a', header: 'A', kind: 'text' }], rows: [] }),
    );
    expect(html).toContain('<td colspan="1">none</td>');
  });
});
