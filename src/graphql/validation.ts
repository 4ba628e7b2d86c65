/** Validation rules shared by the inputs, so every text field is checked the same way. */
import { ArrayMaxSize, IsOptional, IsString, IsUUID, Length, Matches, ValidateBy } from 'class-validator';
import { badUserInput } from './errors';

const compose =
  (...decorators: PropertyDecorator[]): PropertyDecorator =>
  (target, key) => {
    for (const d of decorators) d(target, key);
  };

/**
 * Something visible: zero-width characters (the Persian ZWNJ among them) are
 * not whitespace to a regular expression, but a text of only those is blank to a reader.
 */
const VISIBLE = /[^\s\u200b-\u200f\u2060\ufeff]/u;

/**
 * Characters no text a person types needs, refused in every text input: C0
 * controls but tab and newline, DEL, lone (unpaired) surrogates, and the bidi
 * embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which can
 * make a name or note read differently from what is stored. ZWNJ (U+200C) and
 * the marks RLM/LRM (U+200F/U+200E), which Persian text needs, stay allowed.
 * With the `u` flag a surrogate class matches only an unpaired half.
 */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069\ud800-\udfff]/u;

/** Where a text holds a character `SafeText` refuses, for the message: `U+202E at 4`. */
export const unsafeCharacter = (text: string): string | null => {
  const match = UNSAFE.exec(text);
  if (match === null) return null;
  return `U+${match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} at ${match.index}`;
};

/** A string (or each string of an array) without the characters `UNSAFE` names; other values are left to the other checks. */
const SafeText = (options: { each?: boolean } = {}): PropertyDecorator =>
  ValidateBy(
    {
      name: 'safeText',
      validator: {
        validate: (value) => typeof value !== 'string' || unsafeCharacter(value) === null,
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} must not contain control characters, unpaired surrogates or bidirectional overrides (${typeof args?.value === 'string' ? unsafeCharacter(args.value) : 'in an item'})`,
      },
    },
    options,
  );

/** A string of `min` to `max` characters without unsafe characters: every text input decorator goes through this. */
const TextOf = (min: number, max: number): PropertyDecorator => compose(IsString(), Length(min, max), SafeText());

/** A string of at most `max` characters, possibly empty (a note or description that may be left out). */
export const AnyText = (max: number): PropertyDecorator => TextOf(0, max);

/** A non-blank string of at most `max` characters. */
export const Text = (max: number): PropertyDecorator => compose(TextOf(1, max), Matches(VISIBLE, { message: '$property must not be blank' }));

export const OptionalText = (max: number): PropertyDecorator => compose(IsOptional(), Text(max));

/** Ids are UUIDs: a malformed one is BAD_USER_INPUT, a well-formed unknown one NOT_FOUND. */
export const Id = (): PropertyDecorator => IsUUID('all', { message: '$property must be an id issued by this API' });

export const AgencyList = (): PropertyDecorator =>
  compose(ArrayMaxSize(30), IsString({ each: true }), Length(1, 200, { each: true }), SafeText({ each: true }));

/** A list of short texts (1 to `max` characters each, at most `items`), each checked as `SafeText`. */
export const TextList = (items: number, max: number): PropertyDecorator =>
  compose(ArrayMaxSize(items), IsString({ each: true }), Length(1, max, { each: true }), SafeText({ each: true }));

/**
 * Revisions and store positions are 64-bit integers, which the API writes as
 * decimal strings (they may exceed 2^53). One check for all of them, arguments
 * and input fields alike: digits without a leading zero, from `min` to 2^63 - 1
 * (what the stores hold; a larger number would fail in SQLite, not as bad input).
 */
const INT64_MAX = 2n ** 63n - 1n;
const isInt64Decimal = (value: unknown, min: bigint): value is string =>
  typeof value === 'string' && /^(0|[1-9][0-9]{0,18})$/.test(value) && BigInt(value) >= min && BigInt(value) <= INT64_MAX;

const REVISION = { min: 0n, what: 'a revision' } as const;
const POSITION = { min: 1n, what: 'a store position' } as const;
const int64Message = (field: string, { min, what }: { min: bigint; what: string }): string =>
  `${field} must be ${what}: a decimal number from ${min} to ${INT64_MAX}`;

const Int64Decimal = (kind: typeof REVISION | typeof POSITION): PropertyDecorator =>
  ValidateBy({
    name: 'int64Decimal',
    validator: { validate: (value) => isInt64Decimal(value, kind.min), defaultMessage: (args) => int64Message(args?.property ?? 'value', kind) },
  });

/** An optional stream revision (`expectedRevision`, …). */
export const Revision = (): PropertyDecorator => compose(IsOptional(), Int64Decimal(REVISION));

/** A store position. */
export const Position = (): PropertyDecorator => Int64Decimal(POSITION);

const int64Arg = (field: string, value: string, kind: typeof REVISION | typeof POSITION): bigint => {
  if (!isInt64Decimal(value, kind.min)) {
    const message = int64Message(field, kind);
    throw badUserInput(message, [{ field, messages: [message] }]);
  }
  return BigInt(value);
};

/** A revision given as a plain argument: BAD_USER_INPUT naming the field unless it is one. */
export const revisionArg = (field: string, value: string): bigint => int64Arg(field, value, REVISION);

/** A store position given as a plain argument: BAD_USER_INPUT naming the field unless it is one. */
export const positionArg = (field: string, value: string): bigint => int64Arg(field, value, POSITION);

/** Persian and Arabic-Indic digits become ASCII, so `۱۰۱۰۰۱۲۳۴۵۶` and `10100123456` are the same ID. */
export const asciiDigits = (text: string): string =>
  text
    .replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660));
