/**
 * The query side: SQL over the projections' tables, one method per screen
 * need. Each projection is read through its own read-only connection.
 */
import type Database from 'better-sqlite3';
import { visibleHistory, visibleRows, type ReadScope, type RowColumns, type RowKind, type SqlCondition } from '../auth/scope';
import type { ProjectionRuntime } from '../projection/runtime';
import { OBSTACLE_DEADLINE_KEY } from '../../projections/obstacles';
import type { TimelineKind } from '../../projections/unit-history';
import { UNIT_NAME_KEY } from '../../projections/units';
import { DEFAULT_PAGE_SIZE, decodeCursor, toPage, type Page } from './connection';
import { badUserInput } from './errors';
import type { AgendaEntry, Attendee, Meeting, Resolution } from './meeting.type';
import type { Obstacle } from './obstacle.type';
import type { TimelineEntry, Unit } from './unit.type';

type Row = Record<string, unknown>;
const date = (v: unknown): Date => new Date(v as string);
const dateOrNull = (v: unknown): Date | null => (v == null ? null : new Date(v as string));
const str = (v: unknown): string => String(v);
const strOrNull = (v: unknown): string | null => (v == null ? null : String(v));

const toUnit = (r: Row): Unit => ({
  id: str(r.unit_id),
  name: str(r.name),
  nationalId: str(r.national_id),
  sector: str(r.sector),
  province: str(r.province),
  county: str(r.county),
  location: strOrNull(r.location),
  headCount: r.head_count == null ? null : Number(r.head_count),
  isicCode: strOrNull(r.isic_code),
  capacityUtilisation: r.capacity_utilisation == null ? null : Number(r.capacity_utilisation),
  activityStatus: r.activity_status as Unit['activityStatus'],
  statusReason: strOrNull(r.status_reason),
  statusChangedAt: date(r.status_changed_at),
  registeredAt: date(r.registered_at),
  openObstacleCount: Number(r.open_obstacles),
  revision: str(r.revision),
});

export const toObstacle = (r: Row): Obstacle => ({
  id: str(r.obstacle_id),
  unitId: strOrNull(r.unit_id),
  zoneId: strOrNull(r.zone_id),
  unitName: strOrNull(r.unit_name),
  province: str(r.province),
  county: str(r.county),
  title: str(r.title),
  description: str(r.description),
  category: r.category as Obstacle['category'],
  priority: r.priority as Obstacle['priority'],
  status: r.status as Obstacle['status'],
  leadAgency: strOrNull(r.lead_agency),
  leadAgencyId: strOrNull(r.lead_agency_id),
  cooperatingAgencies: JSON.parse(str(r.cooperating_agencies)) as string[],
  deadline: dateOrNull(r.deadline),
  raisedAt: date(r.raised_at),
  referredAt: dateOrNull(r.referred_at),
  lastProgressNote: strOrNull(r.last_progress_note),
  lastProgressAt: dateOrNull(r.last_progress_at),
  resolvedAt: dateOrNull(r.resolved_at),
  resolutionSummary: strOrNull(r.resolution_summary),
  timesReopened: Number(r.times_reopened),
  revision: str(r.revision),
});

const toMeeting = (r: Row): Meeting => ({
  id: str(r.meeting_id),
  workgroupId: strOrNull(r.workgroup_id),
  sequenceNumber: r.sequence_number == null ? null : Number(r.sequence_number),
  province: str(r.province),
  county: str(r.county),
  title: str(r.title),
  scheduledAt: date(r.scheduled_at),
  venue: str(r.venue),
  chair: str(r.chair),
  status: r.status as Meeting['status'],
  heldAt: dateOrNull(r.held_at),
  minutes: strOrNull(r.minutes),
  postponementReason: strOrNull(r.postponement_reason),
  cancellationReason: strOrNull(r.cancellation_reason),
  revision: str(r.revision),
});

