/**
 * What auditors ask: replay an aggregate step by step, its state as of a date
 * or revision, what one action caused, and proof that nothing was altered.
 * Read-only, from the event store itself (causation from its index), and
 * every query leaves an `audit access` log line.
 */
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { causedBy } from '../audit/causation';
import { headsDigest, verifyChain, verifyStore, type BrokenLink as ChainBrokenLink, type VerifyReport } from '../audit/hash-chain';
import { replay, stateAsOf, streamOf, type Json, type TimeBasis } from '../audit/replay';
import { forbidden, READ_ROLES } from '../auth/policy';
import { seesNation } from '../auth/scope';
import { hasRole } from '../auth/principal';
import { accessDecider } from '../domain/access';
import { storedEventsOf, upcastEvent, upcastersOf } from '../eventstore/upcasting';
import { auditable, logAuditAccess, mayAudit } from './audit-access';
import { toAuditEvent } from './audit.resolver';
import { AuditEvent } from './audit.type';
import {
  AggregateStateAsOf,
  BrokenLink,
  CausationTrace,
  CausedEvent,
  IntegrityReport,
  ReplayArgs,
  ReplayStep,
  ReplayStepConnection,
  StateAsOfArgs,
} from './audit-replay.type';
import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor, type Page } from './connection';
import type { TashilContext } from './context';
import { AggregateKindEnum, type AggregateKind } from './enums';
import { badUserInput } from './errors';
import { jalaliResolver } from './jalali';
import { revisionArg } from './validation';

const MAX_CAUSED = 1000;
const DEFAULT_CAUSED = 500;

const asObject = (state: Json): Record<string, unknown> =>
  typeof state === 'object' && state !== null && !Array.isArray(state) ? state : { value: state };

const toBrokenLink = (link: ChainBrokenLink): BrokenLink => ({
  streamName: link.streamName,
  revision: String(link.revision),
  position: link.position === null ? null : String(link.position),
  reason: link.reason,
  expected: link.expected,
  actual: link.actual,
});

const toIntegrityReport = (report: VerifyReport, streamName: string | null): IntegrityReport => ({
  ok: report.ok,
  streamName,
  streamsChecked: report.streamsChecked,
  eventsChecked: report.eventsChecked,
  eventsUnhashed: report.eventsUnhashed,
  firstBrokenLink: report.firstBrokenLink && toBrokenLink(report.firstBrokenLink),
  brokenLinks: report.brokenLinks.map(toBrokenLink),
  heads: report.heads.map((h) => ({ streamName: h.streamName, revision: String(h.revision), position: String(h.position), hash: h.hash })),
  headsDigest: headsDigest(report.heads),
});

