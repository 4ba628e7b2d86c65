/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Activity status of a production unit (وضعیت فعالیت). */
export type ActivityStatus =
  /** Active (فعال). */
  | 'ACTIVE'
  /** Inactive or idle (غیرفعال / راکد). */
  | 'INACTIVE'
  /** Semi-active, under about 50 % of capacity (نیمه‌فعال). */
  | 'SEMI_ACTIVE';

/** Kind of obstacle (نوع مانع). */
export type ObstacleCategory =
  /** Banking facilities and rescheduling (تسهیلات بانکی و امهال). */
  | 'BANKING'
  /** Customs (گمرک). */
  | 'CUSTOMS'
  /** Environment (محیط زیست). */
  | 'ENVIRONMENT'
  /** Judicial (قضایی). */
  | 'JUDICIAL'
  /** Land and relocation (زمین و جابه‌جایی). */
  | 'LAND'
  /** Municipal (شهرداری). */
  | 'MUNICIPAL'
  /** Other (سایر). */
  | 'OTHER'
  /** Permits and standards (مجوز و استاندارد). */
  | 'PERMITS'
  /** Raw materials and foreign exchange (مواد اولیه و ارز). */
  | 'RAW_MATERIALS'
  /** Social-security or insurance debt (تامین اجتماعی و بیمه). */
  | 'SOCIAL_SECURITY'
  /** Tax (مالیات). */
  | 'TAX'
  /** Telecom (مخابرات). */
  | 'TELECOM'
  /** Water, electricity, gas, fuel (آب، برق، گاز، سوخت). */
  | 'UTILITIES';

/** Priority of an obstacle (اولویت). */
export type ObstaclePriority =
  /** High (زیاد). */
  | 'HIGH'
  /** Low (کم). */
  | 'LOW'
  /** Normal (عادی). */
  | 'NORMAL'
  /** Urgent (فوری): the unit may stop without it. */
  | 'URGENT';

/** Where an obstacle came to light: a meeting or a field visit. */
export type ObstacleSourceInput = {
  /** Id of the meeting or visit. */
  id: string | number;
  /** A meeting (جلسه) or a field visit (بازدید). */
  kind: ObstacleSourceKind;
};

/** A meeting (جلسه) or a field visit (بازدید). */
export type ObstacleSourceKind =
  /** Found in a workgroup meeting (جلسه). */
  | 'MEETING'
  /** Found on a field visit (بازدید). */
  | 'VISIT';

/** Where an obstacle stands. */
export type ObstacleStatus =
  /** The lead agency reported progress (در دست اقدام). */
  | 'IN_PROGRESS'
  /** Raised, not referred yet (ثبت‌شده). */
  | 'OPEN'
  /** Referred to a lead agency (ارجاع‌شده). */
  | 'REFERRED'
  /** Resolved (رفع‌شده). */
  | 'RESOLVED';

/** Raise an obstacle (طرح مانع) for a unit, or for a whole zone (telecom, paving, utilities of an area). */
export type RaiseObstacleInput = {
  /** Kind of obstacle (نوع مانع). */
  category: ObstacleCategory;
  /** Your own id for the user action this command is part of (defaults to the request's `x-request-id`); recorded as the events' `clientCorrelationId`, beside the server's own correlation id. */
  correlationId?: string | null | undefined;
  /** What the problem is, in the secretariat’s words. */
  description?: string;
  /** Send the same key when retrying: the retry returns the first result and records nothing new. */
  idempotencyKey?: string | null | undefined;
  /** When it happened, if not now (ISO-8601 or Jalali, Tehran time): a meeting held last Wednesday, entered today. Not in the future and not further back than the server allows (TASHIL_MAX_BACKDATE_DAYS); the store records when it was entered beside it. */
  occurredAt?: string | null | undefined;
  /** Priority (اولویت); NORMAL by default. */
  priority?: ObstaclePriority;
  /** The meeting or visit it was found in. */
  source?: ObstacleSourceInput | null | undefined;
  /** Short title (e.g. «بدهی معوق بیمه تامین اجتماعی»). */
  title: string;
  /** The unit; give this or `zoneId`. */
  unitId?: string | number | null | undefined;
  /** The zone; give this or `unitId`. */
  zoneId?: string | number | null | undefined;
};