const toResolution = (r: Row): Resolution => ({
  id: str(r.resolution_id),
  meetingId: str(r.meeting_id),
  text: str(r.text),
  leadAgency: str(r.lead_agency),
  leadAgencyId: strOrNull(r.lead_agency_id),
  cooperatingAgencies: JSON.parse(str(r.cooperating_agencies)) as string[],
  deadline: date(r.deadline),
  obstacleId: strOrNull(r.obstacle_id),
  unitId: strOrNull(r.unit_id),
  recordedAt: date(r.recorded_at),
});

const toAgendaItem = (r: Row): AgendaEntry => ({
  kind: r.kind as AgendaEntry['kind'],
  subjectId: str(r.subject_id),
  unitId: strOrNull(r.unit_id),
  zoneId: strOrNull(r.zone_id),
  note: strOrNull(r.note),
});

const toAttendee = (r: Row): Attendee => ({ name: str(r.name), agency: str(r.agency), role: strOrNull(r.role) });

const toTimelineEntry = (r: Row): TimelineEntry => ({
  kind: r.kind as TimelineKind,
  summary: str(r.summary),
  occurredAt: date(r.occurred_at),
  actor: str(r.actor),
  subjectType: str(r.subject_type),
  subjectId: str(r.subject_id),
  eventType: str(r.event_type),
  eventId: str(r.event_id),
  position: str(r.position),
});

