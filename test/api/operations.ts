/** GraphQL documents shared by the API and end-to-end tests. */
export const UNIT_FIELDS = `id name nationalId sector province county location headCount activityStatus statusReason openObstacleCount revision`;
export const OBSTACLE_FIELDS = `id unitId unitName county title category priority status leadAgency cooperatingAgencies deadline resolutionSummary timesReopened revision`;
export const MEETING_FIELDS = `id county title scheduledAt venue chair status heldAt minutes revision`;
export const PAYLOAD = `commandId revision position replayed`;

export const REGISTER_UNIT = `mutation ($input: RegisterUnitInput!) { registerUnit(input: $input) { ${PAYLOAD} unit { ${UNIT_FIELDS} } } }`;
export const CHANGE_STATUS = `mutation ($input: ChangeUnitActivityStatusInput!) { changeUnitActivityStatus(input: $input) { ${PAYLOAD} unit { ${UNIT_FIELDS} } } }`;
export const RAISE_OBSTACLE = `mutation ($input: RaiseObstacleInput!) { raiseObstacle(input: $input) { ${PAYLOAD} obstacle { ${OBSTACLE_FIELDS} } } }`;
export const REFER_OBSTACLE = `mutation ($input: ReferObstacleInput!) { referObstacle(input: $input) { ${PAYLOAD} obstacle { ${OBSTACLE_FIELDS} } } }`;
export const RECORD_PROGRESS = `mutation ($input: RecordObstacleProgressInput!) { recordObstacleProgress(input: $input) { ${PAYLOAD} obstacle { ${OBSTACLE_FIELDS} } } }`;
export const RESOLVE_OBSTACLE = `mutation ($input: ResolveObstacleInput!) { resolveObstacle(input: $input) { ${PAYLOAD} obstacle { ${OBSTACLE_FIELDS} } } }`;
export const REOPEN_OBSTACLE = `mutation ($input: ReopenObstacleInput!) { reopenObstacle(input: $input) { ${PAYLOAD} obstacle { ${OBSTACLE_FIELDS} } } }`;
export const SCHEDULE_MEETING = `mutation ($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { ${PAYLOAD} meeting { ${MEETING_FIELDS} } } }`;
export const ADD_AGENDA_ITEM = `mutation ($input: AddAgendaItemInput!) { addAgendaItem(input: $input) { ${PAYLOAD} meeting { ${MEETING_FIELDS} agenda { kind subjectId unitId note } } } }`;
export const RECORD_HELD = `mutation ($input: RecordMeetingHeldInput!) { recordMeetingHeld(input: $input) { ${PAYLOAD} meeting { ${MEETING_FIELDS} attendees { name agency role } } } }`;
export const RECORD_RESOLUTION = `mutation ($input: RecordResolutionInput!) { recordResolution(input: $input) { ${PAYLOAD} resolution { id meetingId text leadAgency cooperatingAgencies deadline obstacleId unitId } } }`;
export const POSTPONE_MEETING = `mutation ($input: PostponeMeetingInput!) { postponeMeeting(input: $input) { ${PAYLOAD} meeting { ${MEETING_FIELDS} postponementReason } } }`;
export const CANCEL_MEETING = `mutation ($input: CancelMeetingInput!) { cancelMeeting(input: $input) { ${PAYLOAD} meeting { ${MEETING_FIELDS} cancellationReason } } }`;

export const UNIT_WITH_HISTORY = `query ($id: ID!) { unit(id: $id) { ${UNIT_FIELDS}
  history(first: 100) { totalCount edges { cursor node { kind summary actor subjectType subjectId eventType position occurredAt } } }
  obstacles { totalCount edges { node { id status } } } } }`;
export const AUDIT_TRAIL = `query ($kind: AggregateKind!, $id: ID!, $first: Int, $after: String) {
  auditTrail(kind: $kind, id: $id, first: $first, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { eventId type schemaVersion streamName revision position recordedAt occurredAt actor command commandId correlationId causationId reason idempotencyKey data } } } }`;

export const kharazmiUnit = (overrides: Record<string, unknown> = {}) => ({
  name: 'ابتکار پلاستیک',
  nationalId: '10861234567',
  sector: 'پلاستیک',
  province: 'تهران',
  county: 'پاکدشت',
  location: 'شهرک صنعتی خوارزمی',
  headCount: 42,
  activityStatus: 'SEMI_ACTIVE',
  ...overrides,
});

export const pakdashtMeeting = (overrides: Record<string, unknown> = {}) => ({
  province: 'تهران',
  county: 'پاکدشت',
  title: 'جلسه کارگروه ستاد تسهیل شهرستان پاکدشت',
  scheduledAt: '2024-11-27T10:00:00+03:30',
  venue: 'محل شرکت سرعت خانه ساز، شهرک صنعتی خوارزمی',
  chair: 'مهدی یوسفی جمارانی',
  ...overrides,
});
