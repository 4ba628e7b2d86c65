import {
  visitDecider,
  type RecordVisit,
  type RecordVisitFindings,
  type Visit,
  type VisitCommand,
  type VisitEvent,
  type VisitFindingsRecorded,
  type VisitRecorded,
} from '../../src/domain/visit';
import { DeciderSpecification, expectDecideIsPure } from './decider-specification';

const given = DeciderSpecification.for(visitDecider);

describe('visit decider', () => {
  describe('when the visit is not recorded', () => {
    it('records it, without the facts', () => {
      given([]).when(recordVisit).then([visitRecorded]);
    });

    it('records a visit to a zone as a whole, naming no unit', () => {
      const zoneOnly: RecordVisit = { ...recordVisit, data: { ...recordVisit.data, unitIds: [], existingUnitIds: [] } };
      given([])
        .when(zoneOnly)
        .then([{ type: 'VisitRecorded', data: { ...visitRecorded.data, unitIds: [] } }]);
    });

    it('records a visit to units outside any zone, the zone flag unread', () => {
      const unitsOnly: RecordVisit = { ...recordVisit, data: { ...recordVisit.data, zoneId: null, zoneExists: false } };
      given([])
        .when(unitsOnly)
        .then([{ type: 'VisitRecorded', data: { ...visitRecorded.data, zoneId: null } }]);
    });

    it('rejects a visit with no visitor with BAD_USER_INPUT on visitors', () => {
      const error = given([])
        .when({ ...recordVisit, data: { ...recordVisit.data, visitors: [] } })
        .thenThrows('BAD_USER_INPUT', 'a visit needs at least one visitor');
      expect(error.details).toEqual({ fields: [{ field: 'visitors', messages: ['a visit needs at least one visitor'] }] });
    });

    it('rejects units that do not exist with NOT_FOUND, naming the first missing in the order given', () => {
      given([])
        .when({ ...recordVisit, data: { ...recordVisit.data, unitIds: [dehghanShoesId, 'unit-missing-1', 'unit-missing-2'] } })
        .thenThrows('NOT_FOUND', 'unit unit-missing-1 does not exist');
    });

    it('rejects a zone that does not exist with NOT_FOUND', () => {
      given([])
        .when({ ...recordVisit, data: { ...recordVisit.data, zoneExists: false } })
        .thenThrows('NOT_FOUND', `zone ${chahardangehZoneId} does not exist`);
    });

    it('rejects findings with NOT_FOUND', () => {
      given([]).when(recordFindings).thenThrows('NOT_FOUND', `visit ${visitId} does not exist`);
    });

    it('ignores findings without a visit', () => {
      given([findingsRecorded]).thenState({ status: 'ABSENT' });
    });
  });

  describe('when the visit is recorded', () => {
    it('is recorded, with no findings yet and without the visitors or purpose', () => {
      given([visitRecorded]).thenState(recordedState);
    });

    it('rejects recording it again with CONFLICT', () => {
      const error = given([visitRecorded]).when(recordVisit).thenThrows('CONFLICT', `visit ${visitId} already exists`);
      expect(error.details).toEqual({ visitId });
    });

    it('records findings', () => {
      given([visitRecorded]).when(recordFindings).then([findingsRecorded]);
    });

    it('records more findings, never replacing the earlier ones', () => {
      given([visitRecorded, findingsRecorded]).when(recordMoreFindings).then([moreFindingsRecorded]);
      given([visitRecorded, findingsRecorded, moreFindingsRecorded]).thenState({ ...recordedState, findingsRecorded: 2 });
    });

    it('records the same findings twice when told twice: findings are append-only, not deduplicated', () => {
      given([visitRecorded, findingsRecorded]).when(recordFindings).then([findingsRecorded]);
    });
  });

  describe('decide is pure', () => {
    it('decides every command the same way twice, in every state, without touching the state', () => {
      const commands: VisitCommand[] = [
        recordVisit,
        { ...recordVisit, data: { ...recordVisit.data, visitors: [] } },
        { ...recordVisit, data: { ...recordVisit.data, existingUnitIds: [] } },
        recordFindings,
      ];
      const histories: VisitEvent[][] = [[], [visitRecorded], [visitRecorded, findingsRecorded]];
      for (const history of histories) {
        for (const command of commands) expectDecideIsPure(visitDecider, history, command);
      }
    });
  });
});

// ─── Fixtures: Tehran province's economic deputy visits Islamshahr's shoe producers ───

const visitId = 'visit-islamshahr-asgari-1403';
const chahardangehZoneId = 'zone-chahardangeh-cluster';
const dehghanShoesId = 'unit-dehghan-shoes';
const padarShoesId = 'unit-padar-street-shoes';

const recordVisit: RecordVisit = {
  type: 'RecordVisit',
  data: {
    visitId,
    visitedAt: '2024-11-24T06:30:00.000Z',
    visitors: [
      { name: 'حشمت الله عسگری', agency: 'استانداری تهران', role: 'معاون اقتصادی استاندار' },
      { name: 'محمود سیجانی', agency: 'سازمان صنعت، معدن و تجارت استان تهران', role: 'مدیرکل' },
      { name: 'فرماندار اسلامشهر', agency: 'فرمانداری اسلامشهر', role: null },
    ],
    unitIds: [dehghanShoesId, padarShoesId],
    zoneId: chahardangehZoneId,
    province: 'تهران',
    county: 'اسلامشهر',
    purpose: 'بررسی میدانی مشکلات تولیدکنندگان کفش و ساماندهی لکه‌های صنعتی اسلامشهر',
    existingUnitIds: [padarShoesId, dehghanShoesId],
    zoneExists: true,
  },
};
const { existingUnitIds: _units, zoneExists: _zone, ...visitData } = recordVisit.data;
const visitRecorded: VisitRecorded = { type: 'VisitRecorded', data: visitData };

const recordFindings: RecordVisitFindings = {
  type: 'RecordVisitFindings',
  data: {
    visitId,
    findings: 'آنتن‌دهی مخابرات در خیابان پدر و منطقه چهاردانگه ضعیف است؛ نصب المان در ورودی چهاردانگه درخواست شد.',
    recordedAt: '2024-11-24T12:00:00.000Z',
  },
};
const findingsRecorded: VisitFindingsRecorded = { type: 'VisitFindingsRecorded', data: { ...recordFindings.data } };

const recordMoreFindings: RecordVisitFindings = {
  type: 'RecordVisitFindings',
  data: {
    visitId,
    findings: 'چند واحد کفش با بانک‌ها برای تمدید تسهیلات مشکل دارند؛ تامین آب، برق و گاز لکه صنعتی پیگیری شود.',
    recordedAt: '2024-11-25T08:00:00.000Z',
  },
};
const moreFindingsRecorded: VisitFindingsRecorded = { type: 'VisitFindingsRecorded', data: { ...recordMoreFindings.data } };

const recordedState: Exclude<Visit, { status: 'ABSENT' }> = {
  status: 'RECORDED',
  visitId,
  visitedAt: recordVisit.data.visitedAt,
  unitIds: [dehghanShoesId, padarShoesId],
  zoneId: chahardangehZoneId,
  province: 'تهران',
  county: 'اسلامشهر',
  findingsRecorded: 0,
};
