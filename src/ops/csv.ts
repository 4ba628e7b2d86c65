/** RFC 4180 CSV: every field quoted when it holds a comma, quote or line break; Persian text as UTF-8. */
export const csvField = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'bigint' ? value.toString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export const csvLine = (values: readonly unknown[]): string => `${values.map(csvField).join(',')}\r\n`;
