/**
 * Bearer tokens (JWT), verified with `jose`: HS256 with a shared secret, or
 * RS256/ES256 against an identity provider's JWKS, with issuer, audience and
 * expiry always checked.
 */
import { randomUUID } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { ROLES, type Principal, type Role } from './principal';
import type { TokenIdentity } from './revocations';

export interface TokenConfig {
  issuer: string;
  audience: string;
  /** Longest lifetime (exp − iat, in seconds) a token may have; a longer one is refused. Default 30 days. */
  maxLifetimeSeconds?: number;
  /** HS256 shared secret (at least 32 bytes). */
  secret?: Uint8Array;
  /** URL of a JWKS (RS256 / ES256 keys). */
  jwksUrl?: string;
}

export class TokenError extends Error {
  override name = 'TokenError';
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** How far in the future a token's `iat` may lie (clocks differ a little between the identity provider and here). */
export const IAT_SKEW_SECONDS = 60;
export const DEFAULT_MAX_LIFETIME_SECONDS = 30 * 24 * 3600;

/** Roles whose jurisdiction comes from the token itself: they need `province`, or `national: true`. */
const PLACED_ROLES: readonly Role[] = ['SECRETARIAT', 'CHAIR', 'AUDITOR', 'ANALYST', 'VIEWER'];

const missing = (claim: string, why: string): TokenError => new TokenError(`the token has no ${claim} claim: ${why}`);

/**
 * Maps verified claims to a principal, failing closed: a claim a role needs
 * and the token lacks refuses the token, it never widens what it may do.
 * - every role but ADMIN and OPERATOR works somewhere: `province` (with
 *   `counties` to narrow it) or, for a national user, `national: true`;
 *   `counties` without a `province` is refused;
 * - AGENCY needs `agencyId`, the agency's registry id (the place it serves is
 *   the registry's, not the token's);
 * - unknown roles are ignored, never trusted; a token with no known role is refused.
 */
export const principalFromClaims = (claims: JWTPayload): Principal => {
  if (typeof claims.sub !== 'string' || claims.sub.length === 0) throw new TokenError('the token has no subject');
  const roles = strings(claims.roles).filter((r): r is Role => (ROLES as readonly string[]).includes(r));
  if (roles.length === 0) throw missing('roles', `it must name at least one of ${ROLES.join(', ')}`);
  const province = typeof claims.province === 'string' && claims.province.length > 0 ? claims.province : null;
  const counties = strings(claims.counties);
  const national = claims.national === true;
  if (counties.length > 0 && province === null) throw missing('province', 'counties are named without the province they are in');
  if (national && province !== null) throw new TokenError('the token is both national and for a province: say one');
  if (roles.some((r) => PLACED_ROLES.includes(r)) && province === null && !national) {
    throw missing('province', `the roles ${roles.filter((r) => PLACED_ROLES.includes(r)).join(', ')} work in a province (or say national: true)`);
  }
  const agencyId = typeof claims.agencyId === 'string' && claims.agencyId.length > 0 ? claims.agencyId : null;
  if (roles.includes('AGENCY') && agencyId === null) throw missing('agencyId', "the AGENCY role acts for one agency, named by its registry id");
  return {
    subject: claims.sub,
    roles,
    province: roles.includes('ADMIN') ? null : province,
    counties: roles.includes('ADMIN') ? [] : counties,
    agencyId: roles.includes('AGENCY') ? agencyId : null,
  };
};

/** Refuses an `iat` in the future (beyond the skew) and a lifetime longer than the configured maximum. */
const checkTimes = (payload: JWTPayload, maxLifetimeSeconds: number): void => {
  const now = Math.floor(Date.now() / 1000);
  if (typeof payload.iat === 'number' && payload.iat > now + IAT_SKEW_SECONDS) {
    throw new TokenError(`the token was issued in the future (iat ${payload.iat}, now ${now})`);
  }
  // Without iat, the lifetime still left is what is bounded.
  const from = typeof payload.iat === 'number' ? payload.iat : now;
  if (payload.exp! - from > maxLifetimeSeconds) {
    throw new TokenError(`the token lives ${payload.exp! - from} s, longer than the ${maxLifetimeSeconds} s allowed (TASHIL_TOKEN_MAX_LIFETIME_HOURS)`);
  }
};

export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
}

/** How many verified tokens are remembered, and for how long at most (each never past its own `exp`). */
const VERIFIED_MAX = 10_000;
const VERIFIED_TTL_MS = 5 * 60_000;

export interface TokenVerifierOptions {
  /** Asked on every verification, remembered tokens included: a revoked token is refused at once. */
  isRevoked?: (token: TokenIdentity) => boolean;
}

