import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The project's root, found from this file wherever it runs from: compiled
 * (dist/src/explorer/) or as TypeScript under Jest (src/explorer/).
 */
export const projectRoot = (from: string = __dirname): string => {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
};

/** Where `npm run build` puts the explorer's page and bundle. */
export const explorerBundleDir = (): string => join(projectRoot(), 'dist', 'explorer');

/** The browser entry, its page template and its stylesheet. */
export const explorerSourceDir = (): string => join(projectRoot(), 'src', 'explorer', 'client');
