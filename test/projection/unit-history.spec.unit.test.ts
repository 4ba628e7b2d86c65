/** The unit-history projection, given events then rows. */
import unitHistory from '../../projections/unit-history';
import { ProjectionSpecification } from '../support/projection-specification';

const given = ProjectionSpecification.for(unitHistory);
const UNIT = 'unit-1';
const OBSTACLE = 'obstacle-1';
const registered = {
  type: 'UnitRegistered',
  data: { unitId: UNIT, name: 'ابتکار پلاستیک', nationalId: '10861234567', sector: 'پلاستیک', province: 'تهران', county: 'پاکدشت', activityStatus: 'SEMI_ACTIVE' },
};
const raised = {
  type: 'ObstacleRaised',
  data: { obstacleId: OBSTACLE, unitId: UNIT, zoneId: null, province: 'تهران', county: 'پاکدشت', title: 'امهال وام', description: '', category: 'BANKING' },
};
const referred = (deadline: string) => ({ type: 'ObstacleReferred', data: { obstacleId: OBSTACLE, leadAgency: 'بانک ملی', deadline } });

test("a referral's deadline reads as its Jalali date on Tehran's clock, not as the UTC date", () => {
  // 1405/09/30 00:00 in Tehran is 2026-12-20T20:30Z: the UTC date is the day before.
  given([registered, raised, referred('2026-12-20T20:30:00.000Z')]).thenRows(`SELECT kind, summary FROM unit_history WHERE kind = 'OBSTACLE_REFERRED'`, [
    { kind: 'OBSTACLE_REFERRED', summary: 'ارجاع مانع «امهال وام» به بانک ملی با مهلت 1405/09/30' },
  ]);
});

test("a unit's timeline holds its registration and its case, in the order recorded", () => {
  given([registered, raised]).thenRows(`SELECT kind, subject_type, subject_id FROM unit_history ORDER BY position`, [
    { kind: 'REGISTERED', subject_type: 'UNIT', subject_id: UNIT },
    { kind: 'OBSTACLE_RAISED', subject_type: 'OBSTACLE', subject_id: OBSTACLE },
  ]);
});

test("a zone's case is on no unit's timeline", () => {
  given([registered, { ...raised, data: { ...raised.data, unitId: null, zoneId: 'zone-1' } }]).thenRows(`SELECT kind FROM unit_history`, [{ kind: 'REGISTERED' }]);
});
