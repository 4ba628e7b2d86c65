/**
 * `DateTime`: ISO-8601 out; in, ISO-8601 or a Solar Hijri date as users write
 * it (`1403/09/12`, `۱۴۰۳/۰۹/۱۲`, `1403/09/12 10:30`, Tehran time). An
 * impossible date (`1403/13/40`) is refused, which clients see as BAD_USER_INPUT.
 */
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { parseDateInput } from '../calendar/jalali';

const parse = (value: unknown): Date => {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value;
  if (typeof value !== 'string') throw new GraphQLError('a date-time must be a string: ISO-8601 or Jalali (1403/09/12)');
  try {
    return parseDateInput(value);
  } catch (error) {
    throw new GraphQLError(`not a date: ${error instanceof Error ? error.message : String(error)}`);
  }
};

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description:
    'A moment in time. Read as ISO-8601 (e.g. 2024-12-02T06:30:00.000Z; every date field also has a `…Jalali` twin). ' +
    'Written as ISO-8601 or as a Solar Hijri date in Tehran time: 1403/09/12, ۱۴۰۳/۰۹/۱۲ or 1403/09/12 10:30.',
  serialize: (value) => {
    const date = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new GraphQLError('DateTime cannot represent an invalid date');
    return date.toISOString();
  },
  parseValue: parse,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('a date-time must be a string: ISO-8601 or Jalali (1403/09/12)');
    return parse(ast.value);
  },
});
