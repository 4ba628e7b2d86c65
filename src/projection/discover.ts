/**
 * Finds every projection in `projections/`: an analyst adds a file there and
 * nothing else. Works from the TypeScript sources (tests) and from `dist/`.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectionDefinition } from './projection';

export const PROJECTIONS_DIRECTORY = join(__dirname, '..', '..', 'projections');

export const discoverProjections = (directory = PROJECTIONS_DIRECTORY): ProjectionDefinition[] => {
  const compiled = __filename.endsWith('.js');
  const files = readdirSync(directory)
    .filter((f) => (compiled ? f.endsWith('.js') : f.endsWith('.ts') && !f.endsWith('.d.ts')))
    .sort();
  const found: ProjectionDefinition[] = [];
  for (const file of files) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const module = require(join(directory, file)) as { default?: ProjectionDefinition };
    if (!module.default || typeof module.default !== 'object' || !('handlers' in module.default)) {
      throw new Error(`projections/${file} must export default defineProjection({...})`);
    }
    found.push(module.default);
  }
  return found;
};
