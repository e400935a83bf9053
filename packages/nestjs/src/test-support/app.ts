import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';

export type Platform = 'express' | 'fastify';

/** Boots a real Nest app on 127.0.0.1:0 on the given platform; returns it and its URL. */
export async function boot(
  module: unknown,
  platform: Platform,
  options: { rawBody?: boolean; setup?: (app: INestApplication) => void } = {},
): Promise<{ app: INestApplication; url: string }> {
  const adapter = platform === 'express' ? new ExpressAdapter() : new FastifyAdapter();
  const app = await NestFactory.create(module as never, adapter, {
    rawBody: options.rawBody ?? true,
    logger: false,
    abortOnError: false,
  });
  options.setup?.(app);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${port}` };
}