/** A read-only statement: rows as plain objects keyed by column name, as better-sqlite3 gives them. */
export interface ReadStatement {
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

/**
 * Statements prepared once per reader connection and SQL text. Preparing (SQLite
 * parsing and planning the SQL) cost more than running these small queries. The
 * cache hangs off the connection object: a projection rebuild swaps the
 * read-model file and opens a new connection, and the old connection's
 * statements go with it, so no statement outlives its connection or sees an
 * old schema. The SQL texts come from code (filters are parameters), so each
 * connection's cache holds a bounded set of shapes.
 *
 * Rows are fetched as arrays and turned into objects by a function compiled for
 * the statement's columns (an object literal of fixed shape): better-sqlite3
 * builds each row object one property at a time, which for a page of 50 rows of
 * a dozen columns cost more than twice the whole fetch. Same keys, same values;
 * a column name given twice keeps the last value, as before.
 */
const statements = new WeakMap<Database.Database, Map<string, ReadStatement>>();

const rowBuilder = (statement: Database.Statement): ((values: unknown[]) => Row) => {
  const names = statement.columns().map((c) => c.name);
  // Column names go in as JSON string literals, so no name can break out of the literal.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function('v', `return { ${names.map((n, i) => `${JSON.stringify(n)}: v[${i}]`).join(', ')} };`) as (values: unknown[]) => Row;
};

const readStatement = (db: Database.Database, sql: string): ReadStatement => {
  const statement = db.prepare(sql);
  if (!statement.reader) return statement;
  statement.raw(true);
  const build = rowBuilder(statement);
  return {
    get: (...params) => {
      const values = statement.get(...params) as unknown[] | undefined;
      return values === undefined ? undefined : build(values);
    },
    all: (...params) => (statement.all(...params) as unknown[][]).map(build),
  };
};

export const prepared = (db: Database.Database, sql: string): ReadStatement => {
  let cache = statements.get(db);
  if (!cache) {
    cache = new Map();
    statements.set(db, cache);
  }
  let statement = cache.get(sql);
  if (!statement) {
    statement = readStatement(db, sql);
    cache.set(sql, statement);
  }
  return statement;
};

export interface PageRequest {
  first?: number | null;
  after?: string | null;
}

/** A filter other than equality, e.g. `settled_at IS NULL AND deadline < ?`, with its parameters. */
export type { SqlCondition };

/**
 * Which rows of a table the caller may see. Every helper below takes one, so
 * no statement over a read model is written without saying: `scoped` for a
 * table of things that have a place (src/auth/scope.ts), `THROUGH_PARENT`
 * for a table only ever read for parents the caller already sees (a
 * meeting's agenda, a visit's findings).
 */
export interface Visible {
  readonly conditions: readonly SqlCondition[];
}

export const scoped = (scope: ReadScope, kind: RowKind, columns?: RowColumns): Visible => {
  const condition = visibleRows(scope, kind, columns);
  return { conditions: condition === null ? [] : [condition] };
};

/** Rows reached only through a parent the caller sees: the parent's scope is theirs. */
export const THROUGH_PARENT: Visible = { conditions: [] };

/**
 * How a list is sorted: SQL expressions over its table, the last one unique,
 * all in one direction. A named ordering tags its cursors with its name.
 */
export interface Ordering {
  /** E.g. `RAISED_AT_ASC`; lists with one fixed order leave it out (their cursors carry no name). */
  name?: string;
  /** The order the list had before orderings existed: cursors without a name still continue it. */
  isDefault?: boolean;
  keys: readonly string[];
  descending?: boolean;
}

const orderingOf = (orderBy: readonly string[] | Ordering): Ordering => (isColumnList(orderBy) ? { keys: orderBy } : orderBy);
const isColumnList = (orderBy: readonly string[] | Ordering): orderBy is readonly string[] => Array.isArray(orderBy);

/** `WHERE` clauses and their parameters: `column = value` filters (null and undefined ignored), then the conditions. */
const whereOf = (filters: Record<string, unknown>, conditions: readonly SqlCondition[]): { where: string[]; params: unknown[] } => {
  const where: string[] = [];
  const params: unknown[] = [];
  for (const [column, value] of Object.entries(filters)) {
    if (value === undefined || value === null) continue;
    where.push(`${column} = ?`);
    params.push(value);
  }
  for (const condition of conditions) {
    where.push(`(${condition.sql})`);
    params.push(...condition.params);
  }
  return { where, params };
};

/** Strictly after the cursor's sort key, in the ordering's direction (row-value comparison). */
const afterCursor = (ordering: Ordering, after: string): SqlCondition => {
  const key = decodeCursor(after, ordering.name === undefined ? undefined : { name: ordering.name, isDefault: ordering.isDefault ?? false });
  // A key of another length comes from another list: SQLite would refuse the comparison with an internal error.
  if (key.length !== ordering.keys.length) throw badUserInput('after: not a cursor of this list', [{ field: 'after', messages: ['invalid cursor'] }]);
  return {
    sql: `(${ordering.keys.join(', ')}) ${ordering.descending ? '<' : '>'} (${ordering.keys.map(() => '?').join(', ')})`,
    params: key,
  };
};

const sortKeys = (ordering: Ordering): string => ordering.keys.map((k, i) => `${k} AS sort_key_${i}`).join(', ');
const orderClause = (ordering: Ordering): string => ordering.keys.map((k) => `${k}${ordering.descending ? ' DESC' : ''}`).join(', ');
const keyOf = (ordering: Ordering) => (row: Row) => ordering.keys.map((_, i) => row[`sort_key_${i}`] as string | number);

const clause = (where: string[]): string => (where.length ? ` WHERE ${where.join(' AND ')}` : '');

/**
 * A keyset page over `table`, ordered by `orderBy` (column names, or an
 * `Ordering`). Filters are `column = value` pairs; undefined/null values are
 * ignored. `conditions` are ANDed with them.
 */
export const keysetPage = <T>(
  db: Database.Database,
  table: string,
  visible: Visible,
  orderBy: readonly string[] | Ordering,
  filters: Record<string, unknown>,
  page: PageRequest,
  node: (row: Row) => T,
  filterConditions: readonly SqlCondition[] = [],
): Page<T> => {
  const conditions = [...visible.conditions, ...filterConditions];
  const ordering = orderingOf(orderBy);
  const first = page.first ?? DEFAULT_PAGE_SIZE;
  const { where, params } = whereOf(filters, conditions);
  const cursor = page.after ? [afterCursor(ordering, page.after)] : [];
  const paged = whereOf(filters, [...conditions, ...cursor]);
  const rows = prepared(db, `SELECT *, ${sortKeys(ordering)} FROM ${table}${clause(paged.where)} ORDER BY ${orderClause(ordering)} LIMIT ?`).all(...paged.params, first + 1) as Row[];
  const count = () => (prepared(db, `SELECT COUNT(*) AS n FROM ${table}${clause(where)}`).get(...params) as { n: number }).n;
  return toPage(rows, first, Boolean(page.after), count, keyOf(ordering), node, ordering.name);
};

/** Keys as one JSON parameter: `column IN (SELECT value FROM json_each(?))` is one statement whatever their number. */
export const inKeys = (column: string): string => `${column} IN (SELECT value FROM json_each(?))`;
export const keysParam = (keys: readonly string[]): string => JSON.stringify(keys);

/** `AND …` for a statement that already has a WHERE clause, and its parameters. */
export const andVisible = (visible: Visible): { sql: string; params: unknown[] } => ({
  sql: visible.conditions.map((c) => ` AND (${c.sql})`).join(''),
  params: visible.conditions.flatMap((c) => c.params),
});

/** Rows of `table` by their id column, in one statement; ids without a (visible) row are absent from the map. */
export const rowsByIds = <T>(db: Database.Database, table: string, visible: Visible, idColumn: string, ids: readonly string[], map: (row: Row) => T): Map<string, T> => {
  const scope = andVisible(visible);
  const rows = prepared(db, `SELECT * FROM ${table} WHERE ${inKeys(idColumn)}${scope.sql}`).all(keysParam(ids), ...scope.params) as Row[];
  return new Map(rows.map((r) => [String(r[idColumn]), map(r)]));
};

/** One row of `table` by its id; null when there is none, or the caller may not see it. */
export const rowById = <T>(db: Database.Database, table: string, visible: Visible, idColumn: string, id: string, map: (row: Row) => T): T | null => {
  const scope = andVisible(visible);
  const row = prepared(db, `SELECT * FROM ${table} WHERE ${idColumn} = ?${scope.sql}`).get(id, ...scope.params) as Row | undefined;
  return row ? map(row) : null;
};

/** Rows of `table` for many parents in one statement, each parent's in `orderBy` order. */
export const rowsOfParents = <T>(
  db: Database.Database,
  table: string,
  visible: Visible,
  parentColumn: string,
  parents: readonly string[],
  orderBy: string,
  map: (row: Row) => T,
): Map<string, T[]> => {
  const scope = andVisible(visible);
  const rows = prepared(db, `SELECT * FROM ${table} WHERE ${inKeys(parentColumn)}${scope.sql} ORDER BY ${parentColumn}, ${orderBy}`).all(
    keysParam(parents),
    ...scope.params,
  ) as Row[];
  return groupRows(parents, rows, parentColumn, map);
};

/** Rows grouped by the value of `column`, every key present (an empty list when it has no rows). */
export const groupRows = <T>(keys: readonly string[], rows: Row[], column: string, map: (row: Row) => T): Map<string, T[]> => {
  const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
  for (const row of rows) groups.get(String(row[column]))?.push(map(row));
  return groups;
};

/**
 * The same page of one list per parent (a unit's history, each unit's
 * obstacles…), for many parents in two statements, whatever their number: the
 * counts, and the rows. Each parent's rows are an indexed `LIMIT` that stops
 * after the page (a correlated subquery per parent), so a page costs the same
 * with ten events of history as with ten thousand. (Numbering every row of
 * every parent with a window function, as this did first, read each parent's
 * whole list: 0.2 ms for a page of 50 of 100 entries, 5.5 ms of 10,000.)
 * Parents come in as `page_parents(page_parent)`, a name no read-model table
 * uses, so the ordering's unqualified columns mean the table's.
 */
export const keysetPages = <T>(
  db: Database.Database,
  table: string,
  visible: Visible,
  orderBy: readonly string[] | Ordering,
  parentColumn: string,
  parents: readonly string[],
  filters: Record<string, unknown>,
  page: PageRequest,
  node: (row: Row) => T,
  filterConditions: readonly SqlCondition[] = [],
): Map<string, Page<T>> => {
  const conditions = [...visible.conditions, ...filterConditions];
  const ordering = orderingOf(orderBy);
  const first = page.first ?? DEFAULT_PAGE_SIZE;
  const parentsIn: SqlCondition = { sql: inKeys(parentColumn), params: [keysParam(parents)] };
  const { where, params } = whereOf(filters, [parentsIn, ...conditions]);
  // Every parent's count in one statement, run when the first page's totalCount is read.
  let totals: Map<string, number> | undefined;
  const totalOf = (parent: string) => (): number => {
    totals ??= new Map(
      (prepared(db, `SELECT ${parentColumn} AS parent, COUNT(*) AS n FROM ${table}${clause(where)} GROUP BY ${parentColumn}`).all(...params) as { parent: string; n: number }[]).map(
        (c) => [String(c.parent), Number(c.n)],
      ),
    );
    return totals.get(parent) ?? 0;
  };
  const cursor = page.after ? [afterCursor(ordering, page.after)] : [];
  const ofParent: SqlCondition = { sql: `${parentColumn} = page_parents.page_parent`, params: [] };
  const paged = whereOf(filters, [ofParent, ...conditions, ...cursor]);
  const rows = prepared(
    db,
    `WITH page_parents(page_parent) AS (SELECT value FROM json_each(?))
     SELECT page_row.*, ${sortKeys(ordering)} FROM page_parents JOIN ${table} AS page_row ON page_row.rowid IN
       (SELECT rowid FROM ${table}${clause(paged.where)} ORDER BY ${orderClause(ordering)} LIMIT ?)
     ORDER BY page_row.${parentColumn}, ${orderClause(ordering)}`,
  ).all(keysParam(parents), ...paged.params, first + 1) as Row[];
  const grouped = groupRows(parents, rows, parentColumn, (r) => r);
  return new Map(
    parents.map((parent) => [parent, toPage(grouped.get(parent) ?? [], first, Boolean(page.after), totalOf(parent), keyOf(ordering), node, ordering.name)]),
  );
};

export type Direction = 'ASC' | 'DESC';

/** The orderings a list offers: each a sort key (SQL), then the id so the key is unique. */
const orderings =
  <K extends Record<string, string>>(idColumn: string, keys: K, defaultField: keyof K & string) =>
  (field: (keyof K & string) | null | undefined, direction: Direction | null | undefined): Ordering => {
    const f = field ?? defaultField;
    const d = direction ?? 'ASC';
    return { name: `${f}_${d}`, isDefault: f === defaultField && d === 'ASC', keys: [keys[f]!, idColumn], descending: d === 'DESC' };
  };

export const obstacleOrdering = orderings('obstacle_id', { RAISED_AT: 'raised_at', DEADLINE: OBSTACLE_DEADLINE_KEY, LAST_CHANGE: 'position' }, 'RAISED_AT');
export const unitOrdering = orderings('unit_id', { REGISTERED_AT: 'registered_at', NAME: UNIT_NAME_KEY }, 'REGISTERED_AT');
export const meetingOrdering = orderings('meeting_id', { SCHEDULED_AT: 'scheduled_at' }, 'SCHEDULED_AT');
export const resolutionOrdering = orderings('resolution_id', { RECORDED_AT: 'recorded_at', DEADLINE: 'deadline' }, 'RECORDED_AT');
const OBSTACLES_BY_RAISED = obstacleOrdering(null, null);
/**
 * A unit's history in the order things happened (a meeting entered late takes its place), then as
 * recorded. Named, so a cursor of the order by position it had before is told apart (start again).
 */
const HISTORY_ORDER: Ordering = { name: 'OCCURRED_AT', keys: ['occurred_at', 'position'] };

/**
 * The core read models as one caller sees them: every statement ANDs the
 * caller's scope (`scope`), so lists, counts, cursors and items agree.
 */
export class ReadModels {
  constructor(
    private readonly runtime: ProjectionRuntime,
    /** What the caller may read; the other read models of the request take theirs from here. */
    readonly scope: ReadScope,
  ) {}

