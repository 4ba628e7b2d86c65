/**
 * The registries' query side: SQL over the `agencies`, `workgroups` and
 * `zones` projections, and a zone's obstacles from `obstacles`.
 */
import type Database from 'better-sqlite3';
import type { ReadScope } from '../auth/scope';
import type { ProjectionRuntime } from '../projection/runtime';
import type { TashilContext } from './context';
import type { Agency } from './agency.type';
import type { Page } from './connection';
import type { Obstacle } from './obstacle.type';
import { andVisible, inKeys, keysetPage, keysetPages, keysParam, prepared, rowById, rowsByIds, rowsOfParents, scoped, THROUGH_PARENT, toObstacle, type PageRequest } from './read-models';
import type { Workgroup } from './workgroup.type';
import type { ConversionStep, Zone } from './zone.type';

type Row = Record<string, unknown>;
const str = (v: unknown): string => String(v);
const strOrNull = (v: unknown): string | null => (v == null ? null : String(v));
const dateOrNull = (v: unknown): Date | null => (v == null ? null : new Date(v as string));

const toAgency = (r: Row): Agency => ({
  id: str(r.agency_id),
  name: str(r.name),
  kind: r.kind as Agency['kind'],
  province: str(r.province),
  county: strOrNull(r.county),
  status: r.status as Agency['status'],
  registeredAt: new Date(str(r.registered_at)),
  deactivatedAt: dateOrNull(r.deactivated_at),
  deactivationReason: strOrNull(r.deactivation_reason),
  revision: str(r.revision),
});

const toWorkgroup = (r: Row): Workgroup => ({
  id: str(r.workgroup_id),
  level: r.level as Workgroup['level'],
  name: str(r.name),
  province: strOrNull(r.province),
  county: strOrNull(r.county),
  registeredAt: new Date(str(r.registered_at)),
  meetingCount: Number(r.meeting_count),
  lastSequenceNumber: r.last_sequence_number == null ? null : Number(r.last_sequence_number),
  revision: str(r.revision),
});

const toZone = (r: Row): Zone => ({
  id: str(r.zone_id),
  name: str(r.name),
  kind: r.kind as Zone['kind'],
  province: str(r.province),
  county: str(r.county),
  conversionStage: (r.conversion_stage ?? null) as Zone['conversionStage'],
  nonGovernmental: Number(r.non_governmental) === 1,
  unitCount: Number(r.unit_count),
  registeredAt: new Date(str(r.registered_at)),
  convertedAt: dateOrNull(r.converted_at),
  revision: str(r.revision),
});

const toConversionStep = (r: Row): ConversionStep => ({
  from: r.from_stage as ConversionStep['from'],
  to: r.to_stage as ConversionStep['to'],
  note: str(r.note),
  advancedAt: new Date(str(r.advanced_at)),
  actor: str(r.actor),
  skipped: JSON.parse(str(r.skipped)) as ConversionStep['skipped'],
  skipReason: strOrNull(r.skip_reason),
});

/** The registries' read models as one caller sees them (the scope of `ReadModels`, src/auth/scope.ts). */
export class RegistryReadModels {
  constructor(
    private readonly runtime: ProjectionRuntime,
    private readonly scope: ReadScope,
  ) {}

  private db(projection: string): Database.Database {
    return this.runtime.reader(projection);
  }

  /**
   * A zone as the caller sees it: outside the nation's view its unit count is
   * of the units the caller sees (a unit may stand in a zone of another county).
   */
  private get toZone_(): (r: Row) => Zone {
    if (this.scope.kind === 'NATION') return toZone;
    const visible = andVisible(unitsOfZone(this.scope));
    const count = prepared(this.db('zones'), `SELECT COUNT(*) AS n FROM zone_units WHERE zone_id = ?${visible.sql}`);
    return (r) => ({ ...toZone(r), unitCount: Number((count.get(r.zone_id, ...visible.params) as { n: number }).n) });
  }

  /**
   * A workgroup as the caller sees it: outside the nation's view its meeting
   * count and last session number are of the meetings the caller sees (an
   * agency user sees none; a county user those of a provincial body held in its county).
   */
  private get toWorkgroup_(): (r: Row) => Workgroup {
    if (this.scope.kind === 'NATION') return toWorkgroup;
    const visible = andVisible(scoped(this.scope, 'meeting'));
    const meetings = prepared(this.db('meetings'), `SELECT COUNT(*) AS n, MAX(sequence_number) AS last FROM meetings WHERE workgroup_id = ?${visible.sql}`);
    return (r) => {
      const seen = meetings.get(r.workgroup_id, ...visible.params) as { n: number; last: number | null };
      return { ...toWorkgroup(r), meetingCount: Number(seen.n), lastSequenceNumber: seen.last == null ? null : Number(seen.last) };
    };
  }

  agency(id: string): Agency | null {
    return rowById(this.db('agencies'), 'agencies', scoped(this.scope, 'agency'), 'agency_id', id, toAgency);
  }

