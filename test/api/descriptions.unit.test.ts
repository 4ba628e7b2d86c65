/**
 * Descriptions everywhere: every type, field, argument, input field and enum
 * value a frontend sees in the schema explains itself, and the domain's own
 * things give their Persian term (DOMAIN.md's glossary) in parentheses.
 */
import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, isScalarType, isUnionType, type GraphQLSchema } from 'graphql';
import { buildTashilSchema } from '../../src/graphql/schema';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildTashilSchema();
});

const blank = (description: string | null | undefined): boolean => !description || description.trim() === '';

/** Every place in the schema that lacks a description, as `Type`, `Type.field`, `Type.field(arg)` or `Enum.VALUE`. */
const undescribed = (schema: GraphQLSchema): string[] => {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isScalarType(type) && ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
    if (blank(type.description)) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (blank(field.description)) missing.push(`${type.name}.${field.name}`);
        for (const arg of field.args) if (blank(arg.description)) missing.push(`${type.name}.${field.name}(${arg.name})`);
      }
    }
    if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) if (blank(field.description)) missing.push(`${type.name}.${field.name}`);
    }
    if (isEnumType(type)) {
      for (const value of type.getValues()) if (blank(value.description)) missing.push(`${type.name}.${value.name}`);
    }
    if (isUnionType(type) && blank(type.description)) missing.push(type.name);
  }
  return missing.sort();
};

test('every type, field, argument, input field and enum value has a description', () => {
  expect(undescribed(schema)).toEqual([]);
});

test.each([
  ['Unit', 'واحد تولیدی'],
  ['Obstacle', 'مانع'],
  ['Meeting', 'جلسه'],
  ['Resolution', 'مصوبه'],
  ['Agency', 'دستگاه'],
  ['Workgroup', 'کارگروه'],
  ['Zone', 'شهرک صنعتی'],
  ['Visit', 'بازدید'],
  ['Commitment', 'تعهد'],
])('%s names its Persian term (%s) in parentheses', (typeName, term) => {
  expect(schema.getType(typeName)?.description).toMatch(new RegExp(`\\([^)]*${term}[^)]*\\)`));
});
