import type { RawValue } from '../../schemas/answer.ts';
import type { AgeBand, FoiFlag, FoiPeriod, FoiQuestionList, ReferralBasis } from '../../schemas/foi.ts';
import { issue, type Issue, type Location } from '../../schemas/issue.ts';
import { findAgeBand, parseAgeBand } from './age-band.ts';
import { normalise } from './coded.ts';
import { codeCount, type CountCode } from './count.ts';
import { parsePeriod, type PeriodContext } from './period.ts';

/**
 * A table of counts laid out by period: periods down the rows ("2021/22 | 12 | 9") or across the
 * columns ("CAMHS | 3 | 4 | *"), the other axis naming a basis, an age split or a team. This turns
 * the layout into observations, one per count cell; combine.ts turns those into values.
 */

export interface GridCell {
  text: string;
  location: Location;
  /** The exact source text to quote; a PDF quotes the whole line. Defaults to `text`. */
  quote?: string;
  /** The typed value where the source has one (an xlsx date). */
  value?: RawValue;
  /** Why the cell could not be placed in its column with confidence (a PDF table put back by position). */
  weak?: string;
}
export interface TableContext {
  wave: FoiQuestionList;
  period: PeriodContext;
  notes: readonly string[];
  /** Basis of a column that does not say (the question a letter's block answers); else received. */
  defaultBasis?: ReferralBasis;
  /** Band where the table gives none: the letter's, else the asked band. */
  defaultBand?: AgeBand;
}
interface Dim {
  label: string;
  /** null: a column the questions do not ask about ("not accepted"). */
  basis: ReferralBasis | null;
  band: AgeBand;
  bandGiven: boolean;
  team?: string;
  total: boolean;
}
export interface Observation {
  period: FoiPeriod;
  periodFlags: FoiFlag[];
  /** The end the period was written with, when it was cut at the reply's or sent date (PeriodCode.runsTo). */
  periodRunsTo?: string;
  dim: Dim;
  code: CountCode;
  cell: GridCell;
  /** What tied the cell to its question and period (header text), for the confidence gate. */
  evidence: string;
  /** Set when the cell could not be tied to its column with confidence: why (the value is then only a suggestion). */
  weak?: string;
}
export interface Layout {
  obs: Observation[];
  /** A "Total" row or column across periods, per dimension label. */
  crossTotals: { dim: Dim; code: CountCode; cell: GridCell }[];
  /** Months whose row (or column) is in the table with a blank cell: not given, so a sum over them is incomplete. */
  blankMonths: { period: FoiPeriod; basis: ReferralBasis; cell: GridCell }[];
  /** Parts of a period (a team's or a month's column) left blank in its row: a sum of the others is incomplete. */
  blankParts: { start: string; basis: ReferralBasis; label: string }[];
  issues: Issue[];
  uncoded: number;
}

const quoteOf = (c: GridCell) => c.quote ?? c.text;

/** Excel keeps a month as the date of its first day; read such a date as the month. */
function periodText(c: GridCell): string {
  const v = c.value;
  if (v instanceof Date && v.getUTCDate() === 1) return v.toISOString().slice(0, 7);
  return c.text;
}

/** What a row or column label says about its counts; problems with the label go to `issues`. */
// A column of numbers that are not under-two referral counts: waits, all-age or under-18 totals, population, money, shares.
export const NOT_A_COUNT =
  /\bwaits?\b|\bdays?\b|\bweeks?\b|\bshortest\b|\blongest\b|\bmedian\b|\baverage\b|\bmean\b|\bpopulation\b|\bbirths?\b|\bresidents?\b|(?:<|\bunder|\baged? under|\bbelow)\s*18\b|\bunder[- ]eighteens?\b|\ball ages\b|£|\bcost\b|%|\bper ?cent\b|\brate\b/;

// Words that give a count's basis; a count of referrals turned away has none the wave asks about.
const ACCEPTED_WORD = /\baccept|\bassessed|\btreated|\bseen\b/;
const RECEIVED_WORD = /\breceiv/;
const NOT_A_BASIS = /\bnot accepted|\brejected|\bdeclined|\bsignposted|\bredirected/;

