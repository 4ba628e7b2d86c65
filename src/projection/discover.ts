/**
 * Finds every projection in `projections/`: an analyst adds a file there and
 * nothing else. Works from the TypeScript sources (tests) and from `dist/`.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectionDefinition } from './projection';

export const PROJECTIONS_DIRECTORY = join(__dirname, '..', '..', 'projections');

/** The module file each discovered definition came from: a worker thread loads it from there. */
const modules = new WeakMap<ProjectionDefinition, string>();

/** The file `discoverProjections` loaded this definition from; undefined for one built in code (tests). */
export const projectionModule = (definition: ProjectionDefinition): string | undefined => modules.get(definition);

export const discoverProjections = (directory = PROJECTIONS_DIRECTORY, compiled = __filename.endsWith('.js')): ProjectionDefinition[] => {
  const files = readdirSync(directory)
    .filter((f) => (compiled ? f.endsWith('.js') : f.endsWith('.ts') && !f.endsWith('.d.ts')))
    .sort();
  const found: ProjectionDefinition[] = [];
  for (const file of files) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const path = join(directory, file);
    const module = require(path) as { default?: ProjectionDefinition };
    if (!module.default || typeof module.default !== 'object' || !('handlers' in module.default)) {
      throw new Error(`projections/${file} must export default defineProjection({...})`);
    }
    modules.set(module.default, path);
    found.push(module.default);
  }
  return found;
};
