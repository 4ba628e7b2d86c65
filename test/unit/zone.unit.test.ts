import {
  CONVERSION_STAGES,
  zoneDecider,
  type AdvanceClusterConversion,
  type ClusterConversionAdvanced,
  type ConversionStage,
  type RegisterZone,
  type Zone,
  type ZoneCommand,
  type ZoneEvent,
  type ZoneRegistered,
} from '../../src/domain/zone';
import { DeciderSpecification, expectDecideIsPure } from './decider-specification';

const given = DeciderSpecification.for(zoneDecider);

describe('zone decider', () => {
  describe('when the zone is not registered', () => {
    it.each([
      ['an industrial park', () => registerKharazmi],
      ['a specialised park', () => registerShoeCity],
      ['an industrial cluster', () => registerChahardangeh],
    ])('registers %s', (_case, command) => {
      given([])
        .when(command())
        .then([{ type: 'ZoneRegistered', data: { ...command().data } }]);
    });

    it('rejects advancing a conversion with NOT_FOUND', () => {
      given([]).when(advanceTo('APPLICATION_FILED')).thenThrows('NOT_FOUND', `zone ${chahardangehId} does not exist`);
    });

    it('ignores a conversion step without a registration', () => {
      given([advanced('IDENTIFIED', 'APPLICATION_FILED')]).thenState({ status: 'ABSENT' });
    });
  });

  describe('when the zone is a park', () => {
    it('is registered, governmental, with no conversion stage', () => {
      given([kharazmiRegistered]).thenState({
        status: 'REGISTERED',
        ...registerKharazmi.data,
        conversionStage: null,
        nonGovernmental: false,
      });
    });

    it('rejects registering it again with CONFLICT', () => {
      const error = given([kharazmiRegistered])
        .when(registerKharazmi)
        .thenThrows('CONFLICT', `zone ${kharazmiId} already exists`);
      expect(error.details).toEqual({ zoneId: kharazmiId });
    });

    it.each([
      ['an industrial park', () => kharazmiRegistered, () => kharazmiId, 'INDUSTRIAL_PARK'],
      ['a specialised park', () => shoeCityRegistered, () => shoeCityId, 'SPECIALISED_PARK'],
    ])('rejects advancing %s’s conversion with INVALID_TRANSITION', (_case, registered, zoneId, kind) => {
      const step = advanceTo('APPLICATION_FILED');
      const command: AdvanceClusterConversion = { ...step, data: { ...step.data, zoneId: zoneId() } };
      const error = given([registered()])
        .when(command)
        .thenThrows(
          'INVALID_TRANSITION',
          `cannot advance the conversion to APPLICATION_FILED: the zone is ${kind}, and only an INDUSTRIAL_CLUSTER converts`,
        );
      expect(error.details).toEqual({ kind, command: 'advance the conversion to APPLICATION_FILED' });
    });
  });

  describe('when the zone is a cluster', () => {
    it('is identified, the first stage of conversion', () => {
      given([chahardangehRegistered]).thenState(clusterState);
    });

    it('rejects registering it again with CONFLICT', () => {
      given([chahardangehRegistered]).when(registerChahardangeh).thenThrows('CONFLICT');
    });

    it('advances one stage, recording the stage it left', () => {
      given([chahardangehRegistered])
        .when(advanceTo('APPLICATION_FILED'))
        .then([advanced('IDENTIFIED', 'APPLICATION_FILED')]);
    });

    it('passes stages over only with a reason, and records the skip', () => {
      const reason = 'مجوز همراه با درخواست صادر شد';
      given([chahardangehRegistered])
        .when(advanceTo('PERMIT_ISSUED', reason))
        .then([{ ...advanced('IDENTIFIED', 'PERMIT_ISSUED'), data: { ...advanced('IDENTIFIED', 'PERMIT_ISSUED').data, skipped: ['APPLICATION_FILED'], skipReason: reason } }]);
    });

    it('rejects skipping every stage to CONVERTED without a reason with INVALID_TRANSITION', () => {
      given([chahardangehRegistered])
        .when(advanceTo('CONVERTED'))
        .thenThrows(
          'INVALID_TRANSITION',
          'cannot advance the conversion to CONVERTED: the cluster is at IDENTIFIED, and skipping APPLICATION_FILED, PERMIT_ISSUED, INFRASTRUCTURE needs a skipReason',
        );
    });

    it('rejects staying at the stage it is at with INVALID_TRANSITION', () => {
      const error = given([chahardangehRegistered])
        .when(advanceTo('IDENTIFIED'))
        .thenThrows('INVALID_TRANSITION', 'cannot advance the conversion to IDENTIFIED: the cluster is already at IDENTIFIED, and stages only move forward');
      expect(error.details).toEqual({ status: 'IDENTIFIED', command: 'advance the conversion to IDENTIFIED' });
    });
  });

  describe('when the cluster’s conversion is under way', () => {
    const history = (): ZoneEvent[] => [chahardangehRegistered, advanced('IDENTIFIED', 'PERMIT_ISSUED')];

    it('is at the stage it reached, still a governmental cluster', () => {
      given(history()).thenState({ ...clusterState, conversionStage: 'PERMIT_ISSUED' });
    });

    it.each(['IDENTIFIED', 'APPLICATION_FILED', 'PERMIT_ISSUED'] as const)(
      'rejects moving back or staying at %s with INVALID_TRANSITION',
      (stage) => {
        given(history())
          .when(advanceTo(stage))
          .thenThrows('INVALID_TRANSITION', `cannot advance the conversion to ${stage}: the cluster is already at PERMIT_ISSUED`);
      },
    );

    it('advances to infrastructure', () => {
      given(history()).when(advanceTo('INFRASTRUCTURE')).then([advanced('PERMIT_ISSUED', 'INFRASTRUCTURE')]);
    });

    it('converts it into a park', () => {
      const reason = 'زیرساخت پیش از این تامین شده بود';
      given(history()).when(advanceTo('CONVERTED', reason)).then([{ ...advanced('PERMIT_ISSUED', 'CONVERTED'), data: { ...advanced('PERMIT_ISSUED', 'CONVERTED').data, skipped: ['INFRASTRUCTURE'], skipReason: reason } }]);
    });
  });

  describe('when the cluster is converted', () => {
    const history = (): ZoneEvent[] => [
      chahardangehRegistered,
      advanced('IDENTIFIED', 'APPLICATION_FILED'),
      advanced('APPLICATION_FILED', 'PERMIT_ISSUED'),
      advanced('PERMIT_ISSUED', 'INFRASTRUCTURE'),
      advanced('INFRASTRUCTURE', 'CONVERTED'),
    ];

    it('is a non-governmental industrial park, its past as a cluster in its stage', () => {
      given(history()).thenState({
        ...clusterState,
        kind: 'INDUSTRIAL_PARK',
        conversionStage: 'CONVERTED',
        nonGovernmental: true,
      });
    });

    it.each(CONVERSION_STAGES)('rejects advancing it to %s with INVALID_TRANSITION', (stage) => {
      given(history())
        .when(advanceTo(stage))
        .thenThrows('INVALID_TRANSITION', `cannot advance the conversion to ${stage}: the cluster is already at CONVERTED`);
    });
  });

  describe('decide is pure', () => {
    it('decides every command the same way twice, in every state, without touching the state', () => {
      const histories: ZoneEvent[][] = [
        [],
        [kharazmiRegistered],
        [chahardangehRegistered],
        [chahardangehRegistered, advanced('IDENTIFIED', 'PERMIT_ISSUED')],
        [chahardangehRegistered, advanced('IDENTIFIED', 'CONVERTED')],
      ];
      const commands: ZoneCommand[] = [registerKharazmi, registerChahardangeh, ...CONVERSION_STAGES.map((stage) => advanceTo(stage)), advanceTo('CONVERTED', 'مصوبه دولت')];
      for (const history of histories) {
        for (const command of commands) expectDecideIsPure(zoneDecider, history, command);
      }
    });
  });
});

