/**
 * The read matrix (issue #22): every Query and Subscription field of the
 * schema × every principal, over real HTTP and a real graphql-ws client,
 * against one world seeded through the API: exactly which ids each one reads,
 * `totalCount` = the visible items, and paging with `first: 1` walks exactly
 * them; what is outside the scope reads as absent (null, left out, an empty
 * stream), a role without the field is FORBIDDEN, no token UNAUTHENTICATED.
 *
 * The rows are generated from the schema: a Query or Subscription field with
 * no entry in QUERY_CASES / SUBSCRIPTION_CASES fails, so no new query is added
 * without deciding what each principal gets from it.
 *
 * The expectations come from `sees(who, thing)` below, written out from the
 * rules of the issue, independently of src/auth/scope.ts (which this checks).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema } from 'graphql';
import type { ExecutionResult } from 'graphql-ws';
import type { Role } from '../../src/auth/principal';
import {
  MAKE_COMMITMENT,
  RAISE_OBSTACLE,
  RECORD_HELD,
  RECORD_PROGRESS,
  RECORD_RESOLUTION,
  RECORD_VISIT,
  REFER_OBSTACLE,
  REGISTER_AGENCY,
  REGISTER_UNIT,
  REGISTER_WORKGROUP,
  REGISTER_ZONE,
  SCHEDULE_MEETING,
  islamshahrVisit,
  kharazmiPark,
  kharazmiUnit,
  pakdashtMeeting,
  pakdashtWorkgroup,
} from '../api/operations';
import { eventually, startLiveServer, subscribe, type LiveServer, type Received } from '../support/live';

// ─── The world ─────────────────────────────────────────────────────────────

type Kind = 'unit' | 'obstacle' | 'meeting' | 'resolution' | 'visit' | 'commitment' | 'agency' | 'workgroup' | 'zone';
const KINDS: Kind[] = ['unit', 'obstacle', 'meeting', 'resolution', 'visit', 'commitment', 'agency', 'workgroup', 'zone'];
const REGISTRIES: Kind[] = ['agency', 'workgroup', 'zone'];

/** One thing of the world, by the fields the rules look at. */
interface Thing {
  /** e.g. `PAK.obstacle`: what failures print instead of a UUID. */
  label: string;
  kind: Kind;
  id: string;
  province: string | null;
  county: string | null;
  leadAgencyId?: string | null;
  /** A resolution's lead agency, by the name recorded (agencyPerformance groups by it). */
  leadAgency?: string;
  obstacleId?: string | null;
  unitId?: string | null;
  zoneId?: string | null;
  meetingId?: string;
  visitId?: string;
  madeBy?: string;
  /** The command that created it (causedBy). */
  commandId: string;
}

const TEHRAN = 'تهران';
const ISFAHAN = 'اصفهان';
const COUNTIES = { PAK: { province: TEHRAN, county: 'پاکدشت' }, ISL: { province: TEHRAN, county: 'اسلامشهر' }, KAS: { province: ISFAHAN, county: 'کاشان' } };
type County = keyof typeof COUNTIES;
const PAKDASHT = COUNTIES.PAK.county;
const ISLAMSHAHR = COUNTIES.ISL.county;
const KASHAN = COUNTIES.KAS.county;
const PROVINCE_OF: Record<string, string> = { [PAKDASHT]: TEHRAN, [ISLAMSHAHR]: TEHRAN, [KASHAN]: ISFAHAN };
/** In every searchable title (units, zones, obstacles, meetings, commitments): `search(text:)` finds the whole world. */
const MARK = 'ماتریس';
const SOCIAL_SECURITY = 'تامین اجتماعی پاکدشت';
const FUTURE = '2030-01-01T00:00:00Z';
/** Whose tokens were revoked: an access stream, which has no place. */
const GONE = 'matrix-gone';

const things: Thing[] = [];
const byLabel = new Map<string, Thing>();
const byId = new Map<string, Thing>();
const add = (t: Thing): Thing => {
  things.push(t);
  byLabel.set(t.label, t);
  byId.set(t.id, t);
  return t;
};
const the = (label: string): Thing => {
  const t = byLabel.get(label);
  if (!t) throw new Error(`no ${label} in the world`);
  return t;
};
const ofKind = (kind: Kind): Thing[] => things.filter((t) => t.kind === kind);
const label = (id: string | null | undefined): string | null => (id == null ? null : (byId.get(id)?.label ?? `unknown ${id}`));
const labels = (ids: readonly (string | null | undefined)[]): (string | null)[] => ids.map(label);
const sortedLabels = (ids: readonly (string | null | undefined)[]): (string | null)[] => labels(ids).sort();
let revokeCommandId = '';

// ─── Principals ────────────────────────────────────────────────────────────

interface Who {
  name: string;
  role: Role;
  province?: string;
  counties?: string[];
  national?: boolean;
  /** AGENCY: the label of its agency in the world, or null for an id the registry never issued. */
  agency?: string | null;
}
const PLACED: Role[] = ['SECRETARIAT', 'CHAIR', 'AUDITOR', 'ANALYST', 'VIEWER'];
const UNREGISTERED_AGENCY = '00000000-0000-4000-8000-00000000a9e7';
const WHO: Who[] = [
  { name: 'ADMIN', role: 'ADMIN' },
  { name: 'VIEWER (national)', role: 'VIEWER', national: true },
  ...PLACED.flatMap((role): Who[] => [
    { name: `${role} of ${PAKDASHT}`, role, province: TEHRAN, counties: [PAKDASHT] },
    { name: `${role} of ${TEHRAN}`, role, province: TEHRAN, counties: [] },
  ]),
  { name: `AGENCY of ${PAKDASHT}'s bank`, role: 'AGENCY', agency: 'PAK.bank' },
  { name: 'AGENCY of an unregistered id', role: 'AGENCY', agency: null },
  { name: 'OPERATOR', role: 'OPERATOR' },
];
const WHO_BY_NAME = new Map(WHO.map((w) => [w.name, w]));
const tokens = new Map<string, string>();

// ─── The oracle: what each principal sees, from the rules of issue #22 ─────

interface Area {
  province: string;
  counties: string[];
}
/** A case file lies in one province and county. */
const liesIn = (area: Area, x: Thing): boolean => x.province === area.province && (area.counties.length === 0 || area.counties.includes(x.county!));
/** A registry serves a place: within it, or above it (provincial bodies of its province, national ones). */
const serves = (area: Area, x: Thing): boolean =>
  x.province === null || (x.province === area.province && (area.counties.length === 0 || x.county === null || area.counties.includes(x.county)));
