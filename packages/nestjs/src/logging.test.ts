// Where the Nest module logs: the `logger` given; else, for deliveries on platform-fastify,
// Fastify's request.log when Fastify logs; else Nest's Logger. Never the secret.
import 'reflect-metadata';
import { Writable } from 'node:stream';
import { type INestApplication, type LoggerService, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { type PasisLogger, silentLogger, type WebhookReceiver } from '@pasis/core';
import { createTestEvent, generateWebhookSecret, signWebhook } from '@pasis/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { PASIS_WEBHOOKS, PasisModule, type PasisModuleOptions } from './index.js';

const secret = generateWebhookSecret();
const wrongSignature = () =>
  signWebhook(createTestEvent({ session_id: 'sess_l', amount: 1 }), { secret: generateWebhookSecret() });

let current: INestApplication | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

function moduleWith(options: PasisModuleOptions) {
  @Module({ imports: [PasisModule.forRoot(options)] })
  class LoggingModule {}
  return LoggingModule;
}

async function start(
  module: unknown,
  adapter: ExpressAdapter | FastifyAdapter,
  logger: LoggerService | false = false,
) {
  current = await NestFactory.create(module as never, adapter, { logger, abortOnError: false });
  await current.listen(0, '127.0.0.1');
  const { port } = current.getHttpServer().address() as { port: number };
  const { body, headers } = wrongSignature();
  await fetch(`http://127.0.0.1:${port}/webhook`, { method: 'POST', body, headers });
}

function nestLines(): { lines: string[]; service: LoggerService } {
  const lines: string[] = [];
  const keep = (message: unknown, context?: unknown) =>
    void lines.push(`${String(context)}: ${String(message)}`);
  return { lines, service: { log: keep, warn: keep, error: keep, debug: keep, verbose: keep } };
}

describe('PasisModule logging', () => {
  it('logs to the `logger` given, on both platforms', async () => {
    for (const adapter of [new ExpressAdapter(), new FastifyAdapter()]) {
      const seen: string[] = [];
      const logger: PasisLogger = { ...silentLogger, warn: (message) => void seen.push(message) };
      await start(moduleWith({ logger, webhook: { secret } }), adapter);
      expect(seen).toEqual(['Pasis webhook rejected: no_matching_signature']);
      await current?.close();
    }
  });

  it("logs through Nest's Logger by default (Fastify's logger is off under Nest)", async () => {
    for (const adapter of [new ExpressAdapter(), new FastifyAdapter()]) {
      const { lines, service } = nestLines();
      await start(moduleWith({ webhook: { secret } }), adapter, service);
      // The line carries structured fields (delivery id, outcome, code) after its message.
      const rejected = lines.find((line) =>
        line.startsWith('Pasis: Pasis webhook rejected: no_matching_signature'),
      );
      expect(rejected).toContain('"code":"no_matching_signature"');
      expect(lines.join('\n')).not.toContain(secret.slice('whsec_'.length));
      await current?.close();
    }
  });

  it("logs each delivery through Fastify's request.log when Fastify logs", async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    await start(
      moduleWith({ webhook: { secret } }),
      new FastifyAdapter({ logger: { level: 'info', stream } }),
    );
    const rejected = lines
      .map((line) => JSON.parse(line))
      .find((line) => String(line.msg).includes('rejected'));
    expect(rejected).toMatchObject({ reqId: expect.any(String), code: 'no_matching_signature' });
  });

  it('exposes the receiver as PASIS_WEBHOOKS, and null with `webhook: false`', async () => {
    await start(moduleWith({ logger: silentLogger, webhook: { secret } }), new ExpressAdapter());
    expect(typeof current?.get<WebhookReceiver>(PASIS_WEBHOOKS).receive).toBe('function');
    await current?.close();
    await start(moduleWith({ logger: silentLogger, appId: 'app_1', webhook: false }), new ExpressAdapter());
    expect(current?.get(PASIS_WEBHOOKS)).toBeNull();
  });
});
