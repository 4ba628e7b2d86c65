/**
 * The county dashboard: units by activity status, and revivals (a semi-active
 * or idle unit back to active) per Jalali month — the workgroups' headline figure.
 * Both are counted in cells (county, status and province; county, month, former
 * status and province), so the dashboard reads a few cells, not every unit or
 * revival of the county. Each cell carries the province, so a provincial user's
 * dashboard reads its own province's cells only (two provinces may name a county
 * alike). A cell moves only when the row under it did change (a unit's row went
 * in or its status really changed; a revival's row, keyed by the event's
 * position, went in), so applying an event twice changes nothing.
 */
import { jalaliMonthKey } from '../src/calendar/jalali';
import type { UnitActivityStatusChanged, UnitRegistered } from '../src/domain/unit';
import { defineProjection, type ReadModelDb } from '../src/projection/projection';

const countUnits = (db: ReadModelDb, unit: { province: string; county: string }, status: string, by: 1 | -1): void =>
  void db.run(
    `INSERT INTO dashboard_status_counts (county, status, province, units) VALUES (?, ?, ?, ?)
     ON CONFLICT (county, status, province) DO UPDATE SET units = units + excluded.units`,
    [unit.county, status, unit.province, by],
  );

export default defineProjection({
  name: 'county-dashboard',
  // v2: revivals counted in cells per month (dashboard_revival_months); the query grouped every revival.
  // v3: units per status counted in cells (dashboard_status_counts); the query counted the county's units.
  // v4: every cell and revival carries its province, for the read scope (a provincial user reads its province's cells).
  version: 4,
  description: 'Units by activity status per county, and revivals to active per Jalali month, each with its province.',
  schema: `
    CREATE TABLE dashboard_units (
      unit_id TEXT PRIMARY KEY,
      province TEXT NOT NULL,
      county TEXT NOT NULL,
      status TEXT NOT NULL
    );
    -- The county leads the keys (a national user asks by county); the province follows, for the scope.
    CREATE TABLE dashboard_status_counts (
      county TEXT NOT NULL,
      status TEXT NOT NULL,
      province TEXT NOT NULL,
      units INTEGER NOT NULL,
      PRIMARY KEY (county, status, province)
    );
    CREATE TABLE dashboard_revivals (
      unit_id TEXT NOT NULL,
      position INTEGER NOT NULL,
      province TEXT NOT NULL,
      county TEXT NOT NULL,
      jalali_month TEXT NOT NULL,
      from_status TEXT NOT NULL,
      PRIMARY KEY (unit_id, position)
    );
    CREATE TABLE dashboard_revival_months (
      county TEXT NOT NULL,
      jalali_month TEXT NOT NULL,
      from_status TEXT NOT NULL,
      province TEXT NOT NULL,
      revivals INTEGER NOT NULL,
      PRIMARY KEY (county, jalali_month, from_status, province)
    );
  `,
  handlers: {
    UnitRegistered: (event, db) => {
      const d = event.data as UnitRegistered['data'];
      const row = db.run(`INSERT OR IGNORE INTO dashboard_units (unit_id, province, county, status) VALUES (?, ?, ?, ?)`, [
        d.unitId, d.province, d.county, d.activityStatus,
      ]);
      if (row > 0) countUnits(db, d, d.activityStatus, 1);
    },
    UnitActivityStatusChanged: (event, db) => {
      const d = event.data as UnitActivityStatusChanged['data'];
      const unit = db.get<{ province: string; county: string; status: string }>(`SELECT province, county, status FROM dashboard_units WHERE unit_id = ?`, [d.unitId]);
      if (unit === undefined) return;
      if (unit.status !== d.to) {
        db.run(`UPDATE dashboard_units SET status = ? WHERE unit_id = ?`, [d.to, d.unitId]);
        countUnits(db, unit, unit.status, -1);
        countUnits(db, unit, d.to, 1);
      }
      if (d.to === 'ACTIVE' && d.from !== 'ACTIVE') {
        const month = jalaliMonthKey(new Date(d.changedAt));
        const row = db.run(
          `INSERT OR IGNORE INTO dashboard_revivals (unit_id, position, province, county, jalali_month, from_status) VALUES (?, ?, ?, ?, ?, ?)`,
          [d.unitId, event.position, unit.province, unit.county, month, d.from],
        );
        if (row > 0) {
          db.run(
            `INSERT INTO dashboard_revival_months (county, jalali_month, from_status, province, revivals) VALUES (?, ?, ?, ?, 1)
             ON CONFLICT (county, jalali_month, from_status, province) DO UPDATE SET revivals = revivals + 1`,
            [unit.county, month, d.from, unit.province],
          );
        }
      }
    },
  },
});
