import { readFileSync } from 'node:fs';
import { printTashilSchema, SCHEMA_FILE } from '../../src/graphql/schema';

test('schema/schema.graphql is what the code emits (run `npm run schema` after changing the API)', async () => {
  expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(await printTashilSchema());
});

test('the types a frontend builds on carry descriptions', async () => {
  const sdl = await printTashilSchema();
  for (const name of ['Unit', 'Obstacle', 'Meeting', 'Resolution', 'AuditEvent', 'TimelineEntry', 'ActivityStatus', 'ObstacleCategory']) {
    // A description ends right above the type: `"""` for a block, `"` for one line.
    expect(sdl).toMatch(new RegExp(`"\\n(type|enum) ${name}( implements [^{]+)? \\{`));
  }
});