const isNation = (who: Who): boolean => who.role === 'ADMIN' || who.national === true;
/** The agency an AGENCY user acts for, if the registry has it (and it is active). */
const agencyOf = (who: Who): Thing | null => (who.role === 'AGENCY' && who.agency ? the(who.agency) : null);
/** The place a principal's reads are bounded by: its token's, or the place its agency serves; null for NATION and for nothing. */
const areaOf = (who: Who): Area | null => {
  if (isNation(who) || who.role === 'OPERATOR') return null;
  if (who.role === 'AGENCY') {
    const agency = agencyOf(who);
    return agency === null ? null : { province: agency.province!, counties: agency.county === null ? [] : [agency.county] };
  }
  return { province: who.province!, counties: who.counties ?? [] };
};

const sees = (who: Who, x: Thing): boolean => {
  if (isNation(who)) return true;
  if (who.role === 'OPERATOR') return false;
  if (who.role === 'AGENCY') {
    const agency = agencyOf(who);
    if (agency === null) return false;
    const area = areaOf(who)!;
    if (REGISTRIES.includes(x.kind)) return serves(area, x);
    switch (x.kind) {
      case 'obstacle':
        // Referred to it, or the case of a resolution that binds it (its users settle that resolution).
        return (x.leadAgencyId === agency.id || ofKind('resolution').some((r) => r.obstacleId === x.id && r.leadAgencyId === agency.id)) && liesIn(area, x);
      case 'unit':
        return ofKind('obstacle').some((o) => o.unitId === x.id && sees(who, o));
      case 'resolution':
        return x.leadAgencyId === agency.id || (x.obstacleId != null && sees(who, byId.get(x.obstacleId)!));
      default:
        // Meetings, visits and commitments are the workgroup's own record.
        return false;
    }
  }
  const area = areaOf(who)!;
  return REGISTRIES.includes(x.kind) ? serves(area, x) : liesIn(area, x);
};
const visible = (who: Who, kind: Kind, keep: (x: Thing) => boolean = () => true): Thing[] => ofKind(kind).filter((x) => keep(x) && sees(who, x));

/**
 * An audited stream (`<category>-<id>`): a thing's as the thing is; a person's access for ADMIN and AUDITOR; anything else
 * the nation's. A workgroup's stream numbers the meetings of every place it serves, so it is audited by where the body itself
 * lies (as a case is), not by the places it serves.
 */
const seesStream = (who: Who, stream: string): boolean => {
  const dash = stream.indexOf('-');
  const category = stream.slice(0, dash);
  if (category === 'access') return who.role === 'ADMIN' || who.role === 'AUDITOR';
  const thing = byId.get(stream.slice(dash + 1));
  if (thing === undefined || thing.kind !== category) return isNation(who);
  if (thing.kind !== 'workgroup' || isNation(who)) return sees(who, thing);
  const area = areaOf(who);
  return who.role !== 'AGENCY' && area !== null && liesIn(area, thing);
};

// ─── Requests ──────────────────────────────────────────────────────────────

let s: LiveServer;
type Answer = { status: number; data: any; errors?: any[] };
const post = async (query: string, variables: Record<string, unknown> | undefined, token: string | null): Promise<Answer> => {
  const response = await fetch(s.http.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: any; errors?: any[] };
  return { status: response.status, ...body };
};
const as = (who: Who, query: string, variables?: Record<string, unknown>): Promise<Answer> => post(query, variables, tokens.get(who.name)!);
/** The data, expecting no errors. */
const read = async (who: Who, query: string, variables?: Record<string, unknown>): Promise<any> => {
  const { data, errors } = await as(who, query, variables);
  expect(errors).toBeUndefined();
  return data;
};
const codeOf = (answer: { errors?: readonly any[] | undefined }): string | undefined => answer.errors?.[0]?.extensions?.code;
const expectCode = async (who: Who | null, probe: Probe, code: string): Promise<void> => {
  const answer = await post(probe.query, probe.variables, who === null ? null : tokens.get(who.name)!);
  expect(codeOf(answer)).toBe(code);
};
const lit = (value: string): string => JSON.stringify(value);
const args = (a: Record<string, string>): string =>
  Object.entries(a)
    .map(([k, v]) => `, ${k}: ${lit(v)}`)
    .join('');
/** Many aliases of one field in as few documents as the alias limit allows; the values in order. */
const aliased = async (who: Who, items: readonly Thing[], field: (x: Thing) => string): Promise<any[]> => {
  const values: any[] = [];
  for (let i = 0; i < items.length; i += 20) {
    const chunk = items.slice(i, i + 20);
    const data = await read(who, `{ ${chunk.map((x, j) => `a${j}: ${field(x)}`).join(' ')} }`);
    values.push(...chunk.map((_, j) => data[`a${j}`]));
  }
  return values;
};

interface Connection {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: { id: string } }[];
}
const PAGE = `totalCount pageInfo { hasNextPage endCursor } edges { node { id } }`;
/**
 * A connection read whole (`first: 100`) and walked with `first: 1` and
 * `after`: both give exactly `expected`, in one order, with its count.
 */
const expectPages = async (who: Who, query: string, variables: Record<string, unknown>, pick: (data: any) => Connection, expected: readonly Thing[]) => {
  const whole = pick(await read(who, query, { ...variables, first: 100 }));
  const ids = whole.edges.map((e) => e.node.id);
  expect(sortedLabels(ids)).toEqual(expected.map((x) => x.label).sort());
  expect(whole.totalCount).toBe(expected.length);
  expect(whole.pageInfo.hasNextPage).toBe(false);
  const walked: string[] = [];
  let after: string | null = null;
  for (let page = 0; page <= expected.length + 1; page++) {
    const one = pick(await read(who, query, { ...variables, first: 1, after }));
    expect(one.totalCount).toBe(expected.length);
    expect(one.edges.length).toBeLessThanOrEqual(1);
    walked.push(...one.edges.map((e) => e.node.id));
    if (!one.pageInfo.hasNextPage) break;
    after = one.pageInfo.endCursor;
  }
  expect(labels(walked)).toEqual(labels(ids));
};

// ─── The table: every Query field, what each principal gets ────────────────

interface Probe {
  query: string;
  variables?: Record<string, unknown>;
}
interface FieldCase {
  /** The roles that pass the field's role check (and then read within their scope); every other role is FORBIDDEN. */
  roles: readonly Role[];
  /** A document of this field alone: FORBIDDEN for the other roles, UNAUTHENTICATED without a token. */
  probe: () => Probe;
  /** What a principal that passes the role check reads. */
  check: (who: Who) => Promise<void>;
}

