/**
 * The one generic command handler: read the stream → fold its state → decide →
 * append with the revision that state was read at. Every command in the
 * product goes through `handleCommands` (`handleCommand` for one stream), so
 * every event gets the same metadata and the same concurrency and idempotency
 * rules, and a command writing several streams is decided whole before its
 * one append.
 */
import { badUserInput, DomainError, streamName, type Decider, type DomainEvent } from '../domain/decider';
import { DuplicateEventId, ExpectedRevisionConflict } from '../eventstore/errors';
import type { Principal } from '../auth/principal';
import type { AppendResult, EventMetadata, EventStore, ExpectedRevision, NewEvent } from '../eventstore/event-store';
import { chainEvents } from '../audit/hash-chain';
import { aggregateCacheOf, emptyFold, foldOnto, type Folded } from './aggregate-cache';
import { UPCASTERS } from '../domain/upcasters';
import { currentSchemaVersion, isUpcastingStore } from '../eventstore/upcasting';
import { newId, uuidV5 } from './ids';
import { authorizeStream, foldDecided, type Reaching } from './authorization';

/** The version a new event of `type` is recorded with: the store's upcasters say, else the product's. */
const schemaVersionOf = (store: EventStore, type: string): number =>
  isUpcastingStore(store) ? store.currentSchemaVersion(type) : currentSchemaVersion(UPCASTERS, type);

/** Who is acting and how the client wants the command treated. */
export interface CommandContext {
  /** Who is acting; their subject is recorded as the actor of every event. */
  principal: Principal;
  /** The server's clock when the command arrived. */
  now: Date;
  /**
   * When what the command records happened (a meeting held last Wednesday),
   * as the client says; `now` when it says nothing. Every business time of
   * the events and their `occurredAt` metadata come from it; the store keeps
   * when they were recorded.
   */
  occurredAt?: Date;
  /** Shared by everything one user action caused; defaults to the command id. */
  correlationId?: string;
  /** What directly caused this command; defaults to the command id. */
  causationId?: string;
  /** The client's own id for the action, recorded beside the trace (never as its correlation id). */
  clientCorrelationId?: string;
  /**
   * A retry with the same key (same actor, same command type) returns the first
   * result and appends nothing. Event ids derive from the key, so even a retry
   * racing the original is recognised by the store itself.
   */
  idempotencyKey?: string;
  /**
   * What the command was asked with (a hash of its input, src/graphql/context.ts):
   * with the idempotency key, a retry must carry the same one, else it is
   * IDEMPOTENCY_KEY_REUSED.
   */
  fingerprint?: string;
  /** Optimistic concurrency from the client: the revision its screen showed. */
  expectedRevision?: bigint;
  /**
   * The revision a command's facts about this stream were read at (a policy's): the append
   * expects it, and if another writer moved the stream since, the whole command is decided again.
   */
  factsRevision?: bigint;
  /** The command's id, when a command names it before deciding (its consequences are caused by it). */
  commandId?: string;
  /** Why, in the actor's words, when the command has a reason. */
  reason?: string;
}

export interface CommandOutcome {
  streamName: string;
  commandId: string;
  /** Revision of the stream's last event after the command (-1n: the stream is still empty). */
  revision: bigint;
  /** Global position of the command's last event, or of the stream's last event when nothing was appended. */
  position: bigint;
  /** Events this command appended (empty for a no-op or an idempotent retry). */
  appended: number;
  /** True when this was recognised as a retry of an earlier command. */
  replayed: boolean;
}

/** When the command's happening took place (ISO-8601): the client's `occurredAt`, else the server's now. */
export const occurredAt = (ctx: CommandContext): string => (ctx.occurredAt ?? ctx.now).toISOString();

/** Things whose first event is when they began (see `decideOn`). */
const BEGUN_BY_FIRST_EVENT = new Set(['obstacle', 'resolution', 'commitment', 'visit']);

/** Automatic retries after a concurrent writer moved the stream, when the client gave no expected revision. */
const MAX_ATTEMPTS = 5;

export const commandIdFor = (commandType: string, ctx: CommandContext): string =>
  ctx.commandId ?? (ctx.idempotencyKey === undefined ? newId() : uuidV5(`${ctx.principal.subject}\n${commandType}\n${ctx.idempotencyKey}`));

/**
 * The aggregate as its stream's events fold it: its state, and the revision,
 * position and hash of the newest event. Only events appended since the fold
 * the store's aggregate cache kept are read (src/commands/aggregate-cache.ts).
 */
