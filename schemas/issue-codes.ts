/**
 * The catalogue of data-issue codes: every issue census raises is made with one of these codes
 * (`issue()` in ./issue.ts takes an IssueCode, so a misspelt code does not compile).
 *
 * Each entry says
 *   severity  the severity the issue is usually raised at;
 *   also      other severities some call sites raise it at (checks declared in a question list carry
 *             their own severity; an FOI reader is milder than a questionnaire parser);
 *   touches   what the problem is about, grouped as Frictionless groups errors: the whole `file`, the
 *             layout of a `table` (sheets, header rows, columns, question rows), one `row` (a record:
 *             one team's return, one register or coding-sheet row, one FOI request), or one `cell`
 *             (one answer or value);
 *   meaning   what it means, in one line;
 *   action    what the person running census should do about it.
 * A code kept for a later use, raised nowhere today, is marked `reserved: true` with a `reason`.
 *
 * Codes stored by older versions stay readable (data_issue.code is text); removing a code from here does
 * not remove its rows. `census issues --codes` prints this catalogue.
 */

/** What an issue is about: the whole file, the layout of a table, one record, or one value. */
type IssueTouches = 'file' | 'table' | 'row' | 'cell';

/** The same three levels as Severity in ./issue.ts (kept here so this file imports nothing). */
type CodeSeverity = 'error' | 'warning' | 'info';

export interface IssueCodeEntry {
  readonly severity: CodeSeverity;
  readonly also?: readonly CodeSeverity[];
  readonly touches: IssueTouches;
  readonly meaning: string;
  readonly action: string;
  readonly reserved?: true;
  readonly reason?: string;
}

