import { Arg, Args, Authorized, Ctx, ID, Query, Resolver } from 'type-graphql';
import { streamOf } from '../audit/replay';
import { READ_ROLES, rolesFor } from '../auth/policy';
import type { RecordedEvent } from '../eventstore/event-store';
import { storedEventsOf, upcastEvent, upcastersOf } from '../eventstore/upcasting';
import { auditable, logAuditAccess, mayAudit } from './audit-access';
import { AuditEventConnection, type AuditEvent } from './audit.type';
import { DEFAULT_PAGE_SIZE, decodeCursor, PageArgs, toPage, type Page } from './connection';
import type { TashilContext } from './context';
import { AggregateKindEnum, type AggregateKind } from './enums';
import { badUserInput } from './errors';

/**
 * An event for auditors: `e` as it was recorded; `current`, the same event as
 * the deciders fold it (upcast to today's shape; default `e` itself).
 */
/** An entry recorded more than this after it happened is a late one. */
const LATE_MS = 24 * 3600 * 1000;

export const toAuditEvent = (e: RecordedEvent, current: RecordedEvent = e): AuditEvent => ({
  eventId: e.id,
  type: e.type,
  schemaVersion: e.schemaVersion,
  streamName: e.streamName,
  revision: String(e.revision),
  position: String(e.position),
  recordedAt: e.recordedAt,
  occurredAt: new Date(e.metadata.occurredAt),
  entryDelaySeconds: (e.recordedAt.getTime() - Date.parse(e.metadata.occurredAt)) / 1000,
  recordedLate: e.recordedAt.getTime() - Date.parse(e.metadata.occurredAt) > LATE_MS,
  actor: e.metadata.actor,
  command: e.metadata.command,
  commandId: e.metadata.commandId,
  correlationId: e.metadata.correlationId,
  clientCorrelationId: typeof e.metadata.clientCorrelationId === 'string' ? e.metadata.clientCorrelationId : null,
  causationId: e.metadata.causationId,
  reason: e.metadata.reason ?? null,
  idempotencyKey: e.metadata.idempotencyKey ?? null,
  data: e.data,
  currentSchemaVersion: current.schemaVersion,
  currentData: current.data,
  hash: typeof e.metadata.hash === 'string' ? e.metadata.hash : null,
  previousHash: typeof e.metadata.previousHash === 'string' ? e.metadata.previousHash : null,
});

/**
 * Every event of one stream, oldest first, read from the store itself (never
 * from a read model). Logs the access: every path to an audit trail (the
 * query, and the `auditTrail` field of each entity) comes through here.
 */
export const auditTrail = async (ctx: TashilContext, kind: AggregateKind, id: string, args: PageArgs): Promise<Page<AuditEvent>> => {
  logAuditAccess(ctx, 'auditTrail', { kind, id });
  mayAudit(ctx, kind);
  const stream = streamOf(kind, id);
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!(await auditable(ctx, stream))) return toPage([], first, false, 0, () => [], (e: AuditEvent) => e);
  let from = 0n;
  if (args.after) {
    const [revision] = decodeCursor(args.after);
    if (typeof revision !== 'string' || !/^\d+$/.test(revision)) {
      throw badUserInput('after: not a cursor this API issued', [{ field: 'after', messages: ['invalid cursor'] }]);
    }
    from = BigInt(revision) + 1n;
  }
  // As recorded, not as upcast: the trail shows what the hash chain covers, and today's shape beside it.
  const stored = storedEventsOf(ctx.store);
  const upcasters = upcastersOf(ctx.store);
  const [events, last] = await Promise.all([
    stored.readStream(stream, { fromRevision: from, maxCount: first + 1 }),
    stored.readStream(stream, { direction: 'backwards', maxCount: 1 }),
  ]);
  const total = last[0] ? Number(last[0].revision) + 1 : 0;
  return toPage(events, first, from > 0n, total, (e) => [String(e.revision)], (e) => toAuditEvent(e, upcastEvent(upcasters, e)));
};

@Resolver()
export class AuditResolver {
  @Authorized(READ_ROLES.auditTrail)
  @Query(() => AuditEventConnection, {
    description: 'Every event of one aggregate (unit, obstacle, meeting, resolution, zone, visit, commitment, agency, workgroup, a person\'s access), in order, with who did it, when and why (read from the event store).',
  })
  async auditTrail(
    @Arg('kind', () => AggregateKindEnum, { description: 'What kind of thing: its stream is `<kind>-<id>`.' }) kind: AggregateKind,
    @Arg('id', () => ID, { description: 'Its id, as this API issued it.' }) id: string,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: TashilContext,
  ): Promise<Page<AuditEvent>> {
    return auditTrail(ctx, kind, id, page);
  }
}
