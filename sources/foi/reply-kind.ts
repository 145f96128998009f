import type { FoiReadResult, ReplyKind } from '../../schemas/foi.ts';
import { issue, type Location } from '../../schemas/issue.ts';

/**
 * Mail from a trust that is not its reply (foi.md "The request register": clarification; FOIA s1(3) and
 * s10): the trust asks us to clarify the request (the status is clarification; the 20 working days
 * start again when we answer), or it says the reply will be late ("we need more time", "apologies for
 * the delay"). Either is an event of the request, never its reply: it must not make the request
 * answered or partial, nor count as a reply in time.
 *
 * Read only when nothing in the file answers a question (no count, no refusal or not-held statement, no
 * yes/no or text answer): a reply that apologises for being late, or that asks something in passing
 * after giving its figures, is still the reply. The reading is said as an issue naming the file, so a
 * person can overrule it by coding the file on the coding sheet (a coded value makes it a reply again).
 */

const CLARIFY: RegExp[] = [
  /\b(?:could|can|would|will) you (?:please )?(?:kindly )?(?:clarify|confirm|specify|let us know)\b/i,
  /\bplease (?:could you )?(?:clarify|confirm|specify)\b/i,
  /\b(?:once|until|when) we (?:have )?(?:receive[sd]?|have|get) (?:your |this |the )?clarification\b/i,
  /\bclarification (?:is )?(?:needed|required|requested)\b|\b(?:need|require|seek|request)s? (?:some |further )?clarification\b/i,
  /\bsection 1\s*\(\s*3\s*\)|\bs\.?\s*1\s*\(\s*3\s*\)/i,
  /\b(?:20|twenty) working days?\b[^.]*\b(?:restart|start again|begin again|re-?start)/i,
  // "please tell us whether you want ...", "please let us know which teams you mean".
  /\bplease (?:could you )?(?:tell us|let us know|advise|confirm|indicate) (?:whether|which|what|if you|how)\b/i,
  // "We will pause your request until we receive your reply."
  /\b(?:pause|suspend|put on hold|hold)\b[^.]*\brequest\b[^.]*\buntil\b[^.]*\b(?:reply|response|clarification|hear from you)\b/i,
];

const HOLDING: RegExp[] = [
  /\b(?:not be able|unable|not able) to (?:respond|reply|provide (?:a |our |the )?(?:full )?(?:response|reply|information))\b[^.]*\bwithin\b/i,
  /\b(?:need|require)s? (?:more|further|additional|extra) time\b/i,
  /\bapolog(?:ise|ize|ies|y)\b[^.]*\b(?:for|about) (?:the|this|any) delay\b/i,
  /\b(?:sorry|regret)\b[^.]*\b(?:delay|late|not (?:be able|able) to respond)\b/i,
  /\bdelay(?:ed)? in (?:responding|replying|our (?:response|reply))\b/i,
  /\b(?:aim|hope|expect|intend)s? to (?:respond|reply|provide (?:a |our |the )?(?:response|reply|information))\b[^.]*\bby\b/i,
  // "we have not yet been able to complete our response", "we hope to send you a full response by 30 April".
  /\bnot (?:yet )?(?:been )?(?:able|in a position) to (?:complete|finalise|finalize|send|issue|provide)\b[^.]*\b(?:response|reply)\b/i,
  // "we have not been able to complete your request within 20 working days".
  /\bnot (?:yet )?(?:been )?(?:able|in a position) to (?:complete|finalise|finalize|answer|deal with)\b[^.]*\brequest\b[^.]*\bwithin\b/i,
  // "We are sorry that we have not yet been able to respond to your request".
  /\bnot yet (?:been )?(?:able|in a position) to (?:respond|reply)\b/i,
  /\b(?:aim|hope|expect|intend|plan)s? to (?:send|issue|provide|complete)\b[^.]*\b(?:response|reply)\b[^.]*\b(?:by|within)\b/i,
  // "we have not yet been able to gather the information ... your response will be delayed beyond the deadline".
  /\bnot (?:yet )?(?:been )?(?:able|in a position) to (?:gather|collate|compile|locate|obtain|retrieve|collect|extract)\b/i,
  /\b(?:response|reply)\b[^.]*\b(?:will|may|is going to) be (?:delayed|late)\b|\bdelayed beyond\b/i,
];

/** The kind of a mail nothing was read from, with the sentence that says it; undefined for a reply. */
function notAnAnswer(
  lines: readonly { text: string; location: Location }[],
  subject?: string,
): { kind: ReplyKind; quote: string; location: Location } | undefined {
  const hit = (res: RegExp[]) => {
    const i = lines.findIndex((l) => res.some((re) => re.test(l.text)));
    return i < 0 ? undefined : { quote: lines[i]!.text.trim(), location: lines[i]!.location };
  };
  // Asking a question back comes first: a clarification e-mail often says the clock waits as well.
  const clarify = hit(CLARIFY);
  if (clarify) return { kind: 'clarification', ...clarify };
  // A subject saying so ("Clarification needed - FOI 1234") with a question in the body.
  const asks = lines.find((l) => /\?\s*$/.test(l.text.trim()));
  if (subject !== undefined && /\bclarif/i.test(subject) && asks)
    return { kind: 'clarification', quote: asks.text.trim(), location: asks.location };
  const hold = hit(HOLDING);
  if (hold) return { kind: 'holding', ...hold };
  return undefined;
}

/** True when the reader found anything that answers a question. */
function answersSomething(r: FoiReadResult): boolean {
  return r.values.length > 0 || r.textAnswers.length > 0 || r.accepts === true || r.accepts === false;
}

/**
 * Marks a read reply as a clarification request or a holding e-mail when nothing in it answers a
 * question and its words say so; the issue names the file's sentence so a person can overrule it.
 */
export function markNotAnAnswer(
  r: FoiReadResult,
  lines: readonly { text: string; location: Location }[],
  subject?: string,
): FoiReadResult {
  if (answersSomething(r) || (r.attachments?.length ?? 0) > 0) return r;
  const found = notAnAnswer(lines, subject);
  if (!found) return r;
  const what =
    found.kind === 'clarification'
      ? 'asks us to clarify the request: recorded as the trust asking for clarification (status clarification; the 20 working days start again on the day we answer: census foi event --kind clarification_answered --date YYYY-MM-DD)'
      : 'says the reply will come later (a holding e-mail): recorded as no reply, so the request stays awaiting or overdue until the reply comes';
  return {
    ...r,
    replyKind: found.kind,
    // Nothing to code in it: it does not wait on the coding sheet (a person can still code it to overrule).
    needsManualCoding: false,
    issues: [
      ...r.issues.filter((i) => i.code !== 'no_answers_found'),
      issue(
        'reply_not_an_answer',
        'warning',
        `Not a reply: this e-mail ${what}. If it is in fact the reply, code it on the coding sheet (census foi coding-sheet) and it counts as the reply.`,
        found.location,
        { raw: found.quote },
      ),
    ],
  };
}
