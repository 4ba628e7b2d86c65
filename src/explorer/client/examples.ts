/**
 * The operations the explorer opens with, one tab each: what a secretariat
 * asks on a Wednesday morning, in the words of the README's examples. Plain
 * data, shared by the browser bundle and by the test that validates every one
 * against the schema (so a renamed field cannot leave a broken tab behind).
 */
export interface ExampleOperation {
  query: string;
  /** JSON text for the variables editor. */
  variables?: string;
}

export const EXAMPLE_OPERATIONS: readonly ExampleOperation[] = [
  {
    query: `# Tashil's explorer. Paste a token above, then
# run with the pink button or Ctrl-Enter.
# One example per tab; the book icon (left) opens
# the schema's documentation.
#   token: npm run tashil -- token --role ADMIN
#   data:  npm run seed

query PakdashtUnits {
  units(county: "پاکدشت", first: 10) {
    totalCount
    edges {
      node { id name activityStatus openObstacleCount }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`,
  },
  {
    query: `# One unit's timeline: registration, status changes,
# obstacles, meetings, resolutions. Put an id from the
# PakdashtUnits tab into the variables below.

query UnitWithHistory($unitId: ID!) {
  unit(id: $unitId) {
    name
    activityStatus
    statusReason
    history(first: 20) {
      edges { node { kind summary occurredAtJalali actor } }
    }
  }
}
`,
    variables: `{ "unitId": "paste a unit id here" }`,
  },
  {
    query: `# Promises to shoe producers in Islamshahr that are
# past their due date. Arabic and Persian spellings
# (كفش / کفش) find the same thing.

query OverduePromises {
  commitments(county: "اسلامشهر", madeTo: "كفش", overdue: true) {
    totalCount
    edges {
      node { description madeBy dueDateJalali(persianDigits: true) status }
    }
  }
}
`,
  },
  {
    query: `# Full-text search over units, zones, obstacles,
# meetings and commitments.

query Search {
  search(text: "شهرک صنعتی خوارزمی") { kind id title }
}
`,
  },
  {
    query: `# A county at a glance: units by activity status
# and revivals per Jalali month.

query PakdashtDashboard {
  countyDashboard(county: "پاکدشت") {
    totalUnits
    byStatus { status units }
    revivals { jalaliMonth revivals }
  }
}
`,
  },
  {
    query: `# Registers a unit (roles SECRETARIAT or ADMIN, in the
# unit's province). Run it twice: the same idempotencyKey
# returns the first result with replayed: true.

mutation RegisterUnit {
  registerUnit(input: {
    name: "سرعت خانه ساز ۲"
    nationalId: "۱۰۱۰۰۰۰۰۰۹۹"
    sector: "مصالح ساختمانی"
    province: "تهران"
    county: "پاکدشت"
    location: "شهرک صنعتی خوارزمی"
    activityStatus: SEMI_ACTIVE
    idempotencyKey: "explorer-register-1"
  }) {
    revision position replayed
    unit { id nationalId activityStatus }
  }
}
`,
  },
  {
    query: `# Live: Pakdasht's obstacles as they are raised or
# change (referred, progressed, resolved...). Run it and
# leave it running: each change replaces the result, until
# the stop button ends it. Subscriptions run over
# WebSocket, signed in with the token above.

subscription PakdashtObstacles {
  obstacleChanged(county: "پاکدشت") {
    id title status leadAgency deadline revision
    unit { name }
  }
}
`,
  },
];