@Resolver()
export class AuditReplayResolver {
  @Authorized(READ_ROLES.auditTrail)
  @Query(() => ReplayStepConnection, {
    description:
      'Replays one aggregate from its events, step by step: each event with who did it, when and why, the state after it and ' +
      'what it changed. The state is always folded from the first event; the filters only choose which steps are returned.',
  })
  async replay(
    @Arg('kind', () => AggregateKindEnum, { description: 'What kind of thing: its stream is `<kind>-<id>`.' }) kind: AggregateKind,
    @Arg('id', () => ID, { description: 'Its id, as this API issued it.' }) id: string,
    @Args(() => ReplayArgs) args: ReplayArgs,
    @Ctx() ctx: TashilContext,
  ): Promise<Page<ReplayStep>> {
    logAuditAccess(ctx, 'replay', {
      kind,
      id,
      ...(args.actor ? { actor: args.actor } : {}),
      ...(args.eventTypes?.length ? { eventTypes: args.eventTypes } : {}),
      ...(args.from ? { from: args.from.toISOString() } : {}),
      ...(args.to ? { to: args.to.toISOString() } : {}),
    });
    mayAudit(ctx, kind);
    let afterRevision: bigint | undefined;
    if (args.after) {
      const [revision] = decodeCursor(args.after);
      if (typeof revision !== 'string' || !/^\d+$/.test(revision)) {
        throw badUserInput('after: not a cursor this API issued', [{ field: 'after', messages: ['invalid cursor'] }]);
      }
      afterRevision = BigInt(revision);
    }
    const first = args.first ?? DEFAULT_PAGE_SIZE;
    if (!(await auditable(ctx, streamOf(kind, id)))) {
      return { edges: [], totalCount: 0, pageInfo: { hasNextPage: false, hasPreviousPage: afterRevision !== undefined, startCursor: null, endCursor: null } };
    }
    const result = await replay(ctx.store, kind, id, {
      ...(args.actor ? { actor: args.actor } : {}),
      ...(args.eventTypes?.length ? { eventTypes: args.eventTypes } : {}),
      ...(args.from ? { from: args.from } : {}),
      ...(args.to ? { to: args.to } : {}),
      by: args.by ?? 'RECORDED',
      ...(afterRevision !== undefined ? { afterRevision } : {}),
      first,
    });
    const edges = result.steps.map((step) => ({
      cursor: encodeCursor([String(step.stored.revision)]),
      node: { event: toAuditEvent(step.stored, step.current), state: asObject(step.state), changes: step.changes },
    }));
    return {
      edges,
      totalCount: result.totalCount,
      pageInfo: {
        hasNextPage: result.hasNextPage,
        hasPreviousPage: afterRevision !== undefined,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
    };
  }

  @Authorized(READ_ROLES.auditTrail)
  @Query(() => AggregateStateAsOf, {
    description:
      'One aggregate as it stood at a moment (`at`) or after a revision, folded from its events, never read from a read model. ' +
      '`at` is compared with the time the store recorded each event (`by: RECORDED`, the default) or with the business time the ' +
      'command was decided (`by: OCCURRED`). A date without a time of day, such as 1403/07/01, means its first moment (00:00 Tehran); ' +
      'ask 1403/07/02 for the state at the end of 1403/07/01. Without `at` or `revision`: the state now.',
  })
  async stateAsOf(
    @Arg('kind', () => AggregateKindEnum, { description: 'What kind of thing: its stream is `<kind>-<id>`.' }) kind: AggregateKind,
    @Arg('id', () => ID, { description: 'Its id, as this API issued it.' }) id: string,
    @Args(() => StateAsOfArgs) args: StateAsOfArgs,
    @Ctx() ctx: TashilContext,
  ): Promise<AggregateStateAsOf> {
    const at = args.at ?? null;
    const revision = args.revision ?? null;
    const by: TimeBasis = args.by ?? 'RECORDED';
    logAuditAccess(ctx, 'stateAsOf', { kind, id, ...(at ? { at: at.toISOString() } : {}), ...(revision != null ? { revision } : {}), by });
    mayAudit(ctx, kind);
    const upTo = revision == null ? undefined : revisionArg('revision', revision);
    // Outside the caller's scope, the state before the first event: as for a stream that has none.
    const visible = await auditable(ctx, streamOf(kind, id));
    const result = await stateAsOf(ctx.store, kind, id, visible ? { ...(at ? { at } : {}), ...(upTo !== undefined ? { revision: upTo } : {}), by } : { revision: -1n, by });
    const last = result.lastEvent;
    return {
      kind,
      id,
      streamName: result.streamName,
      at,
      by,
      revision: last ? String(last.revision) : null,
      eventsApplied: result.eventsApplied,
      exists: result.eventsApplied > 0,
      state: asObject(result.state),
      lastEvent: last ? toAuditEvent(last, upcastEvent(upcastersOf(ctx.store), last)) : null,
    };
  }

  @Authorized(READ_ROLES.verifyIntegrity)
  @Query(() => IntegrityReport, {
    description:
      'Recomputes the hash chain from the stored events and reports the first broken link: of one aggregate (`kind` and `id`), ' +
      'or of the whole store (neither). Proves nothing was edited, deleted or reordered within a stream, up to its newest event; ' +
      'compare `heads`/`headsDigest` with values published earlier to cover the newest events too (docs/audit.md).',
  })
  async verifyIntegrity(
    @Arg('kind', () => AggregateKindEnum, { nullable: true, description: 'With `id`: check one stream only; absent: the whole store.' }) kind: AggregateKind | null,
    @Arg('id', () => ID, { nullable: true, description: 'With `kind`: the id of the thing whose stream to check.' }) id: string | null,
    @Ctx() ctx: TashilContext,
  ): Promise<IntegrityReport> {
    if ((kind == null) !== (id == null)) {
      const field = kind == null ? 'kind' : 'id';
      throw badUserInput('give both kind and id (one aggregate), or neither (the whole store)', [{ field, messages: [`${field} is required with ${field === 'kind' ? 'id' : 'kind'}`] }]);
    }
    logAuditAccess(ctx, 'verifyIntegrity', { kind, id });
    const stream = kind != null && id != null ? streamOf(kind, id) : undefined;
    // The whole store's report names every stream: the nation's. One stream outside the scope verifies as one with no events.
    if (stream === undefined && !seesNation(ctx.readModels.scope)) throw forbidden('the whole store is verified by national auditors; give kind and id for one of your own');
    const report = stream !== undefined && !(await auditable(ctx, stream)) ? verifyChain([]) : await verifyStore(ctx.store, stream === undefined ? {} : { stream });
    return toIntegrityReport(report, stream ?? null);
  }

  @Authorized(READ_ROLES.auditTrail)
  @Query(() => CausationTrace, {
    description:
      'Everything one user action (`correlationId`) or one command (`commandId`, with everything it caused in turn) led to, ' +
      'across streams, in commit order. Both: the command\'s consequences within that user action.',
  })
  async causedBy(
    @Arg('correlationId', () => ID, { nullable: true, description: 'Everything one user action caused (an `AuditEvent.correlationId`).' }) correlationId: string | null,
    @Arg('commandId', () => ID, { nullable: true, description: 'Everything one command caused (an `AuditEvent.commandId`, or a mutation’s `commandId`).' }) commandId: string | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_CAUSED, description: `At most ${MAX_CAUSED}.` }) first: number,
    @Ctx() ctx: TashilContext,
  ): Promise<CausationTrace> {
    if (correlationId == null && commandId == null) {
      throw badUserInput('give a correlationId, a commandId, or both', [{ field: 'correlationId', messages: ['correlationId or commandId is required'] }]);
    }
    if (!Number.isInteger(first) || first < 1 || first > MAX_CAUSED) {
      throw badUserInput(`first must be between 1 and ${MAX_CAUSED}`, [{ field: 'first', messages: [`first must be between 1 and ${MAX_CAUSED}`] }]);
    }
    logAuditAccess(ctx, 'causedBy', { correlationId, commandId });
    // The index is a projection: let it reach everything committed before the question was asked.
    await ctx.runtime.waitForPosition(await ctx.store.headPosition(), ctx.readYourWritesTimeoutMs, ['causation']);
    const result = causedBy(ctx.runtime.reader('causation'), {
      ...(correlationId != null ? { correlationId } : {}),
      ...(commandId != null ? { commandId } : {}),
      limit: first,
    });
    // A person's access history is for those who may audit it (as `auditTrail(kind: ACCESS)`): a trace leaves it out for others.
    const seesAccess = ctx.principal !== null && hasRole(ctx.principal, ...READ_ROLES.tokenRevocations);
    // Of the other streams, those in the caller's scope (each looked at once).
    const inScope = new Map<string, Promise<boolean>>();
    const visible = (stream: string): Promise<boolean> => {
      let seen = inScope.get(stream);
      if (!seen) inScope.set(stream, (seen = auditable(ctx, stream)));
      return seen;
    };
    const shown = await Promise.all(result.events.map((e) => visible(e.streamName)));
    const events = result.events
      .filter((e, i) => shown[i] && (seesAccess || !e.streamName.startsWith(`${accessDecider.category}-`)))
      .map((e) => ({ ...e, revision: String(e.revision), position: String(e.position) }));
    return {
      correlationId,
      commandId,
      events,
      streams: [...new Set(events.map((e) => e.streamName))],
      truncated: result.truncated,
    };
  }
}

@Resolver(() => CausedEvent)
export class CausedEventResolver {
  @FieldResolver(() => AuditEvent, { nullable: true, description: 'The event itself, as recorded, with its data and hashes.' })
  async event(@Root() caused: CausedEvent, @Ctx() ctx: TashilContext): Promise<AuditEvent | null> {
    const [stored] = await storedEventsOf(ctx.store).readStream(caused.streamName, { fromRevision: BigInt(caused.revision), maxCount: 1 });
    if (!stored || stored.id !== caused.eventId) return null;
    return toAuditEvent(stored, upcastEvent(upcastersOf(ctx.store), stored));
  }
}

export const AUDIT_REPLAY_RESOLVERS: Function[] = [
  AuditReplayResolver,
  CausedEventResolver,
  jalaliResolver(CausedEvent, ['recordedAt']),
  jalaliResolver(AggregateStateAsOf, ['at']),
];
