import { Inject, Injectable } from '@nestjs/common';
import {
  type PasisClient as CorePasisClient,
  createPasisClient,
  isPasisError,
  PasisError,
} from '@pasis/core';
import { nestPasisLogger } from './nest-logger.js';
import { PASIS_MODULE_OPTIONS } from './pasis.module-definition.js';
import type { PasisModuleOptions } from './pasis.options.js';

/**
 * The checkout client, injectable by its class.
 *
 * @example
 * constructor(private readonly pasis: PasisClient) {}
 * const session = await this.pasis.checkout.sessions.create({ items, email }, { idempotencyKey: order.id });
 */
@Injectable()
export class PasisClient implements CorePasisClient {
  readonly #client: () => CorePasisClient;

  constructor(@Inject(PASIS_MODULE_OPTIONS) options: PasisModuleOptions) {
    this.#client = resolveClient(options);
  }

  /** `checkout.sessions.create(params, { idempotencyKey, signal })`. */
  get checkout(): CorePasisClient['checkout'] {
    return this.#client().checkout;
  }
}

function resolveClient(options: PasisModuleOptions): () => CorePasisClient {
  if (options.client) return () => options.client!;
  const build = () =>
    createPasisClient({
      appId: options.appId,
      baseUrl: options.baseUrl,
      logger: options.logger ?? nestPasisLogger(),
    });
  if (options.appId !== undefined) {
    const client = build();
    return () => client;
  }
  // A webhook-only app needs no appId: keep the configuration error for whoever uses the client.
  try {
    const client = build();
    return () => client;
  } catch (error) {
    if (!isPasisError(error, 'config_error')) throw error;
    return () => {
      throw new PasisError('config_error', `@pasis/nestjs: PasisClient is not configured: ${error.message}`);
    };
  }
}