/** Every role whose scope holds some case: OPERATOR reads projections, not cases. */
const READERS: Role[] = ['ADMIN', 'SECRETARIAT', 'CHAIR', 'AUDITOR', 'ANALYST', 'VIEWER', 'AGENCY'];
const AUDIT_READERS: Role[] = ['ADMIN', 'AUDITOR', 'SECRETARIAT', 'CHAIR'];

const LIST_OF: Record<Kind, string> = {
  unit: 'units',
  obstacle: 'obstacles',
  meeting: 'meetings',
  resolution: 'resolutions',
  visit: 'visits',
  commitment: 'commitments',
  agency: 'agencies',
  workgroup: 'workgroups',
  zone: 'zones',
};

/** A list: the visible items, whole and page by page; and again with a filter, which only narrows what is visible. */
const listCase = (kind: Kind, filter: { args: Record<string, string>; keep: (x: Thing) => boolean }): FieldCase => {
  const field = LIST_OF[kind];
  const doc = (a: Record<string, string>) => `query ($first: Int, $after: String) { list: ${field}(first: $first, after: $after${args(a)}) { ${PAGE} } }`;
  return {
    roles: READERS,
    probe: () => ({ query: `{ ${field}(first: 1) { totalCount } }` }),
    check: async (who) => {
      await expectPages(who, doc({}), {}, (d) => d.list, visible(who, kind));
      await expectPages(who, doc(filter.args), {}, (d) => d.list, visible(who, kind, filter.keep));
    },
  };
};
const inCounty = (county: string) => ({ args: { county }, keep: (x: Thing) => x.county === county });

/** One item by id, for every item of the kind (own place and others'): itself if visible, else null. */
const byIdCase = (kind: Kind): FieldCase => ({
  roles: READERS,
  probe: () => ({ query: `query ($id: ID!) { ${kind}(id: $id) { id } }`, variables: { id: ofKind(kind)[0]!.id } }),
  check: async (who) => {
    const items = ofKind(kind);
    const got = await aliased(who, items, (x) => `${kind}(id: ${lit(x.id)}) { id }`);
    expect(Object.fromEntries(items.map((x, i) => [x.label, label(got[i]?.id)]))).toEqual(
      Object.fromEntries(items.map((x) => [x.label, sees(who, x) ? x.label : null])),
    );
  },
});

/** Sums of a list of figures. */
const total = (rows: Record<string, number>[], field: string): number => rows.reduce((n, r) => n + r[field]!, 0);
const unique = (values: readonly (string | undefined)[]): string[] => [...new Set(values.filter((v): v is string => v !== undefined))].sort();

/**
 * Analytics over a county a principal may or may not cover: NATION and a
 * principal covering it get its figures; a county user asking another
 * county's is FORBIDDEN; outside a province user's province, the issue says
 * only "the caller's place only", so either FORBIDDEN or no figures passes.
 */
type Asked = 'figures' | 'FORBIDDEN' | 'FORBIDDEN_OR_EMPTY';
const asking = (who: Who, county: string, countyUserOutside: Asked): Asked => {
  const area = areaOf(who);
  if (area === null) return 'figures';
  if (area.counties.length > 0) return area.counties.includes(county) ? 'figures' : countyUserOutside;
  return PROVINCE_OF[county] === area.province ? 'figures' : 'FORBIDDEN_OR_EMPTY';
};
/** The figures of `county` (all when null) as `who` may count them. */
const figuresCase = <Row>(o: {
  field: string;
  selection: string;
  /** Whether the county argument can be left out (the whole country, or rather the caller's place). */
  countyOptional: boolean;
  roles: readonly Role[];
  countyUserOutside: Asked;
  expectFigures: (rows: Row, who: Who, county: string | null) => void;
  empty: (rows: Row) => boolean;
}): FieldCase => {
  const doc = (county: string | null) => `{ figures: ${o.field}${county === null ? '' : `(county: ${lit(county)})`} { ${o.selection} } }`;
  return {
    roles: o.roles,
    probe: () => ({ query: doc(o.countyOptional ? null : PAKDASHT) }),
    check: async (who) => {
      const asked: (string | null)[] = [...(o.countyOptional ? [null] : []), PAKDASHT, ISLAMSHAHR, KASHAN];
      for (const county of asked) {
        const expected = county === null ? 'figures' : asking(who, county, o.countyUserOutside);
        const answer = await as(who, doc(county));
        if (expected === 'figures') {
          expect({ county, errors: answer.errors }).toEqual({ county, errors: undefined });
          o.expectFigures(answer.data.figures, who, county);
        } else if (expected === 'FORBIDDEN') {
          expect({ county, code: codeOf(answer) }).toEqual({ county, code: 'FORBIDDEN' });
        } else {
          const refusedOrEmpty = codeOf(answer) === 'FORBIDDEN' || (answer.errors === undefined && o.empty(answer.data.figures));
          expect({ county, refusedOrEmpty, answer }).toMatchObject({ county, refusedOrEmpty: true });
        }
      }
    },
  };
};
const inCountyOrAll = (county: string | null) => (x: Thing) => county === null || x.county === county;

/** Each audited thing's answer as ADMIN (NATION): what a caller who may see the stream gets too. */
const nationAnswers = new Map<string, Promise<any[]>>();
const asNation = (key: string, field: (x: Thing) => string): Promise<any[]> => {
  if (!nationAnswers.has(key)) nationAnswers.set(key, aliased(WHO_BY_NAME.get('ADMIN')!, things, field));
  return nationAnswers.get(key)!;
};
const aggregateKind = (kind: Kind): string => kind.toUpperCase();

/**
 * An audit query over every thing's stream: visible streams answer as they
 * do for the nation, the others as a stream with no events (`absent`); and a
 * person's access stream (kind ACCESS), for ADMIN and AUDITOR only.
 */
const auditCase = (o: {
  field: string;
  roles: readonly Role[];
  selection: string;
  args?: string;
  absent: unknown;
  present: (nation: any) => void;
}): FieldCase => {
  const field = (kind: string, id: string) => `${o.field}(kind: ${kind}, id: ${lit(id)}${o.args ?? ''}) { ${o.selection} }`;
  const ofThing = (x: Thing) => field(aggregateKind(x.kind), x.id);
  return {
    roles: o.roles,
    probe: () => ({ query: `{ ${ofThing(the('PAK.unit'))} }` }),
    check: async (who) => {
      const nation = await asNation(o.field, ofThing);
      const got = await aliased(who, things, ofThing);
      for (const n of nation) o.present(n);
      expect(Object.fromEntries(things.map((x, i) => [x.label, got[i]]))).toEqual(
        Object.fromEntries(things.map((x, i) => [x.label, seesStream(who, `${x.kind}-${x.id}`) ? nation[i] : o.absent])),
      );
      const access = await as(who, `{ a: ${field('ACCESS', GONE)} }`);
      if (who.role === 'ADMIN' || who.role === 'AUDITOR') {
        expect(access.errors).toBeUndefined();
        o.present(access.data.a);
      } else {
        expect(codeOf(access)).toBe('FORBIDDEN');
      }
    },
  };
};

