/**
 * Prometheus metrics at `/metrics` (prom-client). One registry per app, so
 * tests and several apps in one process never share counters.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AppendResult, EventStore } from './eventstore/event-store';
import type { ProjectionRuntime } from './projection/runtime';

export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'route' | 'status'>;
  graphqlErrors: Counter<'code'>;
  appendSeconds: Histogram<'outcome'>;
  subscriptionsOpen: Gauge;
  /** WebSocket upgrades refused because `TASHIL_MAX_WEBSOCKET_CONNECTIONS` were open. */
  websocketRefused: Counter;
  /** Lookups of the response cache that were served (`hit`) or not (`miss`), and responses remembered (`store`). */
  responseCache: Counter<'result'>;
  responseCacheBytes: Gauge;
}

export const createMetrics = (): Metrics => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tashil_' });
  return {
    registry,
    httpRequests: new Counter({ name: 'tashil_http_requests_total', help: 'HTTP requests by route and status.', labelNames: ['route', 'status'], registers: [registry] }),
    graphqlErrors: new Counter({ name: 'tashil_graphql_errors_total', help: 'GraphQL errors by extensions.code.', labelNames: ['code'], registers: [registry] }),
    appendSeconds: new Histogram({
      name: 'tashil_append_duration_seconds',
      help: 'Time to append one command’s events to the store (durable commit included).',
      labelNames: ['outcome'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    subscriptionsOpen: new Gauge({ name: 'tashil_subscriptions_open', help: 'Open GraphQL subscriptions.', registers: [registry] }),
    websocketRefused: new Counter({
      name: 'tashil_websocket_refused_total',
      help: 'WebSocket connections refused (503) because the server held its maximum.',
      registers: [registry],
    }),
    responseCache: new Counter({
      name: 'tashil_response_cache_total',
      help: 'GraphQL responses served from the response cache (hit), computed after a lookup (miss), and remembered (store).',
      labelNames: ['result'],
      registers: [registry],
    }),
    responseCacheBytes: new Gauge({ name: 'tashil_response_cache_bytes', help: 'Bytes held by the response cache.', registers: [registry] }),
  };
};

/** Projection lag, and subscriptions found stalled, read when Prometheus scrapes. */
export const watchProjections = (metrics: Metrics, runtime: ProjectionRuntime): void => {
  const stalls = new Counter({
    name: 'tashil_projection_subscription_stalls_total',
    help: 'Times the projections\' store subscription delivered nothing while events waited, and was reopened from the checkpoints.',
    registers: [metrics.registry],
    collect() {
      this.reset();
      this.inc(runtime.stalls);
    },
  });
  const lag = new Gauge({
    name: 'tashil_projection_lag_events',
    help: 'Events in the store not yet taken into account by the projection.',
    labelNames: ['projection', 'state'],
    registers: [metrics.registry],
    async collect() {
      this.reset();
      for (const p of await runtime.status()) this.set({ projection: p.name, state: p.state }, Number(p.lagEvents));
    },
  });
  void [stalls, lag]; // registered: Prometheus reads them through the registry
};

/** The store with its appends timed; everything else passes through. */
export const timedStore = (store: EventStore, metrics: Metrics): EventStore =>
  new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'appendToStream' && property !== 'appendToStreams') return Reflect.get(target, property, receiver) as unknown;
      return async (...args: unknown[]): Promise<AppendResult | AppendResult[]> => {
        const end = metrics.appendSeconds.startTimer();
        try {
          const result =
            property === 'appendToStream'
              ? await target.appendToStream(...(args as Parameters<EventStore['appendToStream']>))
              : await target.appendToStreams(...(args as Parameters<EventStore['appendToStreams']>));
          end({ outcome: 'ok' });
          return result;
        } catch (error) {
          end({ outcome: 'refused' });
          throw error;
        }
      };
    },
  });
