/**
 * The shipped analytics, each over its own projection: the county dashboard,
 * agency performance, obstacle categories over time, and promises kept.
 * Months are Solar Hijri (`1403-09`), Tehran time.
 *
 * Every figure counts only the rows the caller's read scope sees
 * (src/auth/scope.ts, `visibleRows` over each table's place columns): national
 * figures are for national users. The figures of places (a county's
 * dashboard, obstacles per category, promises kept) are for readers of a
 * place; an agency's users read their own resolutions' performance.
 */
import { IsOptional, Matches } from 'class-validator';
import { Args, ArgsType, Authorized, Ctx, Field, Float, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { forbidden, READ_ROLES } from '../auth/policy';
import { describeScope, servedScope, visibleRows, type ReadScope, type SqlCondition } from '../auth/scope';
import type { TashilContext } from './context';
import { OptionalText, Text } from './validation';

const MONTH = /^1[34]\d\d-(0[1-9]|1[0-2])$/;

@ObjectType({ description: 'How many units of a county are in one activity status.' })
export class StatusCount {
  @Field({ description: 'ACTIVE, SEMI_ACTIVE or INACTIVE.' })
  status!: string;

  @Field(() => Int, { description: 'Units in that status.' })
  units!: number;
}

@ObjectType({ description: 'Units revived to active in one Jalali month, by the status they came from.' })
export class RevivalCount {
  @Field({ description: 'Solar Hijri month, e.g. 1403-09.' })
  jalaliMonth!: string;

  @Field({ description: 'The status the units were revived from: SEMI_ACTIVE or INACTIVE.' })
  fromStatus!: string;

  @Field(() => Int, { description: 'Units that became active from that status in the month.' })
  revivals!: number;
}

@ObjectType({ description: 'A county at a glance (داشبورد شهرستان).' })
export class CountyDashboard {
  @Field({ description: 'The county (شهرستان).' })
  county!: string;

  @Field(() => Int, { description: 'Production units registered in the county.' })
  totalUnits!: number;

  @Field(() => [StatusCount], { description: 'Units per activity status.' })
  byStatus!: StatusCount[];

  @Field(() => [RevivalCount], { description: 'Revivals from semi-active or idle to active, per month.' })
  revivals!: RevivalCount[];
}

@ObjectType({ description: "An agency's resolutions whose deadline falls in one Jalali month." })
export class AgencyScore {
  @Field({ description: 'The lead agency (دستگاه مسئول), as named in the resolutions.' })
  agency!: string;

  @Field({ description: 'Solar Hijri month the resolutions were due in, e.g. 1403-09.' })
  jalaliMonth!: string;

  @Field(() => Int, { description: 'Resolutions due that month.' })
  due!: number;

  @Field(() => Int, { description: 'Implemented no later than the deadline (اجرا در مهلت).' })
  implementedOnTime!: number;

  @Field(() => Int, { description: 'Implemented after the deadline.' })
  implementedLate!: number;

  @Field(() => Int, { description: 'Deadline passed with no outcome yet (as of now).' })
  overdue!: number;

  @Field(() => Int, { description: 'Objected to by the agency (اعتراض).' })
  objected!: number;

  @Field(() => Int, { description: 'Recorded as no action taken (بلااقدام).' })
  noAction!: number;

  @Field(() => Int, { description: 'Recorded as not implemented (اجرا نشد).' })
  notImplemented!: number;

  @Field(() => Float, { nullable: true, description: 'Median days from the resolution to its implementation.' })
  medianDaysToImplement!: number | null;
}

@ObjectType({ description: 'Obstacles of one category raised and resolved in one Solar Hijri month.' })
export class CategoryMonth {
  @Field({ description: 'Solar Hijri month, e.g. 1403-09.' })
  jalaliMonth!: string;

  @Field({ description: 'The obstacle category (نوع مانع).' })
  category!: string;

  @Field(() => Int, { description: 'Obstacles of this category raised in the month.' })
  raised!: number;

  @Field(() => Int, { description: 'Obstacles of this category resolved in the month.' })
  resolved!: number;
}

@ObjectType({ description: "One promiser's record (قول‌ها): kept, broken, still open." })
export class PromiseScore {
  @Field({ description: 'Who made the promises, as recorded.' })
  madeBy!: string;

  @Field(() => Int, { description: 'Promises recorded as kept, on time or late.' })
  kept!: number;

  @Field(() => Int, { description: 'Kept by the originally promised date.' })
  keptOnTime!: number;

  @Field(() => Int, { description: 'Promises recorded as broken.' })
  broken!: number;

  @Field(() => Int, { description: 'Promises neither kept nor broken yet.' })
  open!: number;

  @Field(() => Int, { description: 'Open and past their (possibly extended) due date, as of now.' })
  overdue!: number;
}

interface MonthRange {
  fromMonth?: string | null;
  toMonth?: string | null;
}

/**
 * Arguments plus the months an answer covers, both ends included; from the
 * first month or up to the last when an end is absent. A chart of the last
 * year asks for twelve months and reads twelve months' rows however long the
 * history is. (A mixin: type-graphql reads the fields of every class in the chain.)
 */
const withMonthRange = <Base extends new (...args: any[]) => object>(base: Base) => {
  @ArgsType()
  class WithMonthRange extends base implements MonthRange {
    @Field(() => String, { nullable: true, description: 'From this Jalali month (1403-01).' })
    @IsOptional()
    @Matches(MONTH, { message: 'fromMonth must be a Jalali month like 1403-01' })
    fromMonth?: string | null;

    @Field(() => String, { nullable: true, description: 'Up to this Jalali month (1403-12).' })
    @IsOptional()
    @Matches(MONTH, { message: 'toMonth must be a Jalali month like 1403-12' })
    toMonth?: string | null;
  }
  return WithMonthRange;
};

/**
 * A WHERE clause of plain conditions, which an index serves (`(? IS NULL OR …)` keeps SQLite from
 * using one): each column given a value equal to it, `monthColumn` within the range, and the
 * caller's scope (`visible`: none for a national user).
 */
const whereOf = (
  equal: Record<string, string | null | undefined>,
  visible: readonly SqlCondition[],
  monthColumn?: string,
  { fromMonth, toMonth }: MonthRange = {},
): { where: string; params: unknown[] } => {
  const sql: string[] = [];
  const params: unknown[] = [];
  const add = (condition: string, value: string | null | undefined): void => {
    if (value == null) return;
    sql.push(condition);
    params.push(value);
  };
  for (const [column, value] of Object.entries(equal)) add(`${column} = ?`, value);
  if (monthColumn !== undefined) {
    add(`${monthColumn} >= ?`, fromMonth);
    add(`${monthColumn} <= ?`, toMonth);
  }
  for (const condition of visible) {
    sql.push(`(${condition.sql})`);
    params.push(...condition.params);
  }
  return { where: sql.length > 0 ? `WHERE ${sql.join(' AND ')}` : '', params };
};

const conditions = (...some: (SqlCondition | null)[]): SqlCondition[] => some.filter((c): c is SqlCondition => c !== null);

/**
 * The figures of places are read by national and placed users, over what their scope sees; an
 * agency's users read their own resolutions (agencyPerformance), not a place's figures.
 */
const placeReader = (scope: ReadScope, query: string): void => {
  if (scope.kind === 'AGENCY') throw forbidden(`${query}: an agency's users read the performance of their own resolutions (agencyPerformance), not a place's figures`);
  if (scope.kind === 'NOTHING') throw forbidden(`${query}: your roles read no case`);
};

/**
 * The resolutions whose performance the caller reads: those lying in its place (a resolution
 * lies where its meeting does); for an agency's users, those their agency leads by registry id
 * within the place it serves, as its cases are (src/graphql/read-scope.ts).
 */
const performanceRows = (scope: ReadScope): SqlCondition[] => {
  if (scope.kind !== 'AGENCY') return conditions(visibleRows(scope, 'resolution'));
  return [{ sql: 'lead_agency_id = ?', params: [scope.agencyId] }, ...conditions(visibleRows(servedScope(scope.place), 'resolution'))];
};

@ArgsType()
class CountyArgs extends withMonthRange(Object) {
  @Field({ description: 'The county (شهرستان), exactly as registered.' })
  @Text(100)
  county!: string;
}

@ArgsType()
class AgencyArgs extends withMonthRange(Object) {
  @Field(() => String, {
    nullable: true,
    description: "Only this lead agency, by the name recorded; when absent, every agency's resolutions the caller may read.",
  })
  @OptionalText(200)
  agency?: string | null;
}

@ArgsType()
class OptionalCountyArgs {
  @Field(() => String, {
    nullable: true,
    description: 'Only this county (شهرستان), within what the caller may read. When absent: the whole country for a national user; the province, or the counties, of a provincial or county user.',
  })
  @OptionalText(100)
  county?: string | null;
}

@ArgsType()
class OptionalCountyMonthArgs extends withMonthRange(OptionalCountyArgs) {}

const median = (values: number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const m = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return Math.round(m * 10) / 10;
};

const DAY = 24 * 3600 * 1000;

@Resolver()
export class AnalyticsResolver {
  @Authorized(READ_ROLES.readModels)
  @Query(() => CountyDashboard, {
    description:
      "Units by activity status now, and revivals per Jalali month (within fromMonth and toMonth when given), for one county: of the caller's province for a provincial user (another province's county reads as empty); a county user may ask only its own counties (FORBIDDEN otherwise); not for agency users (FORBIDDEN).",
  })
  countyDashboard(@Args(() => CountyArgs) args: CountyArgs, @Ctx() ctx: TashilContext): CountyDashboard {
    const { county } = args;
    const scope = ctx.readModels.scope;
    placeReader(scope, 'countyDashboard');
    // A county user names its counties: asking another is refused, as a command on it would be.
    if (scope.kind === 'PLACE' && scope.counties.length > 0 && !scope.counties.includes(county)) {
      throw forbidden(`countyDashboard: ${county} is outside your jurisdiction (${describeScope(scope)})`);
    }
    const visible = conditions(visibleRows(scope, 'unit'));
    const db = ctx.runtime.reader('county-dashboard');
    // A county's cells, one per province that names a county so (summed for a national user).
    const counts = whereOf({ county }, visible);
    const byStatus = db
      .prepare(`SELECT status, SUM(units) AS units FROM dashboard_status_counts ${counts.where} GROUP BY status HAVING SUM(units) > 0 ORDER BY status`)
      .all(...counts.params) as StatusCount[];
    const { where, params } = whereOf({ county }, visible, 'jalali_month', args);
    const revivals = db
      .prepare(
        `SELECT jalali_month AS jalaliMonth, from_status AS fromStatus, SUM(revivals) AS revivals FROM dashboard_revival_months ${where}
         GROUP BY jalali_month, from_status ORDER BY jalali_month, from_status`,
      )
      .all(...params) as RevivalCount[];
    return { county, totalUnits: byStatus.reduce((n, s) => n + s.units, 0), byStatus, revivals };
  }

  @Authorized(READ_ROLES.readModels)
  @Query(() => [AgencyScore], {
    description:
      "Per agency and Jalali month of the deadline: resolutions due, on time, late, overdue, objected, no action. Of the resolutions the caller may read: the whole country's for a national user, those of the caller's place (where their meetings were held) otherwise; an agency's users read those their own agency leads.",
  })
  agencyPerformance(@Args(() => AgencyArgs) args: AgencyArgs, @Ctx() ctx: TashilContext): AgencyScore[] {
    type Row = { lead_agency: string; deadline: string; deadline_month: string; recorded_at: string; objected: number; outcome: string | null; outcome_at: string | null };
    const { where, params } = whereOf({ lead_agency: args.agency }, performanceRows(ctx.readModels.scope), 'deadline_month', args);
    const rows = ctx.runtime
      .reader('agency-performance')
      .prepare(`SELECT * FROM agency_resolutions ${where} ORDER BY lead_agency, deadline_month`)
      .all(...params) as Row[];
    const now = ctx.now().getTime();
    const groups = new Map<string, { score: AgencyScore; days: number[] }>();
    for (const r of rows) {
      const key = `${r.lead_agency}\n${r.deadline_month}`;
      let g = groups.get(key);
      if (!g) {
        g = {
          score: { agency: r.lead_agency, jalaliMonth: r.deadline_month, due: 0, implementedOnTime: 0, implementedLate: 0, overdue: 0, objected: 0, noAction: 0, notImplemented: 0, medianDaysToImplement: null },
          days: [],
        };
        groups.set(key, g);
      }
      const s = g.score;
      s.due++;
      if (r.objected) s.objected++;
      if (r.outcome === 'IMPLEMENTED' && r.outcome_at) {
        if (r.outcome_at <= r.deadline) s.implementedOnTime++;
        else s.implementedLate++;
        g.days.push((Date.parse(r.outcome_at) - Date.parse(r.recorded_at)) / DAY);
      } else if (r.outcome === 'NO_ACTION') s.noAction++;
      else if (r.outcome === 'NOT_IMPLEMENTED') s.notImplemented++;
      else if (r.outcome === null && Date.parse(r.deadline) < now) s.overdue++;
    }
    return [...groups.values()].map(({ score, days }) => ({ ...score, medianDaysToImplement: median(days) }));
  }

  @Authorized(READ_ROLES.readModels)
  @Query(() => [CategoryMonth], {
    description:
      'Obstacles raised and resolved per category and Jalali month, within fromMonth and toMonth when given, of what the caller may read (national figures for national users only); not for agency users (FORBIDDEN).',
  })
  obstacleCategories(@Args(() => OptionalCountyMonthArgs) args: OptionalCountyMonthArgs, @Ctx() ctx: TashilContext): CategoryMonth[] {
    const scope = ctx.readModels.scope;
    placeReader(scope, 'obstacleCategories');
    const { where, params } = whereOf({ county: args.county }, conditions(visibleRows(scope, 'obstacle')), 'jalali_month', args);
    return ctx.runtime
      .reader('obstacle-categories')
      .prepare(
        `SELECT jalali_month AS jalaliMonth, category, SUM(raised) AS raised, SUM(resolved) AS resolved FROM category_months
         ${where} GROUP BY jalali_month, category ORDER BY jalali_month, category`,
      )
      .all(...params) as CategoryMonth[];
  }

  @Authorized(READ_ROLES.readModels)
  @Query(() => [PromiseScore], {
    description:
      'Were the promises kept? Per promiser, in a county or in everything the caller may read (the whole country for national users only); not for agency users (FORBIDDEN).',
  })
  commitmentScorecard(@Args(() => OptionalCountyArgs) { county }: OptionalCountyArgs, @Ctx() ctx: TashilContext): PromiseScore[] {
    const scope = ctx.readModels.scope;
    placeReader(scope, 'commitmentScorecard');
    const { where, params } = whereOf({ county }, conditions(visibleRows(scope, 'commitment')));
    return ctx.runtime
      .reader('commitment-scorecard')
      .prepare(
        `SELECT made_by AS madeBy,
           SUM(status = 'KEPT') AS kept,
           SUM(status = 'KEPT' AND settled_at <= original_due_date) AS keptOnTime,
           SUM(status = 'BROKEN') AS broken,
           SUM(status = 'OPEN') AS open,
           SUM(status = 'OPEN' AND due_date < ?) AS overdue
         FROM scorecard_commitments ${where} GROUP BY made_by ORDER BY made_by`,
      )
      .all(ctx.now().toISOString(), ...params) as PromiseScore[];
  }
}
