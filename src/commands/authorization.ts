/**
 * The one authorization step of the command path. `handleCommand` runs it on
 * every stream it appends to, on that stream's own state (where the thing
 * is, as its events say, never as the input names it), and commands reach
 * every other id they name through `referenced`, which checks the same way.
 * A command method cannot append without saying how it reaches the stream
 * (`handleCommand` requires a `Reaching`); test/security/reach.int.test.ts and
 * the matrix in test/security/authorization.int.test.ts check every id a
 * mutation takes.
 */
import { agencyServes, authorize, forbidden, type GuardedCommand, type Reach, type Target } from '../auth/policy';
import { hasRole, type Place, type Principal } from '../auth/principal';
import { agencyDecider, type Agency } from '../domain/agency';
import { badUserInput, invalidTransition, notFound, streamName, type Decider, type DomainEvent } from '../domain/decider';
import { meetingDecider } from '../domain/meeting';
import type { EventStore } from '../eventstore/event-store';
// A cycle with handler.ts, used only inside functions: each module is loaded before either runs.
import { loadAggregate } from './handler';

/** An aggregate's state once it exists. */
export type Existing<S> = Exclude<S, { status: 'ABSENT' } | { status: 'absent' }>;

/** How one command reaches one stream: the command's rule, and whether the stream is its subject, a consequence or a reference. */
export interface Reaching {
  command: GuardedCommand;
  reach: Reach;
}

export const subject = (command: GuardedCommand): Reaching => ({ command, reach: 'subject' });
export const consequence = (command: GuardedCommand): Reaching => ({ command, reach: 'consequence' });
export const reference = (command: GuardedCommand): Reaching => ({ command, reach: 'reference' });

/**
 * Streams that belong to no place: the national register of national IDs
 * (written only as a consequence of registering a unit, which is authorized
 * on the unit's place) and access (revocations; the ADMIN role alone).
 */
const PLACELESS = new Set(['unit_national_id', 'access']);

/** Every category whose ids the API hands out: an id of the wrong kind is told apart from one that names nothing. */
const KINDS: Record<string, string> = {
  unit: 'a production unit',
  obstacle: 'an obstacle',
  meeting: 'a meeting',
  resolution: 'a resolution',
  visit: 'a visit',
  commitment: 'a commitment',
  zone: 'a zone',
  agency: 'an agency',
  workgroup: 'a workgroup',
};

const isExisting = (state: unknown): boolean => {
  const status = (state as { status?: string }).status;
  return status !== undefined && status !== 'ABSENT' && status !== 'absent';
};

/**
 * Where a thing is, as its own stream records it; null while it does not exist.
 * A resolution sits where its meeting does (a meeting never moves).
 */
export const placeOf = async (store: EventStore, category: string, state: unknown): Promise<Target | null> => {
  if (!isExisting(state)) return null;
  const s = state as { province?: string | null; county?: string | null; leadAgencyId?: string | null; meetingId?: string };
  if (category === 'resolution') {
    const meeting = (await loadAggregate(store, meetingDecider, s.meetingId!)).state;
    if (meeting.status === 'ABSENT') return { province: null, county: null, leadAgencyId: s.leadAgencyId ?? null };
    return { province: meeting.province, county: meeting.county, leadAgencyId: s.leadAgencyId ?? null };
  }
  return { province: s.province ?? null, county: s.county ?? null, leadAgencyId: s.leadAgencyId ?? null };
};

/** The place an AGENCY user's agency serves, as the registry records it; null when it is unknown or deactivated. */
const agencyPlaces = new WeakMap<Principal, Promise<Place | null>>();
export const agencyPlaceOf = (store: EventStore, principal: Principal): Promise<Place | null> => {
  if (!hasRole(principal, 'AGENCY') || principal.agencyId === null) return Promise.resolve(null);
  let place = agencyPlaces.get(principal);
  if (!place) {
    place = loadAggregate(store, agencyDecider, principal.agencyId).then(({ state }) =>
      state.status === 'ACTIVE' ? { province: state.province, county: state.county } : null,
    );
    agencyPlaces.set(principal, place);
  }
  return place;
};

