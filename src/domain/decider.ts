/**
 * The shape every aggregate file follows (after emmett's `Decider`): pure
 * functions over plain data. Time and ids arrive inside commands, so the same
 * command on the same state always decides the same events.
 */
export interface Decider<Command, Event, State> {
  /** Stream name prefix, e.g. `unit` for `unit-<id>`. */
  readonly category: string;
  initialState(): State;
  evolve(state: State, event: Event): State;
  decide(command: Command, state: State): Event[];
}

/** A domain event as the decider sees it: no store positions, no metadata. */
export interface DomainEvent<Type extends string = string, Data extends object = object> {
  type: Type;
  data: Data;
}

/**
 * Stable codes: the GraphQL layer copies them into `extensions.code`, and
 * clients branch on them, so they never change meaning.
 */
export type DomainErrorCode = 'NOT_FOUND' | 'CONFLICT' | 'INVALID_TRANSITION' | 'BAD_USER_INPUT' | 'FORBIDDEN' | 'IDEMPOTENCY_KEY_REUSED';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string, id: string): DomainError =>
  new DomainError('NOT_FOUND', `${what} ${id} does not exist`, { id });

/**
 * NOT_FOUND naming the first of `ids`, in their order, that is not among
 * `existingIds`: the ones the command layer found when gathering facts.
 */
export const requireAllExist = (what: string, ids: readonly string[], existingIds: readonly string[]): void => {
  const missing = ids.find((id) => !existingIds.includes(id));
  if (missing !== undefined) throw notFound(what, missing);
};

export const invalidTransition = (what: string, status: string, command: string): DomainError =>
  new DomainError('INVALID_TRANSITION', `cannot ${command}: the ${what} is ${status}`, { status, command });

/** CONFLICT for a create command on an aggregate that exists; `key` names the id in `details`, e.g. `zoneId`. */
export const alreadyExists = (what: string, key: string, id: string): DomainError =>
  new DomainError('CONFLICT', `${what} ${id} already exists`, { [key]: id });

/**
 * BAD_USER_INPUT on one field of the command, in the shape the GraphQL layer
 * reports class-validator errors: `details.fields[{ field, messages }]`.
 */
export const badUserInput = (field: string, message: string, fieldMessage: string = message): DomainError =>
  new DomainError('BAD_USER_INPUT', message, { fields: [{ field, messages: [fieldMessage] }] });

/**
 * Milliseconds since the epoch of an ISO-8601 time, `NaN` when it does not
 * parse. Times arrive with any UTC offset (Tehran is +03:30), and as strings
 * `'…T07:00:00Z' < '…T09:00:00+03:30'` although it is the later instant:
 * compare times through this, never as strings.
 */
export const instant = (iso: string): number => Date.parse(iso);

export const streamName = (category: string, id: string): string => `${category}-${id}`;

/** Exhaustiveness check for `switch` over a union (apollo-server's `UnreachableCaseError`). */
export const unreachable = (value: never): never => {
  throw new Error(`unreachable case: ${JSON.stringify(value)}`);
};
