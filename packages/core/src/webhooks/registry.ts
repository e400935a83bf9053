import type { PasisError } from '../errors.js';
import { isKnownEventKind, knownEventKinds } from '../events/schemas.js';
import type { PasisEvent, PasisEventKind, UnknownPasisEvent } from '../events/types.js';
import type { Runner } from './run-handlers.js';
import type { AnyEventHandler, EventHandler, EventHandlerMap } from './types.js';

const NONE: readonly Runner[] = [];

/** The handlers of one receiver, per kind, in the order they were added. */
export class HandlerRegistry {
  readonly #byKind = new Map<string, Runner[]>();
  readonly #any: AnyEventHandler<never>[] = [];

  /** `fail` builds the `config_error` for a mistake, naming the adapter's package. */
  constructor(
    on: EventHandlerMap<never> | AnyEventHandler<never> | undefined,
    private readonly fail: (message: string) => PasisError<'config_error'>,
  ) {
    if (typeof on === 'function') {
      this.#any.push(on);
      return;
    }
    for (const [kind, value] of Object.entries(on ?? {})) {
      for (const handler of Array.isArray(value) ? value : [value]) this.add(kind, handler as Runner);
    }
  }

  add<K extends PasisEventKind>(kind: K | string, handler: EventHandler<K, never> | Runner): () => void {
    if (typeof kind !== 'string' || !isKnownEventKind(kind)) {
      throw this.fail(
        `unknown event kind ${JSON.stringify(kind)} for a handler. Known kinds: ${knownEventKinds.join(', ')}.`,
      );
    }
    if (typeof handler !== 'function') throw this.fail(`the handler for "${kind}" must be a function.`);
    const list = this.#byKind.get(kind) ?? [];
    list.push(handler as Runner);
    this.#byKind.set(kind, list);
    return () => {
      const index = list.indexOf(handler as Runner);
      if (index >= 0) list.splice(index, 1);
    };
  }

  /**
   * The handlers an event would run, as a snapshot (a handler that removes itself while
   * running does not shift the others); empty when nobody listens to its kind.
   */
  handlersFor(event: PasisEvent | UnknownPasisEvent): readonly Runner[] {
    const specific = this.#byKind.get(event.kind) ?? NONE;
    if (!isKnownEventKind(event.kind) || this.#any.length === 0) return specific.slice();
    return (this.#any as unknown as Runner[]).concat(specific);
  }
}