const QUERY_CASES: Record<string, FieldCase> = {
  // Case files and registries: lists and items by id.
  units: listCase('unit', inCounty(ISLAMSHAHR)),
  obstacles: listCase('obstacle', inCounty(ISLAMSHAHR)),
  meetings: listCase('meeting', inCounty(ISLAMSHAHR)),
  resolutions: listCase('resolution', inCounty(ISLAMSHAHR)),
  visits: listCase('visit', inCounty(ISLAMSHAHR)),
  commitments: listCase('commitment', inCounty(ISLAMSHAHR)),
  agencies: listCase('agency', inCounty(ISLAMSHAHR)),
  // `province`: the province's county and provincial bodies alike; not the national ones.
  workgroups: listCase('workgroup', { args: { province: ISFAHAN }, keep: (x) => x.province === ISFAHAN }),
  zones: listCase('zone', inCounty(ISLAMSHAHR)),
  unit: byIdCase('unit'),
  obstacle: byIdCase('obstacle'),
  meeting: byIdCase('meeting'),
  resolution: byIdCase('resolution'),
  visit: byIdCase('visit'),
  commitment: byIdCase('commitment'),
  agency: byIdCase('agency'),
  workgroup: byIdCase('workgroup'),
  zone: byIdCase('zone'),
  node: {
    roles: READERS,
    probe: () => ({ query: `query ($id: ID!) { node(id: $id) { id } }`, variables: { id: the('PAK.unit').id } }),
    check: async (who) => {
      const got = await aliased(who, things, (x) => `node(id: ${lit(x.id)}) { id }`);
      expect(Object.fromEntries(things.map((x, i) => [x.label, label(got[i]?.id)]))).toEqual(
        Object.fromEntries(things.map((x) => [x.label, sees(who, x) ? x.label : null])),
      );
    },
  },
  nodes: {
    roles: READERS,
    probe: () => ({ query: `query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, variables: { ids: [the('PAK.unit').id] } }),
    check: async (who) => {
      const { nodes } = await read(who, `query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: things.map((x) => x.id) });
      expect(labels(nodes.map((n: { id: string } | null) => n?.id))).toEqual(things.map((x) => (sees(who, x) ? x.label : null)));
    },
  },

  // Search: the hits the caller may read (an AGENCY user: its cases, their units and the zones of its place).
  search: {
    roles: READERS,
    probe: () => ({ query: `{ search(text: ${lit(MARK)}) { id } }` }),
    check: async (who) => {
      const { search } = await read(who, `{ search(text: ${lit(MARK)}, first: 100) { id kind } }`);
      const searchable: Kind[] = ['unit', 'zone', 'obstacle', 'meeting', 'commitment'];
      expect(sortedLabels(search.map((h: { id: string }) => h.id))).toEqual(
        searchable
          .flatMap((k) => visible(who, k))
          .map((x) => x.label)
          .sort(),
      );
    },
  },

  // Analytics: figures of the caller's place only; national figures for NATION only.
  countyDashboard: figuresCase<{ totalUnits: number; county: string }>({
    field: 'countyDashboard',
    selection: 'county totalUnits byStatus { status units }',
    countyOptional: false,
    roles: READERS.filter((r) => r !== 'AGENCY'),
    countyUserOutside: 'FORBIDDEN',
    expectFigures: (d, who, county) => expect({ county, totalUnits: d.totalUnits }).toEqual({ county, totalUnits: visible(who, 'unit', inCountyOrAll(county)).length }),
    empty: (d) => d.totalUnits === 0,
  }),
  obstacleCategories: figuresCase<{ raised: number }[]>({
    field: 'obstacleCategories',
    selection: 'category jalaliMonth raised resolved',
    countyOptional: true,
    roles: READERS.filter((r) => r !== 'AGENCY'),
    countyUserOutside: 'FORBIDDEN_OR_EMPTY',
    expectFigures: (rows, who, county) =>
      expect({ county, raised: total(rows as any, 'raised') }).toEqual({ county, raised: visible(who, 'obstacle', inCountyOrAll(county)).length }),
    empty: (rows) => total(rows as any, 'raised') === 0,
  }),
  commitmentScorecard: figuresCase<{ madeBy: string; open: number }[]>({
    field: 'commitmentScorecard',
    selection: 'madeBy open kept broken overdue',
    countyOptional: true,
    roles: READERS.filter((r) => r !== 'AGENCY'),
    countyUserOutside: 'FORBIDDEN_OR_EMPTY',
    expectFigures: (rows, who, county) => {
      const promised = visible(who, 'commitment', inCountyOrAll(county));
      expect({ county, madeBy: unique(rows.map((r) => r.madeBy)), open: total(rows as any, 'open') }).toEqual({
        county,
        madeBy: unique(promised.map((c) => c.madeBy)),
        open: promised.length,
      });
    },
    empty: (rows) => rows.length === 0,
  }),
  // Per lead agency: the resolutions of the caller's place; an AGENCY user's own agency's only (those it leads, by
  // registry id, in the place it serves), not the other agencies' resolutions on its cases, which it may read.
  agencyPerformance: {
    roles: READERS,
    probe: () => ({ query: `{ agencyPerformance { agency due } }` }),
    check: async (who) => {
      const { agencyPerformance } = await read(who, `{ agencyPerformance { agency jalaliMonth due } }`);
      const agency = agencyOf(who);
      const resolutions = visible(who, 'resolution', (r) => who.role !== 'AGENCY' || (r.leadAgencyId === agency?.id && liesIn(areaOf(who)!, r)));
      expect({ agencies: unique(agencyPerformance.map((r: { agency: string }) => r.agency)), due: total(agencyPerformance, 'due') }).toEqual({
        agencies: unique(resolutions.map((r) => r.leadAgency)),
        due: resolutions.length,
      });
    },
  },

  // Audit: a stream outside the scope answers as one with no events.
  auditTrail: auditCase({ field: 'auditTrail', roles: AUDIT_READERS, args: ', first: 1', selection: 'totalCount', absent: { totalCount: 0 }, present: (n) => expect(n.totalCount).toBeGreaterThan(0) }),
  replay: auditCase({ field: 'replay', roles: AUDIT_READERS, args: ', first: 1', selection: 'totalCount', absent: { totalCount: 0 }, present: (n) => expect(n.totalCount).toBeGreaterThan(0) }),
  stateAsOf: auditCase({
    field: 'stateAsOf',
    roles: AUDIT_READERS,
    selection: 'exists eventsApplied',
    absent: { exists: false, eventsApplied: 0 },
    present: (n) => expect(n.exists).toBe(true),
  }),
  verifyIntegrity: {
    roles: ['ADMIN', 'AUDITOR'],
    probe: () => ({ query: `{ verifyIntegrity { ok } }` }),
    check: async (who) => {
      // Of one stream, as the other audit queries; of the whole store, for NATION only.
      await auditCase({
        field: 'verifyIntegrity',
        roles: ['ADMIN', 'AUDITOR'],
        selection: 'eventsChecked ok',
        absent: { eventsChecked: 0, ok: true },
        present: (n) => expect(n.eventsChecked).toBeGreaterThan(0),
      }).check(who);
      const whole = await as(who, `{ verifyIntegrity { ok streamsChecked } }`);
      if (isNation(who)) {
        expect(whole.errors).toBeUndefined();
        expect(whole.data.verifyIntegrity.ok).toBe(true);
      } else {
        expect(codeOf(whole)).toBe('FORBIDDEN');
      }
    },
  },
  causedBy: {
    roles: AUDIT_READERS,
    probe: () => ({ query: `query ($id: ID) { causedBy(commandId: $id) { streams } }`, variables: { id: the('PAK.R1').commandId } }),
    check: async (who) => {
      // What commands of each place caused, and a revocation (a person's access): only the streams in the scope.
      const commands = [...['PAK', 'ISL', 'KAS'].flatMap((c) => [`${c}.R1`, `${c}.unit`, `${c}.obstacle`, `${c}.commitment`]).map((l) => the(l).commandId), revokeCommandId];
      const doc = `query ($id: ID) { causedBy(commandId: $id) { events { streamName } } }`;
      const admin = WHO_BY_NAME.get('ADMIN')!;
      for (const id of commands) {
        const all: string[] = (await read(admin, doc, { id })).causedBy.events.map((e: { streamName: string }) => e.streamName);
        expect(all.length).toBeGreaterThan(0);
        const got: string[] = (await read(who, doc, { id })).causedBy.events.map((e: { streamName: string }) => e.streamName);
        expect({ command: id, streams: got }).toEqual({ command: id, streams: all.filter((stream) => seesStream(who, stream)) });
      }
    },
  },

  // Not about cases: the same for every role that may ask, wherever it is placed.
  projections: {
    roles: ['ADMIN', 'OPERATOR', 'ANALYST', 'AUDITOR'],
    probe: () => ({ query: `{ projections { name } }` }),
    check: async (who) => {
      const { projections } = await read(who, `{ projections { name } }`);
      expect(projections.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['units', 'obstacles', 'search']));
    },
  },
  // A person's access has no place: ADMIN and every AUDITOR read it.
  tokenRevocations: {
    roles: ['ADMIN', 'AUDITOR'],
    probe: () => ({ query: `{ tokenRevocations(subject: ${lit(GONE)}) { subject } }` }),
    check: async (who) => {
      const { tokenRevocations } = await read(who, `{ tokenRevocations(subject: ${lit(GONE)}) { subject reason } }`);
      expect(tokenRevocations).toEqual([{ subject: GONE, reason: 'ترک خدمت' }]);
    },
  },
};

