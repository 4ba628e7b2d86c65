#!/usr/bin/env node
/**
 * `tashil <command>`: operator and developer tasks beside the server.
 * Works on the same data folder as the server, also while it runs.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { openEventStore } from './app';
import { tokenConfig } from './auth/keys';
import { ROLES, type Role } from './auth/principal';
import { issueToken } from './auth/tokens';
import { ConfigError, loadConfig } from './config';
import { printTashilSchema, SCHEMA_FILE } from './graphql/schema';
import { runAudit } from './audit/cli';
import { backupEventStore, restoreEventStore } from './ops/backup';
import { exportCsv, pauseOrResume, printStatus, rebuildWithProgress } from './ops/projections-cli';
import { revokeTokens } from './ops/revoke-cli';
import { commandsFor, seedScenarios } from './seed/scenarios';

const USAGE = `usage: tashil <command>

  seed      load the Pakdasht and Islamshahr scenarios through the commands (safe to run twice)
  schema    write schema/schema.graphql from the code
  audit     verify the hash chain, publish stream heads, export the history (\`tashil audit help\`)
  projections list|status            every projection's state, checkpoint, lag and rate (from the running server)
  projections rebuild <name> [--from P]  rebuild without downtime (from position P on), with a progress bar
  projections pause|resume <name>     stop or restart applying events to one projection
  projections export <name> [--table T] [--out FILE [--force]]   a read-model table as CSV;
            --out writes a new owner-only file: an existing one is refused unless --force;
            text cells starting with = + - @ get a leading ' (no spreadsheet formulas)
  backup    backup <file>: a consistent copy of the event store, also while the server runs
            (a new owner-only file; refuses an existing file or a symbolic link)
  restore   restore <file>: replace the event store (server stopped); read models rebuild at start
  token     issue a development token (HS256, signed with the server's key):
            token --role SECRETARIAT [--role CHAIR] [--subject NAME] [--province تهران]
                  [--county پاکدشت ...] [--national true] [--agency-id ID] [--hours 12]
            every role but ADMIN and OPERATOR needs --province (or --national true);
            AGENCY needs --agency-id, the agency's registry id
  revoke    refuse a subject's tokens from now on, on the running server (ADMIN; TASHIL_TOKEN):
            revoke --subject NAME --reason "…" [--token-id JTI] [--url URL]
            without --token-id every token of the subject issued up to now ("sign out everywhere")
`;

/** Flags that take no value (`--force`); collected as `['true']`. */
const SWITCHES: readonly string[] = ['--force'];

/** `--name value` pairs; repeated names collect into a list. */
const options = (args: string[]): Map<string, string[]> => {
  const found = new Map<string, string[]>();
  for (let i = 0; i < args.length; i++) {
    const name = args[i]!;
    if (SWITCHES.includes(name)) {
      found.set(name.slice(2), ['true']);
      continue;
    }
    const value = args[i + 1];
    if (!name.startsWith('--') || value === undefined || value.startsWith('--')) throw new Error(`expected --name value, got "${name}"`);
    found.set(name.slice(2), [...(found.get(name.slice(2)) ?? []), value]);
    i++;
  }
  return found;
};

