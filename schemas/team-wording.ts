import { ISSUE_CODES, type IssueCode } from './issue-codes.ts';

/**
 * What each issue says to the team that sent the return (feedback workbooks and e-mails): a plain
 * sentence from the team's side, never a code, a question id or advice meant for census staff.
 * The catalogue (./issue-codes.ts) says what staff should do; this file says what the team reads.
 * Every catalogue code reaches a team unless it is listed in STAFF_ONLY with the reason;
 * test/schemas/team-wording.test.ts checks that each such code has a wording here.
 */
export interface TeamContext {
  /** The question's label as the team saw it, or null for the file as a whole. */
  question: string | null;
  /** What the team typed, as read (already cleared of personal data). */
  raw: string | null;
  /** What a good answer to this question looks like, e.g. "Please give a number or a range, e.g. 40 or 40-50." */
  hint: string;
}

type Wording = (c: TeamContext) => string;

const q = (c: TeamContext): string => (c.question ? `"${c.question}"` : 'one of the questions');
const typed = (c: TeamContext): string => (c.raw ? `"${c.raw.slice(0, 80)}"` : 'the answer');
const cantRead: Wording = (c) => `We could not read ${typed(c)} as an answer to ${q(c)}. ${c.hint}`.trim();
const fileProblem =
  (what: string): Wording =>
  () =>
    `${what} Please save it again as an Excel workbook (.xlsx), made from the questionnaire we sent, and send it back.`;
const noAction: Wording = (c) => `We have noted ${typed(c)} for ${q(c)}; there is nothing you need to do.`;

/** Codes raised only on FOI replies, the FOI register or coding sheets, never on a team's return. */
export const STAFF_ONLY: ReadonlySet<string> = new Set(
  Object.keys(ISSUE_CODES).filter(
    (c) =>
      /^(foi_|register_|coding_|reply_|pi_extension|event_|age_band_|exemption_)/.test(c) ||
      [
        'needs_manual_coding',
        'mail_unreadable',
        'pdf_xref_broken',
        'pdf_unreadable',
        'too_many_pages',
        'count_blank',
        'count_ambiguous',
        'count_without_period',
        'count_unpaired',
        'period_unreadable',
        'suppression_mark_without_note',
        'answer_missing',
        'referral_date_unreadable',
        'age_unreadable',
        'age_unit_unknown',
        'column_not_coded',
        'records_excluded',
        'records_issues_truncated',
        'input_skipped',
        'input_not_regular',
        'file_not_readable',
        'file_duplicate_in_batch',
        'year_on_year_not_checked',
        'binary_not_text',
        'total_mismatch',
      ].includes(c),
  ),
);

