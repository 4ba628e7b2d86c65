/**
 * The county dashboard: units by activity status, and revivals (a semi-active
 * or idle unit back to active) per Jalali month — the workgroups' headline figure.
 * Unit counts are GROUP BYs over one row per unit; revivals are counted per
 * county, month and former status in cells, so the dashboard reads a cell per
 * month, not every revival in the history. A cell counts a revival only when its
 * row (keyed by the event's position) goes in, so applying an event twice changes nothing.
 */
import { jalaliMonthKey } from '../src/calendar/jalali';
import type { UnitActivityStatusChanged, UnitRegistered } from '../src/domain/unit';
import { defineProjection } from '../src/projection/projection';

export default defineProjection({
  name: 'county-dashboard',
  // v2: revivals counted in cells per month (dashboard_revival_months); the query grouped every revival.
  version: 2,
  description: 'Units by activity status per county, and revivals to active per Jalali month.',
  schema: `
    CREATE TABLE dashboard_units (
      unit_id TEXT PRIMARY KEY,
      province TEXT NOT NULL,
      county TEXT NOT NULL,
      status TEXT NOT NULL
    );
    CREATE INDEX dashboard_units_county ON dashboard_units (county, status);
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
      db.run(`INSERT OR IGNORE INTO dashboard_units (unit_id, province, county, status) VALUES (?, ?, ?, ?)`, [
        d.unitId, d.province, d.county, d.activityStatus,
      ]);
    },
    UnitActivityStatusChanged: (event, db) => {
      const d = event.data as UnitActivityStatusChanged['data'];
      db.run(`UPDATE dashboard_units SET status = ? WHERE unit_id = ?`, [d.to, d.unitId]);
      const unit = d.to === 'ACTIVE' && d.from !== 'ACTIVE' ? db.get<{ county: string }>(`SELECT county FROM dashboard_units WHERE unit_id = ?`, [d.unitId]) : undefined;
      if (unit) {
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
