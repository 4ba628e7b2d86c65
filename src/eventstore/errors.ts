import type { ExpectedRevision } from './event-store';

/** The stream's revision was not what the appender expected. Adapters translate their vendor's error into this one. */
export class ExpectedRevisionConflict extends Error {
  constructor(
    readonly streamName: string,
    readonly expected: ExpectedRevision,
    /** Revision of the stream's last event, or `undefined` when the stream does not exist. */
    readonly actual: bigint | undefined,
  ) {
    super(
      `stream ${streamName}: expected revision ${String(expected)}, actual ${actual === undefined ? 'no stream' : String(actual)}`,
    );
    this.name = 'ExpectedRevisionConflict';
  }
}

/** Some, but not all, of an append's event ids are already stored, or stored elsewhere: a retry that is not a retry. */
export class DuplicateEventId extends Error {
  constructor(readonly eventId: string, readonly streamName: string) {
    super(`event id ${eventId} is already stored and does not match this append to ${streamName}`);
    this.name = 'DuplicateEventId';
  }
}

/** The store cannot be reached or refused the operation for a reason other than a conflict. */
export class EventStoreUnavailable extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'EventStoreUnavailable';
  }
}