  agencies(filter: { kind?: string | null; province?: string | null; county?: string | null }, page: PageRequest): Page<Agency> {
    return keysetPage(
      this.db('agencies'),
      'agencies',
      scoped(this.scope, 'agency'),
      ['registered_at', 'agency_id'],
      { kind: filter.kind, province: filter.province, county: filter.county },
      page,
      toAgency,
    );
  }

  workgroup(id: string): Workgroup | null {
    return rowById(this.db('workgroups'), 'workgroups', scoped(this.scope, 'workgroup'), 'workgroup_id', id, this.toWorkgroup_);
  }

  workgroups(filter: { level?: string | null; province?: string | null }, page: PageRequest): Page<Workgroup> {
    return keysetPage(
      this.db('workgroups'),
      'workgroups',
      scoped(this.scope, 'workgroup'),
      ['registered_at', 'workgroup_id'],
      { level: filter.level, province: filter.province },
      page,
      this.toWorkgroup_,
    );
  }

  zone(id: string): Zone | null {
    return rowById(this.db('zones'), 'zones', scoped(this.scope, 'zone'), 'zone_id', id, this.toZone_);
  }

  zones(
    filter: { kind?: string | null; province?: string | null; county?: string | null; conversionStage?: string | null },
    page: PageRequest,
  ): Page<Zone> {
    return keysetPage(
      this.db('zones'),
      'zones',
      scoped(this.scope, 'zone'),
      ['registered_at', 'zone_id'],
      { kind: filter.kind, province: filter.province, county: filter.county, conversion_stage: filter.conversionStage },
      page,
      this.toZone_,
    );
  }
  // ─── Batches: one statement for many parents, for the per-request loaders ──

  agenciesByIds(ids: readonly string[]): Map<string, Agency> {
    return rowsByIds(this.db('agencies'), 'agencies', scoped(this.scope, 'agency'), 'agency_id', ids, toAgency);
  }

  formerNamesOf(agencyIds: readonly string[]): Map<string, string[]> {
    return rowsOfParents(this.db('agencies'), 'agency_former_names', THROUGH_PARENT, 'agency_id', agencyIds, 'position', (r) => str(r.name));
  }

  workgroupsByIds(ids: readonly string[]): Map<string, Workgroup> {
    return rowsByIds(this.db('workgroups'), 'workgroups', scoped(this.scope, 'workgroup'), 'workgroup_id', ids, this.toWorkgroup_);
  }

  zonesByIds(ids: readonly string[]): Map<string, Zone> {
    return rowsByIds(this.db('zones'), 'zones', scoped(this.scope, 'zone'), 'zone_id', ids, this.toZone_);
  }

  /** The zone each unit stands in, for units the caller sees, when the caller sees the zone. */
  zonesOfUnits(unitIds: readonly string[]): Map<string, Zone> {
    const visible = andVisible(scoped(this.scope, 'zone', { province: 'z.province', county: 'z.county', id: 'z.zone_id' }));
    const rows = prepared(
      this.db('zones'),
      `SELECT u.unit_id AS of_unit, z.* FROM zone_units u JOIN zones z ON z.zone_id = u.zone_id WHERE ${inKeys('u.unit_id')}${visible.sql}`,
    ).all(keysParam(unitIds), ...visible.params) as Row[];
    const zone = this.toZone_;
    return new Map(rows.map((r) => [str(r.of_unit), zone(r)]));
  }

  /** The units of each zone the caller sees, of those units the caller sees. */
  unitIdsOfZones(zoneIds: readonly string[], page: PageRequest): Map<string, Page<string>> {
    return keysetPages(this.db('zones'), 'zone_units', unitsOfZone(this.scope), ['position', 'unit_id'], 'zone_id', zoneIds, {}, page, (r) => str(r.unit_id));
  }

  conversionStepsOf(zoneIds: readonly string[]): Map<string, ConversionStep[]> {
    return rowsOfParents(this.db('zones'), 'zone_conversions', THROUGH_PARENT, 'zone_id', zoneIds, 'position', toConversionStep);
  }

  /** Obstacles raised for each zone as a whole (telecom, paving, utilities), not for one of its units. */
  obstaclesOfZones(zoneIds: readonly string[], filter: { status?: string | null }, page: PageRequest): Map<string, Page<Obstacle>> {
    return keysetPages(
      this.db('obstacles'),
      'obstacles',
      scoped(this.scope, 'obstacle'),
      ['raised_at', 'obstacle_id'],
      'zone_id',
      zoneIds,
      { status: filter.status },
      page,
      toObstacle,
    );
  }
}

/**
 * A zone's units as the caller sees units: `zone_units` holds the unit's
 * place beside it (a unit may stand in a zone of another county), so a count
 * never includes a unit the caller cannot open.
 */
const unitsOfZone = (scope: ReadScope) => scoped(scope, 'unit', { province: 'unit_province', county: 'unit_county' });

/** The registries' read models for one request, in the scope of its `ReadModels`. */
export const registryReads = (ctx: TashilContext): RegistryReadModels => new RegistryReadModels(ctx.runtime, ctx.readModels.scope);
