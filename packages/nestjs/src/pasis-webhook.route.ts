import type { ServerResponse } from 'node:http';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { type AbstractHttpAdapter, ApplicationConfig, HttpAdapterHost } from '@nestjs/core';
import type { PasisLogger, WebhookReceiver } from '@pasis/core';
import { configError, type ResolvedAdapterOptions } from '@pasis/core/adapter';
import {
  type FastifyLike,
  isLoggerOn,
  type NodeWebhookRequest,
  registerFastifyWebhookRoute,
  serveWebhook,
} from '@pasis/core/node';
import { PASIS_LOGGER, PASIS_RESOLVED_OPTIONS, PASIS_WEBHOOKS } from './pasis.module-definition.js';
import { webhookRoutePath } from './route-path.js';

type ExpressRequest = NodeWebhookRequest & { path?: string };

/**
 * Serves the webhook route on the HTTP adapter itself, not as a controller: Nest's guards,
 * interceptors, pipes and exception filters never run for it, so a global auth guard
 * cannot refuse Pasis and a global filter cannot turn core's 500 into something else.
 * Every status is core's. The path follows `app.setGlobalPrefix()` and its `exclude` as a
 * controller route's would.
 */
@Injectable()
export class PasisWebhookRoute implements OnModuleInit {
  /** The path served, known once the app initialises (after `setGlobalPrefix`). */
  private path: string | undefined;
  private mounted = false;

  constructor(
    private readonly host: HttpAdapterHost,
    private readonly config: ApplicationConfig,
    @Inject(PASIS_RESOLVED_OPTIONS) private readonly options: ResolvedAdapterOptions<unknown>,
    @Inject(PASIS_WEBHOOKS) private readonly webhooks: WebhookReceiver<unknown> | null,
    @Inject(PASIS_LOGGER) private readonly logger: PasisLogger,
  ) {
    // No public Nest API tells whether `rawBody` is on, so the route does not depend on it:
    // on platform-express it is mounted on the Express app as soon as Nest hands over the
    // HTTP adapter (init$, before app.init() registers Nest's body parsers, app.use()
    // middleware and MiddlewareConsumer routes), and reads the raw bytes itself. On
    // platform-fastify its own encapsulated content-type parser reads them. `rawBody: true`
    // is neither needed nor in the way.
    if (webhooks) host.init$.subscribe(() => this.mountOnExpress());
  }

  onModuleInit(): void {
    const adapter = this.host.httpAdapter as AbstractHttpAdapter | undefined;
    const route = this.options.webhook;
    if (!adapter || !route || !this.webhooks) return; // no HTTP (an application context), or no route
    this.path = webhookRoutePath(this.config, route.path);
    const type = adapter.getType();
    if (type === 'fastify') {
      const fastify = adapter.getInstance<FastifyLike & { log?: unknown }>();
      // request.log when Fastify logs (it does not by default under Nest), else the module's logger.
      const logger = this.options.logger ?? (isLoggerOn(fastify.log) ? undefined : this.logger);
      registerFastifyWebhookRoute(fastify, { path: this.path, webhooks: this.webhooks, logger });
    } else if (type === 'express') {
      this.mountOnExpress();
    } else {
      throw configError(
        '@pasis/nestjs',
        `the webhook route is served on platform-express and platform-fastify; this app's HTTP adapter is "${type}".`,
      );
    }
    this.logger.info(`Pasis webhook: POST ${this.path}`);
  }

  private mountOnExpress(): void {
    const adapter = this.host.httpAdapter as AbstractHttpAdapter | undefined;
    if (this.mounted || adapter?.getType() !== 'express') return;
    this.mounted = true;
    adapter.use((req: ExpressRequest, res: ServerResponse, next: () => void) => {
      if (req.method !== 'POST' || this.path === undefined || req.path !== this.path) return next();
      void serveWebhook(this.webhooks!, req, res);
    });
  }
}
