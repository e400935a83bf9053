import type { PasisEvent, PasisEventOf, WebhookContext } from '@pasis/core';
import { describe, expectTypeOf, it } from 'vitest';
import { OnPasisEvent } from './pasis.decorators.js';

describe('@OnPasisEvent types', () => {
  it("accepts methods that take the kind's payload (or a wider one)", () => {
    class Handlers {
      @OnPasisEvent('session:processed')
      settle(event: PasisEventOf<'session:processed'>, ctx: WebhookContext) {
        expectTypeOf(event.status).toEqualTypeOf<'success' | 'cancelled'>();
        return ctx.deliveryId;
      }

      @OnPasisEvent('session:created')
      @OnPasisEvent('session:processed')
      any(event: PasisEvent) {
        return event.kind;
      }

      @OnPasisEvent('session:processed')
      async noArgs() {}
    }
    expectTypeOf(Handlers).toBeConstructibleWith();
  });

  it('refuses a wrong payload type and a misspelt kind', () => {
    class Wrong {
      // @ts-expect-error: a session:created payload cannot receive session:processed events
      @OnPasisEvent('session:processed')
      created(event: PasisEventOf<'session:created'>) {
        return event;
      }

      // @ts-expect-error: a string is not the payload
      @OnPasisEvent('session:processed')
      text(event: string) {
        return event;
      }

      // @ts-expect-error: not a Pasis event kind
      @OnPasisEvent('session:paid')
      misspelt(event: PasisEvent) {
        return event;
      }
    }
    expectTypeOf(Wrong).toBeConstructibleWith();
  });

  it("accepts a ctx annotated with the store's transaction type", () => {
    interface Tx {
      query(sql: string): Promise<unknown>;
    }
    class Settlement {
      @OnPasisEvent('session:processed')
      settle(event: PasisEventOf<'session:processed'>, ctx: WebhookContext<Tx>) {
        expectTypeOf(ctx.tx).toEqualTypeOf<Tx>();
        return event.session_id;
      }

      // @ts-expect-error: the second parameter is the delivery's context, not anything
      @OnPasisEvent('session:processed')
      wrongContext(event: PasisEventOf<'session:processed'>, ctx: string) {
        return [event, ctx];
      }
    }
    expectTypeOf(Settlement).toBeConstructibleWith();
  });
});
