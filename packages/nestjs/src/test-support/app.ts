import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';

export type Platform = 'express' | 'fastify';
export const PLATFORMS: Platform[] = ['express', 'fastify'];

export interface BootOptions {
  rawBody?: boolean;
  /** Runs after create(), before listen(): setGlobalPrefix, app.use(), … */
  setup?: (app: INestApplication) => void;
  /** An adapter of one's own (e.g. over an Express app with its own middleware). */
  adapter?: ExpressAdapter | FastifyAdapter;
}

/** Boots a real Nest app on 127.0.0.1:0 on the given platform; returns it and its URL. */
export async function boot(
  module: unknown,
  platform: Platform,
  options: BootOptions = {},
): Promise<{ app: INestApplication; url: string }> {
  const adapter = options.adapter ?? (platform === 'express' ? new ExpressAdapter() : new FastifyAdapter());
  const app = await NestFactory.create(module as never, adapter, {
    ...(options.rawBody === undefined ? {} : { rawBody: options.rawBody }),
    logger: false,
    abortOnError: false,
  });
  try {
    options.setup?.(app);
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await app.close();
    throw error;
  }
  const { port } = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${port}` };
}
