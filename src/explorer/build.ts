/**
 * `npm run build`'s second step (after tsc): bundles the explorer — GraphiQL,
 * React and our entry — with esbuild into dist/explorer/, so the page needs
 * no CDN. File names carry a content hash, which lets the server tell
 * browsers to cache them for good; index.html names the current ones.
 */
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { explorerBundleDir, explorerSourceDir, projectRoot } from './paths';

export const buildExplorer = async (outDir = explorerBundleDir()): Promise<{ js: string; css: string }> => {
  const source = explorerSourceDir();
  // Old hashed files would otherwise pile up with every build.
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const result = await build({
    entryPoints: [join(source, 'explorer.tsx')],
    absWorkingDir: projectRoot(),
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome100', 'firefox100', 'safari15'],
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    // GraphiQL's fonts are already inlined in its stylesheet; anything else stays a file beside the bundle.
    loader: { '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.svg': 'file', '.png': 'file' },
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    outdir: outDir,
    metafile: true,
    // The licences of React, GraphiQL and CodeMirror travel with the bundle.
    legalComments: 'eof',
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((file) => basename(file));
  const js = outputs.find((file) => file.endsWith('.js'));
  const css = outputs.find((file) => file.endsWith('.css'));
  if (!js || !css) throw new Error(`esbuild produced ${outputs.join(', ')}: expected one .js and one .css`);
  const page = readFileSync(join(source, 'index.html'), 'utf8').replace('{{js}}', js).replace('{{css}}', css);
  writeFileSync(join(outDir, 'index.html'), page);
  return { js, css };
};

if (require.main === module) {
  buildExplorer()
    .then(({ js, css }) => {
      const outDir = relative(process.cwd(), explorerBundleDir());
      process.stdout.write(`explorer bundled: ${join(outDir, js)}, ${join(outDir, css)}\n`);
    })
    .catch((error: unknown) => {
      process.stderr.write(`explorer bundle failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    });
}