export const loadAggregate = async <C, E extends DomainEvent, S>(store: EventStore, decider: Decider<C, E, S>, id: string): Promise<Folded<S>> => {
  const stream = streamName(decider.category, id);
  const cache = aggregateCacheOf(store);
  const kept = cache.get<S>(stream, decider);
  const since = kept === undefined ? undefined : await store.readStream(stream, { fromRevision: kept.revision + 1n });
  // The kept fold goes on only from the very next revision; a stream that no longer continues it is read whole.
  const continues = kept !== undefined && since !== undefined && (since.length === 0 || since[0]!.revision === kept.revision + 1n);
  const folded = continues ? foldOnto(decider, kept, since) : foldOnto(decider, emptyFold(decider.initialState()), await store.readStream(stream));
  // An empty stream is not kept: there is nothing to save reading, and it costs an entry.
  if (folded.revision >= 0n && folded !== kept) cache.set(stream, decider, folded);
  return folded;
};

/** One stream's part of a command, decided and not yet appended: its events, or the outcome it already had. */
interface Decided {
  streamName: string;
  commandId: string;
  events: NewEvent[];
  expectedRevision: ExpectedRevision;
  /** The stream's revision and position as read (for a replay: those of the earlier command's end). */
  revision: bigint;
  position: bigint;
  replayed: boolean;
  /** The client gave an expected revision for this stream: a conflict is theirs to see, never retried. */
  clientRevision: boolean;
}

/**
 * Decides one command's part on one stream, appending nothing: read and fold
 * the stream, recognise a retried key (and refuse a reused one), authorize the
 * stream on its own state, check the client's revision, decide, and build the
 * hash-chained events with the metadata every event gets.
 */
const decideOn = async <C extends { type: string }, E extends DomainEvent, S>(
  store: EventStore,
  decider: Decider<C, E, S>,
  aggregateId: string,
  command: C,
  ctx: CommandContext,
  reaching: Reaching,
): Promise<{ part: Decided; after: S }> => {
  const stream = streamName(decider.category, aggregateId);
  const commandId = commandIdFor(command.type, ctx);
  const { state, revision, position, headHash, keyedCommands, createdAt } = await loadAggregate(store, decider, aggregateId);
  const part = { streamName: stream, commandId, clientRevision: ctx.expectedRevision !== undefined };

  if (ctx.idempotencyKey !== undefined) {
    const earlier = keyedCommands.get(commandId);
    if (earlier) {
      // One key, one command with one payload: the same payload replays the first answer, another is refused.
      if (earlier.fingerprint !== undefined && ctx.fingerprint !== undefined && earlier.fingerprint !== ctx.fingerprint) {
        throw new DomainError(
          'IDEMPOTENCY_KEY_REUSED',
          `idempotency key ${ctx.idempotencyKey} was used for another ${command.type} with a different input; send a new key for a new command`,
          { idempotencyKey: ctx.idempotencyKey, commandId },
        );
      }
      return { part: { ...part, events: [], expectedRevision: earlier.revision, revision: earlier.revision, position: earlier.position, replayed: true }, after: state };
    }
  }
  const existed = revision >= 0n;
  if (existed) await authorizeStream(store, ctx.principal, decider.category, state, reaching);
  // A case, a resolution, a promise or a visit begins when it is raised, recorded, made or paid: nothing
  // recorded about it can have happened before. (A unit or a meeting may be entered after what it went
  // through: a registry entry or a plan is not when the thing began.)
  if (BEGUN_BY_FIRST_EVENT.has(decider.category) && createdAt != null && Date.parse(occurredAt(ctx)) < Date.parse(createdAt)) {
    throw badUserInput('occurredAt', `${stream} began at ${createdAt}: what it records cannot have happened before that`, `must not be before ${createdAt}`);
  }
  if (ctx.expectedRevision !== undefined && ctx.expectedRevision !== revision) {
    throw conflict(stream, ctx.expectedRevision, revision);
  }

  const decided = decider.decide(command, state);
  const read = ctx.factsRevision ?? revision;
  const expectedRevision: ExpectedRevision = read === -1n ? 'no_stream' : read;
  if (decided.length === 0) return { part: { ...part, events: [], expectedRevision, revision, position, replayed: false }, after: state };
  const after = foldDecided(decider, state, decided);
  if (!existed) await authorizeStream(store, ctx.principal, decider.category, after, reaching);

  const metadata: EventMetadata = {
    actor: ctx.principal.subject,
    command: command.type,
    commandId,
    correlationId: ctx.correlationId ?? commandId,
    causationId: ctx.causationId ?? commandId,
    occurredAt: occurredAt(ctx),
    ...(ctx.idempotencyKey !== undefined ? { idempotencyKey: ctx.idempotencyKey } : {}),
    ...(ctx.idempotencyKey !== undefined && ctx.fingerprint !== undefined ? { idempotencyFingerprint: ctx.fingerprint } : {}),
    ...(ctx.clientCorrelationId !== undefined ? { clientCorrelationId: ctx.clientCorrelationId } : {}),
    ...(ctx.reason !== undefined ? { reason: ctx.reason } : {}),
  };
  // Hash-chained to the stream's newest event (see src/audit/hash-chain.ts): the revisions
  // are known here, since the append only succeeds at exactly the revision read.
  const events: NewEvent[] = chainEvents(
    stream,
    revision + 1n,
    headHash,
    decided.map((event, index) => ({
      // Derived ids let the store itself recognise a retry that races the original.
      id: ctx.idempotencyKey === undefined ? newId() : uuidV5(`${commandId}\n${stream}\n${index}`),
      type: event.type,
      schemaVersion: schemaVersionOf(store, event.type),
      data: event.data as Record<string, unknown>,
      metadata,
    })),
  );
  return { part: { ...part, events, expectedRevision, revision, position, replayed: false }, after };
};

