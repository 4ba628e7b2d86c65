/**
 * Per-request batching (dataloader): a field resolved for every item of a
 * page asks its loader, and the loader asks SQLite once for all of them
 * (`WHERE id IN (…)`), so a nested query costs the same number of statements
 * for a page of 5 as for a page of 100.
 *
 * The loaders batch but do not cache (`cache: false`). A request context may
 * outlive one read: a mutation's payload is read after its own write, and a
 * subscription runs every event through the context it started with. A cache
 * would answer those with what was true earlier; batching alone never can.
 */
import DataLoader from 'dataloader';
import type { Agency } from './agency.type';
import type { Commitment, CommitmentExtension } from './commitment.type';
import type { Page, PageInfo } from './connection';
import type { TashilContext } from './context';
import type { ObstacleLevelPeriod } from './escalation.type';
import { followUpReadModels } from './follow-up.read-models';
import type { AgendaEntry, Attendee, Meeting, Resolution } from './meeting.type';
import type { Obstacle } from './obstacle.type';
import type { Ordering, PageRequest } from './read-models';
import { registryReads } from './registry.read-models';
import type { ResolutionWithCourse } from './resolution-follow-up.type';
import type { TimelineEntry, Unit } from './unit.type';
import type { NamedUnit, Visit, VisitFinding, Visitor } from './visit.type';
import type { Workgroup } from './workgroup.type';
import type { ConversionStep, Zone } from './zone.type';
import type { ObstacleLevel } from '../domain/obstacle';
import { asNode } from './node';

type Batch<V> = (keys: readonly string[]) => Map<string, V>;

/** One value per key: what the batch found, or `missing`. */
const loader = <V>(batch: Batch<V>, missing: V): DataLoader<string, V> =>
  new DataLoader<string, V>(async (keys) => {
    const found = batch([...new Set(keys)]);
    return keys.map((key) => found.get(key) ?? missing);
  }, { cache: false });

const EMPTY_PAGE_INFO: PageInfo = { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null };
const emptyPage = <T>(): Page<T> => ({ edges: [], pageInfo: EMPTY_PAGE_INFO, totalCount: 0 });

/**
 * A list per parent that takes arguments (a page, a filter, an ordering).
 * Siblings normally ask with the same arguments; those that do share one batch.
 */
export interface ParentArgs<A> {
  parent: string;
  args: A;
}

const withArgs = <A, V>(batch: (parents: readonly string[], args: A) => Map<string, V>, missing: () => V): DataLoader<ParentArgs<A>, V> =>
  new DataLoader<ParentArgs<A>, V>(
    async (keys) => {
      const byArgs = new Map<string, { args: A; parents: Set<string> }>();
      for (const { parent, args } of keys) {
        const id = JSON.stringify(args);
        const group = byArgs.get(id) ?? { args, parents: new Set<string>() };
        group.parents.add(parent);
        byArgs.set(id, group);
      }
      const results = new Map<string, Map<string, V>>();
      for (const [id, { args, parents }] of byArgs) results.set(id, batch([...parents], args));
      return keys.map(({ parent, args }) => results.get(JSON.stringify(args))?.get(parent) ?? missing());
    },
    { cache: false },
  );

/** The page arguments only, so that equal requests group together whatever else their args object carries. */
export const pageOf = (page: PageRequest): PageRequest => ({ first: page.first ?? null, after: page.after ?? null });

