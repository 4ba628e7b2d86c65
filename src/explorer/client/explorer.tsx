/**
 * The explorer page: GraphiQL with a token field above it. Bundled by
 * `build.ts` into dist/explorer/ and served by the API itself, so it works on
 * networks that block every CDN. Nothing here talks to any origin but the
 * page's own (the server's Content-Security-Policy enforces that too).
 */
import { GraphiQL } from 'graphiql';
import { useEffect, useMemo, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import 'graphiql/graphiql.css';
import './explorer.css';
import { EXAMPLE_OPERATIONS } from './examples';
import { createFetcher, createLiveConnection, describeToken, normaliseToken, socketUrl } from './session';

// sessionStorage, not localStorage: a pasted token lives as long as the browser tab and
// is never left on a shared office computer after the tab is closed.
const TOKEN_KEY = 'tashil.explorer.token';

const readToken = (): string => {
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? '';
  } catch {
    return '';
  }
};

const storeToken = (token: string): void => {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage disabled: the token still works until the page is reloaded.
  }
};

const TokenBar = ({ token, onChange }: { token: string; onChange(token: string): void }) => {
  const summary = describeToken(token, new Date());
  return (
    <header className="tashil-bar">
      <span className="tashil-title">Tashil · GraphQL explorer</span>
      {/* A form only so that browsers treat the password field as one; it is never submitted. */}
      <form className="tashil-token" onSubmit={(event) => event.preventDefault()}>
        <label htmlFor="tashil-token">Token</label>
        <input
          id="tashil-token"
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder="paste a token from: npm run tashil -- token --role ADMIN"
          value={token}
          onChange={(event) => onChange(normaliseToken(event.target.value))}
        />
      </form>
      {token ? (
        <button type="button" className="tashil-forget" onClick={() => onChange('')}>
          Forget
        </button>
      ) : null}
      <span id="tashil-token-status" className={summary?.problem ? 'tashil-status tashil-problem' : 'tashil-status'}>
        {summary ? summary.text : 'no token: queries are answered UNAUTHENTICATED'}
      </span>
    </header>
  );
};

const Explorer = () => {
  const [token, setToken] = useState(readToken);
  // The fetcher reads the token when it runs; a new fetcher per keystroke would make
  // GraphiQL fetch the schema again each time.
  const tokenRef = useRef(token);
  tokenRef.current = token;
  const endpoint = window.location.pathname;
  // Subscriptions: graphql-ws on this very address (ws: or wss: as the page), behind any path prefix.
  const live = useMemo(() => createLiveConnection(socketUrl(endpoint, window.location.href), () => tokenRef.current), [endpoint]);
  const fetcher = useMemo(() => createFetcher(endpoint, () => tokenRef.current, live), [endpoint, live]);
  // After the render that updated tokenRef: a running subscription signs in again with the new token.
  useEffect(() => live.tokenChanged(), [live, token]);
  const onChange = (next: string): void => {
    storeToken(next);
    setToken(next);
  };
  return (
    <div className="tashil-explorer">
      <TokenBar token={token} onChange={onChange} />
      <main className="tashil-graphiql">
        <GraphiQL
          fetcher={fetcher}
          defaultTabs={EXAMPLE_OPERATIONS.map((example) => ({ query: example.query, variables: example.variables ?? null }))}
          defaultEditorToolsVisibility="variables"
          shouldPersistHeaders={false}
        >
          <GraphiQL.Logo>Tashil</GraphiQL.Logo>
        </GraphiQL>
      </main>
    </div>
  );
};

createRoot(document.getElementById('tashil-explorer')!).render(<Explorer />);
