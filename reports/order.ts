/**
 * Orderings for outputs whose bytes are hashed. String.prototype.localeCompare follows the machine's
 * ICU locale data, so two machines could order the same rows differently; these never depend on it.
 */
export function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Database ids held as strings ("9" before "10"). */
export function byId(a: string, b: string): number {
  return Number(a) - Number(b) || byText(a, b);
}
