/**
 * RFC 4180 CSV: every field quoted when it holds a comma, quote or line break; Persian text as UTF-8.
 *
 * Text that a spreadsheet would take for a formula (starting with `=`, `+`, `-`, `@`, a tab or a
 * carriage return; OWASP's CSV injection guidance) is written with a leading `'` and quoted, so
 * opening an export never runs what a user typed into a field. Numbers (SQLite INTEGER and REAL
 * values, bigints) are written as they are, negative ones included: only text is neutralised.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** `text` with a leading `'` when a spreadsheet would read it as a formula. */
export const neutralised = (text: string): string => (FORMULA_START.test(text) ? `'${text}` : text);

export const csvField = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'bigint') return value.toString();
  const raw = typeof value === 'object' ? JSON.stringify(value) : String(value);
  const text = neutralised(raw);
  return text !== raw || /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export const csvLine = (values: readonly unknown[]): string => `${values.map(csvField).join(',')}\r\n`;
