/**
 * The county dashboard: units by activity status, and revivals (a semi-active
 * or idle unit back to active) per Jalali month — the workgroups' headline figure.
 * Counts are GROUP BYs over one row per unit and one per revival, so applying
 * an event twice changes nothing.
 */
import { jalaliMonthKey } from '../src/calendar/jalali';
import type { UnitActivityStatusChanged, UnitRegistered } from '../src/domain/unit';
import { defineProjection } from '../src/projection/projection';

export default defineProjection({
  name: 'county-dashboard',
  version: 1,
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
    CREATE INDEX dashboard_revivals_month ON dashboard_revivals (county, jalali_month);
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
      if (d.to === 'ACTIVE' && d.from !== 'ACTIVE') {
        db.run(
          `INSERT OR IGNORE INTO dashboard_revivals (unit_id, position, county, jalali_month, from_status)
           SELECT unit_id, ?, county, ?, ? FROM dashboard_units WHERE unit_id = ?`,
          [event.position, jalaliMonthKey(new Date(d.changedAt)), d.from, d.unitId],
        );
      }
    },
  },
});