export const createTokenVerifier = (config: TokenConfig, options: TokenVerifierOptions = {}): TokenVerifier => {
  let key: Uint8Array | JWTVerifyGetKey;
  let algorithms: string[];
  if (config.jwksUrl) {
    key = createRemoteJWKSet(new URL(config.jwksUrl));
    algorithms = ['RS256', 'ES256'];
  } else if (config.secret) {
    key = config.secret;
    algorithms = ['HS256'];
  } else {
    throw new TokenError('no key configured: set TASHIL_JWT_SECRET or TASHIL_JWKS_URL');
  }
  // Verified tokens, by their exact text. A client sends the same token with every
  // request for hours; verifying it (signature, claims) each time was a measurable
  // share of a request's CPU under load. An entry is used only before the token's
  // own expiry (and at most VERIFIED_TTL_MS after it was verified, so a key removed
  // from the JWKS stops being trusted soon); refused tokens are never cached.
  const verified = new Map<string, { principal: Principal; identity: TokenIdentity; until: number }>();
  const cached = (token: string): { principal: Principal; identity: TokenIdentity } | undefined => {
    const entry = verified.get(token);
    if (!entry) return undefined;
    if (Date.now() >= entry.until) {
      verified.delete(token);
      return undefined;
    }
    return entry;
  };
  const remember = (token: string, principal: Principal, identity: TokenIdentity, exp: number): void => {
    if (verified.size >= VERIFIED_MAX) {
      // Oldest first (a Map keeps insertion order): bounded memory whatever the number of clients.
      for (const [old, entry] of verified) {
        if (verified.size < VERIFIED_MAX && Date.now() < entry.until) break;
        verified.delete(old);
      }
    }
    verified.set(token, { principal, identity, until: Math.min(exp * 1000, Date.now() + VERIFIED_TTL_MS) });
  };
  const refuseIfRevoked = (identity: TokenIdentity): void => {
    if (options.isRevoked?.(identity)) throw new TokenError('the token was revoked');
  };
  // Each caller gets its own copy: a principal is a plain object, and one request must not alter another's.
  const copy = (p: Principal): Principal => ({ ...p, roles: [...p.roles], counties: [...p.counties] });
  return {
    verify: async (token) => {
      const known = cached(token);
      if (known) {
        refuseIfRevoked(known.identity);
        return copy(known.principal);
      }
      try {
        const { payload } = await jwtVerify(token, key as Uint8Array, {
          issuer: config.issuer,
          audience: config.audience,
          algorithms,
          requiredClaims: ['exp', 'sub'],
        });
        checkTimes(payload, config.maxLifetimeSeconds ?? DEFAULT_MAX_LIFETIME_SECONDS);
        const principal = principalFromClaims(payload);
        const identity: TokenIdentity = {
          subject: principal.subject,
          issuedAt: typeof payload.iat === 'number' ? payload.iat : undefined,
          tokenId: typeof payload.jti === 'string' ? payload.jti : undefined,
        };
        remember(token, principal, identity, payload.exp!);
        refuseIfRevoked(identity);
        return copy(principal);
      } catch (error) {
        if (error instanceof TokenError) throw error;
        // jose's codes say why (expired, bad signature, wrong audience…) without leaking anything secret.
        const code = (error as { code?: string }).code ?? 'ERR_JWT_INVALID';
        throw new TokenError(`invalid token (${code})`);
      }
    },
  };
};

export interface IssueTokenOptions {
  subject: string;
  roles: Role[];
  province?: string | null;
  counties?: string[];
  /** For a national user of a placed role (SECRETARIAT, CHAIR, AUDITOR, ANALYST, VIEWER). */
  national?: boolean;
  /** Registry id of the agency, for AGENCY users. */
  agencyId?: string | null;
  /** Seconds; default 12 hours. */
  expiresIn?: number;
}

/** Signs an HS256 token: for development and tests, with the same claims an identity provider would send. */
export const issueToken = (config: TokenConfig, options: IssueTokenOptions): Promise<string> => {
  if (!config.secret) throw new TokenError('issuing tokens needs an HS256 secret');
  const claims: JWTPayload = { roles: options.roles, counties: options.counties ?? [] };
  if (options.province) claims.province = options.province;
  if (options.national) claims.national = true;
  if (options.agencyId) claims.agencyId = options.agencyId;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    // An id of its own, so that this one token can be revoked (revokeTokens with tokenId).
    .setJti(randomUUID())
    .setSubject(options.subject)
    .setIssuer(config.issuer)
    .setAudience(config.audience)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + (options.expiresIn ?? 12 * 3600))
    .sign(config.secret);
};
