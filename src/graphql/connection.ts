/**
 * Relay cursor connections. Cursors are opaque to clients (base64 of the sort
 * key), stable across inserts, and a page never exceeds `MAX_PAGE_SIZE`.
 */
import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { IsOptional, IsString, Max, Min } from 'class-validator';
import type { GraphQLError } from 'graphql';
import { badUserInput } from './errors';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `How many items, at most ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).` })
  @IsOptional()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first?: number;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item of the previous page.' })
  @IsOptional()
  @IsString()
  after?: string;
}

@ObjectType({ description: 'Where a page sits in the whole list (Relay `PageInfo`).' })
export class PageInfo {
  @Field({ description: 'More items follow: ask again with `after: endCursor`.' })
  hasNextPage!: boolean;

  @Field({ description: 'This page was asked for with `after`, so items come before it.' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first item of this page; null for an empty page.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item of this page, to pass as `after`; null for an empty page.' })
  endCursor!: string | null;
}

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
  /** May be a getter that counts when first read: a query that does not select it costs no count. */
  readonly totalCount: number;
}

/** Builds the `XConnection` and `XEdge` object types for a node type. */
export const Connection = <T extends object>(Node: ClassType<T>, name: string) => {
  @ObjectType(`${name}Edge`, { description: `One ${name} item of a page and its cursor.` })
  class Edge {
    @Field({ description: 'Opaque, stable position of this item in the list: pass it as `after` to continue from here.' })
    cursor!: string;

    @Field(() => Node, { description: 'The item.' })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} items (Relay cursor connection).` })
  class ConnectionClass {
    @Field(() => [Edge], { description: 'The items of this page, in the list’s order.' })
    edges!: Edge[];

    @Field(() => PageInfo, { description: 'Whether more items follow, and the cursors to get them.' })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'Items in the whole list with these filters, not only this page.' })
    totalCount!: number;
  }
  return ConnectionClass;
};

export const encodeCursor = (key: readonly (string | number)[], ordering?: string): string =>
  Buffer.from(JSON.stringify(ordering === undefined ? key : { o: ordering, k: key }), 'utf8').toString('base64url');

const notOurs = (): GraphQLError => badUserInput('after: not a cursor this API issued', [{ field: 'after', messages: ['invalid cursor'] }]);

const isKey = (key: unknown): key is (string | number)[] =>
  Array.isArray(key) && key.every((k) => typeof k === 'string' || typeof k === 'number');

/**
 * The sort key a cursor carries. A cursor names the ordering it was issued
 * for (`RAISED_AT_ASC`): continuing it under another ordering would skip or
 * repeat items, so that is BAD_USER_INPUT. Cursors issued before orderings
 * existed carry no name and stay valid for the default ordering.
 */
export const decodeCursor = (cursor: string, ordering?: { name: string; isDefault: boolean }): (string | number)[] => {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
  } catch {
    throw notOurs();
  }
  if (isKey(decoded)) {
    if (ordering && !ordering.isDefault) throw wrongOrdering('the default ordering', ordering.name);
    return decoded;
  }
  if (typeof decoded === 'object' && decoded !== null && 'o' in decoded && 'k' in decoded) {
    const { o, k } = decoded as { o: unknown; k: unknown };
    if (typeof o === 'string' && isKey(k)) {
      if (ordering === undefined || o !== ordering.name) throw wrongOrdering(o, ordering?.name ?? 'this list');
      return k;
    }
  }
  throw notOurs();
};

const wrongOrdering = (issuedFor: string, askedFor: string): GraphQLError =>
  badUserInput(`after: this cursor was issued for ${issuedFor}, not ${askedFor}; start again from the first page`, [
    { field: 'after', messages: ['cursor from another ordering'] },
  ]);

/**
 * Turns rows fetched with `LIMIT first + 1` into a page: the extra row only
 * tells whether there is a next page.
 */
export const toPage = <Row, T>(
  rows: Row[],
  first: number,
  hasPrevious: boolean,
  /** The number, or how to count it when `totalCount` is read (at most once). */
  totalCount: number | (() => number),
  key: (row: Row) => (string | number)[],
  node: (row: Row) => T,
  ordering?: string,
): Page<T> => {
  const hasNextPage = rows.length > first;
  const edges = rows.slice(0, first).map((row) => ({ cursor: encodeCursor(key(row), ordering), node: node(row) }));
  let counted = typeof totalCount === 'number' ? totalCount : undefined;
  return {
    edges,
    get totalCount() {
      counted ??= (totalCount as () => number)();
      return counted;
    },
    pageInfo: {
      hasNextPage,
      hasPreviousPage: hasPrevious,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
};
