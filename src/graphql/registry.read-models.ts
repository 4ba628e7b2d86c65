/**
 * The registries' query side: SQL over the `agencies`, `workgroups` and
 * `zones` projections, and a zone's obstacles from `obstacles`.
 */
import type Database from 'better-sqlite3';
import type { ProjectionRuntime } from '../projection/runtime';
import type { TashilContext } from './context';
import type { Agency } from './agency.type';
import type { Page } from './connection';
import type { Obstacle } from './obstacle.type';
import { inKeys, keysetPage, keysetPages, keysParam, prepared, rowsByIds, rowsOfParents, toObstacle, type PageRequest } from './read-models';
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
});

export class RegistryReadModels {
  constructor(private readonly runtime: ProjectionRuntime) {}

  private db(projection: string): Database.Database {
    return this.runtime.reader(projection);
  }

  /** Names the agency had before, oldest first. */
  formerNames(agencyId: string): string[] {
    return (prepared(this.db('agencies'), `SELECT name FROM agency_former_names WHERE agency_id = ? ORDER BY position`).all(agencyId) as Row[]).map(
      (r) => str(r.name),
    );
  }

  agency(id: string): Agency | null {
    const row = prepared(this.db('agencies'), `SELECT * FROM agencies WHERE agency_id = ?`).get(id) as Row | undefined;
    return row ? toAgency(row) : null;
  }

  agencies(filter: { kind?: string | null; province?: string | null; county?: string | null }, page: PageRequest): Page<Agency> {
    return keysetPage(
      this.db('agencies'),
      'agencies',
      ['registered_at', 'agency_id'],
      { kind: filter.kind, province: filter.province, county: filter.county },
      page,
      toAgency,
    );
  }

  workgroup(id: string): Workgroup | null {
    const row = prepared(this.db('workgroups'), `SELECT * FROM workgroups WHERE workgroup_id = ?`).get(id) as Row | undefined;
    return row ? toWorkgroup(row) : null;
  }

  workgroups(filter: { level?: string | null; province?: string | null }, page: PageRequest): Page<Workgroup> {
    return keysetPage(
      this.db('workgroups'),
      'workgroups',
      ['registered_at', 'workgroup_id'],
      { level: filter.level, province: filter.province },
      page,
      toWorkgroup,
    );
  }

  zone(id: string): Zone | null {
    const row = prepared(this.db('zones'), `SELECT * FROM zones WHERE zone_id = ?`).get(id) as Row | undefined;
    return row ? toZone(row) : null;
  }

  zones(
    filter: { kind?: string | null; province?: string | null; county?: string | null; conversionStage?: string | null },
    page: PageRequest,
  ): Page<Zone> {
    return keysetPage(
      this.db('zones'),
      'zones',
      ['registered_at', 'zone_id'],
      { kind: filter.kind, province: filter.province, county: filter.county, conversion_stage: filter.conversionStage },
      page,
      toZone,
    );
  }

  /** The zone a unit stands in, as the units' own streams say; null outside any registered zone. */
  zoneOfUnit(unitId: string): Zone | null {
    const row = prepared(this.db('zones'), `SELECT z.* FROM zone_units u JOIN zones z ON z.zone_id = u.zone_id WHERE u.unit_id = ?`).get(unitId) as Row | undefined;
    return row ? toZone(row) : null;
  }

  /** Ids of the units in a zone, in the order they came to it. */
  unitIdsOfZone(zoneId: string, page: PageRequest): Page<string> {
    return keysetPage(this.db('zones'), 'zone_units', ['position', 'unit_id'], { zone_id: zoneId }, page, (r) => str(r.unit_id));
  }

  conversionSteps(zoneId: string): ConversionStep[] {
    return (prepared(this.db('zones'), `SELECT * FROM zone_conversions WHERE zone_id = ? ORDER BY position`).all(zoneId) as Row[]).map(
      toConversionStep,
    );
  }

  /** Obstacles raised for the zone as a whole (telecom, paving, utilities), not for one of its units. */
  obstaclesOfZone(zoneId: string, filter: { status?: string | null }, page: PageRequest): Page<Obstacle> {
    return keysetPage(
      this.db('obstacles'),
      'obstacles',
      ['raised_at', 'obstacle_id'],
      { zone_id: zoneId, status: filter.status },
      page,
      toObstacle,
    );
  }
  // ─── Batches: one statement for many parents, for the per-request loaders ──

  agenciesByIds(ids: readonly string[]): Map<string, Agency> {
    return rowsByIds(this.db('agencies'), 'agencies', 'agency_id', ids, toAgency);
  }

  formerNamesOf(agencyIds: readonly string[]): Map<string, string[]> {
    return rowsOfParents(this.db('agencies'), 'agency_former_names', 'agency_id', agencyIds, 'position', (r) => str(r.name));
  }

  workgroupsByIds(ids: readonly string[]): Map<string, Workgroup> {
    return rowsByIds(this.db('workgroups'), 'workgroups', 'workgroup_id', ids, toWorkgroup);
  }

  zonesByIds(ids: readonly string[]): Map<string, Zone> {
    return rowsByIds(this.db('zones'), 'zones', 'zone_id', ids, toZone);
  }

  zonesOfUnits(unitIds: readonly string[]): Map<string, Zone> {
    const rows = prepared(this.db('zones'), `SELECT u.unit_id AS of_unit, z.* FROM zone_units u JOIN zones z ON z.zone_id = u.zone_id WHERE ${inKeys('u.unit_id')}`).all(keysParam(unitIds)) as Row[];
    return new Map(rows.map((r) => [str(r.of_unit), toZone(r)]));
  }

  unitIdsOfZones(zoneIds: readonly string[], page: PageRequest): Map<string, Page<string>> {
    return keysetPages(this.db('zones'), 'zone_units', ['position', 'unit_id'], 'zone_id', zoneIds, {}, page, (r) => str(r.unit_id));
  }

  conversionStepsOf(zoneIds: readonly string[]): Map<string, ConversionStep[]> {
    return rowsOfParents(this.db('zones'), 'zone_conversions', 'zone_id', zoneIds, 'position', toConversionStep);
  }

  obstaclesOfZones(zoneIds: readonly string[], filter: { status?: string | null }, page: PageRequest): Map<string, Page<Obstacle>> {
    return keysetPages(this.db('obstacles'), 'obstacles', ['raised_at', 'obstacle_id'], 'zone_id', zoneIds, { status: filter.status }, page, toObstacle);
  }
}

/** The registries' read models for one request: a thin view over the runtime's shared read-only connections. */
export const registryReads = (ctx: TashilContext): RegistryReadModels => new RegistryReadModels(ctx.runtime);
