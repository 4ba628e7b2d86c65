/**
 * Who may run each mutation, written out here independently of the policy
 * table in src/auth/policy.ts: inside the caller's own place (an agency user:
 * on what is referred to its own agency, in the place it serves); outside it,
 * ADMIN only. The oracle of authorization.int.test.ts and reach-matrix.int.test.ts.
 */
import type { Role } from '../../src/auth/principal';

export const MAY_RUN: Record<string, Role[]> = {
  rebuildProjection: ['ADMIN', 'OPERATOR'],
  pauseProjection: ['ADMIN', 'OPERATOR'],
  resumeProjection: ['ADMIN', 'OPERATOR'],
  skipProjectionEvent: ['ADMIN'],
  registerUnit: ['ADMIN', 'SECRETARIAT'],
  changeUnitActivityStatus: ['ADMIN', 'SECRETARIAT', 'CHAIR'],
  raiseObstacle: ['ADMIN', 'SECRETARIAT', 'CHAIR'],
  referObstacle: ['ADMIN', 'SECRETARIAT', 'CHAIR'],
  recordObstacleProgress: ['ADMIN', 'SECRETARIAT', 'AGENCY'],
  resolveObstacle: ['ADMIN', 'SECRETARIAT', 'CHAIR', 'AGENCY'],
  reopenObstacle: ['ADMIN', 'SECRETARIAT', 'CHAIR'],
  scheduleMeeting: ['ADMIN', 'SECRETARIAT', 'CHAIR'],
  addAgendaItem: ['ADMIN', 'SECRETARIAT', 'CHAIR'],
  recordMeetingHeld: ['ADMIN', 'SECRETARIAT', 'CHAIR'],
  recordResolution: ['ADMIN', 'SECRETARIAT', 'CHAIR'],
  postponeMeeting: ['ADMIN', 'SECRETARIAT', 'CHAIR'],
  cancelMeeting: ['ADMIN', 'SECRETARIAT', 'CHAIR'],
  registerAgency: ['ADMIN', 'SECRETARIAT'],
  renameAgency: ['ADMIN', 'SECRETARIAT'],
  deactivateAgency: ['ADMIN', 'SECRETARIAT'],
  registerWorkgroup: ['ADMIN', 'SECRETARIAT'],
  registerZone: ['ADMIN', 'SECRETARIAT'],
  advanceClusterConversion: ['ADMIN', 'SECRETARIAT', 'CHAIR'],
  linkUnitToZone: ['ADMIN', 'SECRETARIAT'],
  updateUnitProfile: ['ADMIN', 'SECRETARIAT'],
  communicateResolution: ['ADMIN', 'SECRETARIAT', 'CHAIR'],
  objectToResolution: ['ADMIN', 'AGENCY'],
  decideObjection: ['ADMIN', 'SECRETARIAT', 'CHAIR'],
  reportResolutionProgress: ['ADMIN', 'SECRETARIAT', 'AGENCY'],
  recordResolutionOutcome: ['ADMIN', 'SECRETARIAT', 'CHAIR', 'AGENCY'],
  escalateObstacle: ['ADMIN', 'SECRETARIAT', 'CHAIR'],
  recordVisit: ['ADMIN', 'SECRETARIAT', 'CHAIR'],
  recordVisitFindings: ['ADMIN', 'SECRETARIAT', 'CHAIR'],
  makeCommitment: ['ADMIN', 'SECRETARIAT', 'CHAIR'],
  recordCommitmentKept: ['ADMIN', 'SECRETARIAT', 'CHAIR'],
  recordCommitmentBroken: ['ADMIN', 'SECRETARIAT', 'CHAIR'],
  extendCommitment: ['ADMIN', 'SECRETARIAT', 'CHAIR'],
  revokeTokens: ['ADMIN'],
};
