/**
 * For every date field of a type, a `<field>Jalali` twin: the same moment in
 * the Solar Hijri calendar, Tehran time (`1403/09/12`), with Persian digits
 * on request. Built programmatically so a type lists its date fields once.
 */
import { Arg, FieldResolver, Resolver, Root, type ClassType } from 'type-graphql';
import { formatJalali } from '../calendar/jalali';

const asDate = (value: unknown): Date | null => {
  if (value == null) return null;
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? null : date;
};

export const jalaliResolver = <T extends object>(Type: ClassType<T>, fields: readonly (keyof T & string)[]): Function => {
  @Resolver(() => Type)
  class JalaliFields {}
  const prototype = JalaliFields.prototype as unknown as Record<string, unknown>;
  for (const field of fields) {
    const method = `${field}Jalali`;
    prototype[method] = (root: T, persianDigits: boolean, withTime: boolean): string | null => {
      const date = asDate(root[field]);
      return date === null ? null : formatJalali(date, { persianDigits, withTime });
    };
    const descriptor = Object.getOwnPropertyDescriptor(prototype, method)!;
    Reflect.defineMetadata('design:paramtypes', [Object, Boolean, Boolean], prototype, method);
    Root()(prototype, method, 0);
    Arg('persianDigits', () => Boolean, { defaultValue: false, description: 'Persian digits (۱۴۰۳/۰۹/۱۲).' })(prototype, method, 1);
    Arg('withTime', () => Boolean, { defaultValue: false, description: 'Add the Tehran time (HH:mm).' })(prototype, method, 2);
    FieldResolver(() => String, {
      nullable: true,
      description: `\`${field}\` in the Solar Hijri calendar (تاریخ شمسی), Tehran time.`,
    })(prototype, method, descriptor);
  }
  return JalaliFields;
};
