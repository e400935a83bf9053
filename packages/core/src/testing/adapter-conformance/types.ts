/** What the adapter conformance suite is given: the adapter under test and how to start it. */
import type { WebhookHandlerOptions } from '../../webhooks/types.js';

/** A running adapter: a real server listening on 127.0.0.1. */
export interface ConformanceServer {
  /** The webhook's full URL, e.g. `http://127.0.0.1:43210/webhook`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the adapter with exactly these webhook options (core's: `secret`, `on`,
 * `maxBodyBytes`, `logger`), on a real server, and says where its webhook is.
 */
export type StartAdapter = (options: WebhookHandlerOptions) => Promise<ConformanceServer>;

/** The adapter under test. */
export interface AdapterUnderTest {
  /** Shown in the suite's title, e.g. `'Express 5'`. */
  name: string;
  /** Starts the adapter alone. */
  start: StartAdapter;
  /**
   * Starts it behind a JSON body parser that runs first (`express.json()`, koa-bodyparser, an
   * Express parser through `@fastify/middie`), or says why that cannot happen on the platform
   * (the case is then registered as skipped, with the reason in its title).
   */
  startBehindParser: StartAdapter | { cannotHappen: string };
}
