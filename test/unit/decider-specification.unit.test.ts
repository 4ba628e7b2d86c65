import { DomainError, type Decider } from '../../src/domain/decider';
import { DeciderSpecification, deepFreeze, expectDecideIsPure } from './decider-specification';

// A helper that cannot fail proves nothing: these show each assertion fails when it should.

describe('DeciderSpecification', () => {
  // Built on use: the fixtures below are not initialised yet when describe runs.
  const given = (events: Added[]) => DeciderSpecification.for(tally)(events);

  it('passes on the events decided', () => {
    given([added(2)]).when(add(3)).then([added(3)]);
  });

  it('fails when the events differ', () => {
    expect(() => given([]).when(add(3)).then([added(4)])).toThrow();
  });

  it('fails when an event carries a field more than expected', () => {
    expect(() => given([]).when(addLoudly(3)).then([added(3)])).toThrow();
  });

  it('fails then() when decide throws', () => {
    expect(() => given([added(9)]).when(add(3)).then([])).toThrow(DomainError);
  });

  it('passes thenNothingHappened only on no events', () => {
    given([]).when(add(0)).thenNothingHappened();
    expect(() => given([]).when(add(1)).thenNothingHappened()).toThrow();
  });

  it('passes thenThrows on the code and message, and returns the error', () => {
    const error = given([added(9)]).when(add(3)).thenThrows('CONFLICT', /over 10/);
    expect(error.details).toEqual({ total: 9 });
  });

  it('fails thenThrows when decide returns events', () => {
    expect(() => given([]).when(add(3)).thenThrows('CONFLICT')).toThrow(/returned \[/);
  });

  it('fails thenThrows on another code or message', () => {
    expect(() => given([added(9)]).when(add(3)).thenThrows('NOT_FOUND')).toThrow();
    expect(() => given([added(9)]).when(add(3)).thenThrows('CONFLICT', /under/)).toThrow();
  });

  it('fails thenThrows on an error that is not a DomainError', () => {
    expect(() => given([]).when(explode).thenThrows('CONFLICT')).toThrow(/not a number/);
  });

  it('checks the state after the given events, and after the decided ones', () => {
    given([added(2), added(3)]).thenState({ total: 5 });
    given([added(2)]).when(add(3)).thenState({ total: 5 });
    expect(() => given([added(2)]).thenState({ total: 3 })).toThrow();
  });

  it('catches a decide that writes to its state', () => {
    const sloppy = { ...tally, decide: (command: Add, state: Tally) => ((state.total += command.data.n), []) };
    expect(() => DeciderSpecification.for(sloppy)([added(1)]).when(add(1)).thenNothingHappened()).toThrow(TypeError);
  });
});

describe('expectDecideIsPure', () => {
  it('passes on a pure decide, whether it returns or throws', () => {
    expectDecideIsPure(tally, [added(2)], add(3));
    expectDecideIsPure(tally, [added(9)], add(3));
  });

  it('fails on a decide that depends on something besides its inputs', () => {
    let calls = 0;
    const impure = { ...tally, decide: (command: Add): Added[] => [added(command.data.n + calls++)] };
    expect(() => expectDecideIsPure(impure, [], add(1))).toThrow();
  });

  it('fails on a decide that writes to its state', () => {
    const sloppy = { ...tally, decide: (command: Add, state: Tally) => ((state.total += command.data.n), []) };
    expect(() => expectDecideIsPure(sloppy, [added(1)], add(1))).toThrow(/TypeError/);
  });
});

describe('deepFreeze', () => {
  it('freezes nested objects and arrays, even under a frozen parent', () => {
    const nested = { agencies: ['بانک ملی'], lead: { name: 'اداره صمت' } };
    const value = deepFreeze(Object.freeze({ nested }));
    expect(Object.isFrozen(value.nested.agencies)).toBe(true);
    expect(Object.isFrozen(value.nested.lead)).toBe(true);
  });

  it('survives cycles', () => {
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    expect(Object.isFrozen(deepFreeze(cyclic))).toBe(true);
  });
});

// ─── Fixtures: a toy decider that adds to a total of at most 10 ───

type Add = { type: 'Add'; data: { n: number } };
type Added = { type: 'Added'; data: { n: number } };
type Tally = { total: number };

function add(n: number): Add {
  return { type: 'Add', data: { n } };
}

function added(n: number): Added {
  return { type: 'Added', data: { n } };
}

function addLoudly(n: number): Add {
  return { type: 'Add', data: { n, loudly: true } as Add['data'] };
}

const explode = { type: 'Add', data: { n: Number.NaN } } as Add;

const tally: Decider<Add, Added, Tally> = {
  category: 'tally',
  initialState: () => ({ total: 0 }),
  evolve: (state, event) => ({ total: state.total + event.data.n }),
  decide: (command, state) => {
    if (Number.isNaN(command.data.n)) throw new TypeError('not a number');
    if (state.total + command.data.n > 10) {
      throw new DomainError('CONFLICT', 'the total would be over 10', { total: state.total });
    }
    return command.data.n === 0 ? [] : [{ type: 'Added', data: { ...command.data } }];
  },
};
