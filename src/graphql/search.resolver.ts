import { ArrayMaxSize, IsEnum, IsInt, IsOptional, Max, Min } from 'class-validator';
import { Args, ArgsType, Authorized, Ctx, Field, ID, Int, ObjectType, Query, registerEnumType, Resolver } from 'type-graphql';
import { READ_ROLES } from '../auth/policy';
import { visibleRows, type ReadScope, type RowKind, type SqlCondition } from '../auth/scope';
import { SEARCH_CANDIDATES, SEARCH_KINDS, searchQuery, type SearchKind } from '../../projections/search';
import type { TashilContext } from './context';
import { Text } from './validation';

const SearchKindEnum = Object.fromEntries(SEARCH_KINDS.map((k) => [k, k])) as Record<SearchKind, SearchKind>;
registerEnumType(SearchKindEnum, {
  name: 'SearchKind',
  description: 'What a search hit is.',
  valuesConfig: {
    UNIT: { description: 'A production unit (واحد تولیدی), by name, national ID, sector or location.' },
    ZONE: { description: 'A zone (شهرک / لکه صنعتی), by name.' },
    OBSTACLE: { description: 'An obstacle (مانع / پرونده), by title or description.' },
    MEETING: { description: 'A meeting (جلسه), by title, venue or minutes.' },
    COMMITMENT: { description: 'A commitment (قول / تعهد), by what was promised, by whom, to whom.' },
  },
});

/** The kind of read-model row each kind of hit is, for its scope (src/auth/scope.ts). */
const ROW_KIND: Record<SearchKind, RowKind> = { UNIT: 'unit', ZONE: 'zone', OBSTACLE: 'obstacle', MEETING: 'meeting', COMMITMENT: 'commitment' };

/**
 * The items of `kinds` the scope sees, each kind by its own rule: units, obstacles, meetings and
 * commitments by their place (an agency's users: its cases and their units, no meeting or
 * commitment), zones as registries are; null when the scope sees every item.
 */
const visibleItems = (scope: ReadScope, kinds: readonly SearchKind[]): SqlCondition | null => {
  const rules = kinds.map((kind) => ({ kind, visible: visibleRows(scope, ROW_KIND[kind], { province: 'i.province', county: 'i.county', id: 'i.id' }) }));
  if (rules.every((r) => r.visible === null)) return null;
  return {
    sql: rules.map((r) => `(i.kind = ? AND (${r.visible?.sql ?? '1'}))`).join(' OR '),
    params: rules.flatMap((r) => [r.kind, ...(r.visible?.params ?? [])]),
  };
};

@ObjectType({ description: 'One thing that matched a search (جستجو).' })
export class SearchHit {
  @Field(() => SearchKindEnum, { description: 'What it is.' })
  kind!: SearchKind;

  @Field(() => ID, { description: 'Id of the unit, zone, obstacle, meeting or commitment.' })
  id!: string;

  @Field({ description: 'Its name or title, as recorded.' })
  title!: string;

  @Field({ description: 'The indexed text around it, as recorded.' })
  body!: string;
}

@ArgsType()
class SearchArgs {
  @Field({ description: 'Words to find; Arabic/Persian letter variants, ZWNJ and digit forms are normalised.' })
  @Text(200)
  text!: string;

  @Field(() => [SearchKindEnum], { nullable: true, description: 'Only these kinds (default: all).' })
  @IsOptional()
  @ArrayMaxSize(SEARCH_KINDS.length)
  @IsEnum(SearchKindEnum, { each: true })
  kinds?: SearchKind[] | null;

  @Field(() => Int, { defaultValue: 20, description: 'How many hits, at most 100.' })
  @IsInt()
  @Min(1)
  @Max(100)
  first!: number;
}

@Resolver()
export class SearchResolver {
  @Authorized(READ_ROLES.readModels)
  @Query(() => [SearchHit], {
    description: `Units, zones, obstacles, meetings and commitments the caller may read whose text contains every word, best matches first among the ${SEARCH_CANDIDATES.toLocaleString('en')} most recently added of those that match (add words to narrow a common one). An agency's users find their cases, those cases' units, and the zones of the place their agency serves.`,
  })
  search(@Args(() => SearchArgs) args: SearchArgs, @Ctx() ctx: TashilContext): SearchHit[] {
    const match = searchQuery(args.text);
    if (match === null) return [];
    const kinds = args.kinds?.length ? args.kinds : [...SEARCH_KINDS];
    // The scope is a condition of the candidates, so the bound counts only what the caller sees:
    // a county's hits are never crowded out by newer items of other counties.
    const visible = visibleItems(ctx.readModels.scope, kinds);
    // The candidates come from the index newest first (FTS5 reads its lists backwards and stops);
    // only they are scored, so a common word costs what a rare one does (SEARCH_CANDIDATES).
    return ctx.runtime
      .reader('search')
      .prepare(
        `WITH candidates AS (
           SELECT search_index.rowid AS item, bm25(search_index, 4.0, 1.0) AS score
           FROM search_index JOIN search_items i ON i.rowid = search_index.rowid
           WHERE search_index MATCH ? AND i.kind IN (${kinds.map(() => '?').join(', ')})${visible === null ? '' : ` AND (${visible.sql})`}
           ORDER BY search_index.rowid DESC LIMIT ${SEARCH_CANDIDATES})
         SELECT i.kind, i.id, i.title, i.body FROM candidates JOIN search_items i ON i.rowid = candidates.item
         ORDER BY candidates.score, i.position LIMIT ?`,
      )
      .all(match, ...kinds, ...(visible?.params ?? []), args.first) as SearchHit[];
  }
}
