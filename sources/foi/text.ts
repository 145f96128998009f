import type { FoiReader } from '../../schemas/foi.ts';
import { decodeText, textLines } from './decode.ts';
import { codeLetter } from './letter.ts';
import { fromLetter } from './result.ts';

/** A reply as a plain-text file (.txt): the letter's lines, located by line number. */
export const readFoiText: FoiReader = async (bytes, ctx) => {
  const { text } = decodeText(bytes);
  const letter = codeLetter(textLines(text, ctx.fileHash), { wave: ctx.wave, sentDate: ctx.sentDate });
  return fromLetter(letter, ctx.wave.periods);
};
