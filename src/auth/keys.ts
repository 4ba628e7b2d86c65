import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config';
import type { TokenConfig } from './tokens';

/** Where development mode keeps its generated secret, so `tashil token` (another process) signs with the same key. */
export const DEV_SECRET_FILE = 'dev-jwt-secret';

/**
 * The token keys from configuration. In development with none configured, a
 * random local secret is generated once in the data folder (readable by its
 * owner only); `loadConfig` has already refused that in production.
 */
export const tokenConfig = (config: Config): TokenConfig & { generated: boolean } => {
  const base = { issuer: config.auth.issuer, audience: config.auth.audience, maxLifetimeSeconds: config.auth.maxLifetimeSeconds };
  if (config.auth.jwksUrl) return { ...base, jwksUrl: config.auth.jwksUrl, generated: false };
  if (config.auth.secret) return { ...base, secret: new TextEncoder().encode(config.auth.secret), generated: false };
  const file = join(config.dataDir, DEV_SECRET_FILE);
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
  }
  return { ...base, secret: new TextEncoder().encode(readFileSync(file, 'utf8').trim()), generated: true };
};
