/**
 * Frontend teams build on the published schema: a change that would break an
 * existing client (a field, argument, type or enum value removed or made
 * incompatible) must go through deprecation first. `schema/baseline.graphql`
 * is the schema clients were last promised; the current schema may only add
 * to it. When a deprecated field's time is up, removing it is a deliberate
 * act: update the baseline in the same commit (docs/schema-evolution.md).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, findBreakingChanges, findDangerousChanges, type GraphQLSchema } from 'graphql';
import { printTashilSchema } from '../../src/graphql/schema';

const BASELINE = join(__dirname, '../../schema/baseline.graphql');

const current = async (): Promise<GraphQLSchema> => buildSchema(await printTashilSchema());

test('the schema only adds to the baseline clients build on (deprecate instead of breaking)', async () => {
  const breaking = findBreakingChanges(buildSchema(readFileSync(BASELINE, 'utf8')), await current());
  expect(breaking.map((change) => `${change.type}: ${change.description}`)).toEqual([]);
});

test('no change a client could notice in values it already receives (dangerous changes)', async () => {
  // Adding an enum value or an optional argument with a different default is "dangerous":
  // existing clients keep working, but exhaustive switches over an enum may not. These are
  // allowed, and listed here so the reviewer of such a change sees them.
  const dangerous = findDangerousChanges(buildSchema(readFileSync(BASELINE, 'utf8')), await current());
  expect(dangerous.filter((change) => change.type === 'ARG_DEFAULT_VALUE_CHANGE').map((change) => change.description)).toEqual([]);
});

test('the check catches a removal: a baseline with one more field than the schema is breaking', async () => {
  const sdl = readFileSync(BASELINE, 'utf8').replace(/type Unit implements Node \{\n/, 'type Unit implements Node {\n  retiredField: String\n');
  expect(sdl).toContain('retiredField');
  const breaking = findBreakingChanges(buildSchema(sdl), await current());
  expect(breaking.map((change) => change.description)).toEqual(['Unit.retiredField was removed.']);
});

test('every deprecation names what replaces it', async () => {
  // Every deprecation names its replacement, so a client knows where to move.
  const schema = await current();
  const reasons: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !('getFields' in type)) continue;
    for (const field of Object.values(type.getFields())) {
      if ('deprecationReason' in field && field.deprecationReason) reasons.push(`${type.name}.${field.name}: ${field.deprecationReason}`);
    }
  }
  for (const reason of reasons) expect(reason).toMatch(/use |replaced by /i);
});
