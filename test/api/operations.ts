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
    edges { cursor node { eventId type schemaVersion streamName revision position recordedAt occurredAt actor command commandId correlationId clientCorrelationId causationId reason idempotencyKey data } } } }`;

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

// ─── Registries: agencies, workgroups, zones, a unit's zone and profile ─────
export const AGENCY_FIELDS = `id name kind province county status formerNames registeredAt deactivatedAt deactivationReason revision`;
export const WORKGROUP_FIELDS = `id level name province county registeredAt meetingCount lastSequenceNumber revision`;
export const ZONE_FIELDS = `id name kind province county conversionStage nonGovernmental unitCount registeredAt convertedAt revision`;

export const REGISTER_AGENCY = `mutation ($input: RegisterAgencyInput!) { registerAgency(input: $input) { ${PAYLOAD} agency { ${AGENCY_FIELDS} } } }`;
export const RENAME_AGENCY = `mutation ($input: RenameAgencyInput!) { renameAgency(input: $input) { ${PAYLOAD} agency { ${AGENCY_FIELDS} } } }`;
export const DEACTIVATE_AGENCY = `mutation ($input: DeactivateAgencyInput!) { deactivateAgency(input: $input) { ${PAYLOAD} agency { ${AGENCY_FIELDS} } } }`;
export const REVOKE_TOKENS = `mutation ($input: RevokeTokensInput!) { revokeTokens(input: $input) { ${PAYLOAD} revocation { subject tokenId reason revokedAt revokedBy } } }`;
export const REGISTER_WORKGROUP = `mutation ($input: RegisterWorkgroupInput!) { registerWorkgroup(input: $input) { ${PAYLOAD} workgroup { ${WORKGROUP_FIELDS} } } }`;
export const REGISTER_ZONE = `mutation ($input: RegisterZoneInput!) { registerZone(input: $input) { ${PAYLOAD} zone { ${ZONE_FIELDS} } } }`;
export const ADVANCE_CONVERSION = `mutation ($input: AdvanceClusterConversionInput!) { advanceClusterConversion(input: $input) { ${PAYLOAD}
  zone { ${ZONE_FIELDS} conversionHistory { from to note actor } } } }`;
export const LINK_UNIT_TO_ZONE = `mutation ($input: LinkUnitToZoneInput!) { linkUnitToZone(input: $input) { ${PAYLOAD}
  unit { ${UNIT_FIELDS} zone { ${ZONE_FIELDS} } } } }`;
export const UPDATE_UNIT_PROFILE = `mutation ($input: UpdateUnitProfileInput!) { updateUnitProfile(input: $input) { ${PAYLOAD} unit { ${UNIT_FIELDS} } } }`;

export const AGENCY = `query ($id: ID!) { agency(id: $id) { ${AGENCY_FIELDS} } }`;
export const AGENCIES = `query ($kind: AgencyKind, $province: String, $county: String, $first: Int, $after: String) {
  agencies(kind: $kind, province: $province, county: $county, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { ${AGENCY_FIELDS} } } } }`;
export const WORKGROUP = `query ($id: ID!) { workgroup(id: $id) { ${WORKGROUP_FIELDS} } }`;
export const WORKGROUPS = `query ($level: WorkgroupLevel, $province: String, $first: Int, $after: String) {
  workgroups(level: $level, province: $province, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { ${WORKGROUP_FIELDS} } } } }`;
export const ZONE = `query ($id: ID!, $first: Int, $after: String) { zone(id: $id) { ${ZONE_FIELDS}
  conversionHistory { from to note advancedAt actor skipped skipReason }
  units(first: $first, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id name zone { id } } } }
  obstacles { totalCount edges { node { id title category status county } } } } }`;
export const ZONES = `query ($kind: ZoneKind, $province: String, $county: String, $conversionStage: ConversionStage, $first: Int, $after: String) {
  zones(kind: $kind, province: $province, county: $county, conversionStage: $conversionStage, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { ${ZONE_FIELDS} } } } }`;
export const UNIT_ZONE = `query ($id: ID!) { unit(id: $id) { id name zone { ${ZONE_FIELDS} } } }`;

/** «شهرک صنعتی خوارزمی», the Pakdasht park where the county workgroup met. */
export const kharazmiPark = (overrides: Record<string, unknown> = {}) => ({
  name: 'شهرک صنعتی خوارزمی',
  kind: 'INDUSTRIAL_PARK',
  province: 'تهران',
  county: 'پاکدشت',
  ...overrides,
});

/** One of Islamshahr's 38 unplanned clusters (لکه صنعتی) to become non-governmental parks. */
export const islamshahrCluster = (overrides: Record<string, unknown> = {}) => ({
  name: 'لکه صنعتی چهاردانگه',
  kind: 'INDUSTRIAL_CLUSTER',
  province: 'تهران',
  county: 'اسلامشهر',
  ...overrides,
});

export const pakdashtAgency = (overrides: Record<string, unknown> = {}) => ({
  name: 'اداره صنعت، معدن و تجارت پاکدشت',
  kind: 'SMT',
  province: 'تهران',
  county: 'پاکدشت',
  ...overrides,
});

export const pakdashtWorkgroup = (overrides: Record<string, unknown> = {}) => ({
  level: 'COUNTY',
  name: 'کارگروه ستاد تسهیل و رفع موانع تولید شهرستان پاکدشت',
  province: 'تهران',
  county: 'پاکدشت',
  ...overrides,
});

// ─── Follow-up: resolutions' course, escalation, field visits, commitments ──
export const RESOLUTION_COURSE_FIELDS = `id meetingId text leadAgency deadline obstacleId status province county communicatedAt objectionWindowDays
  objectionDeadline objection { agency reason objectedAt accepted decidedAt note } progressReports lastProgressNote lastProgressAt
  outcome outcomeNote settledAt overdue implementedOnTime revision`;
export const FOLLOW_UP_PAYLOAD = `${PAYLOAD} resolution { ${RESOLUTION_COURSE_FIELDS} } closedObstacle { id status resolutionSummary resolvedAt }`;
export const COMMUNICATE_RESOLUTION = `mutation ($input: CommunicateResolutionInput!) { communicateResolution(input: $input) { ${FOLLOW_UP_PAYLOAD} } }`;
export const OBJECT_TO_RESOLUTION = `mutation ($input: ObjectToResolutionInput!) { objectToResolution(input: $input) { ${FOLLOW_UP_PAYLOAD} } }`;
export const DECIDE_OBJECTION = `mutation ($input: DecideObjectionInput!) { decideObjection(input: $input) { ${FOLLOW_UP_PAYLOAD} } }`;
export const REPORT_RESOLUTION_PROGRESS = `mutation ($input: ReportResolutionProgressInput!) { reportResolutionProgress(input: $input) { ${FOLLOW_UP_PAYLOAD} } }`;
export const RECORD_RESOLUTION_OUTCOME = `mutation ($input: RecordResolutionOutcomeInput!) { recordResolutionOutcome(input: $input) { ${FOLLOW_UP_PAYLOAD} } }`;
export const RESOLUTION = `query ($id: ID!) { resolution(id: $id) { ${RESOLUTION_COURSE_FIELDS} obstacle { id status } } }`;
export const RESOLUTIONS = `query ($status: ResolutionStatus, $leadAgency: String, $county: String, $overdue: Boolean, $first: Int, $after: String) {
  resolutions(status: $status, leadAgency: $leadAgency, county: $county, overdue: $overdue, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id text status overdue } } } }`;

export const LEVEL_FIELDS = `level workgroupId levelHistory { level fromLevel workgroupId reason since actor }`;
export const ESCALATE_OBSTACLE = `mutation ($input: EscalateObstacleInput!) { escalateObstacle(input: $input) { ${PAYLOAD} obstacle { ${OBSTACLE_FIELDS} ${LEVEL_FIELDS} } } }`;

export const VISIT_FIELDS = `id visitedAt province county zoneId purpose findingsCount revision visitors { name agency role } units { unitId unitName }
  findings { findings recordedAt }`;
export const RECORD_VISIT = `mutation ($input: RecordVisitInput!) { recordVisit(input: $input) { ${PAYLOAD} visit { ${VISIT_FIELDS} } } }`;
export const RECORD_VISIT_FINDINGS = `mutation ($input: RecordVisitFindingsInput!) { recordVisitFindings(input: $input) { ${PAYLOAD} visit { ${VISIT_FIELDS} } } }`;
export const VISIT = `query ($id: ID!) { visit(id: $id) { ${VISIT_FIELDS} obstacles { id title status } commitments { id description } } }`;
export const VISITS = `query ($county: String, $zoneId: ID, $first: Int, $after: String) { visits(county: $county, zoneId: $zoneId, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id purpose county } } } }`;

export const COMMITMENT_FIELDS = `id madeBy agency madeTo description dueDate originalDueDate timesExtended source { kind id } province county zoneId
  status madeAt settledAt evidence overdue keptAsPromised revision units { unitId unitName } extensions { from to reason extendedAt }`;
export const MAKE_COMMITMENT = `mutation ($input: MakeCommitmentInput!) { makeCommitment(input: $input) { ${PAYLOAD} commitment { ${COMMITMENT_FIELDS} } } }`;
export const RECORD_COMMITMENT_KEPT = `mutation ($input: RecordCommitmentKeptInput!) { recordCommitmentKept(input: $input) { ${PAYLOAD} commitment { ${COMMITMENT_FIELDS} } } }`;
export const RECORD_COMMITMENT_BROKEN = `mutation ($input: RecordCommitmentBrokenInput!) { recordCommitmentBroken(input: $input) { ${PAYLOAD} commitment { ${COMMITMENT_FIELDS} } } }`;
export const EXTEND_COMMITMENT = `mutation ($input: ExtendCommitmentInput!) { extendCommitment(input: $input) { ${PAYLOAD} commitment { ${COMMITMENT_FIELDS} } } }`;
export const COMMITMENT = `query ($id: ID!) { commitment(id: $id) { ${COMMITMENT_FIELDS} } }`;
export const COMMITMENTS = `query ($county: String, $madeTo: String, $status: CommitmentStatus, $overdue: Boolean, $first: Int, $after: String) {
  commitments(county: $county, madeTo: $madeTo, status: $status, overdue: $overdue, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id description madeTo status overdue } } } }`;

/** The Tehran province economic deputy's visit to Islamshahr (seed 004). */
export const islamshahrVisit = (overrides: Record<string, unknown> = {}) => ({
  visitedAt: '2024-12-02T10:00:00+03:30',
  visitors: [
    { name: 'حشمت الله عسگری', agency: 'استانداری تهران', role: 'معاون اقتصادی استاندار تهران' },
    { name: 'فرماندار اسلامشهر', agency: 'فرمانداری اسلامشهر' },
  ],
  unitIds: [],
  province: 'تهران',
  county: 'اسلامشهر',
  purpose: 'بررسی مشکلات تولیدکنندگان کفش و لکه‌های صنعتی اسلامشهر',
  ...overrides,
});
