import type { RawValue } from '../answer.ts';
import { missingReason } from './common.ts';
import { matchKey, normaliseText } from './normalise-text.ts';

export type OptionFlag = 'yes' | 'no' | 'blank' | 'unreadable';

// Ticks as people type them: x, check marks, ballot boxes.
const YES = new Set(['yes', 'y', 'x', '✓', '✔', '☑', '☒', '🗸', 'true', '1', 'ticked', 'selected', 'checked']);
const NO = new Set(['no', 'n', 'false', '0', '✗', '✘', '☐']);

/**
 * One per-option row (2025 template) or column (2023 survey export) of a multi question: ticked,
 * not ticked, left blank, or unreadable. Survey tools write the option's own text when ticked.
 * A stated "n/a" counts as blank: the option was not ticked, and nothing else is claimed.
 */
export function parseOptionFlag(raw: RawValue, optionLabel?: string): OptionFlag {
  if (raw === null || raw === undefined) return 'blank';
  if (typeof raw === 'boolean') return raw ? 'yes' : 'no';
  if (typeof raw === 'number') return raw === 1 ? 'yes' : raw === 0 ? 'no' : 'unreadable';
  if (typeof raw !== 'string') return 'unreadable';
  const reason = missingReason(raw);
  if (reason === 'blank' || reason === 'not_applicable') return 'blank';
  const t = normaliseText(raw);
  if (YES.has(t)) return 'yes';
  if (NO.has(t)) return 'no';
  if (optionLabel !== undefined && matchKey(optionLabel) !== '' && matchKey(optionLabel) === matchKey(raw))
    return 'yes';
  return 'unreadable';
}
