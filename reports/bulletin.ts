/**
 * The parts of report.html that make it a statistical bulletin rather than a list of tables: the
 * main points (sentences computed from published figures only, so a withheld figure is never
 * restated), "Methods and quality" and a glossary. Everything is built from figures that have passed
 * protectFigure and from the build parameters; nothing here reads the data again.
 */
import type { Figure } from './figures.ts';
import { formatNumber } from './format.ts';
import { escapeHtml as esc, paragraph, section, type Html } from './html.ts';
import { denominatorText } from './model.ts';
import type { ReportParams } from '../schemas/report-params.ts';

const published = (f: Figure | undefined): f is Figure => !!f && f.status === undefined && f.value !== null;

function withDenominator(f: Figure): string {
  return f.denominator ? `, ${denominatorText(f.denominator)}` : '';
}

/**
 * Up to six sentences, in the order a reader asks: how many teams, how many families, what share of
 * need, how trusts answer, how complete the data are. A figure that is withheld or not available is
 * left out of the main points (its table says why).
 */
export function mainPoints(figures: readonly Figure[], params: ReportParams): string[] {
  const byId = new Map(figures.map((f) => [f.id, f]));
  const out: string[] = [];
  const teams = byId.get('growth.teams');
  const dev = byId.get('growth.status.in_development');
  if (published(teams)) {
    const devText = published(dev) ? `, of which ${dev.text} were still in development` : '';
    out.push(`${teams.text} teams were in the network${devText}.`);
  }
  const families = byId.get('families.total');
  if (published(families))
    out.push(`Teams supported ${families.text} families directly in the year${withDenominator(families)}.`);
  for (const sc of params.needScenarios) {
    const reach = byId.get(`families.reach.${sc.id}`);
    if (published(reach)) out.push(`They reached ${reach.text} of babies in need under the scenario "${sc.name}".`);
  }
  const noRef = byId.get('foi.accepts.no');
  if (published(noRef))
    out.push(`${noRef.text} mental health trusts take no referrals for babies under two${withDenominator(noRef)}.`);
  const few = byId.get('foi.few_referrals');
  if (published(few)) out.push(`${few.label}: ${few.text}${withDenominator(few)}.`);
  const rate = byId.get('quality.response_rate');
  if (published(rate)) out.push(`${rate.text} of teams in the network sent a return that counts.`);
  return out;
}

/** "Methods and quality": coverage and non-response, definitions, need scenarios, comparability, revisions. */
export function methodsSection(input: {
  wave: number;
  waves: readonly number[];
  figures: readonly Figure[];
  params: ReportParams;
  publicBuild: boolean;
}): Html {
  const byId = new Map(input.figures.map((f) => [f.id, f]));
  const rate = byId.get('quality.response_rate');
  const foiRate = byId.get('quality.foi_response_rate');
  const p = input.params;
  const body: Html[] = [
    heading3('Coverage and non-response'),
    paragraph(
      `The survey asks every team in the network. A team that did not send a return, or whose return could not be loaded, is counted in the network but not in any answer; every percentage states how many teams answered the question and how many did not. The response rate of wave ${input.wave} was ${published(rate) ? rate.text : '[x]'}${rate?.denominator ? ` (${rate.denominator.answered} teams in the network)` : ''}.${published(foiRate) ? ` Of the mental health trusts sent a Freedom of Information request, ${foiRate.text} replied.` : ''} Non-response is not imputed: totals are totals of the teams that answered, so they understate the network's activity.`,
    ),
    heading3('How the network and a specialised team are defined'),
    paragraph(
      'A specialised parent-infant relationship team is a multidisciplinary service that works therapeutically with parents and babies (from pregnancy to about age two) where their relationship is in difficulty, and trains, supervises and consults other professionals. The network is the list of known teams kept by the charity behind the report; the teams of a wave are the teams with a loaded return for it, shown as established or in development.',
    ),
    heading3('Need scenarios'),
    paragraph(
      'The share of babies in need who are reached is the families supported divided by an estimate of need. No single estimate is agreed, so each scenario of the build parameters is shown with its source:',
    ),
    ...p.needScenarios.map((sc) =>
      paragraph(
        `${sc.name}: ${sc.need.kind === 'fixed' ? `${formatNumber(sc.need.babiesPerYear)} babies a year` : `${(sc.need.prevalence * 100).toFixed(1)}% of live births`}${sc.nations ? `, counting teams in ${sc.nations.map((n) => n.replace(/_/g, ' ')).join(', ')} only` : ', counting every team'}. Source: ${sc.citation}`,
      ),
    ),
    heading3('Ranges and rounding'),
    paragraph(
      `Teams answer many questions in bands (a range of families rather than one number), so totals are ranges: the sum of the lowest and the sum of the highest possible values. An open top band (with no upper limit) is counted up to a cap set in the build parameters (${Object.values(p.openBandCaps).join(', ') || 'none'}). Percentages below 10% are shown to one decimal place, others to ${p.percentDigits === 0 ? 'whole numbers' : `${p.percentDigits} decimal places`}; each end of a range is rounded separately.`,
    ),
    heading3('Comparability between waves and breaks in the series'),
    paragraph(
      `Waves in this report: ${input.waves.join(', ')}. Where a question's wording or answer categories changed between waves, answers are mapped to common categories before they are compared (see "Over time"); a figure without a comparable question in a wave is shown as [x] for that wave, which is a break in the series, not a zero. The network grows each year, so changes in totals reflect new teams as well as changes in what teams do.`,
    ),
    heading3('Revisions'),
    paragraph(
      'Each build recomputes every figure, for every wave shown, from the data as loaded and corrected. A late return or a correction therefore revises earlier figures; the manifest of each build records the content of every source file and correction, so any published edition can be rebuilt and compared.',
    ),
    heading3('Disclosure control'),
    paragraph(
      input.publicBuild
        ? `Cells counting fewer than ${p.disclosure.threshold} teams or trusts are withheld ([c]), with further cells withheld where a total or a difference would reveal them. Values a trust itself withheld ("<5") are kept withheld.`
        : 'This is the internal edition: no cell is withheld and team names appear in per-team tables. Do not publish it.',
    ),
  ];
  return section({ id: 'methods', heading: 'Methods and quality', body });
}

const GLOSSARY: readonly (readonly [string, string])[] = [
  ['Team', 'A specialised parent-infant relationship team (see Methods and quality).'],
  ['In development', 'A team that is being set up and does not yet offer its full service.'],
  ['Range', 'The lowest and highest values consistent with banded answers, printed as "low to high".'],
  ['Need scenario', 'An estimate of how many babies a year need specialised help, with its source.'],
  ['WTE', 'Whole-time equivalent: staff hours as a share of one full-time post.'],
  ['FOI', 'A request under the Freedom of Information Act 2000 to an NHS mental health trust.'],
  ['Under-twos', 'Babies and children aged under two years.'],
  ['[c]', 'Confidential: withheld to protect small numbers, or withheld by the source.'],
  ['[x]', 'Not available: the value is missing or the question was not asked.'],
  ['[z]', 'Not applicable.'],
  ['[u]', 'Low reliability.'],
];

export function glossarySection(): Html {
  const items = GLOSSARY.map(([term, def]) => `<dt>${esc(term)}</dt><dd>${esc(def)}</dd>`).join('\n');
  return section({ id: 'glossary', heading: 'Glossary', body: [dl(items)] });
}

const dl = (items: string): Html => `<dl class="meta">\n${items}\n</dl>` as Html;
const heading3 = (text: string): Html => `<h3>${esc(text)}</h3>` as Html;
