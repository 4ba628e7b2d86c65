/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query ObstacleWithResolutions($id: ID!) {\n  obstacle(id: $id) {\n    id\n    title\n    status\n    revision\n    leadAgency\n    deadline\n    deadlineJalali\n    unit {\n      id\n      name\n    }\n    resolutions {\n      id\n      text\n      leadAgency\n      deadline\n      status\n      overdue\n    }\n  }\n}": typeof types.ObstacleWithResolutionsDocument,
    "mutation RaiseObstacle($input: RaiseObstacleInput!) {\n  raiseObstacle(input: $input) {\n    revision\n    replayed\n    obstacle {\n      id\n      title\n      status\n      category\n      priority\n      raisedAt\n      raisedAtJalali\n    }\n  }\n}": typeof types.RaiseObstacleDocument,
    "query UnitsPage($county: String, $activityStatus: ActivityStatus, $first: Int = 20, $after: String) {\n  units(\n    county: $county\n    activityStatus: $activityStatus\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    edges {\n      cursor\n      node {\n        id\n        name\n        county\n        activityStatus\n        openObstacleCount\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.UnitsPageDocument,
};
const documents: Documents = {
    "query ObstacleWithResolutions($id: ID!) {\n  obstacle(id: $id) {\n    id\n    title\n    status\n    revision\n    leadAgency\n    deadline\n    deadlineJalali\n    unit {\n      id\n      name\n    }\n    resolutions {\n      id\n      text\n      leadAgency\n      deadline\n      status\n      overdue\n    }\n  }\n}": types.ObstacleWithResolutionsDocument,
    "mutation RaiseObstacle($input: RaiseObstacleInput!) {\n  raiseObstacle(input: $input) {\n    revision\n    replayed\n    obstacle {\n      id\n      title\n      status\n      category\n      priority\n      raisedAt\n      raisedAtJalali\n    }\n  }\n}": types.RaiseObstacleDocument,
    "query UnitsPage($county: String, $activityStatus: ActivityStatus, $first: Int = 20, $after: String) {\n  units(\n    county: $county\n    activityStatus: $activityStatus\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    edges {\n      cursor\n      node {\n        id\n        name\n        county\n        activityStatus\n        openObstacleCount\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.UnitsPageDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ObstacleWithResolutions($id: ID!) {\n  obstacle(id: $id) {\n    id\n    title\n    status\n    revision\n    leadAgency\n    deadline\n    deadlineJalali\n    unit {\n      id\n      name\n    }\n    resolutions {\n      id\n      text\n      leadAgency\n      deadline\n      status\n      overdue\n    }\n  }\n}"): typeof import('./graphql').ObstacleWithResolutionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RaiseObstacle($input: RaiseObstacleInput!) {\n  raiseObstacle(input: $input) {\n    revision\n    replayed\n    obstacle {\n      id\n      title\n      status\n      category\n      priority\n      raisedAt\n      raisedAtJalali\n    }\n  }\n}"): typeof import('./graphql').RaiseObstacleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query UnitsPage($county: String, $activityStatus: ActivityStatus, $first: Int = 20, $after: String) {\n  units(\n    county: $county\n    activityStatus: $activityStatus\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    edges {\n      cursor\n      node {\n        id\n        name\n        county\n        activityStatus\n        openObstacleCount\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): typeof import('./graphql').UnitsPageDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
