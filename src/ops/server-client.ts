/**
 * The CLI's way to the running server: a GraphQL call over HTTP with a bearer
 * token, so an operator's command acts on the live process (and is authorized,
 * recorded and logged like any other request).
 */
import { tokenConfig } from '../auth/keys';
import { issueToken } from '../auth/tokens';
import type { Config } from '../config';

export interface ServerOptions {
  url: string;
  token?: string;
}

/** The token to use: `TASHIL_TOKEN`, or in development an ADMIN token signed with the local secret. */
const tokenFor = async (config: Config, given?: string): Promise<string> => {
  if (given) return given;
  const keys = tokenConfig(config);
  if (!keys.secret) throw new Error('set TASHIL_TOKEN to a token with the role this command needs');
  return issueToken(keys, { subject: 'tashil-cli', roles: ['ADMIN'], expiresIn: 600 });
};

/** Runs one operation; a GraphQL error becomes an Error naming its code. */
export const callServer = async <T>(config: Config, server: ServerOptions, query: string, variables: Record<string, unknown> = {}): Promise<T> => {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(config, server.token)}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; '));
  return body.data as T;
};
