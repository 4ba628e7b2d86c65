/**
 * `tashil revoke`: revoke tokens on the running server, as the `revokeTokens`
 * mutation does, for an operator at a terminal (a token seen in a chat, a
 * laptop lost). It goes through GraphQL, so the running process refuses the
 * token from its next request, the revocation is recorded as an event with the
 * operator as its actor, and only an ADMIN may do it.
 */
import type { Config } from '../config';
import { callServer, type ServerOptions } from './server-client';

export interface Revocation {
  subject: string;
  tokenId: string | null;
  reason: string;
  revokedAt: string;
  revokedBy: string;
  /** The store's position after the command (a token revoked twice records nothing the second time). */
  position: string;
}

export const revokeTokens = async (
  config: Config,
  server: ServerOptions,
  input: { subject: string; reason: string; tokenId: string | null },
): Promise<Revocation> => {
  const { revokeTokens: payload } = await callServer<{
    revokeTokens: { position: string; revocation: Omit<Revocation, 'position'> };
  }>(
    config,
    server,
    `mutation ($input: RevokeTokensInput!) {
       revokeTokens(input: $input) { position revocation { subject tokenId reason revokedAt revokedBy } }
     }`,
    { input },
  );
  return { ...payload.revocation, position: payload.position };
};
