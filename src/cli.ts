#!/usr/bin/env node
/**
 * `tashil <command>`: operator and developer tasks beside the server.
 * Works on the same data folder as the server, also while it runs.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { openEventStore } from './app';
import { FacilitationCommands } from './commands/facilitation';
import { ConfigError, loadConfig } from './config';
import { printTashilSchema, SCHEMA_FILE } from './graphql/schema';
import { seedScenarios } from './seed/scenarios';

const USAGE = `usage: tashil <command>

  seed      load the Pakdasht and Islamshahr scenarios through the commands (safe to run twice)
  schema    write schema/schema.graphql from the code
`;

const run = async (argv: string[]): Promise<number> => {
  const [command] = argv;
  switch (command) {
    case 'seed': {
      const config = loadConfig();
      const store = await openEventStore(config);
      try {
        const result = await seedScenarios(new FacilitationCommands(store));
        process.stdout.write(`${JSON.stringify({ seeded: result, eventStore: store.kind, head: String(await store.headPosition()) }, null, 2)}\n`);
      } finally {
        await store.close();
      }
      return 0;
    }
    case 'schema':
      writeFileSync(SCHEMA_FILE, await printTashilSchema());
      process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
      return 0;
    default:
      process.stderr.write(USAGE);
      return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
};

if (require.main === module) {
  run(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`tashil: ${error instanceof ConfigError ? 'configuration error: ' : ''}${message}\n`);
      process.exit(1);
    },
  );
}
