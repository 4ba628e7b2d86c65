/**
 * Serves the self-hosted GraphiQL explorer: the page at `GET /graphql` for a
 * browser (Accept prefers text/html), its bundle under `/explorer/`. Only
 * with `TASHIL_EXPLORER` (on in development, off in production).
 *
 * The page is static and needs no token; the GraphQL requests it makes carry
 * the one the user pastes (subscriptions, over WebSocket, sign in with it). A strict Content-Security-Policy allows nothing
 * but this origin, so the page cannot reach a CDN even by accident.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { explorerBundleDir } from './paths';

/**
 * Everything from this origin and nothing else; data: only for GraphiQL's
 * inlined fonts and the empty icon. `connect-src 'self'` also admits the
 * subscriptions' socket to this host and port (ws: from an http: page, wss:
 * from https:, as CSP Level 3 says and Chromium does; the explorer test runs
 * one), so no origin is ever named here.
 */
export const EXPLORER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Where the page's assets are served from (relative to the API's root). */
export const ASSET_PREFIX = '/explorer/';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

const COMMON_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
};

interface Asset {
  type: string;
  body: Buffer;
  /** Present when compressing saves something. */
  gzip?: Buffer;
}

interface Bundle {
  page: Asset;
  assets: Map<string, Asset>;
}

const asset = (path: string): Asset => {
  const body = readFileSync(path);
  const type = CONTENT_TYPES[extname(path)] ?? 'application/octet-stream';
  const gzip = /^(text|image\/svg)/.test(type) ? gzipSync(body) : undefined;
  return gzip && gzip.length < body.length ? { type, body, gzip } : { type, body };
};

/** Reads the built bundle into memory (about 1.6 MB), or null when `npm run build` has not made it. */
const loadBundle = (dir: string): Bundle | null => {
  if (!existsSync(join(dir, 'index.html'))) return null;
  const assets = new Map<string, Asset>();
  for (const name of readdirSync(dir)) {
    if (name !== 'index.html' && CONTENT_TYPES[extname(name)]) assets.set(name, asset(join(dir, name)));
  }
  return { page: asset(join(dir, 'index.html')), assets };
};

/** The media types of an Accept header with their q-values, in order. */
const acceptRanges = (accept: string): { type: string; q: number }[] =>
  accept.split(',').flatMap((part) => {
    const [type, ...params] = part.trim().toLowerCase().split(';');
    if (!type) return [];
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    return [{ type: type.trim(), q: Number.isFinite(q) ? q : 0 }];
  });

const quality = (ranges: { type: string; q: number }[], type: string): number => {
  const [major] = type.split('/');
  const match = ranges.find((r) => r.type === type) ?? ranges.find((r) => r.type === `${major}/*`) ?? ranges.find((r) => r.type === '*/*');
  return match?.q ?? 0;
};

/**
 * A browser opening the address, not a GraphQL client: it prefers HTML to
 * JSON. Clients that send no Accept, `*\/*` or JSON keep getting GraphQL.
 */
export const wantsHtml = (req: IncomingMessage): boolean => {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const ranges = acceptRanges(req.headers.accept ?? '');
  const html = quality(ranges, 'text/html');
  return html > 0 && html > quality(ranges, 'application/json') && html > quality(ranges, 'application/graphql-response+json');
};

const send = (req: IncomingMessage, res: ServerResponse, file: Asset, headers: Record<string, string>): void => {
  const gzip = file.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = gzip ? file.gzip! : file.body;
  res.writeHead(200, {
    ...COMMON_HEADERS,
    ...headers,
    'content-type': file.type,
    'content-length': String(body.length),
    vary: 'accept-encoding',
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
};

const sendText = (res: ServerResponse, status: number, text: string): void => {
  res.writeHead(status, { ...COMMON_HEADERS, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`${text}\n`);
};

/** Answers a request if it is the explorer's; false lets the other routes have it. */
export type ExplorerRoute = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean;

/**
 * The explorer's routes, or a route that never answers when the explorer is
 * off (so `GET /graphql` is the GraphQL endpoint's and `/explorer/…` is 404).
 */
export const explorerRoute = (enabled: boolean, dir: string = explorerBundleDir()): ExplorerRoute => {
  if (!enabled) return () => false;
  // Read on first use, not at start-up: most processes never serve the page.
  let bundle: Bundle | null | undefined;
  const current = (): Bundle | null => (bundle ??= loadBundle(dir));
  return (req, res, url) => {
    const isPage = url.pathname === '/graphql' && wantsHtml(req);
    const isAsset = url.pathname.startsWith(ASSET_PREFIX) && (req.method === 'GET' || req.method === 'HEAD');
    if (!isPage && !isAsset) return false;
    const built = current();
    if (built === null) {
      bundle = undefined; // look again next time: a build may be running
      sendText(res, 503, `The explorer has not been built: run \`npm run build\` (it bundles GraphiQL into ${dir}).`);
      return true;
    }
    if (isPage) {
      // Revalidated each time, so a new build's hashed asset names reach the browser at once.
      send(req, res, built.page, { 'content-security-policy': EXPLORER_CSP, 'cache-control': 'no-cache', 'x-frame-options': 'DENY' });
      return true;
    }
    // Only names from the bundle's own listing: no path from the URL ever reaches the file system.
    const file = built.assets.get(url.pathname.slice(ASSET_PREFIX.length));
    if (!file) {
      sendText(res, 404, 'not found');
      return true;
    }
    // Content-hashed names: a file's content never changes under its name.
    send(req, res, file, { 'cache-control': 'public, max-age=31536000, immutable' });
    return true;
  };
};
