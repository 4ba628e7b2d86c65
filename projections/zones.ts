/**
 * Zones: industrial parks (شهرک صنعتی), specialised parks and unplanned
 * clusters (لکه صنعتی) with their way to a non-governmental park, and which
 * units stand in each (from the units' own streams).
 */
import type { UnitLinkedToZone, UnitRegistered } from '../src/domain/unit';
import type { ClusterConversionAdvanced, ZoneRegistered } from '../src/domain/zone';
import { defineProjection, type ReadModelDb } from '../src/projection/projection';

// Counted from `zone_units`, never incremented, so applying an event twice changes nothing.
const recount = (db: ReadModelDb, zoneIds: (string | null)[]): void => {
  for (const zoneId of zoneIds) {
    if (zoneId === null) continue;
    db.run(`UPDATE zones SET unit_count = (SELECT COUNT(*) FROM zone_units u WHERE u.zone_id = zones.zone_id) WHERE zone_id = ?`, [zoneId]);
  }
};

export default defineProjection({
  name: 'zones',
  // 2: a zone's units carry their own place, so a zone's unit list is scoped as units are.
  // 3: a conversion step says which stages it passed over, and why.
  version: 3,
  description: 'One row per zone with its kind, conversion stage and unit count; which unit stands in which zone; every conversion step.',
  schema: `
    CREATE TABLE zones (
      zone_id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      kind TEXT NOT NULL,
      province TEXT NOT NULL,
      county TEXT NOT NULL,
      conversion_stage TEXT,
      non_governmental INTEGER NOT NULL DEFAULT 0,
      unit_count INTEGER NOT NULL DEFAULT 0,
      registered_at TEXT NOT NULL,
      converted_at TEXT,
      revision INTEGER NOT NULL,
      position INTEGER NOT NULL
    );
    CREATE INDEX zones_kind ON zones (kind, registered_at, zone_id);
    CREATE INDEX zones_county ON zones (county, registered_at, zone_id);
    CREATE INDEX zones_stage ON zones (conversion_stage, registered_at, zone_id);
    CREATE TABLE zone_units (
      unit_id TEXT PRIMARY KEY,
      zone_id TEXT NOT NULL,
      linked_at TEXT NOT NULL,
      position INTEGER NOT NULL,
      unit_province TEXT NOT NULL,
      unit_county TEXT NOT NULL
    );
    -- Where every unit is (a unit never moves), for the place of the units linked to a zone later.
    CREATE TABLE unit_places (unit_id TEXT PRIMARY KEY, province TEXT NOT NULL, county TEXT NOT NULL);
    CREATE INDEX zone_units_zone ON zone_units (zone_id, position);
    CREATE TABLE zone_conversions (
      position INTEGER PRIMARY KEY,
      zone_id TEXT NOT NULL,
      from_stage TEXT NOT NULL,
      to_stage TEXT NOT NULL,
      note TEXT NOT NULL,
      advanced_at TEXT NOT NULL,
      actor TEXT NOT NULL,
      skipped TEXT NOT NULL,
      skip_reason TEXT
    );
    CREATE INDEX zone_conversions_zone ON zone_conversions (zone_id, position);
  `,
  // The lists' default order, and filters the schema's indexes above do not lead with.
  indexes: `
    CREATE INDEX IF NOT EXISTS zones_registered ON zones (registered_at, zone_id);
    CREATE INDEX IF NOT EXISTS zones_province ON zones (province, registered_at, zone_id);
  `,
  handlers: {
    ZoneRegistered: (event, db) => {
      const d = event.data as ZoneRegistered['data'];
      db.run(
        `INSERT INTO zones (zone_id, name, kind, province, county, conversion_stage, registered_at, unit_count, revision, position)
         VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT COUNT(*) FROM zone_units WHERE zone_id = ?), ?, ?)
         ON CONFLICT (zone_id) DO NOTHING`,
        [d.zoneId, d.name, d.kind, d.province, d.county, d.kind === 'INDUSTRIAL_CLUSTER' ? 'IDENTIFIED' : null, d.registeredAt,
          d.zoneId, event.revision, event.position],
      );
    },
    ClusterConversionAdvanced: (event, db) => {
      const d = event.data as ClusterConversionAdvanced['data'];
      db.run(
        `INSERT OR IGNORE INTO zone_conversions (position, zone_id, from_stage, to_stage, note, advanced_at, actor, skipped, skip_reason)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [event.position, d.zoneId, d.from, d.to, d.note, d.advancedAt, event.metadata.actor, JSON.stringify(d.skipped ?? []), d.skipReason ?? null],
      );
      // Same rule as the decider: a converted cluster is a non-governmental industrial park.
      const converted = d.to === 'CONVERTED';
      db.run(
        `UPDATE zones SET conversion_stage = ?,
           kind = CASE WHEN ? THEN 'INDUSTRIAL_PARK' ELSE kind END,
           non_governmental = CASE WHEN ? THEN 1 ELSE non_governmental END,
           converted_at = CASE WHEN ? THEN ? ELSE converted_at END,
           revision = ?, position = ?
         WHERE zone_id = ? AND position <= ?`,
        [d.to, converted ? 1 : 0, converted ? 1 : 0, converted ? 1 : 0, d.advancedAt, event.revision, event.position, d.zoneId, event.position],
      );
    },
    UnitRegistered: (event, db) => {
      const d = event.data as UnitRegistered['data'];
      db.run(`INSERT OR IGNORE INTO unit_places (unit_id, province, county) VALUES (?, ?, ?)`, [d.unitId, d.province, d.county]);
      // Units registered before zones existed carry no zoneId.
      if (d.zoneId == null) return;
      db.run(`INSERT OR IGNORE INTO zone_units (unit_id, zone_id, linked_at, position, unit_province, unit_county) VALUES (?, ?, ?, ?, ?, ?)`, [
        d.unitId, d.zoneId, d.registeredAt, event.position, d.province, d.county,
      ]);
      recount(db, [d.zoneId]);
    },
    UnitLinkedToZone: (event, db) => {
      const d = event.data as UnitLinkedToZone['data'];
      db.run(
        `INSERT INTO zone_units (unit_id, zone_id, linked_at, position, unit_province, unit_county)
         SELECT ?, ?, ?, ?, p.province, p.county FROM unit_places p WHERE p.unit_id = ?
         ON CONFLICT (unit_id) DO UPDATE SET zone_id = excluded.zone_id, linked_at = excluded.linked_at, position = excluded.position
         WHERE excluded.position > zone_units.position`,
        [d.unitId, d.zoneId, d.linkedAt, event.position, d.unitId],
      );
      recount(db, [d.previousZoneId, d.zoneId]);
    },
  },
});
