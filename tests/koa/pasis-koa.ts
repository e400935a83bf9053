import { createWebhookHandler, type WebhookRouteOptions } from '@pasis/core';
import { splitRouteOptions } from '@pasis/core/adapter';
import { readRawBody } from '@pasis/core/node';
import type { Middleware } from 'koa';

const RAW_BODY_HINT =
  '@pasis/koa: mount pasisKoa() before any body parser: signatures are over the raw bytes.';

/** Pasis webhooks for Koa: answers POST <path> (default /webhook), passes everything else on. */
export function pasisKoa(options?: WebhookRouteOptions): Middleware {
  // Core validates every option and names this package in its errors.
  const { path, options: handlerOptions } = splitRouteOptions(options, '@pasis/koa');
  const webhooks = createWebhookHandler(handlerOptions, { name: '@pasis/koa', rawBodyHint: RAW_BODY_HINT });

  return async (ctx, next) => {
    if (ctx.method !== 'POST' || ctx.path !== path) return next();
    // The raw bytes, bounded by maxBodyBytes; a stream a body parser already read is answered, never waited on.
    const read = await readRawBody(ctx.req, webhooks.maxBodyBytes);
    // Core decides everything, what reading came to included; the adapter only copies its answer to the wire.
    const { status, headers, body } = await webhooks.handle({ read, headers: ctx.headers });
    ctx.status = status;
    ctx.set(headers);
    ctx.body = body;
  };
}
