/**
 * Given / when / then for pure deciders, after emmett's `DeciderSpecification`:
 *
 *   const given = DeciderSpecification.for(obstacleDecider);
 *   given([raised]).when(refer).then([referred]);
 *   given([raised, resolved]).when(refer).thenThrows('INVALID_TRANSITION', /resolved/i);
 *   given([raised, referred, resolved, reopened]).thenState({ ...referredState, timesReopened: 1 });
 *
 * Every state, event and command the specification touches is deep-frozen
 * first, so a decide or evolve that mutates its input fails every test that
 * reaches it, not only the purity test.
 */
import { DomainError, type Decider, type DomainErrorCode } from '../../src/domain/decider';

type PureDecider<Command, Event, State> = Pick<Decider<Command, Event, State>, 'decide' | 'evolve' | 'initialState'>;

/** Freezes the value and everything reachable from it; returns it for chaining. */
export const deepFreeze = <T>(value: T, seen: WeakSet<object> = new WeakSet()): T => {
  if (typeof value !== 'object' || value === null || seen.has(value)) return value;
  seen.add(value);
  for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key], seen);
  return Object.freeze(value);
};

export interface Given<Command, Event, State> {
  when(command: Command): When<Event, State>;
  /** The state evolve folds the given events into. */
  thenState(expected: State): void;
}

export interface When<Event, State> {
  then(expected: Event[]): void;
  /** Accepted, but nothing to record (an idempotent retry). */
  thenNothingHappened(): void;
  /**
   * Rejected with a `DomainError` of this code (and a message matching `message`,
   * when given): decide throws and returns no events. Returns the error for
   * further assertions, e.g. on `details`.
   */
  thenThrows(code: DomainErrorCode, message?: string | RegExp): DomainError;
  /** The state after the given events and the events decided. */
  thenState(expected: State): void;
}

const fold = <Command, Event, State>(decider: PureDecider<Command, Event, State>, events: readonly Event[]): State =>
  events.reduce<State>((state, event) => deepFreeze(decider.evolve(state, deepFreeze(event))), deepFreeze(decider.initialState()));

const describeOutcome = (value: unknown): string =>
  value instanceof Error ? `${value.name}: ${value.message}` : JSON.stringify(value);

export const DeciderSpecification = {
  for:
    <Command, Event, State>(decider: PureDecider<Command, Event, State>) =>
    (givenEvents: Event[] = []): Given<Command, Event, State> => ({
      thenState: (expected) => {
        expect(fold(decider, givenEvents)).toStrictEqual(expected);
      },
      when: (command) => {
        const decide = (): Event[] => decider.decide(deepFreeze(command), fold(decider, givenEvents));
        return {
          then: (expected) => {
            expect(decide()).toStrictEqual(expected);
          },
          thenNothingHappened: () => {
            expect(decide()).toStrictEqual([]);
          },
          thenThrows: (code, message) => {
            let returned: Event[] | undefined;
            let thrown: unknown;
            try {
              returned = decide();
            } catch (error) {
              thrown = error;
            }
            if (thrown === undefined) {
              throw new Error(`expected decide to throw ${code}, but it returned ${describeOutcome(returned)}`);
            }
            if (!(thrown instanceof DomainError)) {
              throw new Error(`expected a DomainError ${code}, but decide threw ${describeOutcome(thrown)}`);
            }
            expect(returned).toBeUndefined();
            expect(thrown.code).toBe(code);
            if (message !== undefined) expect(thrown.message).toMatch(message);
            return thrown;
          },
          thenState: (expected) => {
            expect(fold(decider, [...givenEvents, ...decide()])).toStrictEqual(expected);
          },
        };
      },
    }),
};

type Outcome<Event> = { events: Event[] } | { error: { name: string; code?: string; message: string } };

const outcomeOf = <Event>(decide: () => Event[]): Outcome<Event> => {
  try {
    return { events: decide() };
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    return { error: { name: error.name, code: (error as Partial<DomainError>).code, message: error.message } };
  }
};

/**
 * Decides the command twice on one deep-frozen state: both outcomes (events,
 * or the error) must be deep-equal, and the state must equal a copy taken
 * before deciding.
 */
export const expectDecideIsPure = <Command, Event, State>(
  decider: PureDecider<Command, Event, State>,
  givenEvents: Event[],
  command: Command,
): void => {
  const state = fold(decider, givenEvents);
  const before = structuredClone(state);
  const frozenCommand = deepFreeze(structuredClone(command));
  const first = outcomeOf(() => decider.decide(frozenCommand, state));
  const second = outcomeOf(() => decider.decide(frozenCommand, state));
  const context = `${JSON.stringify(command)} after ${givenEvents.length} event(s)`;
  // Writing to the frozen state or command throws a TypeError: report it as such, not as a rejection.
  if ('error' in first && first.error.name === 'TypeError') {
    throw new Error(`${context}: decide threw TypeError: ${first.error.message}`);
  }
  expect({ context, outcome: second }).toStrictEqual({ context, outcome: first });
  expect({ context, state }).toStrictEqual({ context, state: before });
};
