/**
 * Persian alphabetical order in plain SQL: SQLite compares code points, which
 * put پ چ ژ ک گ after every Arabic letter and ه before و. Each is replaced by
 * the letter it follows plus U+FFFF (after any real letter), so «پارس» sorts
 * between «بهار» and «تهران». Arabic ي/ك are their Persian forms.
 *
 * Shared by the read models' orderings and the projections' indexes on them:
 * SQLite uses an index on an expression only for the very same expression.
 */
export const persianSortKey = (column: string): string => {
  const after = (letter: string, times = 1): string => `'${letter}'${' || char(65535)'.repeat(times)}`;
  const steps: [string, string][] = [
    ['ي', "'ی'"],
    ['ك', "'ک'"],
    ['پ', after('ب')],
    ['چ', after('ج')],
    ['ژ', after('ز')],
    ['ک', after('ق')],
    ['گ', after('ق', 2)],
    ['ه', after('و')],
    // Persian ی (U+06CC) as Arabic ي (U+064A): the last letter, before none of the replacements above.
    ['ی', "'ي'"],
  ];
  return steps.reduce((sql, [from, to]) => `REPLACE(${sql}, '${from}', ${to})`, column);
};
