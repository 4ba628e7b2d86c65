/** Resolvers of the follow-up: resolutions' course, escalation, field visits, commitments. */
export const FOLLOW_UP_RESOLVERS: Function[] = [];