  private db(projection: string): Database.Database {
    return this.runtime.reader(projection);
  }

  private get units_(): Visible {
    return scoped(this.scope, 'unit');
  }

  private get obstacles_(): Visible {
    return scoped(this.scope, 'obstacle');
  }

  /** A unit's history, for a unit the caller sees: an agency's users see the entries of their own cases only. */
  private get history_(): Visible {
    const condition = visibleHistory(this.scope);
    return { conditions: condition === null ? [] : [condition] };
  }

  private get meetings_(): Visible {
    return scoped(this.scope, 'meeting');
  }

  /**
   * The meetings projection's resolutions: a resolution lies where its meeting
   * does (both tables are in one file), and an agency sees those binding it or
   * on its cases.
   */
  private get resolutions_(): Visible {
    const place = visibleRows(this.scope, 'meeting', { province: 'm.province', county: 'm.county' });
    if (this.scope.kind === 'AGENCY') return scoped(this.scope, 'resolution');
    return {
      conditions: place === null ? [] : [{ sql: `meeting_id IN (SELECT m.meeting_id FROM meetings m WHERE ${place.sql})`, params: place.params }],
    };
  }

  /**
   * A unit as the caller sees it. Its open-obstacle count is the row's own
   * (every case of a unit lies in the unit's place), except for an agency user,
   * who counts the open cases of it that are the agency's: a count must not
   * tell of cases the caller cannot open.
   */
  private get toUnit_(): (r: Row) => Unit {
    if (this.scope.kind !== 'AGENCY') return toUnit;
    const visible = andVisible(this.obstacles_);
    const open = prepared(this.db('obstacles'), `SELECT COUNT(*) AS n FROM obstacles WHERE unit_id = ? AND status <> 'RESOLVED'${visible.sql}`);
    return (r) => ({ ...toUnit(r), openObstacleCount: Number((open.get(r.unit_id, ...visible.params) as { n: number }).n) });
  }

