// The adapter conformance suite from @pasis/core/testing, on Nest with platform-express and
// platform-fastify.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { WebhookHandlerOptions } from '@pasis/core';
import { describeAdapterConformance } from '@pasis/core/testing';
import express from 'express';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { PasisModule } from './index.js';
import { type BootOptions, boot, PLATFORMS } from './test-support/app.js';

function appModule(options: WebhookHandlerOptions) {
  @Module({ imports: [PasisModule.forRoot({ logger: options.logger, webhook: options })] })
  class ConformanceModule {}
  return ConformanceModule;
}

async function start(
  platform: (typeof PLATFORMS)[number],
  options: WebhookHandlerOptions,
  boot_: BootOptions = {},
) {
  const { app, url } = await boot(appModule(options), platform, boot_);
  return { url: `${url}/webhook`, close: () => app.close() };
}

for (const platform of PLATFORMS) {
  describeAdapterConformance(
    { describe, it, beforeAll, afterAll },
    {
      name: `Nest on platform-${platform}`,
      start: (options) => start(platform, options),
      startBehindParser: (options) =>
        platform === 'express'
          ? // A parser mounted on the Express app before Nest got it: the one place it can run first.
            start(platform, options, { adapter: new ExpressAdapter(express().use(express.json())) })
          : // An Express parser through Nest's app.use() (@fastify/middie) reads the raw stream first.
            start(platform, options, { setup: (app) => app.use(express.json()) }),
    },
  );
}