// ─── Nested fields: a visible parent shows only the visible children ───────

/** For every thing of `kind` `who` sees, fetched by id: `check(parent, value)` over the nested selection. */
const nestedCase =
  (kind: Kind, selection: string, check: (who: Who, parent: Thing, value: any) => void) =>
  async (who: Who): Promise<void> => {
    const parents = visible(who, kind);
    const got = await aliased(who, parents, (x) => `${kind}(id: ${lit(x.id)}) { id ${selection} }`);
    parents.forEach((p, i) => {
      expect({ parent: p.label, found: label(got[i]?.id) }).toEqual({ parent: p.label, found: p.label });
      check(who, p, got[i]);
    });
  };
const one = (who: Who, childId: string | null | undefined, got: { id: string } | null, parent: Thing, field: string) => {
  const child = childId == null ? undefined : byId.get(childId);
  expect({ [`${parent.label}.${field}`]: label(got?.id) }).toEqual({ [`${parent.label}.${field}`]: child && sees(who, child) ? child.label : null });
};
const many = (who: Who, got: { id: string }[], parent: Thing, field: string, children: Thing[]) =>
  expect({ [`${parent.label}.${field}`]: sortedLabels(got.map((c) => c.id)) }).toEqual({
    [`${parent.label}.${field}`]: children
      .filter((c) => sees(who, c))
      .map((c) => c.label)
      .sort(),
  });
/** A nested connection of every visible parent, whole and page by page. */
const nestedPagesCase = (kind: Kind, field: string, children: (parent: Thing) => Thing[]) => async (who: Who) => {
  const doc = `query ($id: ID!, $first: Int, $after: String) { parent: ${kind}(id: $id) { id list: ${field}(first: $first, after: $after) { ${PAGE} } } }`;
  for (const parent of visible(who, kind)) {
    await expectPages(who, doc, { id: parent.id }, (d) => d.parent.list, children(parent).filter((c) => sees(who, c)));
  }
};

const NESTED_CASES: Record<string, (who: Who) => Promise<void>> = {
  'Obstacle.unit': nestedCase('obstacle', 'unit { id }', (who, o, v) => one(who, o.unitId, v.unit, o, 'unit')),
  'Obstacle.resolutions': nestedCase('obstacle', 'resolutions { id }', (who, o, v) =>
    many(who, v.resolutions, o, 'resolutions', ofKind('resolution').filter((r) => r.obstacleId === o.id)),
  ),
  'Unit.obstacles': nestedPagesCase('unit', 'obstacles', (u) => ofKind('obstacle').filter((o) => o.unitId === u.id)),
  'Unit.zone': nestedCase('unit', 'zone { id }', (who, u, v) => one(who, u.zoneId, v.zone, u, 'zone')),
  'Resolution.obstacle': nestedCase('resolution', 'obstacle { id }', (who, r, v) => one(who, r.obstacleId, v.obstacle, r, 'obstacle')),
  'Resolution.meeting': nestedCase('resolution', 'meeting { id }', (who, r, v) => one(who, r.meetingId, v.meeting, r, 'meeting')),
  'Meeting.resolutions': nestedCase('meeting', 'resolutions { id }', (who, m, v) =>
    many(who, v.resolutions, m, 'resolutions', ofKind('resolution').filter((r) => r.meetingId === m.id)),
  ),
  'Zone.units': nestedPagesCase('zone', 'units', (z) => ofKind('unit').filter((u) => u.zoneId === z.id)),
  'Zone.obstacles': nestedPagesCase('zone', 'obstacles', (z) => ofKind('obstacle').filter((o) => o.zoneId === z.id && o.unitId === null)),
  'Visit.obstacles': nestedCase('visit', 'obstacles { id }', (who, x, v) => many(who, v.obstacles, x, 'obstacles', ofKind('obstacle').filter((o) => o.visitId === x.id))),
  'Visit.commitments': nestedCase('visit', 'commitments { id }', (who, x, v) =>
    many(who, v.commitments, x, 'commitments', ofKind('commitment').filter((c) => c.visitId === x.id)),
  ),
};