  unit(id: string): Unit | null {
    return rowById(this.db('units'), 'units', this.units_, 'unit_id', id, this.toUnit_);
  }

  units(
    filter: { county?: string | null; activityStatus?: string | null; zoneId?: string | null; sector?: string | null },
    page: PageRequest,
    orderBy: Ordering = unitOrdering(null, null),
  ): Page<Unit> {
    return keysetPage(
      this.db('units'),
      'units',
      this.units_,
      orderBy,
      { county: filter.county, activity_status: filter.activityStatus, zone_id: filter.zoneId, sector: filter.sector },
      page,
      this.toUnit_,
    );
  }

  /** A unit's history in the order it happened, for a unit the caller sees (the live updates follow units checked on subscribing). */
  unitHistory(unitId: string, page: PageRequest): Page<TimelineEntry> {
    return keysetPage(this.db('unit-history'), 'unit_history', this.history_, HISTORY_ORDER, { unit_id: unitId }, page, toTimelineEntry);
  }

  /** The entries of a unit's history recorded at positions in (`after`, `upTo`], in the order recorded: what a batch of events added. */
  historyRecordedBetween(unitId: string, after: bigint, upTo: bigint): TimelineEntry[] {
    return (
      prepared(this.db('unit-history'), `SELECT * FROM unit_history WHERE unit_id = ? AND position > ? AND position <= ? ORDER BY position`).all(
        unitId,
        after,
        upTo,
      ) as Row[]
    ).map(toTimelineEntry);
  }

