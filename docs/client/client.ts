/**
 * A typed Tashil client on plain `fetch`: each generated document carries its
 * query text and the types of its result and variables, so a call is checked
 * against the schema at compile time and nothing but `fetch` runs.
 */
import type { TypedDocumentString } from './generated/graphql';

/** A GraphQL error from the server, by its stable code (see docs/errors.md). */
export class TashilError extends Error {
  override name = 'TashilError';
  constructor(
    readonly code: string,
    message: string,
    readonly extensions: Record<string, unknown>,
    readonly requestId: string | null,
  ) {
    super(message);
  }
}

export interface ClientOptions {
  /** The endpoint, e.g. `https://tashil.example.ir/graphql`. */
  url: string;
  /** The caller's token, fetched anew for each request so a refreshed one is used. */
  token: () => string | Promise<string>;
}

/** Variables are a second argument only for operations that have any. */
type VariablesArg<TVariables> = Record<string, never> extends TVariables ? [variables?: TVariables] : [variables: TVariables];

export type Execute = <TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  ...variables: VariablesArg<TVariables>
) => Promise<TResult>;

export const createClient = ({ url, token }: ClientOptions): Execute => async (document, ...[variables]) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      // The spec's media type: errors come with statuses that say what went wrong.
      accept: 'application/graphql-response+json, application/json;q=0.9',
      authorization: `Bearer ${await token()}`,
    },
    body: JSON.stringify({ query: document.toString(), variables }),
  });
  const requestId = response.headers.get('x-request-id');
  const body = (await response.json()) as {
    data?: unknown;
    errors?: { message: string; extensions?: { code?: string } & Record<string, unknown> }[];
  };
  const first = body.errors?.[0];
  if (first) throw new TashilError(first.extensions?.code ?? 'INTERNAL_SERVER_ERROR', first.message, first.extensions ?? {}, requestId);
  if (!response.ok || body.data === undefined || body.data === null) {
    throw new TashilError('INTERNAL_SERVER_ERROR', `unexpected answer: HTTP ${response.status}`, {}, requestId);
  }
  return body.data as never;
};
