/**
 * GraphQL Code Generator for the example client: the committed schema and the
 * operations in `operations/` become typed documents in `generated/`.
 * `npm run codegen` rewrites them; a test fails when they are stale.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

/** Where the generated files go, relative to the repository's root. */
export const GENERATED_DIR = 'docs/client/generated/';

const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: 'docs/client/operations/*.graphql',
  generates: {
    [GENERATED_DIR]: {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        // The query text travels inside each document: plain fetch is enough, no GraphQL library at runtime.
        documentMode: 'string',
        // Enums as string unions: what arrives in JSON, with nothing to import at runtime.
        enumsAsTypes: true,
        useTypeImports: true,
        // DateTime arrives as an ISO-8601 string in JSON.
        scalars: { DateTime: 'string' },
      },
    },
  },
  ignoreNoDocuments: false,
};

export default config;
