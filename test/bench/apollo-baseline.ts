/**
 * The yardsticks of sections 1 and 2, each a bare Apollo Server over node:http
 * (handing requests to Apollo the way src/http.ts does), in a process of its own:
 *
 * - no arguments: it answers `{ hello }`, with nothing else (no auth, no store,
 *   no projections). Tashil's figures are reported as ratios of its own.
 * - `--write-floor <folder> <read models>`: it also answers a `raise` mutation
 *   that does only the SQLite writes a `raiseObstacle` needs (the event appended
 *   durably, a row in each read model; test/bench/write-floor.ts) and nothing else.
 *
 * Prints one JSON line `{"msg":"listening","url":…}` when ready.
 */
import { ApolloServer, HeaderMap } from '@apollo/server';
import { createServer } from 'node:http';

const main = async (): Promise<void> => {
  const at = process.argv.indexOf('--write-floor');
  // Loaded only for the floor: the `{ hello }` yardstick loads nothing of Tashil's.
  const raise = at < 0 ? undefined : await (await import('./write-floor')).startWriteFloor(process.argv[at + 1]!, Number(process.argv[at + 2]));
  const apollo = new ApolloServer({
    typeDefs: `type Query { hello: String! }${raise ? ' type Mutation { raise(unitId: ID!, title: String!): ID! }' : ''}`,
    resolvers: {
      Query: { hello: () => 'سلام' },
      ...(raise ? { Mutation: { raise: (_: unknown, args: { unitId: string; title: string }) => raise(args.unitId, args.title) } } : {}),
    },
  });
  await apollo.start();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const text = Buffer.concat(chunks).toString('utf8');
        const headers = new HeaderMap();
        for (const [key, value] of Object.entries(req.headers)) {
          if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
        }
        const response = await apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body: text ? JSON.parse(text) : {} },
          context: async () => ({}),
        });
        for (const [key, value] of response.headers) res.setHeader(key, value);
        res.statusCode = response.status ?? 200;
        res.end(response.body.kind === 'complete' ? response.body.string : '');
      })();
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    process.stdout.write(`${JSON.stringify({ msg: 'listening', url: `http://127.0.0.1:${port}/graphql` })}\n`);
  });
  const stop = (): void => {
    server.close();
    void apollo.stop().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
};

void main();
