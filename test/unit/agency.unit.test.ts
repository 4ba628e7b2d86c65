import {
  agencyDecider,
  type Agency,
  type AgencyCommand,
  type AgencyDeactivated,
  type AgencyEvent,
  type AgencyRegistered,
  type AgencyRenamed,
  type DeactivateAgency,
  type RegisterAgency,
  type RenameAgency,
} from '../../src/domain/agency';
import { DeciderSpecification, expectDecideIsPure } from './decider-specification';

const given = DeciderSpecification.for(agencyDecider);

describe('agency decider', () => {
  describe('when the agency is not registered', () => {
    it('registers it', () => {
      given([]).when(registerSmt).then([smtRegistered]);
    });

    it('registers a provincial office, with no county', () => {
      given([])
        .when(registerProvincialSmt)
        .then([{ type: 'AgencyRegistered', data: { ...registerProvincialSmt.data } }]);
    });

    it.each([
      ['RenameAgency', () => renameSmt],
      ['DeactivateAgency', () => deactivateSmt],
    ])('rejects %s with NOT_FOUND', (_type, command) => {
      given([]).when(command()).thenThrows('NOT_FOUND', `agency ${smtId} does not exist`);
    });

    it('ignores a later event without a registration', () => {
      given([smtRenamed, smtDeactivated]).thenState({ status: 'ABSENT' });
    });
  });

  describe('when the agency is active', () => {
    it('is active under its registered name', () => {
      given([smtRegistered]).thenState(activeState);
    });

    it('rejects registering it again with CONFLICT', () => {
      const error = given([smtRegistered]).when(registerSmt).thenThrows('CONFLICT', `agency ${smtId} already exists`);
      expect(error.details).toEqual({ agencyId: smtId });
    });

    it('renames it, recording the old name', () => {
      given([smtRegistered]).when(renameSmt).then([smtRenamed]);
    });

    it('goes by the new name', () => {
      given([smtRegistered, smtRenamed]).thenState({ ...activeState, name: renameSmt.data.name });
    });

    it('records nothing when renamed to the name it has: a retry', () => {
      given([smtRegistered, smtRenamed]).when(renameSmt).thenNothingHappened();
    });

    it('deactivates it with the reason', () => {
      given([smtRegistered]).when(deactivateSmt).then([smtDeactivated]);
    });
  });

  describe('when the agency is deactivated', () => {
    const history = (): AgencyEvent[] => [smtRegistered, smtDeactivated];

    it('is deactivated, with when', () => {
      given(history()).thenState({ ...activeState, status: 'DEACTIVATED', deactivatedAt: deactivateSmt.data.deactivatedAt });
    });

    it('rejects registering it again with CONFLICT', () => {
      given(history()).when(registerSmt).thenThrows('CONFLICT');
    });

    it('rejects renaming it with INVALID_TRANSITION', () => {
      given(history()).when(renameSmt).thenThrows('INVALID_TRANSITION', 'cannot rename: the agency is DEACTIVATED');
    });

    it('rejects deactivating it again with INVALID_TRANSITION', () => {
      given(history()).when(deactivateSmt).thenThrows('INVALID_TRANSITION', 'cannot deactivate: the agency is DEACTIVATED');
    });
  });

  describe('decide is pure', () => {
    it('decides every command the same way twice, in every state, without touching the state', () => {
      const commands: AgencyCommand[] = [registerSmt, renameSmt, deactivateSmt];
      for (const history of [[], [smtRegistered], [smtRegistered, smtRenamed], [smtRegistered, smtDeactivated]]) {
        for (const command of commands) expectDecideIsPure(agencyDecider, history, command);
      }
    });
  });
});

// ─── Fixtures: the Industry-Mine-Trade offices that sit on the Islamshahr and Tehran workgroups ───

const smtId = 'agency-smt-islamshahr';

const registerSmt: RegisterAgency = {
  type: 'RegisterAgency',
  data: {
    agencyId: smtId,
    name: 'اداره صنعت، معدن و تجارت اسلامشهر',
    kind: 'SMT',
    province: 'تهران',
    county: 'اسلامشهر',
    registeredAt: '2024-10-01T06:00:00.000Z',
  },
};
const smtRegistered: AgencyRegistered = { type: 'AgencyRegistered', data: { ...registerSmt.data } };

const registerProvincialSmt: RegisterAgency = {
  type: 'RegisterAgency',
  data: {
    agencyId: 'agency-smt-tehran-province',
    name: 'سازمان صنعت، معدن و تجارت استان تهران',
    kind: 'SMT',
    province: 'تهران',
    county: null,
    registeredAt: '2024-10-01T06:00:00.000Z',
  },
};

const renameSmt: RenameAgency = {
  type: 'RenameAgency',
  data: { agencyId: smtId, name: 'اداره صمت شهرستان اسلامشهر', renamedAt: '2024-11-01T06:00:00.000Z' },
};
const smtRenamed: AgencyRenamed = {
  type: 'AgencyRenamed',
  data: { agencyId: smtId, from: registerSmt.data.name, to: renameSmt.data.name, renamedAt: renameSmt.data.renamedAt },
};

const deactivateSmt: DeactivateAgency = {
  type: 'DeactivateAgency',
  data: { agencyId: smtId, reason: 'ادغام در سازمان صمت استان', deactivatedAt: '2025-01-01T06:00:00.000Z' },
};
const smtDeactivated: AgencyDeactivated = { type: 'AgencyDeactivated', data: { ...deactivateSmt.data } };

const activeState: Exclude<Agency, { status: 'ABSENT' }> = {
  status: 'ACTIVE',
  ...registerSmt.data,
  deactivatedAt: null,
};
