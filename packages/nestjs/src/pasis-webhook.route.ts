import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  type NodeWebhookRequest,
  readRawBody,
  toWebhookBody,
  type WebhookHandler,
  type WebhookResponse,
} from '@pasis/core';
import { PASIS_MODULE_OPTIONS, PASIS_WEBHOOKS } from './pasis.module-definition.js';
import type { PasisModuleOptions } from './pasis.options.js';

export const RAW_BODY_MESSAGE =
  '@pasis/nestjs: the webhook needs the raw request body to check signatures, but rawBody is not enabled. ' +
  'Create the app with NestFactory.create(AppModule, { rawBody: true }).';

type ParserRegistrar = { registerParserMiddleware?: (prefix?: string, rawBody?: boolean) => unknown };

/**
 * Serves the webhook route on the HTTP adapter itself, not as a controller: Nest's guards,
 * interceptors, pipes and exception filters never run for it, so a global auth guard
 * cannot refuse Pasis and a global filter cannot turn core's 500 into something else.
 * Every status is core's. (A controller would have needed its path rewritten at runtime
 * or an exemption on every guard; this keeps the app's own metadata untouched.)
 */
@Injectable()
export class PasisWebhookRoute implements OnModuleInit, OnApplicationBootstrap {
  /** What the app asked Nest for (`rawBody`), seen when Nest registers its body parsers. */
  private rawBodyRequested: boolean | undefined;

  constructor(
    private readonly host: HttpAdapterHost,
    @Inject(PASIS_MODULE_OPTIONS) private readonly options: PasisModuleOptions,
    @Inject(PASIS_WEBHOOKS) private readonly webhooks: WebhookHandler,
  ) {
    // Nest keeps `rawBody` private; the adapter is told it when the parsers are registered
    // (after providers are built, before onModuleInit), so listen there.
    const adapter = host.httpAdapter as unknown as ParserRegistrar | undefined;
    const register = adapter?.registerParserMiddleware;
    if (adapter && typeof register === 'function') {
      adapter.registerParserMiddleware = (prefix?: string, rawBody?: boolean) => {
        this.rawBodyRequested = rawBody === true;
        return register.call(adapter, prefix, rawBody);
      };
    }
  }

  get path(): string {
    return `/${(this.options.webhookPath ?? 'webhook').replace(/^\/+/, '')}`;
  }

  onModuleInit(): void {
    const adapter = this.host.httpAdapter;
    if (!adapter) return; // a standalone application context: no HTTP, no route
    if (adapter.getType() === 'fastify') this.registerFastify(adapter.getInstance());
    else adapter.post(this.path, (req: NodeWebhookRequest, res: ServerResponse) => this.serveNode(req, res));
  }

  onApplicationBootstrap(): void {
    // Body parsers ran without keeping the raw bytes: every delivery would fail; say so now.
    if (this.rawBodyRequested === false) throw new Error(RAW_BODY_MESSAGE);
  }

  private async serveNode(req: NodeWebhookRequest, res: ServerResponse): Promise<void> {
    try {
      const read = await readRawBody(req, this.webhooks.maxBodyBytes);
      write(res, await this.webhooks.handle({ ...toWebhookBody(read), headers: req.headers }));
    } catch {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    }
  }

  private registerFastify(fastify: FastifyLike): void {
    const limit = this.webhooks.maxBodyBytes;
    // An encapsulated child: there, and only there, every content type is read raw.
    fastify.register(async (child: FastifyLike) => {
      child.removeAllContentTypeParsers();
      child.addContentTypeParser('*', (_req: unknown, payload: IncomingMessage, done: Done) => {
        readRawBody(payload, limit).then((read) => done(null, read), done);
      });
      child.post(this.path, async (request: FastifyRequestLike, reply: FastifyReplyLike) => {
        const read = request.body ?? { kind: 'bytes' as const, body: Buffer.alloc(0) };
        const answer = await this.webhooks.handle({ ...toWebhookBody(read), headers: request.headers });
        return reply.code(answer.status).headers(answer.headers).send(answer.body);
      });
    });
  }
}

function write(res: ServerResponse, answer: WebhookResponse) {
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
}

// The few Fastify methods used, typed structurally: fastify is not a dependency.
type Done = (error: Error | null, body?: unknown) => void;
interface FastifyRequestLike {
  body?: Parameters<typeof toWebhookBody>[0];
  headers: NodeWebhookRequest['headers'];
}
interface FastifyReplyLike {
  code(status: number): FastifyReplyLike;
  headers(headers: Record<string, string>): FastifyReplyLike;
  send(body: string): unknown;
}
interface FastifyLike {
  register(plugin: (child: FastifyLike) => Promise<void>): unknown;
  removeAllContentTypeParsers(): void;
  addContentTypeParser(
    type: string,
    parser: (req: unknown, payload: IncomingMessage, done: Done) => void,
  ): void;
  post(
    path: string,
    handler: (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<unknown>,
  ): void;
}
