// FOIA Part I grounds a refusal can cite: cost limit, vexatious, and the Part II exemptions.
const FOIA_SECTIONS = new Set([12, 14, ...Array.from({ length: 24 }, (_, i) => 21 + i)]);

/** "Section 40(2)", "s.40 (2)", "S40(2)" -> "s40(2)"; null when the text is not a FOIA section. */
export function canonicalExemption(raw: string): string | null {
  const m = /^\s*(?:s(?:ection|ect?)?\.?\s*)?(\d{2})\s*((?:\(\s*[0-9a-z]+\s*\)\s*)*)$/i.exec(raw);
  if (!m || !FOIA_SECTIONS.has(Number(m[1]))) return null;
  return `s${m[1]}${(m[2] ?? '').replace(/\s+/g, '').toLowerCase()}`;
}