  obstacle(id: string): Obstacle | null {
    return rowById(this.db('obstacles'), 'obstacles', this.obstacles_, 'obstacle_id', id, toObstacle);
  }

  obstacles(
    filter: {
      unitId?: string | null;
      county?: string | null;
      status?: string | null;
      category?: string | null;
      leadAgency?: string | null;
      leadAgencyId?: string | null;
      level?: string | null;
      workgroupId?: string | null;
    },
    page: PageRequest,
    orderBy: Ordering = OBSTACLES_BY_RAISED,
  ): Page<Obstacle> {
    return keysetPage(
      this.db('obstacles'),
      'obstacles',
      this.obstacles_,
      orderBy,
      {
        unit_id: filter.unitId,
        county: filter.county,
        status: filter.status,
        category: filter.category,
        lead_agency: filter.leadAgency,
        lead_agency_id: filter.leadAgencyId,
        level: filter.level,
        workgroup_id: filter.workgroupId,
      },
      page,
      toObstacle,
    );
  }

  meeting(id: string): Meeting | null {
    return rowById(this.db('meetings'), 'meetings', this.meetings_, 'meeting_id', id, toMeeting);
  }

  meetings(filter: { county?: string | null; status?: string | null }, page: PageRequest, orderBy: Ordering = meetingOrdering(null, null)): Page<Meeting> {
    return keysetPage(this.db('meetings'), 'meetings', this.meetings_, orderBy, { county: filter.county, status: filter.status }, page, toMeeting);
  }

