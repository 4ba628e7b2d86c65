/**
 * Persian text as users type it: the same word arrives with Arabic or Persian
 * yeh and kaf, with or without a zero-width non-joiner, with Persian, Arabic
 * or ASCII digits. Names are stored exactly as given; search compares them
 * through `normalizePersian`.
 */

const PERSIAN_ZERO = 0x06f0; // ۰
const ARABIC_INDIC_ZERO = 0x0660; // ٠

/** Persian (۰-۹) and Arabic-Indic (٠-٩) digits to ASCII; everything else untouched. */
export const toAsciiDigits = (text: string): string =>
  text.replace(/[\u06F0-\u06F9\u0660-\u0669]/g, (digit) => {
    const code = digit.charCodeAt(0);
    return String(code - (code >= PERSIAN_ZERO ? PERSIAN_ZERO : ARABIC_INDIC_ZERO));
  });

/** ASCII digits to Persian ones (۰-۹), for display. */
export const toPersianDigits = (text: string): string =>
  text.replace(/[0-9]/g, (digit) => String.fromCharCode(PERSIAN_ZERO + Number(digit)));

const LETTERS: Readonly<Record<string, string>> = {
  '\u064A': '\u06CC', // ي Arabic yeh → ی
  '\u0649': '\u06CC', // ى alef maksura → ی
  '\u0643': '\u06A9', // ك Arabic kaf → ک
  '\u0629': '\u0647', // ة teh marbuta → ه
};

/**
 * Characters that change how a word looks, never what it says: tatweel (ـ),
 * the harakat and other Arabic marks (U+064B–U+065F), superscript alef
 * (U+0670), and the invisible controls copy-paste brings along (zero-width
 * space and joiner, LRM/RLM, bidi embeddings and isolates, BOM).
 */
const IGNORED = /[\u0640\u064B-\u065F\u0670\u200B\u200D\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;

/**
 * The one normalisation used both when indexing text for search and when
 * reading a query, so that what a user types finds what another user stored:
 *
 * - compatibility forms folded (Unicode NFKC): Arabic presentation forms from
 *   PDFs (ﻙ, ﯼ), full-width Latin, no-break spaces;
 * - Arabic ي/ى → ی, ك → ک, ة → ه;
 * - Persian and Arabic-Indic digits → ASCII (`۱۴۰۳` and `1403` match);
 * - tatweel, diacritics and invisible controls removed (see `IGNORED`);
 * - the zero-width non-joiner becomes a space, so «شهرک‌صنعتی» (half-space)
 *   matches «شهرک صنعتی» (space) — and «می‌شود» matches «می شود»; the
 *   spelling without any separator, «شهرکصنعتی», stays different;
 * - runs of whitespace become one space, none at either end;
 * - lower case (Latin, and any other script that has case).
 *
 * Idempotent: normalising twice gives what normalising once gave.
 */
export const normalizePersian = (text: string): string =>
  toAsciiDigits(text.normalize('NFKC'))
    .replace(/[\u064A\u0649\u0643\u0629]/g, (letter) => LETTERS[letter] ?? letter)
    .replace(IGNORED, '')
    .replace(/\u200C/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase()
    // Removing a mark can bring a letter and a combining accent together (e\u200D\u0301): compose them.
    .normalize('NFC');