export const ISSUE_CODES = {
  // ───────────────────────────── file: the file as a whole ─────────────────────────────
  // Received and checked before any reader opens it (receive, preflight, parse guard).
  file_too_large: {
    severity: 'error',
    touches: 'file',
    meaning: 'The file is larger than limits.maxFileBytes; it was not received or not opened.',
    action:
      'Check it is the right file; if it is genuine, raise limits.maxFileBytes in census.json and ingest it again.',
  },
  file_not_readable: {
    severity: 'error',
    touches: 'file',
    meaning: 'The file could not be read from disk (missing, not a regular file, or no permission).',
    action: 'Check the path exists and is a readable regular file, then ingest it again.',
  },
  input_skipped: {
    severity: 'warning',
    touches: 'file',
    meaning:
      'An entry in the folder given was not read: a link leading outside the folder, a second way to a folder or file already read (a link loop), or a name starting with ".".',
    action:
      'If it is a return, copy the file itself into the folder (under a name not starting with ".") and ingest again.',
  },
  input_not_regular: {
    severity: 'error',
    touches: 'file',
    meaning:
      'A path given or found is not a regular file: a named pipe, device or socket, or a folder named like a document.',
    action: 'Give census the file itself, then ingest again.',
  },
  file_duplicate_in_batch: {
    severity: 'info',
    touches: 'file',
    meaning:
      'The same bytes were given twice in one ingest (two names, or an attachment also given as a file); they were loaded once.',
    action: 'Nothing to do; remove the copy if it was not meant.',
  },
  file_empty: {
    severity: 'error',
    touches: 'file',
    meaning: 'The file is empty (0 bytes); it was not received.',
    action: 'Ask the sender for the file again; it was probably not saved or not attached properly.',
  },
  password_protected: {
    severity: 'error',
    touches: 'file',
    meaning: 'The workbook or PDF is protected with a password, so census cannot open it.',
    action:
      'Ask the sender for a copy without a password and ingest that; an FOI reply is kept for coding by hand meanwhile.',
  },
  legacy_binary_format: {
    severity: 'error',
    touches: 'file',
    meaning: 'The file is an old binary Office format (e.g. .xls or .doc), which census does not read.',
    action: 'Ask for it saved as an Excel Workbook (.xlsx), or re-save it yourself, and ingest it again.',
  },
  binary_not_text: {
    severity: 'error',
    touches: 'file',
    meaning: 'A file named as text (.csv, .tsv, .txt) holds binary data: a renamed workbook or a damaged file.',
    action: 'Ask for the export again as a UTF-8 .csv, or rename it to its real type, and ingest it again.',
  },
  zip_bomb_suspected: {
    severity: 'error',
    touches: 'file',
    meaning: 'The workbook unpacks to far more data or parts than the limits allow; it was not opened.',
    action:
      'If it is a genuine workbook, raise limits.maxUnzippedBytes / limits.maxZipEntries in census.json; otherwise delete it.',
  },
  unsupported_format: {
    severity: 'error',
    touches: 'file',
    meaning: 'The file is of a kind census does not read (e.g. .xlsb, an encrypted or unusual zip, an unknown type).',
    action: 'Ask for it saved as an Excel Workbook (.xlsx) or a UTF-8 .csv and ingest it again.',
  },
  file_unreadable: {
    severity: 'error',
    touches: 'file',
    meaning: 'The file could not be opened as a workbook; it is probably truncated or corrupt.',
    action: 'Ask the sender for the file again and ingest the new copy.',
  },
  too_many_rows: {
    severity: 'error',
    touches: 'file',
    meaning: 'A sheet or csv has more rows than limits.maxRows; it was not read.',
    action: 'Check it is the right file; if it is, raise limits.maxRows in census.json and ingest it again.',
  },
  too_many_pages: {
    severity: 'error',
    touches: 'file',
    meaning: 'The PDF has more pages than limits.maxPages; it was not read (an FOI reply is kept for coding by hand).',
    action: 'Check it is the right file; if it is, raise limits.maxPages in census.json and ingest it again.',
  },
  parse_timeout: {
    severity: 'error',
    touches: 'file',
    meaning: 'Reading the file took longer than limits.parseTimeoutMs and was stopped.',
    action:
      'Check the file opens normally; if it is just large, raise limits.parseTimeoutMs in census.json and ingest it again.',
  },
  parse_failed: {
    severity: 'error',
    touches: 'file',
    meaning: 'The reader stopped on this file (it crashed or ran out of memory).',
    action: 'Ask for the file saved again from its program; if it still fails, report it with the file.',
  },
  internal_error: {
    severity: 'error',
    touches: 'file',
    meaning: 'census itself failed on this file (a program fault); other files were not affected.',
    action: 'Report it with the file and the census version; ingest the file again once it is fixed.',
  },
  macros_present: {
    severity: 'warning',
    touches: 'file',
    meaning: 'The workbook contains macros; they were not run, only the saved cell values were read.',
    action: 'Nothing to do unless answers depend on macros; if so, ask the team for a copy with the values typed in.',
  },
  // Encoding and splitting of text files.
  csv_encoding_windows_1252: {
    severity: 'info',
    touches: 'file',
    meaning: 'The csv is not UTF-8; it was read as Windows-1252 (Excel\'s "CSV" on Windows).',
    action: 'Check that accented letters and "£" read right; ask for a UTF-8 export if they do not.',
  },
  csv_malformed: {
    severity: 'warning',
    touches: 'file',
    meaning: 'The csv could not be split cleanly (quotes or field counts are off) near the row named.',
    action: 'Check the values near that row against the file; ask for a clean export if they are split wrongly.',
  },
  // Questionnaire returns.
  converted_to_xlsx: {
    severity: 'info',
    touches: 'file',
    meaning:
      'An .ods or .xls return was saved as .xlsx by LibreOffice (installed on this machine) and its answers read from that copy, at the same sheets and cells.',
    action: 'Nothing to do. Without LibreOffice such a file is kept out, with how to save it as .xlsx.',
  },
  test_response: {
    severity: 'error',
    touches: 'file',
    meaning:
      "A row of a survey export (or a workbook) whose team name says it is a test ('TEST - please ignore'): no team's return, kept out of the wave and of the network.",
    action: 'Nothing to do for a test response.',
  },
  wrong_wave: {
    severity: 'error',
    touches: 'file',
    meaning:
      "The file says it belongs to another wave (its template's Wave stamp, or a Date completed before this wave); it was kept out.",
    action:
      'Ingest it with the wave the file says (census ingest FILE --wave THAT), or, if it truly is a return for this wave made from an old template, ingest it again with --accept-wave-stamp.',
  },
  duplicate_submission: {
    severity: 'warning',
    touches: 'file',
    meaning: 'A later return from the same team superseded this one; it is kept in the store and feeds no figure.',
    action: 'Nothing, unless the earlier return is the right one: then keep it with census resolve --keep.',
  },
  template_version_mismatch: {
    severity: 'warning',
    touches: 'file',
    meaning:
      "The return was made from another version of the template than this wave's; it was loaded because its questions match.",
    action: "Check the return was made from this wave's template; nothing to do if its answers are complete.",
  },
  year_on_year_not_checked: {
    severity: 'info',
    touches: 'file',
    meaning: "Answers were not compared with last year because that wave's question list could not be read.",
    action:
      "Fix the earlier wave's question list (census questions list) and ingest the return again to run the comparison.",
  },
  // FOI replies: reading.
  pdf_xref_broken: {
    severity: 'warning',
    touches: 'file',
    meaning:
      "The PDF's cross-reference table is damaged; the reader rebuilt it, which can pick up stale or deleted content.",
    action: 'Check any values taken from the PDF against the document, or ask the sender for a fresh copy.',
  },
  pdf_unreadable: {
    severity: 'error',
    touches: 'file',
    meaning: 'The PDF could not be read (damaged or cut short); the reply is kept for coding by hand.',
    action: 'Ask the trust to send it again, or code it by hand on the coding sheet (census foi coding-sheet).',
  },
  foi_document_unreadable: {
    severity: 'error',
    touches: 'file',
    meaning: 'A Word (.docx) or OpenDocument (.odt) reply could not be opened; the reply is kept for coding by hand.',
    action:
      'Ask the trust to send it again or as a PDF, or code it by hand on the coding sheet (census foi coding-sheet).',
  },
  xlsx_unreadable: {
    severity: 'error',
    touches: 'file',
    meaning: "An FOI reply's workbook could not be opened; it is kept for coding by hand.",
    action: 'Ask the trust for it again, or code it by hand on the coding sheet (census foi coding-sheet).',
  },
  mail_unreadable: {
    severity: 'error',
    touches: 'file',
    meaning: 'The e-mail could not be parsed; it is kept for coding by hand.',
    action:
      'Code the reply by hand from the raw file (census foi coding-sheet), or save the e-mail again and ingest it.',
  },
  foi_format_unsupported: {
    severity: 'warning',
    touches: 'file',
    meaning: 'The reply is in a format census does not read; it is kept for coding by hand.',
    action: 'Code it by hand on the coding sheet (census foi coding-sheet), or ask the trust for a PDF, xlsx or csv.',
  },
  foi_reader_failed: {
    severity: 'error',
    touches: 'file',
    meaning: 'The reader for this kind of reply failed (a program fault); the reply is kept for coding by hand.',
    action: 'Code it by hand on the coding sheet (census foi coding-sheet) and report the file.',
  },
  no_answers_found: {
    severity: 'warning',
    touches: 'file',
    meaning: 'No answer or table of counts could be read from the reply; it goes to the coding sheet.',
    action: 'Code the reply by hand on the coding sheet (census foi coding-sheet).',
  },
  needs_manual_coding: {
    severity: 'warning',
    touches: 'file',
    meaning: 'Part of the reply (e.g. a page with no text layer, a scan) cannot be read automatically.',
    action: 'Read that part and code it by hand on the coding sheet (census foi coding-sheet).',
  },
  // FOI replies: which request a reply answers.
  foi_reply_unmatched: {
    severity: 'warning',
    touches: 'file',
    meaning: 'No trust could be read from the reply (no ODS code, trust name or known e-mail domain).',
    action: 'Match it by hand: census foi unmatched, then census foi match.',
  },
  foi_reply_no_request: {
    severity: 'warning',
    touches: 'file',
    meaning: 'The reply names a trust that this wave sent no request to; it waits in the unmatched queue.',
    action:
      'Check the trust (census foi unmatched); match it by hand with census foi match, or record the request that was sent.',
  },
  foi_trust_matched_loosely: {
    severity: 'warning',
    touches: 'file',
    meaning: 'The reply was matched to a trust by a loose name or domain match only.',
    action: 'Check the trust is right; if not, correct it with census foi match.',
    reserved: true,
    reason:
      'Raised by earlier versions, which accepted loose matches; a loose match now waits in the unmatched queue. Kept so issues stored then still read.',
  },
  // FOI registers and coding sheets.
  register_unreadable: {
    severity: 'error',
    touches: 'file',
    meaning: 'The FOI register workbook cannot be opened.',
    action: 'Re-save it from a spreadsheet program and load it again (census foi register).',
  },
  register_format_unsupported: {
    severity: 'error',
    touches: 'file',
    meaning: 'The FOI register is a legacy .xls workbook, which census does not read.',
    action: 'Save it as .xlsx or .csv and load it again (census foi register).',
  },
  register_encoding_windows_1252: {
    severity: 'info',
    touches: 'file',
    meaning: 'The register csv is not UTF-8; it was read as Windows-1252.',
    action: 'Check that trust names with accents or symbols read right; save it as UTF-8 if they do not.',
  },
  register_csv_malformed: {
    severity: 'warning',
    touches: 'file',
    meaning: 'The register csv could not be split cleanly near the row named.',
    action: 'Check the rows near there in the register, fix the file and load it again.',
  },
  coding_sheet_unreadable: {
    severity: 'error',
    touches: 'file',
    meaning: 'The coding sheet cannot be opened, or is not a sheet written by census foi coding-sheet.',
    action:
      'Save it as .xlsx (keeping the "Coding" sheet) and load it again, or write a fresh sheet with census foi coding-sheet.',
  },

  // ──────────────────── table: the layout (sheets, header rows, columns, question rows) ────────────────────
  // Questionnaire returns.
  template_not_recognised: {
    severity: 'error',
    touches: 'table',
    meaning: "No sheet of the workbook holds this wave's questions, by hidden id or by label.",
    action: 'Check the file is a questionnaire return of this wave; ask the team to fill in the current template.',
  },
  hand_workbook_not_recognised: {
    severity: 'error',
    touches: 'table',
    meaning: "No sheet of the hand-made workbook has a column of this wave's question labels.",
    action: 'Check the file is a questionnaire return of this wave; ask the team to fill in the current template.',
  },
  survey_export_not_recognised: {
    severity: 'error',
    touches: 'table',
    meaning: "No row of the survey export has this wave's question labels as column headers.",
    action: "Check the file is this wave's survey export (one row per team, questions as headers).",
  },
  label_unmatched: {
    severity: 'warning',
    touches: 'table',
    meaning: "A question row's label matches no question of the wave; its answer was not loaded.",
    action:
      'Check whether the team added a question; if the label is a rewording, add it as an alias in the question list and ingest again.',
  },
  duplicate_question_row: {
    severity: 'warning',
    touches: 'table',
    meaning: 'A question appears on two rows; the first answer was used.',
    action: "Check which row holds the team's answer; ask the team to delete the other row if the first is wrong.",
  },
  header_unmatched: {
    severity: 'warning',
    touches: 'table',
    meaning:
      'A survey-export column header names no question (or no option) of the wave; its filled cells were not loaded.',
    action: 'Map the header to a question (an alias in the question list) and ingest again, or remove the column.',
  },
  header_too_long: {
    severity: 'warning',
    touches: 'table',
    meaning: 'A survey-export column header is longer than any question label can be; the column was not loaded.',
    action: "Check the header row is the export's own; if a label was pasted over, restore it and ingest again.",
  },
  duplicate_question_column: {
    severity: 'warning',
    touches: 'table',
    meaning: 'Two survey-export columns answer the same question; the closer header was read and the other dropped.',
    action: 'Check which column is right; remove or rename the other and ingest again if the wrong one was read.',
  },
  // FOI replies.
  question_unmatched: {
    severity: 'warning',
    touches: 'table',
    meaning: 'A numbered question in the reply matches no question of the wave.',
    action: 'Read that part of the reply and code any answer it gives by hand (census foi coding-sheet).',
  },
  column_not_coded: {
    severity: 'info',
    touches: 'table',
    meaning:
      "A column or row of the reply's table counts referrals no question asks about (e.g. declined); its cells are not coded.",
    action: 'Nothing to do unless the label was misread; then code the cells by hand.',
  },
  age_unit_unknown: {
    severity: 'warning',
    touches: 'table',
    meaning: 'Referral records give ages of 2 or more without saying years or months; those rows were left out.',
    action: 'Ask the trust which unit the age column uses, then code the counts by hand or load a corrected file.',
  },
  records_excluded: {
    severity: 'info',
    touches: 'table',
    meaning:
      'Referral records outside every asked period, or aged 24 months or more, were left out (counted by reason).',
    action: 'Nothing to do; check the count if it looks too high.',
  },
  records_issues_truncated: {
    severity: 'warning',
    touches: 'table',
    meaning: 'More rows with an unreadable date or age were left out than are listed one by one.',
    action:
      'Look at the rows in foi_referral_row (the load named in the message); ask the trust for a clean file if many are unreadable.',
  },
  // FOI registers and coding sheets.
  register_header_not_found: {
    severity: 'error',
    touches: 'table',
    meaning: 'No row among the first 10 of any sheet names two or more register columns.',
    action: 'Add a header row (e.g. "Trust", "Date sent") to the register and load it again.',
  },
  register_column_missing: {
    severity: 'error',
    touches: 'table',
    meaning: 'The register lacks a column it needs: a trust column (ODS code or name), or "Date sent".',
    action: 'Add the column to the register and load it again.',
  },
  register_column_duplicate: {
    severity: 'warning',
    touches: 'table',
    meaning: 'Two register columns mean the same field; the first is used.',
    action: 'Check the first column holds the right values; rename or remove the other.',
  },
  register_column_ignored: {
    severity: 'info',
    touches: 'table',
    meaning: 'A register column is not one census reads; it was ignored.',
    action: 'Nothing to do, unless it holds a field census should read: then rename its header.',
  },
  coding_sheet_columns_missing: {
    severity: 'error',
    touches: 'table',
    meaning: 'The coding sheet lacks columns census writes; none of its rows were read.',
    action: 'Write a fresh sheet with census foi coding-sheet, copy the coding across and load it again.',
  },

  // ───────────────────── row: one record (a team's return, a register or coding-sheet row, a request) ─────────────────────
  // Questionnaire returns: checks across answers (severity from the question list where it declares one).
  should_be_blank: {
    severity: 'warning',
    touches: 'row',
    meaning: 'A question was answered although another answer says it does not apply; the answer was kept.',
    action: 'Check both answers with the team; correct the return if the answer was entered by mistake.',
  },
  exceeds_other_answer: {
    severity: 'error',
    also: ['warning'],
    touches: 'row',
    meaning: 'An answer is more than another answer allows (a check declared in the question list).',
    action: 'Check both answers with the team and correct the one that is wrong.',
  },
  less_than_other_answer: {
    severity: 'warning',
    also: ['error'],
    touches: 'row',
    meaning:
      'An answer is less than another answer it should be at least as large as (a check declared in the question list).',
    action: 'Check both answers with the team and correct the one that is wrong.',
  },
  before_other_answer: {
    severity: 'error',
    also: ['warning'],
    touches: 'row',
    meaning:
      'A date is before another date it cannot precede, such as a reporting period that ends before it starts (a check declared in the question list).',
    action: 'Check both dates with the team (often the two were swapped) and correct the one that is wrong.',
  },
  outside_expected_range: {
    severity: 'warning',
    also: ['error'],
    touches: 'cell',
    meaning:
      'A number is far outside the range expected for its question, such as an oldest age of 240 months (a check declared in the question list); it was kept as given.',
    action: 'Check it with the team (a number in years where months are asked, a typing slip) and correct it if wrong.',
  },
  sum_mismatch: {
    severity: 'warning',
    also: ['error'],
    touches: 'row',
    meaning: 'A total does not equal the sum of its parts (a check declared in the question list).',
    action: 'Check the total and its parts with the team and correct the one that is wrong.',
  },
  // FOI replies.
  total_mismatch: {
    severity: 'warning',
    touches: 'row',
    meaning: 'A total stated in the reply disagrees with the sum of its parts; both are kept.',
    action: 'Check the reply; code the right figure by hand, or ask the trust which is right.',
  },
  // FOI registers.
  register_trust_unknown: {
    severity: 'error',
    touches: 'row',
    meaning: 'A register row names no trust, or one that matches no trust (or several) in the reference list.',
    action: 'Correct the trust (ODS code or name) in the register and load it again.',
  },
  register_trust_matched_loosely: {
    severity: 'warning',
    touches: 'row',
    meaning: "A register row's trust name matched a trust only loosely.",
    action: 'Check the trust is right; if not, type its ODS code in the register and load it again.',
  },
  register_trust_name_mismatch: {
    severity: 'warning',
    touches: 'row',
    meaning: "A register row's ODS code and trust name point at different trusts; the code is used.",
    action: 'Check which is right and correct the register.',
  },
  register_trust_successor: {
    severity: 'info',
    touches: 'row',
    meaning: 'The trust has merged since; the row is attributed to its successor, the original kept.',
    action: 'Nothing to do.',
  },
  register_trust_duplicate: {
    severity: 'warning',
    touches: 'row',
    meaning: 'The same trust appears on more than one register row.',
    action: 'Check which row is right and remove or merge the other.',
  },
  register_trust_not_expected: {
    severity: 'warning',
    touches: 'row',
    meaning:
      'The register records a request to a trust the reference list says was not providing mental health services then; recorded as typed.',
    action: 'Check the trust and the date sent; correct the register if either is wrong.',
  },
  register_dates_out_of_order: {
    severity: 'warning',
    touches: 'row',
    meaning: "A register row's reply date is before its date sent.",
    action: 'Correct the dates in the register and load it again.',
  },
  register_row_not_sent: {
    severity: 'error',
    touches: 'row',
    meaning:
      'A register row has no date sent and there is no request to that trust in the wave; nothing was recorded for it.',
    action: 'Fill in the date sent in the register (or record the request with census foi send) and load it again.',
  },
  register_sent_date_changed: {
    severity: 'info',
    touches: 'row',
    meaning: 'The register gives a different date sent than the request recorded; the due date was recomputed.',
    action: 'Nothing to do if the register is right; otherwise correct it and load it again.',
  },
  register_events_replaced: {
    severity: 'info',
    touches: 'file',
    meaning:
      'A register loaded with --replace dropped events that a person had retracted; the retractions stay in the audit log.',
    action: 'Nothing to do, unless the register should not have restated those events.',
  },
  // FOI coding sheets.
  coding_row_key_invalid: {
    severity: 'error',
    touches: 'row',
    meaning:
      "A coding-sheet row's hidden key was changed or lost, or names a question or period the wave does not ask; nothing recorded.",
    action: 'Copy the row from a fresh sheet (census foi coding-sheet) and load it again.',
  },
  coding_row_reply_unknown: {
    severity: 'error',
    touches: 'row',
    meaning: 'A coding-sheet row is about a reply this wave does not hold; nothing recorded.',
    action: 'Check the sheet was written for this wave and workspace; write a fresh one if not.',
  },
  coding_row_stale: {
    severity: 'error',
    touches: 'row',
    meaning:
      'The value a coding-sheet row is about is no longer read from the reply (it was re-read since the sheet was written).',
    action: 'Write a fresh coding sheet (census foi coding-sheet), code the row there and load it.',
  },
  coding_row_empty: {
    severity: 'info',
    touches: 'row',
    meaning: 'Only notes or flags are filled in a coding-sheet row; nothing was recorded for it.',
    action: 'Fill in the value if one was meant, and load the sheet again.',
  },
  coding_value_conflicting: {
    severity: 'error',
    touches: 'row',
    meaning: 'A coding-sheet row fills in both a count and a missing reason.',
    action: 'Keep one of them and load the sheet again.',
  },
  // FOI request status (derived from the request's dated events).
  event_before_receipt: {
    severity: 'error',
    touches: 'row',
    meaning: 'A dated event of a request is before the request was received; it was ignored.',
    action: "Correct the event's date (census foi event, or the register).",
  },
  event_out_of_order: {
    severity: 'warning',
    touches: 'row',
    meaning:
      "A request's event does not fit its history (e.g. a clarification after the reply, a review outcome with no review); ignored.",
    action: "Check the request's events and dates; record the missing or correct event with census foi event.",
  },
  reply_unknown_question: {
    severity: 'warning',
    touches: 'row',
    meaning: 'A reply is coded for a question the request did not ask; ignored.',
    action: 'Check the coding of the reply and correct the question it names.',
  },
  reply_conflicting_codes: {
    severity: 'error',
    touches: 'row',
    meaning: 'A reply codes one question with two different outcomes; the more cautious was kept.',
    action: 'Check the reply and correct the coding so each question has one outcome.',
  },
  reply_missing_questions: {
    severity: 'warning',
    touches: 'row',
    meaning: 'The reply has no coded answer for some questions asked, so the request cannot count as answered.',
    action: 'Code the missing answers (census foi coding-sheet), or chase the trust for them.',
  },
  reply_during_clarification: {
    severity: 'info',
    touches: 'row',
    meaning: 'The trust replied while a clarification was outstanding; no statutory due date applied.',
    action: 'Nothing to do.',
  },
  pi_extension_late: {
    severity: 'warning',
    touches: 'row',
    meaning:
      'A public-interest extension (FOIA s10(3)) was notified after the statutory due date, which s17(1) does not allow.',
    action: 'Check the date of the extension notice; a late extension can be raised with the trust or the ICO.',
  },
  pi_extension_beyond_guidance: {
    severity: 'warning',
    touches: 'row',
    meaning:
      'A public-interest extension runs beyond 40 working days from receipt, longer than ICO guidance says it should.',
    action: 'Check the new date; consider an internal review or an ICO complaint.',
  },
  reply_date_assumed: {
    severity: 'info',
    touches: 'file',
    meaning:
      'A reply carries no date of its own (no letter date, no e-mail Date header, no covering e-mail): it is dated the day census received it.',
    action: 'Give the day it arrived with census ingest FILE --received YYYY-MM-DD, or ignore if that day is right.',
  },
  reply_not_an_answer: {
    severity: 'warning',
    touches: 'file',
    meaning:
      "A trust's e-mail answers no question and asks us to clarify the request, or says the reply will be late: recorded as a clarification request (the clock restarts when we answer) or as no reply, never as the reply.",
    action:
      'Answer the clarification and record it (census foi event --kind clarification_answered); if the file is in fact the reply, code it on the coding sheet and it counts as the reply.',
  },

  // ───────────────────────────── cell: one answer or value ─────────────────────────────
  // Spreadsheet cells, before an answer is read.
  cell_error: {
    severity: 'error',
    touches: 'cell',
    meaning: 'The cell holds a spreadsheet error (e.g. #REF!, #DIV/0!) instead of an answer.',
    action: 'Ask the team to type the answer itself, or record a correction for the cell.',
  },
  invalid_date_cell: {
    severity: 'error',
    touches: 'cell',
    meaning: 'The cell is formatted as a date but holds a number that is no date.',
    action: 'Ask the team to type the date itself.',
  },
  formula_no_cached_value: {
    severity: 'warning',
    touches: 'cell',
    meaning: 'The cell has a formula but no saved result; census never runs formulas, so no answer was read.',
    action: 'Ask the team to type the value, or re-save the file in a spreadsheet program and ingest it again.',
  },
  merged_cell: {
    severity: 'warning',
    touches: 'cell',
    meaning: 'The answer cell is merged into another cell, whose value was not copied here.',
    action:
      "Check that the merged cell's answer belongs to one question only; ask the team to unmerge the cells if not.",
  },
  option_flag_unreadable: {
    severity: 'error',
    touches: 'cell',
    meaning: 'An option row of a multiple-choice question holds something other than Yes or a blank.',
    action: 'Ask the team to answer Yes or leave the cell blank, or record a correction.',
  },
  // Questionnaire answers: required and compared with last year.
  required_missing: {
    severity: 'error',
    touches: 'cell',
    meaning: 'A question that must be answered (always, or given another answer) was left blank.',
    action: 'Ask the team for the answer (census feedback writes the marked workbook to send back).',
  },
  year_on_year_change: {
    severity: 'warning',
    touches: 'cell',
    meaning: "An answer changed from the team's answer last year by more than the factor the question list allows.",
    action: 'Check the answer with the team; if it is right, nothing needs to change.',
  },
  // Questionnaire answers: reading each type (schemas/answers).
  answer_parse_fault: {
    severity: 'error',
    touches: 'cell',
    meaning:
      "Reading the answer failed inside census (a program fault, not the team's); it is held back as unreadable.",
    action: 'Report it with the file; ingest the file again once it is fixed.',
  },
  band_unknown: {
    severity: 'error',
    touches: 'cell',
    meaning: "The answer is neither one of the question's listed bands nor a number.",
    action: 'Correct the answer in the return, or record a correction for this cell.',
  },
  band_spans_bands: {
    severity: 'warning',
    touches: 'cell',
    meaning:
      'A number or range was given that spans more than one listed band; kept as typed, counted in no single band.',
    action: 'Ask the team to pick one band if they can.',
  },
  band_typed_as_number: {
    severity: 'info',
    touches: 'cell',
    meaning: 'A number was typed where a band was asked for; kept exactly, within its band.',
    action: 'Nothing to do unless the number is wrong.',
  },
  band_typed_as_range: {
    severity: 'info',
    touches: 'cell',
    meaning: 'A range was typed where a band was asked for; kept exactly, within one band.',
    action: 'Nothing to do unless the range is wrong.',
  },
  // count_unreadable is an error in a questionnaire answer and a warning in an FOI reply (a person codes it).
  count_unreadable: {
    severity: 'error',
    also: ['warning'],
    touches: 'cell',
    meaning: 'No count could be read from the answer (or a number is not a whole count).',
    action: 'Correct the answer or record a correction; in an FOI reply, code it by hand.',
  },
  count_negative: {
    severity: 'error',
    touches: 'cell',
    meaning: 'A count was given as a negative number.',
    action: 'Correct the answer in the return, or record a correction for this cell.',
  },
  count_not_whole: {
    severity: 'error',
    touches: 'cell',
    meaning: 'A count was given with a fraction.',
    action: 'Ask the team for a whole number (or a range such as "2-3"), or record a correction.',
  },
  count_range_reversed: {
    severity: 'error',
    touches: 'cell',
    meaning: 'A range was given with the larger number first.',
    action: 'Correct the answer in the return, or record a correction for this cell.',
  },
  // The date_* codes are errors in an answer; the return's date completed raises them as warnings.
  date_invalid: {
    severity: 'error',
    also: ['warning'],
    touches: 'cell',
    meaning: 'The date does not exist (no such day or month, or an impossible spreadsheet date).',
    action: 'Correct the answer in the return, or record a correction for this cell.',
  },
  date_ambiguous: {
    severity: 'error',
    also: ['warning'],
    touches: 'cell',
    meaning: 'The answer names a month or a year, not a day.',
    action: 'Ask the team for the exact day, or record a correction with it.',
  },
  date_unreadable: {
    severity: 'error',
    also: ['warning'],
    touches: 'cell',
    meaning: 'The answer is not a date.',
    action: 'Correct the answer in the return, or record a correction for this cell.',
  },
  days_unreadable: {
    severity: 'error',
    touches: 'cell',
    meaning: 'No number of days could be read from the answer.',
    action: 'Correct the answer in the return, or record a correction for this cell.',
  },
  days_negative: {
    severity: 'error',
    touches: 'cell',
    meaning: 'A number of days was given as a negative number.',
    action: 'Correct the answer in the return, or record a correction for this cell.',
  },
  days_not_whole: {
    severity: 'error',
    touches: 'cell',
    meaning: 'The answer is not a whole number of days.',
    action: 'Correct the answer in the return, or record a correction for this cell.',
  },
  days_ambiguous: {
    severity: 'warning',
    touches: 'cell',
    meaning: 'The answer gives no single number of days (e.g. "it varies"); kept as typed in the issue only.',
    action: 'Ask the team for the number of days, or record a correction.',
  },
  days_approximate: {
    severity: 'info',
    touches: 'cell',
    meaning: 'The number of days was given as approximate; read as the number.',
    action: 'Nothing to do.',
  },
  decimal_unreadable: {
    severity: 'error',
    touches: 'cell',
    meaning: 'No number could be read from the answer.',
    action: 'Correct the answer in the return, or record a correction for this cell.',
  },
  decimal_negative: {
    severity: 'error',
    touches: 'cell',
    meaning: 'A number that must be 0 or more was given as negative.',
    action: 'Correct the answer in the return, or record a correction for this cell.',
  },
  decimal_ambiguous: {
    severity: 'error',
    touches: 'cell',
    meaning: 'The number could be read two ways (e.g. "1,500" as 1.5 or 1500).',
    action: 'Ask the team which was meant, then record a correction.',
  },
  decimal_approximate: {
    severity: 'warning',
    touches: 'cell',
    meaning: 'The number was marked by the team as approximate; stored as the number.',
    action: 'Nothing to do unless an exact figure is needed; then ask the team.',
  },
  option_unknown: {
    severity: 'error',
    touches: 'cell',
    meaning: "The answer is not one of the question's listed options (nothing of it was loaded).",
    action: 'Record a correction naming the option(s) meant, or add the wording as a synonym in the question list.',
  },
  option_as_other: {
    severity: 'warning',
    touches: 'cell',
    meaning:
      'A tick-all answer named options the question does not list: the listed ones were kept and the others counted under "Other" (raw text kept).',
    action:
      'Nothing to do if "Other" is right; otherwise record a correction naming the options meant, or add the wording as a synonym in the question list.',
  },
  multi_none_with_others: {
    severity: 'warning',
    touches: 'cell',
    meaning: '"None" was chosen together with other options; all are kept.',
    action: 'Check with the team which is right, and record a correction if needed.',
  },
  text_unreadable: {
    severity: 'error',
    touches: 'cell',
    meaning: 'No text could be read from the answer.',
    action: 'Correct the answer in the return, or record a correction for this cell.',
  },
  text_list_unreadable: {
    severity: 'error',
    touches: 'cell',
    meaning: 'No list of names could be read from the answer.',
    action: 'Correct the answer in the return, or record a correction for this cell.',
  },
  text_was_date: {
    severity: 'warning',
    touches: 'cell',
    meaning: "The spreadsheet holds a date where text was asked for; kept as that date's text.",
    action: 'Check that the spreadsheet did not turn the typed text into a date; correct it if it did.',
  },
  year_unreadable: {
    severity: 'error',
    touches: 'cell',
    meaning: 'No single year could be read from the answer (e.g. a span such as "2015/16").',
    action: 'Ask the team for the year, or record a correction for this cell.',
  },
  year_out_of_range: {
    severity: 'error',
    touches: 'cell',
    meaning: 'The year is before the earliest allowed or after the wave year.',
    action: 'Correct the answer in the return, or record a correction for this cell.',
  },
  year_from_date: {
    severity: 'warning',
    touches: 'cell',
    meaning: 'A date was given where a year was asked for; its year was kept.',
    action: 'Check that the year is right.',
  },
  year_approximate: {
    severity: 'error',
    touches: 'cell',
    meaning:
      'The year was given as approximate ("around 2018"): a year answer must be exact, so it is stored as unreadable (missing, raw text kept), not as the year.',
    action: 'Ask the team which year it was, or record a correction for this cell.',
  },
  // yes_no_unreadable is an error in a questionnaire answer and a warning in an FOI letter (a person codes it).
  yes_no_unreadable: {
    severity: 'error',
    also: ['warning'],
    touches: 'cell',
    meaning: 'The answer says neither yes nor no (nor another listed code).',
    action: 'Correct the answer or record a correction; in an FOI reply, code it by hand.',
  },
  yes_no_code_not_listed: {
    severity: 'error',
    touches: 'cell',
    meaning:
      'The answer is a yes/no code this question does not list (e.g. "Don\'t know" where only Yes or No is allowed).',
    action: 'Correct the answer in the return, or record a correction for this cell.',
  },
  yes_no_with_comment: {
    severity: 'info',
    touches: 'cell',
    meaning: 'A yes or no was followed by a comment; the answer was read, the comment kept in the issue only.',
    action: 'Move the comment to the notes if it matters; otherwise nothing to do.',
  },
  // FOI replies: reading counts, periods and age bands.
  count_blank: {
    severity: 'info',
    touches: 'cell',
    meaning: 'No count was given where one was expected.',
    action: 'Nothing to do unless the reply gives the count elsewhere; then code it by hand.',
  },
  count_ambiguous: {
    severity: 'warning',
    touches: 'cell',
    meaning: 'More than one count appears in the text; census cannot tell which answers the question.',
    action: 'Code the right count by hand (census foi coding-sheet).',
  },
  count_without_period: {
    severity: 'warning',
    touches: 'cell',
    meaning: 'A count was found with no period it belongs to.',
    action: 'Read the reply and code the count with its period by hand (census foi coding-sheet).',
  },
  count_unpaired: {
    severity: 'warning',
    touches: 'cell',
    meaning: 'The periods and counts in a sentence could not be paired one to one.',
    action: 'Code the sentence by hand (census foi coding-sheet).',
  },
  period_unreadable: {
    severity: 'warning',
    touches: 'cell',
    meaning: 'No period (financial year, calendar year, month or date range) could be read.',
    action: 'Code the value with its period by hand (census foi coding-sheet).',
  },
  age_band_unreadable: {
    severity: 'warning',
    touches: 'cell',
    meaning: 'No age band could be read from the label.',
    action: 'Code the value with its age band by hand (census foi coding-sheet).',
  },
  age_band_ambiguous: {
    severity: 'warning',
    touches: 'cell',
    meaning: 'An age band may mean under two or under three; kept out of the under-two figures until accepted.',
    action: 'Check the reply and accept or reject the band on the coding sheet (census foi coding-sheet).',
  },
  suppression_mark_without_note: {
    severity: 'warning',
    touches: 'cell',
    meaning:
      'A mark (e.g. "*") stands for a suppressed number but the reply does not say what it means; coded as 0 or more.',
    action: 'Check the reply for what the mark means; code the range by hand if it says, or ask the trust.',
  },
  answer_missing: {
    severity: 'info',
    touches: 'cell',
    meaning: 'The reply restates a question but gives no answer under it.',
    action: 'Check the reply for the answer elsewhere; code it by hand or chase the trust.',
  },
  // FOI referral records (one row per referral).
  referral_date_unreadable: {
    severity: 'warning',
    touches: 'cell',
    meaning: "A referral record's date could not be read; the row was left out.",
    action: 'Check the rows named; ask the trust for a clean file if many are unreadable.',
  },
  age_unreadable: {
    severity: 'warning',
    touches: 'cell',
    meaning: "A referral record's age at referral could not be read; the row was left out.",
    action: 'Check the rows named; ask the trust for a clean file if many are unreadable.',
  },
  // FOI registers and coding sheets.
  register_date_unreadable: {
    severity: 'error',
    touches: 'cell',
    meaning: 'A date in the register could not be read.',
    action: 'Correct the date in the register (e.g. 2024-03-11) and load it again.',
  },
  register_date_outside_calendar: {
    severity: 'error',
    touches: 'cell',
    meaning: 'The date sent is outside the bank-holiday calendar census knows, so no due date can be computed.',
    action:
      'Check the date; if it is right, update the bank-holiday calendar as the message says and load the register again.',
  },
  register_ods_unknown: {
    severity: 'warning',
    touches: 'cell',
    meaning: 'An ODS code in the register is not in the reference list; the trust was matched by name instead.',
    action: 'Check the trust and correct the ODS code in the register.',
  },
  exemption_unrecognised: {
    severity: 'warning',
    touches: 'cell',
    meaning: 'An exemption cited is not a FOIA section census knows; kept as typed.',
    action: 'Check the exemption and correct it to a FOIA section (e.g. "s40") if it is one.',
  },
  coding_value_unreadable: {
    severity: 'error',
    also: ['warning'],
    touches: 'cell',
    meaning: 'A value typed on the coding sheet cannot be read (low, high, missing reason, yes/no, page).',
    action: 'Correct the cell as the message says and load the sheet again.',
  },
  coding_flag_unknown: {
    severity: 'warning',
    touches: 'cell',
    meaning: 'A flag typed on the coding sheet is not one census knows; ignored.',
    action: 'Correct the flag to one of those listed in the message and load the sheet again.',
  },
  coding_conflict: {
    severity: 'warning',
    touches: 'cell',
    meaning: 'A value coded by hand differs from the value read automatically from the reply; both are kept.',
    action: 'Check the reply and correct the coding-sheet row if it is wrong.',
  },
} as const satisfies Record<string, IssueCodeEntry>;

export type IssueCode = keyof typeof ISSUE_CODES;

/** The severities a code may be raised at: its usual one and any it is also raised at. */
export type IssueCodeSeverity<C extends IssueCode> = C extends IssueCode
  ? (typeof ISSUE_CODES)[C]['severity'] | ((typeof ISSUE_CODES)[C] extends { also: readonly (infer S)[] } ? S : never)
  : never;
