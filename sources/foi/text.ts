import type { FoiReader } from '../../schemas/foi.ts';
import { decodeText, textLines } from './decode.ts';
import { codeLetter } from './letter.ts';
import { fromLetter } from './result.ts';
import { markNotAnAnswer } from './reply-kind.ts';

/** A reply as a plain-text file (.txt): the letter's lines, located by line number. */
export const readFoiText: FoiReader = async (bytes, ctx) => {
  const { text } = decodeText(bytes);
  const lines = textLines(text, ctx.fileHash);
  const letter = codeLetter(lines, { wave: ctx.wave, sentDate: ctx.sentDate });
  // A saved e-mail may be a clarification request or a holding e-mail: not the reply (reply-kind.ts).
  const subject = lines.slice(0, 12).find((l) => /^\s*subject\s*:/i.test(l.text))?.text;
  return markNotAnAnswer(fromLetter(letter, ctx.wave.periods), lines, subject);
};
