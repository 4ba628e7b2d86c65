/** Validation rules shared by the inputs, so every text field is checked the same way. */
import { ArrayMaxSize, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';

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

/** A non-blank string of at most `max` characters. */
export const Text = (max: number): PropertyDecorator =>
  compose(IsString(), Length(1, max), Matches(VISIBLE, { message: '$property must not be blank' }));

export const OptionalText = (max: number): PropertyDecorator => compose(IsOptional(), Text(max));

/** Ids are UUIDs: a malformed one is BAD_USER_INPUT, a well-formed unknown one NOT_FOUND. */
export const Id = (): PropertyDecorator => IsUUID('all', { message: '$property must be an id issued by this API' });

export const AgencyList = (): PropertyDecorator =>
  compose(ArrayMaxSize(30), IsString({ each: true }), Length(1, 200, { each: true }));

/** A stream revision as a decimal string (it may exceed 2^53). */
export const Revision = (): PropertyDecorator =>
  compose(IsOptional(), Matches(/^(0|[1-9][0-9]{0,19})$/, { message: '$property must be a revision (a decimal number)' }));

/** Persian and Arabic-Indic digits become ASCII, so `۱۰۱۰۰۱۲۳۴۵۶` and `10100123456` are the same ID. */
export const asciiDigits = (text: string): string =>
  text
    .replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660));
