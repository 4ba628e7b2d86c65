/**
 * The county dashboard: units by activity status, and revivals (a semi-active
 * or idle unit back to active) per Jalali month — the workgroups' headline figure.
 * Both are counted in cells (county and status; county, month and former status),
 * so the dashboard reads a few cells, not every unit or revival of the county.
 * A cell moves only when the row under it did change (a unit's row went in or its
 * status really changed; a revival's row, keyed by the event's position, went in),
 * so applying an event twice changes nothing.
 */
import { jalaliMonthKey } from '../src/calendar/jalali';
import type { UnitActivityStatusChanged, UnitRegistered } from '../src/domain/unit';
import { defineProjection, type ReadModelDb } from '../src/projection/projection';

const countUnits = (db: ReadModelDb, county: string, status: string, by: 1 | -1): void =>
  void db.run(
    `INSERT INTO dashboard_status_counts (county, status, units) VALUES (?, ?, ?)
     ON CONFLICT (county, status) DO UPDATE SET units = units + excluded.units`,
    [county, status, by],
  );

export default defineProjection({
  name: 'county-dashboard',
  // v2: revivals counted in cells per month (dashboard_revival_months); the query grouped every revival.
  // v3: units per status counted in cells (dashboard_status_counts); the query counted the county's units.
  version: 3,
  description: 'Units by activity status per county, and revivals to active per Jalali month.',
  schema: `
    CREATE TABLE dashboard_units (
      unit_id TEXT PRIMARY KEY,
      province TEXT NOT NULL,
      county TEXT NOT NULL,
      status TEXT NOT NULL
    );
    CREATE TABLE dashboard_status_counts (
      county TEXT NOT NULL,
      status TEXT NOT NULL,
      units INTEGER NOT NULL,
      PRIMARY KEY (county, status)
    );
    CREATE TABLE dashboard_revivals (
      unit_id TEXT NOT NULL,
      position INTEGER NOT NULL,
      county TEXT NOT NULL,
      jalali_month TEXT NOT NULL,
      from_status TEXT NOT NULL,
      PRIMARY KEY (unit_id, position)
    );
    CREATE TABLE dashboard_revival_months (
      county TEXT NOT NULL,
      jalali_month TEXT NOT NULL,
      from_status TEXT NOT NULL,
      revivals INTEGER NOT NULL,
      PRIMARY KEY (county, jalali_month, from_status)
    );
  `,
  handlers: {
    UnitRegistered: (event, db) => {
      const d = event.data as UnitRegistered['data'];
      const row = db.run(`INSERT OR IGNORE INTO dashboard_units (unit_id, province, county, status) VALUES (?, ?, ?, ?)`, [
        d.unitId, d.province, d.county, d.activityStatus,
      ]);
      if (row > 0) countUnits(db, d.county, d.activityStatus, 1);
    },
    UnitActivityStatusChanged: (event, db) => {
      const d = event.data as UnitActivityStatusChanged['data'];
      const unit = db.get<{ county: string; status: string }>(`SELECT county, status FROM dashboard_units WHERE unit_id = ?`, [d.unitId]);
      if (unit === undefined) return;
      if (unit.status !== d.to) {
        db.run(`UPDATE dashboard_units SET status = ? WHERE unit_id = ?`, [d.to, d.unitId]);
        countUnits(db, unit.county, unit.status, -1);
        countUnits(db, unit.county, d.to, 1);
      }
      if (d.to === 'ACTIVE' && d.from !== 'ACTIVE') {
        const cell = [unit.county, jalaliMonthKey(new Date(d.changedAt)), d.from];
        const row = db.run(`INSERT OR IGNORE INTO dashboard_revivals (unit_id, position, county, jalali_month, from_status) VALUES (?, ?, ?, ?, ?)`, [d.unitId, event.position, ...cell]);
        if (row > 0) {
          db.run(
            `INSERT INTO dashboard_revival_months (county, jalali_month, from_status, revivals) VALUES (?, ?, ?, 1)
             ON CONFLICT (county, jalali_month, from_status) DO UPDATE SET revivals = revivals + 1`,
            cell,
          );
        }
      }
    },
  },
});