const build = (ctx: TashilContext) => {
  const core = ctx.readModels;
  const registry = registryReads(ctx);
  const followUp = followUpReadModels(ctx);
  return {
    // By id.
    unit: loader<Unit | null>((ids) => core.unitsByIds(ids), null),
    obstacle: loader<Obstacle | null>((ids) => core.obstaclesByIds(ids), null),
    meeting: loader<Meeting | null>((ids) => core.meetingsByIds(ids), null),
    resolution: loader<ResolutionWithCourse | null>((ids) => followUp.resolutionsByIds(ids), null),
    agency: loader<Agency | null>((ids) => registry.agenciesByIds(ids), null),
    workgroup: loader<Workgroup | null>((ids) => registry.workgroupsByIds(ids), null),
    zone: loader<Zone | null>((ids) => registry.zonesByIds(ids), null),
    visit: loader<Visit | null>((ids) => followUp.visitsByIds(ids), null),
    commitment: loader<Commitment | null>((ids) => followUp.commitmentsByIds(ids), null),
    node: new DataLoader<string, object | null>(
      async (ids) => {
        const found = findNodes([...new Set(ids)], { core, registry, followUp });
        return ids.map((id) => found.get(id) ?? null);
      },
      { cache: false },
    ),
    // Lists of a unit.
    unitHistory: withArgs<PageRequest, Page<TimelineEntry>>((ids, page) => core.historyOfUnits(ids, page), emptyPage),
    unitObstacles: withArgs<{ status: string | null; page: PageRequest; orderBy: Ordering }, Page<Obstacle>>(
      (ids, { status, page, orderBy }) => core.obstaclesOfUnits(ids, { status }, page, orderBy),
      emptyPage,
    ),
    zoneOfUnit: loader<Zone | null>((ids) => registry.zonesOfUnits(ids), null),
    // Lists of a meeting or an obstacle.
    agenda: loader<AgendaEntry[]>((ids) => core.agendas(ids), []),
    attendees: loader<Attendee[]>((ids) => core.attendeesOf(ids), []),
    resolutionsOfMeeting: loader<Resolution[]>((ids) => core.resolutionsOfMeetings(ids), []),
    resolutionsOfObstacle: loader<Resolution[]>((ids) => core.resolutionsOfObstacles(ids), []),
    obstacleLevel: loader<{ level: ObstacleLevel; workgroupId: string | null } | null>((ids) => followUp.obstacleLevels(ids), null),
    levelHistory: loader<ObstacleLevelPeriod[]>((ids) => followUp.levelHistories(ids), []),
    // Registries.
    formerNames: loader<string[]>((ids) => registry.formerNamesOf(ids), []),
    unitIdsOfZone: withArgs<PageRequest, Page<string>>((ids, page) => registry.unitIdsOfZones(ids, page), emptyPage),
    zoneObstacles: withArgs<{ status: string | null; page: PageRequest }, Page<Obstacle>>(
      (ids, { status, page }) => registry.obstaclesOfZones(ids, { status }, page),
      emptyPage,
    ),
    conversionSteps: loader<ConversionStep[]>((ids) => registry.conversionStepsOf(ids), []),
    // Follow-up.
    visitors: loader<Visitor[]>((ids) => followUp.visitorsOf(ids), []),
    visitedUnits: loader<NamedUnit[]>((ids) => followUp.visitedUnitsOf(ids), []),
    findings: loader<VisitFinding[]>((ids) => followUp.findingsOf(ids), []),
    obstacleIdsOfVisit: loader<string[]>((ids) => followUp.obstacleIdsOfVisits(ids), []),
    commitmentsOfVisit: withArgs<PageRequest, Page<Commitment>>((ids, page) => followUp.commitmentsOfSources('VISIT', ids, page), emptyPage),
    commitmentUnits: loader<NamedUnit[]>((ids) => followUp.commitmentUnitsOf(ids), []),
    extensions: loader<CommitmentExtension[]>((ids) => followUp.extensionsOf(ids), []),
  };
};

/**
 * Which read model has each id: one `IN` statement per kind of node, whatever
 * the number of ids. Each value is tagged with its GraphQL type for `Node`.
 */
const findNodes = (
  ids: readonly string[],
  reads: { core: TashilContext['readModels']; registry: ReturnType<typeof registryReads>; followUp: ReturnType<typeof followUpReadModels> },
): Map<string, object> => {
  const { core, registry, followUp } = reads;
  const sources: [string, (ids: readonly string[]) => Map<string, object>][] = [
    ['Unit', (k) => core.unitsByIds(k)],
    ['Obstacle', (k) => core.obstaclesByIds(k)],
    ['Meeting', (k) => core.meetingsByIds(k)],
    ['Resolution', (k) => followUp.resolutionsByIds(k)],
    ['Agency', (k) => registry.agenciesByIds(k)],
    ['Workgroup', (k) => registry.workgroupsByIds(k)],
    ['Zone', (k) => registry.zonesByIds(k)],
    ['Visit', (k) => followUp.visitsByIds(k)],
    ['Commitment', (k) => followUp.commitmentsByIds(k)],
  ];
  const found = new Map<string, object>();
  let missing = ids;
  for (const [typeName, batch] of sources) {
    // Ids are unique across kinds: once found, an id is not looked for again.
    if (missing.length === 0) break;
    for (const [id, value] of batch(missing)) found.set(id, asNode(value, typeName));
    missing = missing.filter((id) => !found.has(id));
  }
  return found;
};

export type Loaders = ReturnType<typeof build>;

const perRequest = new WeakMap<TashilContext, Loaders>();

/** The request's loaders, made on first use: every context gets them, however it was built (HTTP, WebSocket, tests). */
export const loaders = (ctx: TashilContext): Loaders => {
  let made = perRequest.get(ctx);
  if (!made) {
    made = build(ctx);
    perRequest.set(ctx, made);
  }
  return made;
};

/** Loads many ids with one batch, keeping their order and leaving out those that have no row. */
export const loadAll = async <V>(load: DataLoader<string, V | null>, ids: readonly string[]): Promise<V[]> =>
  (await load.loadMany(ids)).filter((v): v is V => v !== null && !(v instanceof Error));