export const TEAM_WORDING: Partial<Record<IssueCode, Wording>> = {
  file_too_large: fileProblem('Your file was too large for us to open.'),
  file_empty: fileProblem('The file we received was empty.'),
  password_protected: () =>
    'Your file is protected with a password, so we could not open it. Please remove the password (sheet protection without a password is fine) and send it back.',
  legacy_binary_format: fileProblem('Your file is in the old Excel format (.xls).'),
  zip_bomb_suspected: fileProblem('We could not open your file safely.'),
  unsupported_format: fileProblem('We could not open your file as a spreadsheet.'),
  file_unreadable: fileProblem('We could not open your file.'),
  too_many_rows: fileProblem('Your file has far more rows than the questionnaire.'),
  parse_timeout: fileProblem('Your file took too long to open.'),
  parse_failed: fileProblem('We could not open your file.'),
  internal_error: () => 'Something went wrong on our side while reading your file; we will look at it ourselves.',
  macros_present: () =>
    'Your file contains macros, which we do not run. Your answers were read; next time please save it as a plain .xlsx workbook.',
  csv_encoding_windows_1252: () =>
    'Your file was read; some special characters may not have come through as you typed them.',
  csv_malformed: fileProblem('Some lines of your file could not be read.'),
  xlsx_unreadable: fileProblem('We could not open your file.'),
  converted_to_xlsx: () =>
    'Your file was not in the .xlsx format we asked for; we converted it and read your answers. Next time please save it as .xlsx.',
  test_response: () =>
    'This entry is marked as a test ("please ignore"), so we did not count it. If it was your real answer, please send it again with your team\'s name.',
  wrong_wave: () =>
    "This file looks like a questionnaire for another year. Please fill in this year's questionnaire and send it back.",
  duplicate_submission: () =>
    'We received more than one copy of your return; we use the one completed most recently. Nothing to do if that is the right one.',
  template_version_mismatch: () =>
    'Your return was made from an older copy of the questionnaire. We read your answers; next time please start from the copy we send.',
  no_answers_found: fileProblem('We found no answers in your file.'),
  template_not_recognised: fileProblem("We could not find this year's questions in your file."),
  hand_workbook_not_recognised: fileProblem('We could not find the questions in your file.'),
  survey_export_not_recognised: fileProblem('We could not find the questions in your file.'),
  label_unmatched: (c) =>
    `A row of your file (${typed(c)}) is not one of our questions, so we could not use its answer. Please move the answer to the right question, or delete the row.`,
  duplicate_question_row: (c) =>
    `${q(c)} appears twice in your file; we used the first. Please keep one row and delete the other.`,
  header_unmatched: (c) => `A column of your file (${typed(c)}) is not one of our questions, so we could not use it.`,
  header_too_long: () => 'A column heading in your file is too long for us to read, so we could not use that column.',
  duplicate_question_column: (c) => `${q(c)} appears twice in your file; we used the first.`,
  question_unmatched: (c) => `We could not find ${q(c)} in your file. Please add the answer.`,
  should_be_blank: (c) =>
    `${q(c)} does not apply to your team, going by your other answers. Please clear it if it was entered by mistake.`,
  exceeds_other_answer: (c) =>
    `Your answer to ${q(c)} is larger than another of your answers allows (for example, more babies under two than families). Please check both.`,
  less_than_other_answer: (c) =>
    `Your answer to ${q(c)} is smaller than it should be next to a related answer (for example, the wait for first intervention shorter than for assessment). Please check both.`,
  before_other_answer: (c) =>
    `The date given for ${q(c)} comes before a date it should follow (for example, a reporting period that ends before it starts). Please check both dates.`,
  outside_expected_range: (c) =>
    `Your answer to ${q(c)} (${typed(c)}) is far outside what we expect for this question. Please check it (for example, a number of years where months are asked).`,
  sum_mismatch: () => 'The staffing rows do not add up to your total staff (whole-time equivalent). Please check them.',
  cell_error: (c) => `The answer to ${q(c)} shows a spreadsheet error (such as #REF!). Please type the answer itself.`,
  invalid_date_cell: (c) => `The date given for ${q(c)} is not a real date. Please type it day first, e.g. 31/03/2025.`,
  formula_no_cached_value: (c) =>
    `The answer to ${q(c)} is a formula we could not see the result of. Please type the answer itself.`,
  merged_cell: (c) =>
    `The answer cell for ${q(c)} is merged with another, so we could not tell which answer is which. Please unmerge it and answer each question in its own cell.`,
  option_flag_unreadable: (c) => `We could not read ${typed(c)} for ${q(c)}. Please answer Yes or leave it blank.`,
  required_missing: (c) => `${q(c)} must be answered, and we found no answer. Please fill it in.`,
  year_on_year_change: (c) =>
    `Your answer to ${q(c)} (${typed(c)}) is very different from last time. If it is right, there is nothing to do; otherwise please correct it.`,
  answer_parse_fault: (c) =>
    `Something went wrong on our side reading your answer to ${q(c)}; we will look at it ourselves.`,
  band_unknown: cantRead,
  band_spans_bands: (c) => `Your answer to ${q(c)} (${typed(c)}) covers more than one of the listed bands. ${c.hint}`,
  band_typed_as_number: noAction,
  band_typed_as_range: noAction,
  count_unreadable: cantRead,
  count_negative: (c) => `The answer to ${q(c)} (${typed(c)}) is below zero. ${c.hint}`,
  count_not_whole: (c) => `The answer to ${q(c)} (${typed(c)}) is not a whole number. ${c.hint}`,
  count_range_reversed: (c) =>
    `The range given for ${q(c)} (${typed(c)}) runs from high to low. Please give it low to high, e.g. 40-50.`,
  date_invalid: (c) => `${typed(c)} is not a real date (for ${q(c)}). ${c.hint}`,
  date_ambiguous: (c) => `We could not tell which date ${typed(c)} means (for ${q(c)}). ${c.hint}`,
  date_unreadable: cantRead,
  days_unreadable: cantRead,
  days_negative: (c) => `The answer to ${q(c)} (${typed(c)}) is below zero. ${c.hint}`,
  days_not_whole: (c) => `The answer to ${q(c)} (${typed(c)}) is not a whole number of days. ${c.hint}`,
  days_ambiguous: (c) => `We could not tell how many days ${typed(c)} is (for ${q(c)}). ${c.hint}`,
  days_approximate: noAction,
  decimal_unreadable: cantRead,
  decimal_negative: (c) => `The answer to ${q(c)} (${typed(c)}) is below zero. ${c.hint}`,
  decimal_ambiguous: (c) => `We could not tell which number ${typed(c)} means (for ${q(c)}). ${c.hint}`,
  decimal_approximate: noAction,
  option_unknown: cantRead,
  option_as_other: (c) =>
    `We counted ${typed(c)} as "Other" for ${q(c)}. If one of the listed answers fits, please choose it.`,
  multi_none_with_others: (c) => `For ${q(c)} you chose "None" and other answers too. Please keep only what applies.`,
  text_unreadable: cantRead,
  text_list_unreadable: cantRead,
  text_was_date: (c) =>
    `The answer to ${q(c)} looks like a date the spreadsheet changed from what you typed. Please check it.`,
  year_unreadable: cantRead,
  year_out_of_range: (c) => `${typed(c)} is not a year we can use for ${q(c)}. ${c.hint}`,
  year_from_date: noAction,
  year_approximate: (c) =>
    `You wrote ${typed(c)} for ${q(c)}. Please tell us the exact year, even if you are not completely sure. ${c.hint}`.trim(),
  yes_no_unreadable: cantRead,
  yes_no_code_not_listed: (c) => `${typed(c)} is not one of the answers listed for ${q(c)}. ${c.hint}`,
  yes_no_with_comment: noAction,
};