/** Throws FORBIDDEN unless `principal` may reach this stream, in this state, for `reaching.command`. */
export const authorizeStream = async (
  store: EventStore,
  principal: Principal,
  category: string,
  state: unknown,
  reaching: Reaching,
): Promise<void> => {
  if (PLACELESS.has(category)) {
    // Placeless streams are written as a consequence of an authorized subject; as a subject, only the rule's roles count.
    if (reaching.reach === 'subject') authorize(principal, reaching.command, { province: null, county: null });
    return;
  }
  const target = await placeOf(store, category, state);
  if (target === null) return;
  authorize(principal, reaching.command, target, reaching.reach, await agencyPlaceOf(store, principal));
};

/** The state the decided events make: a thing being created is authorized on the place it will have. */
export const foldDecided = <C, E extends DomainEvent, S>(decider: Decider<C, E, S>, state: S, events: readonly E[]): S =>
  events.reduce((s, e) => decider.evolve(s, e), state);

/**
 * A thing a command names without appending to it: it must exist as the kind
 * named (NOT_FOUND; BAD_USER_INPUT when the id is of another kind), and the
 * actor must reach it (FORBIDDEN). Returns its state, where it is, and the revision it was read at.
 */
export const referenced = async <C, E extends DomainEvent, S>(
  store: EventStore,
  principal: Principal,
  reaching: Reaching,
  decider: Decider<C, E, S>,
  id: string,
  field: string,
): Promise<{ state: Existing<S>; place: Target; revision: bigint }> => {
  const { state, revision } = await loadAggregate(store, decider, id);
  if (!isExisting(state)) throw await absent(store, decider.category, id, field);
  const place = (await placeOf(store, decider.category, state))!;
  await authorizeStream(store, principal, decider.category, state, reaching);
  return { state: state as Existing<S>, place, revision };
};

/** Like `referenced`, for a thing the command may name or leave out. */
export const referencedIfGiven = async <C, E extends DomainEvent, S>(
  store: EventStore,
  principal: Principal,
  reaching: Reaching,
  decider: Decider<C, E, S>,
  id: string | null | undefined,
  field: string,
): Promise<{ state: Existing<S>; place: Target; revision: bigint } | null> => (id == null ? null : referenced(store, principal, reaching, decider, id, field));

/** NOT_FOUND for an id that names nothing; BAD_USER_INPUT for the id of another kind of thing. */
const absent = async (store: EventStore, category: string, id: string, field: string) => {
  for (const other of Object.keys(KINDS)) {
    if (other === category) continue;
    if ((await store.readStream(streamName(other, id), { maxCount: 1 })).length > 0) {
      return badUserInput(field, `${id} is ${KINDS[other]}, not ${KINDS[category] ?? category}`, `expected the id of ${KINDS[category] ?? category}`);
    }
  }
  return notFound(category, id);
};


/**
 * An agency a case or resolution is referred to, by registry id: it must be
 * registered and active (NOT_FOUND, INVALID_TRANSITION) and serve the place of
 * the thing referred (FORBIDDEN): an agency of another province or county
 * cannot be handed another place's case.
 */
export const referencedAgency = async (
  store: EventStore,
  command: GuardedCommand,
  agencyId: string,
  place: Place,
  field: string,
): Promise<Extract<Agency, { status: 'ACTIVE' | 'DEACTIVATED' }>> => {
  const { state } = await loadAggregate(store, agencyDecider, agencyId);
  if (state.status === 'ABSENT') throw await absent(store, 'agency', agencyId, field);
  if (state.status === 'DEACTIVATED') throw invalidTransition('agency', state.status, 'refer to it');
  if (!agencyServes(state, place)) {
    throw forbidden(`${command}: agency «${state.name}» serves ${state.county ?? state.province}, not ${place.county ?? place.province ?? 'the nation'}`);
  }
  return state;
};