/** Where a resolution (مصوبه) stands after its meeting. */
export type ResolutionStatus =
  /** Communicated to the agencies (ابلاغ‌شده); the lead agency may object within the window. */
  | 'COMMUNICATED'
  /** Implemented (اجرا شد). Settled. */
  | 'IMPLEMENTED'
  /** The lead agency reported progress (در دست اقدام). */
  | 'IN_PROGRESS'
  /** Not implemented (اجرا نشد). Settled. */
  | 'NOT_IMPLEMENTED'
  /** No action was taken (بلااقدام). Settled. */
  | 'NO_ACTION'
  /** The lead agency objected (اعتراض); awaiting the workgroup’s decision. */
  | 'OBJECTED'
  /** Recorded in the minutes, not communicated yet (ثبت‌شده). */
  | 'RECORDED'
  /** Withdrawn after the objection was accepted (لغو با پذیرش اعتراض). Settled. */
  | 'WITHDRAWN';

export type ObstacleWithResolutionsQueryVariables = Exact<{
  id: string | number;
}>;


export type ObstacleWithResolutionsQuery = { obstacle: { id: string, title: string, status: ObstacleStatus, revision: string, leadAgency: string | null, deadline: string | null, deadlineJalali: string | null, unit: { id: string, name: string } | null, resolutions: Array<{ id: string, text: string, leadAgency: string, deadline: string, status: ResolutionStatus, overdue: boolean }> } | null };

export type RaiseObstacleMutationVariables = Exact<{
  input: RaiseObstacleInput;
}>;


export type RaiseObstacleMutation = { raiseObstacle: { revision: string, replayed: boolean, obstacle: { id: string, title: string, status: ObstacleStatus, category: ObstacleCategory, priority: ObstaclePriority, raisedAt: string, raisedAtJalali: string | null } } };

export type UnitsPageQueryVariables = Exact<{
  county?: string | null | undefined;
  activityStatus?: ActivityStatus | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type UnitsPageQuery = { units: { totalCount: number, edges: Array<{ cursor: string, node: { id: string, name: string, county: string, activityStatus: ActivityStatus, openObstacleCount: number } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const ObstacleWithResolutionsDocument = new TypedDocumentString(`
    query ObstacleWithResolutions($id: ID!) {
  obstacle(id: $id) {
    id
    title
    status
    revision
    leadAgency
    deadline
    deadlineJalali
    unit {
      id
      name
    }
    resolutions {
      id
      text
      leadAgency
      deadline
      status
      overdue
    }
  }
}
    `) as unknown as TypedDocumentString<ObstacleWithResolutionsQuery, ObstacleWithResolutionsQueryVariables>;
export const RaiseObstacleDocument = new TypedDocumentString(`
    mutation RaiseObstacle($input: RaiseObstacleInput!) {
  raiseObstacle(input: $input) {
    revision
    replayed
    obstacle {
      id
      title
      status
      category
      priority
      raisedAt
      raisedAtJalali
    }
  }
}
    `) as unknown as TypedDocumentString<RaiseObstacleMutation, RaiseObstacleMutationVariables>;
export const UnitsPageDocument = new TypedDocumentString(`
    query UnitsPage($county: String, $activityStatus: ActivityStatus, $first: Int = 20, $after: String) {
  units(
    county: $county
    activityStatus: $activityStatus
    first: $first
    after: $after
  ) {
    totalCount
    edges {
      cursor
      node {
        id
        name
        county
        activityStatus
        openObstacleCount
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<UnitsPageQuery, UnitsPageQueryVariables>;