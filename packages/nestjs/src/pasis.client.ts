import { Inject, Injectable } from '@nestjs/common';
import type { PasisClient as CorePasisClient } from '@pasis/core';
import type { ResolvedAdapterOptions } from '@pasis/core/adapter';
import { PASIS_RESOLVED_OPTIONS } from './pasis.module-definition.js';

/**
 * The checkout client, injectable by its class. Built at start-up from the module's options
 * (every mistake fails the boot); without any appId (webhook-only apps) it throws a
 * `config_error` on use.
 *
 * @example
 * constructor(private readonly pasis: PasisClient) {}
 * const session = await this.pasis.checkout.sessions.create({ items, email }, { idempotencyKey: order.id });
 */
@Injectable()
export class PasisClient implements CorePasisClient {
  readonly #client: () => CorePasisClient;

  constructor(@Inject(PASIS_RESOLVED_OPTIONS) options: ResolvedAdapterOptions<unknown>) {
    this.#client = options.client;
  }

  /** `checkout.sessions.create(params, { idempotencyKey, signal })`. */
  get checkout(): CorePasisClient['checkout'] {
    return this.#client().checkout;
  }
}
