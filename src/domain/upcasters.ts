/**
 * How events recorded in an older data shape are read with today's code.
 *
 * Stored events are never rewritten: the audit trail and the hash chain are
 * over the bytes as they were recorded. When an event's data shape changes,
 * add an upcaster here from the old version to the next one; the next
 * version becomes that type's current one, new events are recorded with it,
 * and every read for deciding, replaying and projecting turns older events
 * into the current shape on the way in (`src/eventstore/upcasting.ts`).
 *
 * ```ts
 * UnitRegistered: {
 *   // v1 had no zone, ISIC code or capacity: units registered then stood in no registered zone.
 *   1: (data) => ({ zoneId: null, isicCode: null, capacityUtilisation: null, ...data }),
 * },
 * ```
 *
 * Rules: versions start at 1 and every step is there (1, 2, …, n-1 for a
 * current version n); an upcaster is pure and total (it must accept every
 * event ever recorded in its version); never edit one that has shipped.
 */

/** Turns the data of one version into the data of the next. */
export type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>;

/** `{ [eventType]: { [fromVersion]: upcaster to fromVersion + 1 } }`; a type absent here is at version 1. */
export type Upcasters = Readonly<Record<string, Readonly<Record<number, Upcaster>>>>;

/** The product's upcasters. Every event type is still at version 1. */
export const UPCASTERS: Upcasters = {};