// ─── Subscriptions: one change in پاکدشت and one in کاشان ──────────────────

/** What a subscription delivers to `who`: the labels of what changed, or NOT_FOUND (a unit it does not see). */
interface Channel {
  name: string;
  query: string;
  variables?: () => Record<string, unknown>;
  /** Whether subscribing as `who` registers a listener (the others are refused when they subscribe). */
  listens?: (who: Who) => boolean;
  expected: (who: Who) => string[] | 'NOT_FOUND';
  /** The label of what one delivered result is about. */
  about: (result: ExecutionResult<any>) => string | null;
}
/** Made by the triggers: the overdue resolution of each county, and the cases and meetings they change. */
const TRIGGERED = { obstacles: ['PAK.obstacle', 'KAS.obstacle'], meetings: ['PAK.meeting', 'KAS.meeting'], overdue: ['PAK.overdue', 'KAS.overdue'] };
const admitted = (who: Who, of: string[]) => of.filter((l) => sees(who, the(l)));
const historyOf = (unit: string): Channel => ({
  name: `unitHistoryGrew(${unit})`,
  query: `subscription ($unitId: ID!) { unitHistoryGrew(unitId: $unitId) { kind } }`,
  variables: () => ({ unitId: the(unit).id }),
  listens: (who) => sees(who, the(unit)),
  expected: (who) => (sees(who, the(unit)) ? [unit] : 'NOT_FOUND'),
  about: (r) => (r.data?.unitHistoryGrew ? unit : null),
});
const SUBSCRIPTION_CASES: Record<string, Channel[]> = {
  obstacleChanged: [
    {
      name: 'obstacleChanged',
      query: `subscription { obstacleChanged { id } }`,
      expected: (who) => admitted(who, TRIGGERED.obstacles),
      about: (r) => label(r.data?.obstacleChanged?.id),
    },
  ],
  meetingChanged: [
    {
      name: 'meetingChanged',
      query: `subscription { meetingChanged { id } }`,
      expected: (who) => admitted(who, TRIGGERED.meetings),
      about: (r) => label(r.data?.meetingChanged?.id),
    },
  ],
  resolutionBecameOverdue: [
    {
      name: 'resolutionBecameOverdue',
      query: `subscription { resolutionBecameOverdue { id } }`,
      // Recorded after the subscription, due in an hour; then the clock moves two hours on.
      expected: (who) => admitted(who, TRIGGERED.overdue),
      about: (r) => label(r.data?.resolutionBecameOverdue?.id),
    },
  ],
  // The history of a unit outside the scope is the history of no unit.
  unitHistoryGrew: [historyOf('PAK.unit'), historyOf('KAS.unit')],
};

// ─── The rows, from the schema ─────────────────────────────────────────────

/** The committed schema (the one the app serves: checked below), read when the rows are made. */
const committed = buildSchema(readFileSync(join(__dirname, '../../schema/schema.graphql'), 'utf8'));
const QUERY_FIELDS = Object.keys(committed.getQueryType()!.getFields()).sort();
const SUBSCRIPTION_FIELDS = Object.keys(committed.getSubscriptionType()!.getFields()).sort();
const rows = (fields: string[], table: Record<string, unknown>) =>
  [...new Set([...fields, ...Object.keys(table)])].sort().flatMap((field) => WHO.map((who) => [field, who.name] as const));
const caseOf = <T>(table: Record<string, T>, root: string, field: string): T => {
  const c = table[field];
  if (c === undefined) throw new Error(`${root}.${field} has no entry in the read matrix: decide what each principal reads from it (test/security/read-matrix.int.test.ts)`);
  return c;
};

// ─── Seeding ───────────────────────────────────────────────────────────────