const run = async (argv: string[]): Promise<number> => {
  const [command] = argv;
  switch (command) {
    case 'seed': {
      const config = loadConfig();
      const store = await openEventStore(config);
      try {
        const result = await seedScenarios(commandsFor(store));
        process.stdout.write(`${JSON.stringify({ seeded: result, eventStore: store.kind, head: String(await store.headPosition()) }, null, 2)}\n`);
      } finally {
        await store.close();
      }
      return 0;
    }
    case 'token': {
      const config = loadConfig();
      const keys = tokenConfig(config);
      if (!keys.secret) throw new Error('tokens can only be issued with an HS256 secret; with TASHIL_JWKS_URL, your identity provider issues them');
      const o = options(argv.slice(1));
      const roles = o.get('role') ?? [];
      const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
      if (roles.length === 0 || unknown.length > 0) throw new Error(`--role must be one of ${ROLES.join(', ')}${unknown.length ? `, got ${unknown.join(', ')}` : ''}`);
      const hours = Number(o.get('hours')?.[0] ?? 12);
      const maxHours = config.auth.maxLifetimeSeconds / 3600;
      if (!(hours > 0 && hours <= maxHours)) throw new Error(`--hours must be between 0 and ${maxHours} (TASHIL_TOKEN_MAX_LIFETIME_HOURS)`);
      const token = await issueToken(keys, {
        subject: o.get('subject')?.[0] ?? `dev-${roles[0]!.toLowerCase()}`,
        roles: roles as Role[],
        province: o.get('province')?.[0] ?? null,
        counties: o.get('county') ?? [],
        national: o.get('national')?.[0] === 'true',
        agencyId: o.get('agency-id')?.[0] ?? null,
        expiresIn: Math.round(hours * 3600),
      });
      process.stdout.write(`${token}\n`);
      return 0;
    }
    case 'revoke': {
      const o = options(argv.slice(1));
      const subject = o.get('subject')?.[0];
      const reason = o.get('reason')?.[0];
      if (!subject || !reason) throw new Error('usage: tashil revoke --subject NAME --reason "…" [--token-id JTI] [--url URL]');
      const config = loadConfig();
      const server = { url: o.get('url')?.[0] ?? `http://127.0.0.1:${config.port}/graphql`, token: process.env.TASHIL_TOKEN };
      const revoked = await revokeTokens(config, server, { subject, reason, tokenId: o.get('token-id')?.[0] ?? null });
      process.stdout.write(`${JSON.stringify(revoked)}\n`);
      return 0;
    }
    case 'projections': {
      const [, action, name] = argv;
      const o = options(argv.slice(name === undefined || name.startsWith('--') ? 2 : 3));
      const config = loadConfig();
      const server = { url: o.get('url')?.[0] ?? `http://127.0.0.1:${config.port}/graphql`, token: process.env.TASHIL_TOKEN };
      switch (action) {
        case 'list':
        case 'status':
          await printStatus(config, server, process.stdout);
          return 0;
        case 'rebuild':
        case 'pause':
        case 'resume':
          if (!name) throw new Error(`usage: tashil projections ${action} <name>${action === 'rebuild' ? ' [--from POSITION]' : ''} [--url URL]`);
          if (action === 'rebuild') await rebuildWithProgress(config, server, name, process.stderr, { fromPosition: o.get('from')?.[0] });
          else process.stdout.write(`${JSON.stringify(await pauseOrResume(config, server, action, name))}\n`);
          return 0;
        case 'export': {
          if (!name) throw new Error('usage: tashil projections export <name> [--table TABLE] [--out FILE [--force]]');
          if (o.has('force') && !o.has('out')) throw new Error('--force only goes with --out FILE');
          const rows = await exportCsv(config.dataDir, name, o.get('table')?.[0], o.get('out')?.[0] ?? process.stdout, { force: o.has('force') });
          process.stderr.write(`${rows} rows\n`);
          return 0;
        }
        default:
          throw new Error('usage: tashil projections list|status|rebuild|pause|resume|export …');
      }
    }
    case 'backup': {
      const target = argv[1];
      if (!target) throw new Error('usage: tashil backup <file>');
      const result = await backupEventStore(loadConfig().dataDir, target);
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return 0;
    }
    case 'restore': {
      const source = argv[1];
      if (!source) throw new Error('usage: tashil restore <file>');
      const result = restoreEventStore(loadConfig().dataDir, source);
      process.stdout.write(`${JSON.stringify({ ...result, note: 'read models rebuild from the events when the server starts' })}\n`);
      return 0;
    }
    case 'audit':
      return runAudit(argv.slice(1));
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
