/**
 * A reconciler wired for tests: a real client against the local §1b server, a real webhook
 * receiver (signed deliveries work too), the fake clock, and a recording logger.
 */

import type { PasisClientOptions } from '../../client/options.js';
import { recordingLogger, testClient } from '../../client/test-support/client.js';
import type { SessionProcessedEvent } from '../../events/types.js';
import { silentLogger } from '../../logging/logger.js';
import { generateWebhookSecret } from '../../testing/index.js';
import type { SessionServer } from '../../testing/peers/session-server.js';
import { createWebhookHandler } from '../../webhooks/receiver.js';
import type { WebhookContext } from '../../webhooks/types.js';
import { createReconcilerWith } from '../create-reconciler.js';
import type { PagedSessions, ReconcilerOptions, SessionsSource } from '../types.js';
import { createFakeClock, type FakeClock } from './fake-clock.js';

/** What a test may change. */
export interface HarnessOptions extends Partial<Omit<ReconcilerOptions, 'client' | 'webhooks' | 'sessions'>> {
  sessions?: SessionsSource | PagedSessions;
  client?: PasisClientOptions;
  /** The `session:processed` handler; by default it records the event. */
  onProcessed?: (event: SessionProcessedEvent, ctx: WebhookContext) => unknown;
}

/** Builds the reconciler; `open` is the list `sessions()` answers by default. */
export function reconcilerHarness(pasis: SessionServer, options: HarnessOptions = {}) {
  const secret = generateWebhookSecret();
  const clock = createFakeClock();
  const logger = recordingLogger();
  const handled: { event: SessionProcessedEvent; ctx: WebhookContext }[] = [];
  const open: (string | { session_id: string })[] = [];
  let listings = 0;
  const { client } = testClient(pasis.baseUrl, { maxRetries: 0, ...options.client });
  const webhooks = createWebhookHandler({
    secret,
    logger: silentLogger,
    on: {
      'session:processed': (event, ctx) => {
        handled.push({ event, ctx });
        return options.onProcessed?.(event, ctx);
      },
    },
  });
  const { onProcessed: _, client: __, ...rest } = options;
  const reconciler = createReconcilerWith(
    {
      client,
      webhooks,
      logger,
      sessions: () => {
        listings++;
        return [...open];
      },
      ...rest,
    },
    clock,
  );
  return { reconciler, clock, logger, handled, open, webhooks, secret, listings: () => listings };
}

/** Lets real I/O happen for `ms` of real time (a wide margin: never a timing assertion). */
export const realWait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Awaits `promise` while moving the fake clock `stepMs` at a time, so pauses end. Bounded
 * in steps (and so in real time: about 5 ms a step).
 */
export async function drive<T>(
  clock: FakeClock,
  promise: Promise<T>,
  stepMs = 1_000,
  maxSteps = 600,
): Promise<T> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let step = 0; step < maxSteps && !done; step++) {
    clock.advance(stepMs);
    await realWait(5);
  }
  if (!done) throw new Error(`still pending after ${maxSteps} steps of ${stepMs} ms`);
  return promise;
}

/** Waits, in real time and boundedly, until `condition()` holds. */
export async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await realWait(5);
  }
}
