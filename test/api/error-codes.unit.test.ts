/**
 * docs/errors.md documents every `extensions.code` the server can send: the
 * codes written in src/ (GraphQL errors, domain errors, the HTTP layer's own
 * answers) and the ones passed through from GraphQL and Apollo. A new code
 * without its section fails here, and so does a section for a code that no
 * longer exists.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PASS_THROUGH } from '../../src/graphql/errors';

const ROOT = join(__dirname, '..', '..');
const DOC = readFileSync(join(ROOT, 'docs', 'errors.md'), 'utf8');

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });

/** Where a code is written in the source: `code: 'X'` (GraphQL errors, the HTTP layer) or `new DomainError('X', …)`. */
const CODE_PATTERNS = [/\bcode:\s*['"]([A-Z][A-Z_]+)['"]/g, /\bDomainError\(\s*['"]([A-Z][A-Z_]+)['"]/g];

const codesInSource = (): Map<string, string[]> => {
  const found = new Map<string, string[]>();
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of CODE_PATTERNS) {
      for (const match of text.matchAll(pattern)) found.set(match[1]!, [...(found.get(match[1]!) ?? []), file.slice(ROOT.length + 1)]);
    }
  }
  return found;
};

const emitted = (): string[] => [...new Set([...codesInSource().keys(), ...PASS_THROUGH])].sort();

/** `## \`CODE\`` sections of the document, with their text. */
const sections = (): Map<string, string> => {
  const result = new Map<string, string>();
  const parts = DOC.split(/^## `([A-Z_]+)`\s*$/m);
  for (let i = 1; i < parts.length; i += 2) result.set(parts[i]!, parts[i + 1]!);
  return result;
};

test('the source scan finds codes from every layer (so an empty scan cannot pass)', () => {
  const found = codesInSource();
  expect(found.get('RATE_LIMITED')).toContain('src/http.ts');
  expect(found.get('UNAUTHENTICATED')).toEqual(expect.arrayContaining(['src/http.ts', 'src/auth/auth-checker.ts']));
  expect(found.get('INVALID_TRANSITION')?.some((file) => file.startsWith('src/domain/'))).toBe(true);
  expect(found.get('STORE_UNAVAILABLE')).toContain('src/graphql/errors.ts');
  expect(PASS_THROUGH.has('GRAPHQL_PARSE_FAILED')).toBe(true);
});

test('every code the server can send has its section in docs/errors.md', () => {
  const documented = new Set(sections().keys());
  expect(emitted().filter((code) => !documented.has(code))).toEqual([]);
});

test('docs/errors.md documents no code the server cannot send', () => {
  const sent = new Set(emitted());
  expect([...sections().keys()].filter((code) => !sent.has(code))).toEqual([]);
});

describe.each([...sections().keys()])('%s', (code) => {
  const text = sections().get(code)!;

  test('says when it happens, its HTTP status and what the client should do', () => {
    for (const heading of ['**When**:', '**HTTP status**:', '**What to do**:']) {
      const paragraph = text.split(heading)[1]?.split(/\n\s*\n/)[0]?.trim() ?? '';
      expect({ heading, paragraph: paragraph.length > 2 }).toEqual({ heading, paragraph: true });
    }
    expect(text.split('**HTTP status**:')[1]).toMatch(/^\s*\d{3}/);
  });

  test('has a JSON example of an answer carrying it', () => {
    const example = /\*\*Example\*\*:\s*```json\n([\s\S]*?)\n```/.exec(text)?.[1];
    expect(example).toBeDefined();
    const answer = JSON.parse(example!) as { errors: { message: string; extensions: { code: string } }[] };
    expect(answer.errors[0]!.extensions.code).toBe(code);
    expect(answer.errors[0]!.message.length).toBeGreaterThan(0);
  });

  test('is in the summary table', () => {
    expect(DOC).toMatch(new RegExp(`^\\| \\[\`${code}\`\\]\\(#${code.toLowerCase()}\\) \\|`, 'm'));
  });
});
