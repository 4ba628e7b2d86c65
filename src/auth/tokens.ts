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
  /** HS256 shared secret (at least 32 bytes). */
  secret?: Uint8Array;
  /** URL of a JWKS (RS256 / ES256 keys). */
  jwksUrl?: string;
}

export class TokenError extends Error {
  override name = 'TokenError';
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** Maps verified claims to a principal; unknown roles are ignored, never trusted. */
export const principalFromClaims = (claims: JWTPayload): Principal => {
  if (typeof claims.sub !== 'string' || claims.sub.length === 0) throw new TokenError('the token has no subject');
  return {
    subject: claims.sub,
    roles: strings(claims.roles).filter((r): r is Role => (ROLES as readonly string[]).includes(r)),
    province: typeof claims.province === 'string' ? claims.province : null,
    counties: strings(claims.counties),
    agency: typeof claims.agency === 'string' ? claims.agency : null,
  };
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
  agency?: string | null;
  /** Seconds; default 12 hours. */
  expiresIn?: number;
}

/** Signs an HS256 token: for development and tests, with the same claims an identity provider would send. */
export const issueToken = (config: TokenConfig, options: IssueTokenOptions): Promise<string> => {
  if (!config.secret) throw new TokenError('issuing tokens needs an HS256 secret');
  const claims: JWTPayload = { roles: options.roles, counties: options.counties ?? [] };
  if (options.province) claims.province = options.province;
  if (options.agency) claims.agency = options.agency;
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
