#!/usr/bin/env node
/** The server process: `npm start`. */
import 'reflect-metadata';
import { openApp } from './app';
import { ConfigError, loadConfig } from './config';
import { listen } from './http';
import { jsonLog } from './log';
import { writeLock } from './ops/backup';

const main = async (): Promise<void> => {
  const log = jsonLog({ service: 'tashil' });
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`tashil: configuration error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const app = await openApp(config, { log }).catch((error: unknown) => {
    process.stderr.write(`tashil: cannot start on the ${config.eventStore.kind} event store: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
  if (app.tokens.generated) {
    log('development mode: tokens are signed with a secret generated in the data folder; issue one with `npm run tashil -- token --role ADMIN`', {
      secretFile: 'dev-jwt-secret',
    });
  }
  const releaseLock = config.eventStore.kind === 'sqlite' ? writeLock(config.dataDir) : () => undefined;
  const http = await listen(app, log).catch(async (error: unknown) => {
    process.stderr.write(`tashil: cannot listen on ${config.host}:${config.port}: ${error instanceof Error ? error.message : String(error)}\n`);
    await app.close();
    process.exit(1);
  });
  log('listening', {
    url: http.url,
    metrics: http.metricsUrl ?? 'GET /metrics with an ADMIN or OPERATOR token',
    eventStore: app.store.kind,
    dataDir: config.dataDir,
    auth: app.tokens.jwksUrl ? 'jwks' : 'hs256',
  });

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log('stopping', { signal });
    // A bound on shutdown, so a stuck request cannot keep a stopped process alive.
    setTimeout(() => process.exit(1), 10_000).unref();
    void http
      .close()
      .then(() => app.close())
      .then(() => {
        releaseLock();
        process.exit(0);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
};

void main();