function classifyDim(label: string, ctx: TableContext, location: Location = {}, issues: Issue[] = []): Dim {
  const t = normalise(label);
  const total = /^(?:grand )?totals?\b|^all\b/.test(t) && !NOT_A_COUNT.test(t);
  const basis: ReferralBasis | null =
    NOT_A_BASIS.test(t) || NOT_A_COUNT.test(t)
      ? null
      : ACCEPTED_WORD.test(t)
        ? 'accepted'
        : RECEIVED_WORD.test(t)
          ? 'received'
          : (ctx.defaultBasis ?? 'received');
  // A bare band ("0-1", "Received 1-2", "Accepted under 1") once the basis words are set aside.
  const bare = t
    .replace(/\b(?:referrals?|received|accepted|number|no\.|of|count|\(?assessed\/treated\)?)\b/g, ' ')
    .trim();
  const ageText =
    findAgeBand(t) ??
    (/^(?:age[ds]?\s*)?(?:\d+\s*(?:-|to)\s*\d+|under\s*\S+)\s*(?:years?|yrs?|months?)?$/.test(bare) ? t : null);
  const age = ageText === null ? null : parseAgeBand(label, location);
  if (age) issues.push(...age.issues);
  if (basis === null)
    issues.push(
      issue(
        'column_not_coded',
        'info',
        `"${label.trim()}" counts referrals no question asks about; its cells are not coded.`,
        location,
        { raw: label },
      ),
    );
  const band = age?.value?.band ?? ctx.defaultBand ?? ctx.wave.askedAgeBand;
  const dim: Dim = { label: label.trim(), basis, band, bandGiven: age?.value != null, total };
  const residue = t
    .replace(
      /\b(?:total|referrals?|received|accepted|number|no\.|of|count|children|child|aged?|the|to|for|by|in|and|under\s*(?:2|two)s?|n)\b/g,
      '',
    )
    .replace(/[^a-z]/g, '');
  if (!total && ageText === null && residue.length >= 2) dim.team = label.trim();
  return dim;
}

/**
 * The header above the first period row: a header that wraps over several lines ("All referrals" /
 * "<18") is joined column by column, so the words it loses to the wrap still decide the column.
 */
function wrappedHeader(rows: readonly GridCell[][], first: number, width: number): GridCell[] {
  if (first <= 0) return [];
  // A header line one cell short has nothing over the period column (a wrapped second line): it is shifted right.
  const aligned = (r: readonly GridCell[]) =>
    r.length === width - 1 && width > 2 ? [{ ...r[0]!, text: '' }, ...r] : r.map((c) => ({ ...c }));
  const out = aligned(rows[first - 1]!);
  for (let k = first - 2; k >= 0 && k >= first - 3; k--) {
    const r = aligned(rows[k]!);
    // Only a line of labels with the same columns continues the header.
    if (r.length !== out.length || r.some((c) => /^\s*[\d,.]+\s*$/.test(c.text))) break;
    r.forEach((c, i) => (out[i]!.text = `${c.text} ${out[i]!.text}`.trim()));
  }
  return out;
}

function periodIn(c: GridCell | undefined, ctx: TableContext) {
  if (c === undefined || c.text.trim() === '') return null;
  const own = parsePeriod(periodText(c), ctx.period, c.location).value;
  return own === null ? null : (footnotedPeriod(c.text, own, ctx) ?? own);
}

/**
 * A period label with a footnote marker ("2023/24*") whose note gives its dates ("* 2023/24 to 10 March
 * 2024."): the note's period, when it starts where the label's does and ends no later.
 */
function footnotedPeriod(label: string, own: NonNullable<ReturnType<typeof parsePeriod>['value']>, ctx: TableContext) {
  const marker = /(\*+|†|‡)\s*$/.exec(label)?.[1];
  if (marker === undefined) return null;
  for (const note of ctx.notes) {
    const t = note.trim();
    if (/^(\*+|†|‡)/.exec(t)?.[1] !== marker) continue;
    const first = t
      .slice(marker.length)
      .split(/\.(?:\s|$)/)[0]!
      .trim();
    const p = parsePeriod(first, ctx.period).value;
    if (p && p.period.start === own.period.start && p.period.end <= own.period.end && p.period.type !== 'month')
      return { ...p, period: { ...p.period, label: `${label.trim()} (${first})` } };
  }
  return null;
}