// ─── Fixtures: Kharazmi park (Pakdasht), Islamshahr's shoe city, and one of Tehran province's 38 clusters ───

const kharazmiId = 'zone-kharazmi-industrial-park';
const shoeCityId = 'zone-islamshahr-shoe-city';
const chahardangehId = 'zone-chahardangeh-cluster';
const registeredAt = '2024-10-01T06:00:00.000Z';

const registerKharazmi: RegisterZone = {
  type: 'RegisterZone',
  data: { zoneId: kharazmiId, name: 'شهرک صنعتی خوارزمی', kind: 'INDUSTRIAL_PARK', province: 'تهران', county: 'پاکدشت', registeredAt },
};
const kharazmiRegistered: ZoneRegistered = { type: 'ZoneRegistered', data: { ...registerKharazmi.data } };

const registerShoeCity: RegisterZone = {
  type: 'RegisterZone',
  data: { zoneId: shoeCityId, name: 'شهر کفش اسلامشهر', kind: 'SPECIALISED_PARK', province: 'تهران', county: 'اسلامشهر', registeredAt },
};
const shoeCityRegistered: ZoneRegistered = { type: 'ZoneRegistered', data: { ...registerShoeCity.data } };

const registerChahardangeh: RegisterZone = {
  type: 'RegisterZone',
  data: {
    zoneId: chahardangehId,
    name: 'لکه صنعتی چهاردانگه',
    kind: 'INDUSTRIAL_CLUSTER',
    province: 'تهران',
    county: 'اسلامشهر',
    registeredAt,
  },
};
const chahardangehRegistered: ZoneRegistered = { type: 'ZoneRegistered', data: { ...registerChahardangeh.data } };

const clusterState: Exclude<Zone, { status: 'ABSENT' }> = {
  status: 'REGISTERED',
  ...registerChahardangeh.data,
  conversionStage: 'IDENTIFIED',
  nonGovernmental: false,
};

const STAGE_NOTES: Record<ConversionStage, string> = {
  IDENTIFIED: 'در فهرست ۳۸ محدوده صنعتی لکه‌ای استان',
  APPLICATION_FILED: 'درخواست تبدیل به شهرک صنعتی غیردولتی ثبت شد',
  PERMIT_ISSUED: 'پس از اصلاح مصوبه دولت، مجوز صادر شد',
  INFRASTRUCTURE: 'تامین آب، برق، گاز و مخابرات و آسفالت معابر',
  CONVERTED: 'شهرک صنعتی غیردولتی چهاردانگه',
};
const advancedAt = '2025-01-15T06:00:00.000Z';

const advanceTo = (stage: ConversionStage, skipReason: string | null = null): AdvanceClusterConversion => ({
  type: 'AdvanceClusterConversion',
  data: { zoneId: chahardangehId, stage, note: STAGE_NOTES[stage], advancedAt, skipReason },
});
const advanced = (from: ConversionStage, to: ConversionStage): ClusterConversionAdvanced => ({
  type: 'ClusterConversionAdvanced',
  data: { zoneId: chahardangehId, from, to, note: STAGE_NOTES[to], advancedAt },
});