/** Decides one stream's part of the command being run (see `handleCommands`); resolves to the stream's state once the part is appended. */
export type Decide = <C extends { type: string }, E extends DomainEvent, S>(
  decider: Decider<C, E, S>,
  aggregateId: string,
  command: C,
  ctx: CommandContext,
  reaching: Reaching,
) => Promise<S>;

/**
 * Runs one command that writes several streams: `run` decides each stream's
 * part (through `decide`, in the order the parts are to be appended) and
 * nothing is appended until every part is decided, every id resolved and
 * every check passed; then all parts go to the store in one
 * `appendToStreams` (one transaction on SQLite: all or nothing). When another
 * writer moved one of the streams in between, the whole command is decided
 * again, unless the client gave an expected revision. Returns each part's
 * outcome, in the order decided.
 */
export const handleCommands = async (store: EventStore, run: (decide: Decide) => Promise<void>): Promise<CommandOutcome[]> => {
  for (let attempt = 1; ; attempt++) {
    const parts: Decided[] = [];
    await run(async (decider, aggregateId, command, ctx, reaching) => {
      const { part, after } = await decideOn(store, decider, aggregateId, command, ctx, reaching);
      parts.push(part);
      return after;
    });
    const writes = parts.filter((p) => p.events.length > 0);
    if (writes.length === 0) return parts.map((p) => outcomeOf(p));
    try {
      const results = await store.appendToStreams(writes.map((p) => ({ streamName: p.streamName, events: p.events, expectedRevision: p.expectedRevision })));
      return parts.map((p) => {
        const i = writes.indexOf(p);
        return i < 0 ? outcomeOf(p) : outcomeOf(p, results[i]!);
      });
    } catch (error) {
      const raced = error instanceof ExpectedRevisionConflict || error instanceof DuplicateEventId;
      if (!raced) throw error;
      // The next attempt reads the streams again: the kept folds may be what was wrong.
      for (const p of writes) aggregateCacheOf(store).forget(p.streamName);
      // With a client-given expected revision the client must see the conflict;
      // without one, decide again on the state the other writer left.
      const moved = writes.find((p) => p.streamName === (error as { streamName?: string }).streamName) ?? writes[0]!;
      if (writes.some((p) => p.clientRevision) || attempt >= MAX_ATTEMPTS) {
        const actual = error instanceof ExpectedRevisionConflict ? error.actual : undefined;
        throw conflict(moved.streamName, moved.revision, actual ?? moved.revision);
      }
    }
  }
};

const outcomeOf = (part: Decided, appended?: AppendResult): CommandOutcome =>
  appended === undefined
    ? { streamName: part.streamName, commandId: part.commandId, revision: part.revision, position: part.position, appended: 0, replayed: part.replayed }
    : { streamName: part.streamName, commandId: part.commandId, revision: appended.nextExpectedRevision, position: appended.position, appended: part.events.length, replayed: false };

/** A command on one stream: `handleCommands` with one part. */
export const handleCommand = async <C extends { type: string }, E extends DomainEvent, S>(
  store: EventStore,
  decider: Decider<C, E, S>,
  aggregateId: string,
  command: C,
  ctx: CommandContext,
  /**
   * How this command reaches the stream. The stream is authorized on its own
   * state before deciding, or, for a thing the decision creates, on what the
   * decided events make it, before anything is appended (src/commands/authorization.ts).
   */
  reaching: Reaching,
): Promise<CommandOutcome> => {
  const [outcome] = await handleCommands(store, async (decide) => {
    await decide(decider, aggregateId, command, ctx, reaching);
  });
  return outcome!;
};

const conflict = (stream: string, expected: bigint, actual: bigint | undefined): DomainError =>
  new DomainError(
    'CONFLICT',
    `${stream} was changed by someone else: expected revision ${expected}, current revision ${actual ?? 'none'}`,
    { streamName: stream, expectedRevision: String(expected), currentRevision: actual === undefined ? null : String(actual) },
  );