/** The sentence a team reads for an issue; a code without a wording gets a plain general sentence. */
export function teamSentence(code: string, c: TeamContext): string {
  const w = TEAM_WORDING[code as IssueCode];
  if (w) return w(c);
  return c.question ? `Please check your answer to ${q(c)}. ${c.hint}`.trim() : 'Please check your file.';
}

/**
 * Where an issue is, as a team finds it in its own workbook: a cell as Excel and LibreOffice write a
 * reference to another sheet (`Questionnaire!C12`, `'Staff and roles'!C3`: quoted when the sheet's name
 * needs it, a quote inside doubled), which either program's Name Box takes to go there; a row without a
 * cell as "sheet Survey, row 12"; a survey export's row with its column's heading; "the whole file" when
 * the issue is not in one place.
 */
export function teamLocation(loc: {
  sheet?: string | null;
  cell?: string | null;
  row?: number | null;
  column?: string | null;
}): string {
  const sheet = loc.sheet ?? null;
  const cell = loc.cell ?? null;
  const row = loc.row ?? null;
  const column =
    loc.column !== null && loc.column !== undefined && !/^column \d+$/.test(loc.column) ? loc.column : null;
  if (sheet !== null && cell !== null) return `${sheetRef(sheet)}!${cell}`;
  if (cell !== null) return `cell ${cell}`;
  const rowText =
    row !== null
      ? `row ${row}${column !== null ? `, column "${column}"` : ''}`
      : column !== null
        ? `column "${column}"`
        : null;
  if (sheet !== null) return rowText !== null ? `sheet ${sheet}, ${rowText}` : `sheet ${sheet}`;
  return rowText ?? 'the whole file';
}

/**
 * A sheet's name as a reference writes it: bare when it is a plain name (letters, digits, _ and ., not
 * starting with a digit and not itself a cell reference such as A1 or R1C1), else in single quotes.
 */
function sheetRef(name: string): string {
  const plain = /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) && !/^([A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*)$/.test(name);
  return plain ? name : `'${name.replace(/'/g, "''")}'`;
}