const MONTH_WORD = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*';
const QUARTER = new RegExp(
  String.raw`^\s*(?:q[1-4]|quarter\s*[1-4])\b\s*(?:\(\s*${MONTH_WORD}\s*(?:-|–|to)\s*${MONTH_WORD}\s*\))?\s*$`,
  'i',
);

/** A quarter written with its year in one label ("Q1 2023/24", "2023/24 Q1", "Quarter 2 2024/25"). */
const QUARTER_OF_YEAR = /^\s*(q[1-4]|quarter\s*[1-4])\b\s*[-–,]?\s*\S|\S\s*[-–,]?\s*\b(q[1-4]|quarter\s*[1-4])\s*$/i;

const quarterOf = (label: string): string | undefined => {
  const m = QUARTER_OF_YEAR.exec(label);
  return (m?.[1] ?? m?.[2])?.replace(/\s+/g, ' ').toUpperCase();
};

/** The basis a header cell names ("Received 2021/22", "Accepted 2022/23"), if exactly one. */
function basisNamed(text: string): ReferralBasis | undefined {
  const t = normalise(text);
  const accepted = ACCEPTED_WORD.test(t);
  if (NOT_A_BASIS.test(t) || accepted === RECEIVED_WORD.test(t)) return undefined;
  return accepted ? 'accepted' : 'received';
}

/** A label that names a question of the wave by its number ("Q4 ...", "Question 6") that asks no count. */
function asksNoCount(label: string, wave: FoiQuestionList): boolean {
  const m = /^\s*(?:q|question)\s*(\d{1,2})\b/i.exec(label);
  const q = m ? wave.questions[Number(m[1]) - 1] : undefined;
  return q !== undefined && q.answerType !== 'count_per_period';
}