  resolution(id: string): Resolution | null {
    return rowById(this.db('meetings'), 'resolutions', this.resolutions_, 'resolution_id', id, toResolution);
  }
  // ─── Batches: one statement for many parents, for the per-request loaders ──

  unitsByIds(ids: readonly string[]): Map<string, Unit> {
    return rowsByIds(this.db('units'), 'units', this.units_, 'unit_id', ids, this.toUnit_);
  }

  obstaclesByIds(ids: readonly string[]): Map<string, Obstacle> {
    return rowsByIds(this.db('obstacles'), 'obstacles', this.obstacles_, 'obstacle_id', ids, toObstacle);
  }

  meetingsByIds(ids: readonly string[]): Map<string, Meeting> {
    return rowsByIds(this.db('meetings'), 'meetings', this.meetings_, 'meeting_id', ids, toMeeting);
  }

  historyOfUnits(unitIds: readonly string[], page: PageRequest): Map<string, Page<TimelineEntry>> {
    return keysetPages(this.db('unit-history'), 'unit_history', this.history_, HISTORY_ORDER, 'unit_id', unitIds, {}, page, toTimelineEntry);
  }

  obstaclesOfUnits(unitIds: readonly string[], filter: { status?: string | null }, page: PageRequest, orderBy: Ordering = OBSTACLES_BY_RAISED): Map<string, Page<Obstacle>> {
    return keysetPages(this.db('obstacles'), 'obstacles', this.obstacles_, orderBy, 'unit_id', unitIds, { status: filter.status }, page, toObstacle);
  }

  agendas(meetingIds: readonly string[]): Map<string, AgendaEntry[]> {
    return rowsOfParents(this.db('meetings'), 'meeting_agenda', THROUGH_PARENT, 'meeting_id', meetingIds, 'position', toAgendaItem);
  }

  attendeesOf(meetingIds: readonly string[]): Map<string, Attendee[]> {
    return rowsOfParents(this.db('meetings'), 'meeting_attendees', THROUGH_PARENT, 'meeting_id', meetingIds, 'seq', toAttendee);
  }

  resolutionsOfMeetings(meetingIds: readonly string[]): Map<string, Resolution[]> {
    return rowsOfParents(this.db('meetings'), 'resolutions', this.resolutions_, 'meeting_id', meetingIds, 'position', toResolution);
  }

  resolutionsOfObstacles(obstacleIds: readonly string[]): Map<string, Resolution[]> {
    return rowsOfParents(this.db('meetings'), 'resolutions', this.resolutions_, 'obstacle_id', obstacleIds, 'position', toResolution);
  }
}
