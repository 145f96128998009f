/** The element ids the page (./page.ts, in Node) and its script (./browser.ts, in the browser) share. */
export const IDS = {
  data: 'census-checker-data',
  picker: 'picker',
  input: 'return-file',
  drop: 'drop',
  needsScript: 'needs-script',
  status: 'status',
  results: 'results',
} as const;
