import type { PasisEvent } from '../events/types.js';
import { isPromiseLike } from '../util/is-promise-like.js';
import type { WebhookContext } from './types.js';

/** A registered handler, as the registry keeps it. */
export type Runner = (event: never, ctx: never) => unknown;

async function finish(
  pending: PromiseLike<unknown>,
  handlers: readonly Runner[],
  next: number,
  event: PasisEvent,
  ctx: WebhookContext<unknown>,
) {
  await pending;
  for (let i = next; i < handlers.length; i++) await handlers[i]!(event as never, ctx as never);
}

/**
 * Runs the handlers of one event in order, each after the previous one settled. Returns a
 * promise only once a handler returned one: synchronous handlers cost no turn of the event
 * loop. A throw (or rejection) stops the run and is the caller's to answer.
 */
export function runHandlers(
  handlers: readonly Runner[],
  event: PasisEvent,
  ctx: WebhookContext<unknown>,
): unknown {
  for (let i = 0; i < handlers.length; i++) {
    const result = handlers[i]!(event as never, ctx as never);
    if (!isPromiseLike(result)) continue;
    // The last (most often the only) handler's promise is returned as it is: no wrapper.
    return i === handlers.length - 1 ? result : finish(result, handlers, i + 1, event, ctx);
  }
  return undefined;
}