let nationalId = 10870000000;
const seed = async (): Promise<void> => {
  const ok = s.ok.bind(s);
  const agency = async (lbl: string, province: string, county: string | null, name: string) => {
    const r = (await ok(REGISTER_AGENCY, { input: { name, kind: 'BANK', province, county } })).registerAgency;
    return add({ label: lbl, kind: 'agency', id: r.agency.id, province, county, commandId: r.commandId });
  };
  const workgroup = async (lbl: string, level: string, province: string | null, county: string | null, name: string) => {
    const r = (await ok(REGISTER_WORKGROUP, { input: pakdashtWorkgroup({ level, province, county, name }) })).registerWorkgroup;
    return add({ label: lbl, kind: 'workgroup', id: r.workgroup.id, province, county, commandId: r.commandId });
  };
  const unit = async (lbl: string, place: { province: string; county: string }, zoneId: string) => {
    const input = kharazmiUnit({ ...place, zoneId, name: `${MARK} واحد ${lbl}`, nationalId: String(nationalId++) });
    const r = (await ok(REGISTER_UNIT, { input })).registerUnit;
    return add({ label: lbl, kind: 'unit', id: r.unit.id, ...place, zoneId, commandId: r.commandId });
  };
  const obstacle = async (
    lbl: string,
    place: { province: string; county: string },
    on: { unitId: string } | { zoneId: string },
    referredTo: { leadAgencyId: string } | { leadAgency: string } | null,
    visitId?: string,
  ) => {
    const input = { ...on, title: `${MARK} مانع ${lbl}`, category: 'BANKING', ...(visitId ? { source: { kind: 'VISIT', id: visitId } } : {}) };
    const r = (await ok(RAISE_OBSTACLE, { input })).raiseObstacle;
    if (referredTo) await ok(REFER_OBSTACLE, { input: { obstacleId: r.obstacle.id, ...referredTo, deadline: FUTURE } });
    return add({
      label: lbl,
      kind: 'obstacle',
      id: r.obstacle.id,
      ...place,
      unitId: 'unitId' in on ? on.unitId : null,
      zoneId: 'zoneId' in on ? on.zoneId : null,
      leadAgencyId: referredTo && 'leadAgencyId' in referredTo ? referredTo.leadAgencyId : null,
      ...(visitId ? { visitId } : {}),
      commandId: r.commandId,
    });
  };
  const resolution = async (lbl: string, meeting: Thing, lead: { leadAgencyId: string } | { leadAgency: string }, obstacleId: string | null, deadline = FUTURE) => {
    const input = { meetingId: meeting.id, text: `مقرر شد ${lbl}`, deadline, ...lead, ...(obstacleId ? { obstacleId } : {}) };
    const r = (await ok(RECORD_RESOLUTION, { input })).recordResolution;
    return add({
      label: lbl,
      kind: 'resolution',
      id: r.resolution.id,
      province: meeting.province,
      county: meeting.county,
      leadAgencyId: 'leadAgencyId' in lead ? lead.leadAgencyId : null,
      leadAgency: r.resolution.leadAgency,
      obstacleId,
      meetingId: meeting.id,
      commandId: r.commandId,
    });
  };
  overdueResolution = (c: County, deadline: string) =>
    resolution(`${c}.overdue`, the(`${c}.meeting`), { leadAgencyId: the(`${c}.bank`).id }, the(`${c}.obstacle`).id, deadline);

  for (const c of Object.keys(COUNTIES) as County[]) {
    const place = COUNTIES[c];
    const bank = await agency(`${c}.bank`, place.province, place.county, `بانک ملی ${place.county}`);
    const z = await ok(REGISTER_ZONE, { input: kharazmiPark({ ...place, name: `${MARK} شهرک ${place.county}` }) });
    const zone = add({ label: `${c}.zone`, kind: 'zone', id: z.registerZone.zone.id, ...place, commandId: z.registerZone.commandId });
    const u = await unit(`${c}.unit`, place, zone.id);
    const wg = await workgroup(`${c}.workgroup`, 'COUNTY', place.province, place.county, `کارگروه تسهیل ${place.county}`);
    const v = (await ok(RECORD_VISIT, { input: islamshahrVisit({ ...place, unitIds: [u.id], purpose: `بازدید ${place.county}` }) })).recordVisit;
    const visit = add({ label: `${c}.visit`, kind: 'visit', id: v.visit.id, ...place, commandId: v.commandId });
    const o = await obstacle(`${c}.obstacle`, place, { unitId: u.id }, { leadAgencyId: bank.id });
    const m = (await ok(SCHEDULE_MEETING, { input: pakdashtMeeting({ ...place, workgroupId: wg.id, title: `${MARK} جلسه ${place.county}` }) })).scheduleMeeting;
    const meeting = add({ label: `${c}.meeting`, kind: 'meeting', id: m.meeting.id, ...place, commandId: m.commandId });
    await ok(RECORD_HELD, { input: { meetingId: meeting.id, attendees: [{ name: 'فرماندار', agency: 'فرمانداری' }], minutes: 'صورتجلسه' } });
    await resolution(`${c}.R1`, meeting, { leadAgencyId: bank.id }, o.id);
    const madeBy = `فرماندار ${place.county}`;
    const promise = { madeBy, madeTo: 'تولیدکنندگان', description: `${MARK} قول ${place.county}`, dueDate: FUTURE, source: { kind: 'VISIT', id: visit.id }, unitIds: [u.id] };
    const k = (await ok(MAKE_COMMITMENT, { input: promise })).makeCommitment;
    add({ label: `${c}.commitment`, kind: 'commitment', id: k.commitment.id, ...place, madeBy, visitId: visit.id, commandId: k.commandId });
  }

  // Pakdasht has more than its agency's cases: a unit with no case of the bank's, a case of another
  // agency's (raised on the visit), a zone's own case, and resolutions binding the bank or on its case, or neither.
  const PAK = COUNTIES.PAK;
  await unit('PAK.unit2', PAK, the('PAK.zone').id);
  const other = await obstacle('PAK.obstacle2', PAK, { unitId: the('PAK.unit').id }, { leadAgency: SOCIAL_SECURITY }, the('PAK.visit').id);
  await obstacle('PAK.zoneObstacle', PAK, { zoneId: the('PAK.zone').id }, null);
  const meeting = the('PAK.meeting');
  await resolution('PAK.R2', meeting, { leadAgency: SOCIAL_SECURITY }, the('PAK.obstacle').id);
  await resolution('PAK.R3', meeting, { leadAgencyId: the('PAK.bank').id }, other.id);
  await resolution('PAK.R4', meeting, { leadAgency: SOCIAL_SECURITY }, null);

  // Bodies above the counties: provincial ones (county null), a national one (province null).
  await agency('TEH.bank', TEHRAN, null, 'بانک ملی - مدیریت استان تهران');
  await workgroup('TEH.workgroup', 'PROVINCE', TEHRAN, null, 'کارگروه تسهیل استان تهران');
  await workgroup('ISF.workgroup', 'PROVINCE', ISFAHAN, null, 'کارگروه تسهیل استان اصفهان');
  await workgroup('NAT.workgroup', 'NATIONAL', null, null, 'ستاد تسهیل و رفع موانع تولید');

  revokeCommandId = (await ok(`mutation { revokeTokens(input: { subject: ${lit(GONE)}, reason: "ترک خدمت" }) { commandId } }`)).revokeTokens.commandId;

  for (const who of WHO) {
    const agencyId = who.role === 'AGENCY' ? (who.agency ? the(who.agency).id : UNREGISTERED_AGENCY) : undefined;
    tokens.set(
      who.name,
      await s.token({
        subject: `matrix-${who.name.replace(/\W+/g, '-')}-${tokens.size}`,
        roles: [who.role],
        ...(who.province ? { province: who.province, counties: who.counties ?? [] } : {}),
        ...(who.national ? { national: true } : {}),
        ...(agencyId ? { agencyId } : {}),
      }),
    );
  }
};
let overdueResolution: (c: County, deadline: string) => Promise<Thing>;
/** The app's clock runs with the real one, until the subscriptions move it past a deadline. */
let skew = 0;
const now = (): Date => new Date(Date.now() + skew);

beforeAll(async () => {
  s = await startLiveServer({ env: { TASHIL_RATE_LIMIT_PER_MINUTE: '1000000', TASHIL_OVERDUE_SCAN_MS: '20' }, now });
  await seed();
}, 60_000);
afterAll(async () => {
  await s.close();
});

// ─── The tests ─────────────────────────────────────────────────────────────