/** Reads the layout; null when no axis of the table holds periods. */
export function readLayout(rows: readonly GridCell[][], ctx: TableContext): Layout | null {
  const byRows = [0, 1].map((c) => rows.filter((r) => periodIn(r[c], ctx) !== null).length);
  const periodCol = byRows[1]! > byRows[0]! ? 1 : 0;
  const rowScore = byRows[periodCol]!;
  const colScores = rows.map((r) => r.slice(1).filter((c) => periodIn(c, ctx) !== null).length);
  const colScore = Math.max(0, ...colScores);
  if (rowScore === 0 && colScore === 0) return null;
  // Quarters down the rows under years across ("Quarter | 2021/22 | 2022/23" / "Q1 (Apr-Jun) | 2 | 3"): the
  // years are the periods and each quarter a part of its column's year, summed like a team's counts (a
  // quarter's label alone names no year, and "Q1" is no question of the wave here).
  // Only quarters that say so: months in brackets ("Q1 (Apr-Jun)"), or a "Quarter" header over bare "Q1" ...
  // ("Q2 | 12 | 14" under "Question | 2021/22 ..." is question 2's counts, never a part of a year).
  const labels = rows.map((r) => r[0]?.text ?? '');
  const byQuarter =
    colScore >= 2 &&
    (labels.filter((t) => QUARTER.test(t) && /\(/.test(t)).length >= 2 ||
      (labels.some((t) => /^\s*quarters?\s*$/i.test(t)) && labels.filter((t) => QUARTER.test(t)).length >= 2));
  const out: Layout = { obs: [], crossTotals: [], blankMonths: [], blankParts: [], issues: [], uncoded: 0 };
  const add = (periodCell: GridCell | null, dim: Dim, cell: GridCell | undefined, weak?: string) => {
    if (dim.basis === null) return;
    if (cell === undefined || cell.text.trim() === '') {
      // A month the table lists with nothing in it: a blank, told apart from a month it does not list.
      const p = periodCell === null ? null : periodIn(periodCell, ctx);
      if (p?.period.type === 'month' && dim.team === undefined && !dim.total)
        out.blankMonths.push({ period: p.period, basis: dim.basis, cell: cell ?? { ...periodCell!, text: '' } });
      else if (p && dim.team !== undefined && !dim.total)
        out.blankParts.push({ start: p.period.start, basis: dim.basis, label: dim.team });
      return;
    }
    const coded = codeCount(cell.text, { notes: ctx.notes, location: cell.location });
    out.issues.push(...coded.issues);
    if (coded.value === null) {
      out.uncoded += 1;
      // A part with words for a count ("Not yet available"): the others' sum may be short of the period.
      const p = periodCell === null ? null : periodIn(periodCell, ctx);
      if (p && dim.team !== undefined && !dim.total)
        out.blankParts.push({ start: p.period.start, basis: dim.basis, label: dim.team });
      return;
    }
    const evidence = `column "${dim.label || '(no header)'}", period "${periodCell?.text.trim() ?? 'total'}"`;
    const p = periodCell === null ? null : periodIn(periodCell, ctx);
    if (p === null) out.crossTotals.push({ dim, code: coded.value, cell: { ...cell, quote: quoteOf(cell) } });
    else
      out.obs.push({
        period: p.period,
        periodFlags: p.flags,
        ...(p.runsTo === undefined ? {} : { periodRunsTo: p.runsTo }),
        dim,
        code: coded.value,
        cell: { ...cell, quote: quoteOf(cell) },
        evidence,
        ...(weak !== undefined ? { weak } : {}),
      });
  };
  // A row with a cell that reads as no count (a "Less" / "than 5" split across cells) may have shifted its numbers.
  const shaky = (cells: readonly GridCell[]): string | undefined => {
    // Only a piece of a count ("Less", "than 5", "<"): a text note ("Year to date") shifts nothing, nor does a
    // share ("0.05%") or a cell under a column of what is no count (its header says "% of all", "median wait").
    const bad = cells.find(
      (c) =>
        /\d|[<>*]|\b(?:less|fewer|than|under|more|over|or)\b/i.test(c.text) &&
        !/%\s*$/.test(c.text) &&
        codeCount(c.text, { notes: ctx.notes, location: c.location }).value === null,
    );
    return bad
      ? `another cell of its row ("${bad.text.trim()}") reads as no count: the columns may have shifted`
      : undefined;
  };
  const isTotal = (c: GridCell | undefined) => c !== undefined && /^\s*(?:grand\s+)?totals?\b/i.test(c.text);
  if (rowScore >= colScore && !byQuarter) {
    // The first row with a period and something in its other cells: a title above the header that names
    // months ("Referrals ... (calendar year, January to December)") is no row of the table.
    const periodRows = rows.map((r) => periodIn(r[periodCol], ctx) !== null);
    const withData = rows.findIndex(
      (r, i) => periodRows[i] && r.slice(periodCol + 1).some((c) => c.text.trim() !== ''),
    );
    const first = withData >= 0 ? withData : periodRows.indexOf(true);
    const width = Math.max(...rows.slice(first).map((r) => r.length));
    const header = wrappedHeader(rows, first, width);
    // A column of quarters beside the years ("2021/22 | Q1 | 2 | 1", under a "Quarter" header or with two
    // quarters or more in it): each row is a part of its year, summed like a team's counts.
    const partCol = Array.from({ length: width }, (_, c) => c).find(
      (c) =>
        c > periodCol &&
        (/^\s*(?:quarters?|qtr)\s*$/i.test(header[c]?.text ?? '') ||
          new Set(
            rows
              .slice(first)
              .map((r) => r[c]?.text.trim() ?? '')
              .filter((t) => QUARTER.test(t)),
          ).size >= 2),
    );
    // A column with nothing under its (empty) header is no column of the table: its blanks are no parts.
    const emptyCols = new Set(
      Array.from({ length: width }, (_, c) => c).filter(
        (c) =>
          (header[c]?.text.trim() ?? '') === '' && rows.slice(first).every((r) => (r[c]?.text.trim() ?? '') === ''),
      ),
    );
    const dims = Array.from({ length: width }, (_, c) =>
      c > periodCol && c !== partCol
        ? classifyDim(header[c]?.text ?? '', ctx, header[c]?.location, out.issues)
        : classifyDim('', ctx),
    );
    for (const r of rows.slice(first)) {
      const periodCell =
        periodIn(r[periodCol], ctx) !== null ? r[periodCol]! : isTotal(r[periodCol]) ? null : undefined;
      if (periodCell === undefined) continue;
      const weak =
        r.find((c) => c.weak !== undefined)?.weak ??
        shaky(r.filter((_, c) => c > periodCol && c !== partCol && dims[c]?.basis !== null)) ??
        (r.length < width
          ? `its row has ${r.length} cells where the table has ${width}: a blank may have shifted it`
          : undefined);
      // Several columns of numbers, one without a header: nothing ties it to a question (a population, a wait).
      const unheaded = width - periodCol > 2 ? 'its column has no header to tie it to' : undefined;
      // Every column of the table, so a row shorter than it (a month with blank cells) says which are blank.
      // "Q1 2023/24": the quarter named with its year in one label is a part of that year too.
      const part =
        partCol === undefined
          ? periodCell === null
            ? undefined
            : quarterOf(periodCell.text)
          : r[partCol]?.text.trim();
      dims.forEach(
        (dim, c) =>
          c > periodCol &&
          c !== partCol &&
          !emptyCols.has(c) &&
          add(
            periodCell,
            part === undefined || part === '' ? dim : { ...dim, team: part },
            r[c],
            weak ?? (dim.label === '' ? unheaded : undefined),
          ),
      );
    }
  } else {
    const h = colScores.indexOf(colScore);
    // A header whose first cell is already a period has no cell over the row labels: it sits one column right.
    const given = rows[h]!;
    const header = periodIn(given[0], ctx) !== null ? [{ ...given[0]!, text: '' }, ...given] : given;
    // Several label columns before the periods ("Trust | Measure | 2021/22 ..."): the row's label is all of
    // them, so "Received" and "Accepted" in a Measure column decide each row's basis.
    const firstPeriod = header.findIndex((hc, c) => c > 0 && (periodIn(hc, ctx) !== null || isTotal(hc)));
    // The cell over the row labels may give the band of every row ("Age 0-4 | 2021/22 | 2022/23").
    const corner = header[0]?.text ?? '';
    const cornerAge = findAgeBand(normalise(corner)) === null ? null : parseAgeBand(corner, header[0]?.location);
    if (cornerAge) out.issues.push(...cornerAge.issues);
    const rowCtx = cornerAge?.value ? { ...ctx, defaultBand: cornerAge.value.band } : ctx;
    for (const r of rows.slice(h + 1)) {
      const lead = firstPeriod > 1 ? r.slice(0, firstPeriod) : r.slice(0, 1);
      const label = lead
        .map((c) => c.text.trim())
        .filter((t) => t !== '')
        .join(' ');
      if (label.trim() === '' && r.every((c) => c.text.trim() === '')) continue;
      // "Q4 Parent-infant service | No": the answer to a question that asks no count, beside the count rows.
      if (!byQuarter && asksNoCount(label, ctx.wave)) continue;
      const dim = classifyDim(label, rowCtx, r[0]?.location, out.issues);
      if (byQuarter && QUARTER.test(label)) dim.team ??= label;
      if (lead.length > 1 && dim.team !== undefined && (r[0]?.text.trim() ?? '') !== '') dim.team = r[0]!.text.trim();
      const weak =
        r.find((c) => c.weak !== undefined)?.weak ??
        shaky(r.slice(1)) ??
        (r.length < header.length
          ? `its row has ${r.length} cells where the header has ${header.length}: a blank may have shifted it`
          : undefined);
      // "Team | Received 2021/22 | ... | Accepted 2021/22 | ...": a column whose header names its basis is
      // that basis, when the row's label names none (the row is a team, a site).
      const ownBasis = ACCEPTED_WORD.test(normalise(label)) || RECEIVED_WORD.test(normalise(label));
      header.forEach((hc, c) => {
        if (c === 0) return;
        const colBasis = ownBasis ? undefined : basisNamed(hc.text);
        const d = colBasis === undefined || dim.basis === null ? dim : { ...dim, basis: colBasis };
        if (periodIn(hc, ctx) !== null) add(hc, d, r[c], weak);
        else if (isTotal(hc)) add(null, d, r[c], weak);
      });
    }
  }
  return out;
}
