import fc from 'fast-check';
import { normalizePersian, toAsciiDigits, toPersianDigits } from '../../src/calendar/persian-text';

const ZWNJ = '\u200C';
const ZWJ = '\u200D';

describe('normalizePersian', () => {
  describe('letters', () => {
    it('reads Arabic yeh and alef maksura as Persian yeh', () => {
      expect(normalizePersian('حشمت الله عسگري')).toBe(normalizePersian('حشمت الله عسگری'));
      expect(normalizePersian('مصطفى')).toBe('مصطفی');
    });

    it('reads Arabic kaf as Persian kaf', () => {
      expect(normalizePersian('شهر كفش اسلامشهر')).toBe('شهر کفش اسلامشهر');
    });

    it('reads teh marbuta as heh', () => {
      expect(normalizePersian('محدودة صنعتی')).toBe('محدوده صنعتی');
    });

    it('folds Arabic presentation forms copied from PDFs', () => {
      // ﻛﻔﺶ: kaf, feh and sheen in their initial, medial and final forms.
      expect(normalizePersian('\uFEDB\uFED4\uFEB6')).toBe('کفش');
    });

    it('keeps alef with madda, whether typed as one character or two', () => {
      expect(normalizePersian('آب')).toBe('آب');
      expect(normalizePersian('\u0627\u0653ب')).toBe('آب');
    });
  });

  describe('digits', () => {
    it('reads Persian and Arabic-Indic digits as ASCII', () => {
      expect(normalizePersian('۳۸ لکه صنعتی')).toBe('38 لکه صنعتی');
      expect(normalizePersian('١٤٠٣/٠٩/١٢')).toBe('1403/09/12');
      expect(normalizePersian('۱۴۰۳')).toBe(normalizePersian('1403'));
    });
  });

  describe('joiners, marks and spaces', () => {
    it('reads a zero-width non-joiner as a space, so «شهرک‌صنعتی» matches «شهرک صنعتی»', () => {
      expect(normalizePersian(`شهرک${ZWNJ}صنعتی`)).toBe('شهرک صنعتی');
      expect(normalizePersian(`شهرک${ZWNJ}صنعتی`)).toBe(normalizePersian('شهرک صنعتی'));
      expect(normalizePersian(`نیمه${ZWNJ}فعال`)).toBe(normalizePersian('نیمه فعال'));
    });

    it('does not match the spelling with no separator at all', () => {
      expect(normalizePersian(`شهرک${ZWNJ}صنعتی`)).not.toBe(normalizePersian('شهرکصنعتی'));
    });

    it('collapses a non-joiner beside a space into one space', () => {
      expect(normalizePersian(`شهرک ${ZWNJ} صنعتی`)).toBe('شهرک صنعتی');
      expect(normalizePersian(`${ZWNJ}شهرک${ZWNJ}`)).toBe('شهرک');
    });

    it('removes zero-width joiners, tatweel and direction marks', () => {
      expect(normalizePersian(`ک${ZWJ}فش`)).toBe('کفش');
      expect(normalizePersian('کـــفش')).toBe('کفش');
      expect(normalizePersian('\u200Fچهاردانگه\u200E')).toBe('چهاردانگه');
      expect(normalizePersian('\uFEFFپاکدشت')).toBe('پاکدشت');
    });

    it('removes harakat, shadda, sukun and superscript alef', () => {
      expect(normalizePersian('مُصَوَّبه')).toBe('مصوبه');
      expect(normalizePersian('کارگروهْ')).toBe('کارگروه');
      expect(normalizePersian('رحمٰن')).toBe('رحمن');
      expect(normalizePersian('فوراً')).toBe('فورا');
    });

    it('unifies whitespace: one space between words, none at the ends', () => {
      expect(normalizePersian('  شهر   کفش\n\tاسلامشهر  ')).toBe('شهر کفش اسلامشهر');
      expect(normalizePersian('شهرک\u00A0خوارزمی')).toBe('شهرک خوارزمی');
    });
  });

  describe('Latin text', () => {
    it('is lower-cased', () => {
      expect(normalizePersian('ISIC 2930 — Kia Ofogh Paydar')).toBe('isic 2930 — kia ofogh paydar');
    });

    it('composes an accent a removed joiner used to keep apart', () => {
      expect(normalizePersian(`Cafe${ZWJ}\u0301`)).toBe('café');
    });
  });

  it('matches a name however it was typed', () => {
    const typed = [
      'شهرک صنعتی خوارزمی',
      `شهرک${ZWNJ}صنعتی خوارزمي`,
      ' شهرك  صنعتي   خوارزمی ',
      'شَهرَک صنعتی خـوارزمی',
    ];
    expect(new Set(typed.map(normalizePersian))).toEqual(new Set(['شهرک صنعتی خوارزمی']));
  });

  it('is idempotent on any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        const once = normalizePersian(text);
        expect(normalizePersian(once)).toBe(once);
      }),
      { numRuns: 5000 },
    );
  });

  it('is idempotent on text made of the characters it changes', () => {
    const tricky = fc.constantFrom(
      ...'يىكةیکهآآٰ۰۹٠٩0ـًٌٍَُِّْٰ \u00A0\t\n\u200B\u200C\u200D\u200E\u200F\uFEFF\uFEDB\uFED4\uFEB6AZaz\u0301é'.split(''),
      'شهرک',
      'صنعتی',
    );
    fc.assert(
      fc.property(fc.array(tricky, { maxLength: 30 }), (pieces) => {
        const once = normalizePersian(pieces.join(''));
        expect(normalizePersian(once)).toBe(once);
      }),
      { numRuns: 5000 },
    );
  });

  it('makes Arabic and Persian spellings of the same Persian words equal', () => {
    const word = fc.array(fc.constantFrom(...'ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی'.split('')), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 5 }), (words) => {
        const persian = words.map((w) => w.join('')).join(' ');
        const arabic = words.map((w) => w.join('').replace(/ی/g, 'ي').replace(/ک/g, 'ك')).join(ZWNJ);
        expect(normalizePersian(arabic)).toBe(normalizePersian(persian));
      }),
    );
  });
});

describe('digits', () => {
  it('converts Persian and Arabic-Indic digits to ASCII, leaving the rest', () => {
    expect(toAsciiDigits('۱۴۰۳/۰۹/۱۲ و ١٤٠٣')).toBe('1403/09/12 و 1403');
  });

  it('writes ASCII digits as Persian ones', () => {
    expect(toPersianDigits('1403/09/12 10:00')).toBe('۱۴۰۳/۰۹/۱۲ ۱۰:۰۰');
  });

  it('round-trips any number', () => {
    fc.assert(
      fc.property(fc.nat(), (n) => {
        expect(toAsciiDigits(toPersianDigits(String(n)))).toBe(String(n));
      }),
    );
  });
});