describe('coverage', () => {
  test('the committed schema is the one the app serves', () => {
    expect(Object.keys(s.t.app.schema.getQueryType()!.getFields()).sort()).toEqual(QUERY_FIELDS);
    expect(Object.keys(s.t.app.schema.getSubscriptionType()!.getFields()).sort()).toEqual(SUBSCRIPTION_FIELDS);
  });
  test('every Query and Subscription field of the schema has an entry in the matrix, and every entry a field', () => {
    expect(Object.keys(QUERY_CASES).sort()).toEqual(QUERY_FIELDS);
    expect(Object.keys(SUBSCRIPTION_CASES).sort()).toEqual(SUBSCRIPTION_FIELDS);
  });
  test('the world has what the rules tell apart', () => {
    for (const kind of KINDS) expect(ofKind(kind).length).toBeGreaterThan(0);
    // The oracle tells apart every pair of principals that the rules do.
    const agency = WHO_BY_NAME.get(`AGENCY of ${PAKDASHT}'s bank`)!;
    const county = WHO_BY_NAME.get(`VIEWER of ${PAKDASHT}`)!;
    expect(visible(agency, 'obstacle').map((x) => x.label)).toEqual(['PAK.obstacle', 'PAK.obstacle2']);
    expect(visible(agency, 'resolution').map((x) => x.label)).toEqual(['PAK.R1', 'PAK.R2', 'PAK.R3']);
    expect(visible(county, 'workgroup').map((x) => x.label)).toEqual(['PAK.workgroup', 'TEH.workgroup', 'NAT.workgroup']);
  });
});

describe('queries', () => {
  test.each(rows(QUERY_FIELDS, QUERY_CASES))('Query.%s as %s', async (field, name) => {
    const c = caseOf(QUERY_CASES, 'Query', field);
    const who = WHO_BY_NAME.get(name)!;
    if (!c.roles.includes(who.role)) return expectCode(who, c.probe(), 'FORBIDDEN');
    await c.check(who);
  });
  test.each([...new Set([...QUERY_FIELDS, ...Object.keys(QUERY_CASES)])].sort())('Query.%s without a token: UNAUTHENTICATED', async (field) => {
    await expectCode(null, caseOf(QUERY_CASES, 'Query', field).probe(), 'UNAUTHENTICATED');
  });
});

describe('nested fields', () => {
  test.each(Object.keys(NESTED_CASES).flatMap((field) => WHO.map((who) => [field, who.name] as const)))('%s as %s', async (field, name) => {
    const who = WHO_BY_NAME.get(name)!;
    if (!READERS.includes(who.role)) return expectCode(who, { query: `{ units(first: 1) { edges { node { obstacles { totalCount } } } } }` }, 'FORBIDDEN');
    await NESTED_CASES[field]!(who);
  });
});

// Last: its triggers change the world.
describe('subscriptions: one change in پاکدشت and one in کاشان, delivered where the scope admits it', () => {
  /** Each subscription as it went: what it delivered, and what ended it (the errors of a refused subscribe, for one). */
  const received = new Map<string, { sub: Received; end?: unknown }>();
  const key = (name: string, channel: string) => `${name}\n${channel}`;
  beforeAll(async () => {
    let expectedListeners = 0;
    for (const who of WHO) {
      const client = s.client({ token: tokens.get(who.name)! });
      for (const channels of Object.values(SUBSCRIPTION_CASES)) {
        for (const ch of channels) {
          const entry: { sub: Received; end?: unknown } = { sub: subscribe(client, ch.query, ch.variables?.()) };
          void entry.sub.ended.then((end) => (entry.end = end));
          received.set(key(who.name, ch.name), entry);
          if (READERS.includes(who.role) && (ch.listens?.(who) ?? true)) expectedListeners++;
        }
      }
    }
    // What the rules say subscribes; should fewer do, the deliveries below say which.
    await eventually(() => s.t.app.live.listenerCount >= expectedListeners, `${expectedListeners} listening`, 5000).catch(() => undefined);
    const deadline = new Date(now().getTime() + 3600_000).toISOString();
    for (const c of ['PAK', 'KAS'] as const) {
      await overdueResolution(c, deadline);
      await s.ok(RECORD_PROGRESS, { input: { obstacleId: the(`${c}.obstacle`).id, note: 'در کمیته اعتباری' } });
    }
    // Past the deadline: the next scan finds both overdue.
    skew += 2 * 3600_000;
    // The nation hears of everything; once it has, the others have been sent theirs.
    const admin = WHO_BY_NAME.get('ADMIN')!;
    await eventually(
      () =>
        Object.values(SUBSCRIPTION_CASES)
          .flat()
          .every((ch) => {
            const about = new Set(received.get(key(admin.name, ch.name))!.sub.results.map(ch.about));
            return (ch.expected(admin) as string[]).every((l) => about.has(l));
          }),
      'ADMIN received every change',
    );
    await new Promise((r) => setTimeout(r, 500));
  }, 60_000);

  test.each(rows(SUBSCRIPTION_FIELDS, SUBSCRIPTION_CASES))('Subscription.%s as %s', async (field, name) => {
    const who = WHO_BY_NAME.get(name)!;
    for (const ch of caseOf(SUBSCRIPTION_CASES, 'Subscription', field)) {
      const { sub, end } = received.get(key(name, ch.name))!;
      // A refusal comes as a result with errors, or as the errors that end the subscription.
      const errors = [...sub.results.flatMap((r) => r.errors ?? []), ...(Array.isArray(end) ? end : [])];
      const delivered = [...new Set(sub.results.filter((r) => !r.errors).map(ch.about))].sort();
      if (!READERS.includes(who.role)) {
        expect({ channel: ch.name, code: errors[0]?.extensions?.code, delivered }).toEqual({ channel: ch.name, code: 'FORBIDDEN', delivered: [] });
        continue;
      }
      const expected = ch.expected(who);
      if (expected === 'NOT_FOUND') {
        expect({ channel: ch.name, code: errors[0]?.extensions?.code, delivered }).toEqual({ channel: ch.name, code: 'NOT_FOUND', delivered: [] });
      } else {
        expect({ channel: ch.name, errors, delivered }).toEqual({ channel: ch.name, errors: [], delivered: [...expected].sort() });
      }
    }
  });

  test.each([...new Set([...SUBSCRIPTION_FIELDS, ...Object.keys(SUBSCRIPTION_CASES)])].sort())(
    'Subscription.%s without a token: the connection is closed with 4401 and nothing is delivered',
    async (field) => {
      for (const ch of caseOf(SUBSCRIPTION_CASES, 'Subscription', field)) {
        const anonymous = subscribe(s.client({ token: null }), ch.query, ch.variables?.());
        expect(await anonymous.ended).toMatchObject({ code: 4401 });
        expect(anonymous.results).toEqual([]);
      }
    },
  );
});
