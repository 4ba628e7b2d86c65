/** Were the promises kept? One row per commitment: who promised what to whom, by when, and how it ended. */
import type { CommitmentBroken, CommitmentExtended, CommitmentKept, CommitmentMade } from '../src/domain/commitment';
import { defineProjection } from '../src/projection/projection';

export default defineProjection({
  name: 'commitment-scorecard',
  // v2: each commitment carries its province, for the read scope (a provincial user reads its province's promises).
  version: 2,
  description: 'Commitments kept versus broken, per province, county and promiser, with whether they were kept by the original date.',
  schema: `
    CREATE TABLE scorecard_commitments (
      commitment_id TEXT PRIMARY KEY,
      province TEXT NOT NULL,
      county TEXT NOT NULL,
      made_by TEXT NOT NULL,
      made_to TEXT NOT NULL,
      original_due_date TEXT NOT NULL,
      due_date TEXT NOT NULL,
      status TEXT NOT NULL,
      settled_at TEXT
    );
    CREATE INDEX scorecard_commitments_county ON scorecard_commitments (county, status);
  `,
  // A province's promises (a county's own are the index above).
  indexes: `CREATE INDEX IF NOT EXISTS scorecard_commitments_province ON scorecard_commitments (province, county, status)`,
  handlers: {
    CommitmentMade: (event, db) => {
      const d = event.data as CommitmentMade['data'];
      db.run(
        `INSERT OR IGNORE INTO scorecard_commitments (commitment_id, province, county, made_by, made_to, original_due_date, due_date, status)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'OPEN')`,
        [d.commitmentId, d.province, d.county, d.madeBy, d.madeTo, d.dueDate, d.dueDate],
      );
    },
    CommitmentExtended: (event, db) => {
      const d = event.data as CommitmentExtended['data'];
      db.run(`UPDATE scorecard_commitments SET due_date = ? WHERE commitment_id = ?`, [d.to, d.commitmentId]);
    },
    CommitmentKept: (event, db) => {
      const d = event.data as CommitmentKept['data'];
      db.run(`UPDATE scorecard_commitments SET status = 'KEPT', settled_at = ? WHERE commitment_id = ?`, [d.recordedAt, d.commitmentId]);
    },
    CommitmentBroken: (event, db) => {
      const d = event.data as CommitmentBroken['data'];
      db.run(`UPDATE scorecard_commitments SET status = 'BROKEN', settled_at = ? WHERE commitment_id = ?`, [d.recordedAt, d.commitmentId]);
    },
  },
});
