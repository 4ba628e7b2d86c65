/**
 * Live subscribers for the soak: each follows every obstacle change over
 * graphql-ws and, every few seconds, leaves and comes back (a new connection
 * and subscription), so the soak's memory samples cover subscription churn.
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { ServerProcess } from '../support/server-process';
import { tokenFor } from '../support/server-process';

export interface LiveSubscribers {
  /** Updates received so far, by every subscriber together. */
  readonly received: number;
  /** Errors that ended a subscription other than our own leaving (JSON), at most 20. */
  readonly unexpected: string[];
  /** Resolves when every subscriber has left for good (after `until`). */
  done: Promise<void>;
}

export const liveSubscribers = (server: ServerProcess, until: number, count = 2, stayMs = 3000): LiveSubscribers => {
  let received = 0;
  const unexpected: string[] = [];
  const url = server.url.replace(/^http/, 'ws');
  const visit = async (n: number): Promise<void> => {
    const token = await tokenFor({ subject: `soak-viewer-${n}`, roles: ['VIEWER'] });
    const client = createClient({ url, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
    await new Promise<void>((resolve) => {
      const leave = setTimeout(() => {
        unsubscribe();
        resolve();
      }, Math.min(stayMs, Math.max(0, until - Date.now())));
      const unsubscribe = client.subscribe(
        { query: 'subscription { obstacleChanged { id status revision } }' },
        {
          next: (result) => {
            if (result.errors && unexpected.length < 20) unexpected.push(JSON.stringify(result.errors[0]));
            else received++;
          },
          error: (error) => {
            if (unexpected.length < 20) unexpected.push(JSON.stringify(error instanceof Error ? error.message : error));
            clearTimeout(leave);
            resolve();
          },
          complete: () => {
            clearTimeout(leave);
            resolve();
          },
        },
      );
    });
    await client.dispose();
  };
  const done = Promise.all(
    Array.from({ length: count }, async (_, n) => {
      while (Date.now() < until) await visit(n);
    }),
  ).then(() => undefined);
  return {
    get received() {
      return received;
    },
    unexpected,
    done,
  };
};
