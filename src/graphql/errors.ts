/**
 * Every error a client sees carries a stable `extensions.code`. Domain and
 * store errors are translated here, once; anything unexpected is logged and
 * masked, so no internal message or stack trace ever reaches a client.
 */
import { unwrapResolverError } from '@apollo/server/errors';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ValidationError } from 'class-validator';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { DomainError } from '../domain/decider';
import { EventStoreUnavailable } from '../eventstore/errors';
import { ProjectionFailed, ReadModelTimeout } from '../projection/runtime';
import { getMetadataStorage } from 'type-graphql';

export const ERROR_CODES = [
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'IDEMPOTENCY_KEY_REUSED',
  'INVALID_TRANSITION',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'READ_MODEL_TIMEOUT',
  'PROJECTION_FAILED',
  'STORE_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldError {
  /** Dotted path inside the arguments, e.g. `input.nationalId`. */
  field: string;
  messages: string[];
}

export const badUserInput = (message: string, fields: FieldError[]): GraphQLError =>
  new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', fields } });

/** Whether a validated object is an `@InputType` (the `input` argument) rather than an `@ArgsType`. */
const isInputType = (target: unknown): boolean => {
  if (typeof target !== 'object' || target === null) return false;
  const types = getMetadataStorage().inputTypes;
  return types.some((t) => target instanceof (t.target as new () => unknown));
};

const flatten = (errors: ValidationError[], prefix: string): FieldError[] =>
  errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, messages: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });

/**
 * Codes GraphQL itself (parsing, validation, variables) and Apollo use: passed through unchanged (docs/errors.md documents each).
 * Not INTERNAL_SERVER_ERROR: Apollo gives that code to anything a resolver throws without one
 * (a SQLite message, a TypeError), so it is always masked and logged instead.
 */
export const PASS_THROUGH = new Set<string>([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  ...ERROR_CODES.filter((code) => code !== 'INTERNAL_SERVER_ERROR'),
]);

/** The request being answered, for the log line of an unexpected error (formatError is not given the context). */
const requestScope = new AsyncLocalStorage<{ requestId: string }>();

/** Runs `work` (a request's execution) so that an unexpected error it leads to is logged with `requestId`. */
export const withRequestId = <T>(requestId: string, work: () => T): T => requestScope.run({ requestId }, work);

export const formatError =
  (log: (message: string, fields: Record<string, unknown>, level?: 'error') => void, count: (code: string) => void = () => undefined) =>
  (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const result = format(log, formatted, error);
    count(String(result.extensions?.code ?? 'UNKNOWN'));
    return result;
  };

const format = (
  log: (message: string, fields: Record<string, unknown>, level?: 'error') => void,
  formatted: GraphQLFormattedError,
  error: unknown,
): GraphQLFormattedError => {
  const original = unwrapResolverError(error);
  const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };

  if (original instanceof DomainError) {
    const details = { ...original.details };
    // Deciders name the command's fields; clients name them inside the mutation's `input`.
    if (Array.isArray(details.fields)) {
      details.fields = (details.fields as FieldError[]).map((f) => ({ ...f, field: `input.${f.field}` }));
    }
    return { ...base, message: original.message, extensions: { code: original.code, ...details } };
  }
  if (original instanceof ReadModelTimeout) {
    return {
      ...base,
      message: original.message,
      extensions: { code: 'READ_MODEL_TIMEOUT', position: String(original.position), behind: original.behind },
    };
  }
  if (original instanceof EventStoreUnavailable) {
    // Nothing was written (appends are atomic); reads from the read models keep working.
    log('event store unavailable', { error: original.message }, 'error');
    return {
      ...base,
      message: 'the event store cannot take this change right now (for example a full disk); nothing was recorded, try again later',
      extensions: { code: 'STORE_UNAVAILABLE' },
    };
  }
  if (original instanceof ProjectionFailed) {
    return {
      ...base,
      message: original.message,
      extensions: { code: 'PROJECTION_FAILED', projection: original.projection, position: String(original.position) },
    };
  }
  const code = formatted.extensions?.code;
  if (code === 'BAD_USER_INPUT' && original instanceof GraphQLError && Array.isArray(original.extensions.validationErrors)) {
    const errors = original.extensions.validationErrors as ValidationError[];
    // Input objects arrive as the `input` argument; query arguments (first, after, filters) stand alone.
    const fields = flatten(errors, isInputType(errors[0]?.target) ? 'input' : '');
    return {
      ...base,
      message: `invalid input: ${fields.map((f) => `${f.field}: ${f.messages.join('; ')}`).join(' | ')}`,
      extensions: { code: 'BAD_USER_INPUT', fields },
    };
  }
  if (typeof code === 'string' && PASS_THROUGH.has(code)) {
    // Variable coercion errors arrive as BAD_USER_INPUT without field details: add the variable's path.
    if (code === 'BAD_USER_INPUT' && !formatted.extensions?.fields) {
      const match = /^Variable "\$([^"]+)"(?: got invalid value .*? at "([^"]+)")?/.exec(formatted.message);
      const field = match ? (match[2] ?? match[1]!) : 'arguments';
      return { ...base, extensions: { code, fields: [{ field, messages: [formatted.message] }] } };
    }
    // A resolver's own BAD_USER_INPUT (a cursor from another list) keeps the fields it named.
    const fields = code === 'BAD_USER_INPUT' ? formatted.extensions?.fields : undefined;
    return { ...base, extensions: { code, ...(fields ? { fields } : {}) } };
  }
  // The whole stack for the operator; nothing of it for the client.
  const requestId = requestScope.getStore()?.requestId ?? null;
  log(
    'unexpected error',
    {
      requestId,
      path: formatted.path?.join('.') ?? null,
      error: original instanceof Error ? original.message : String(original),
      stack: original instanceof Error ? (original.stack ?? null) : null,
    },
    'error',
  );
  return { ...base, message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
};
