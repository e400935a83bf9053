// The adapter conformance suite from @pasis/core/testing, on Fastify 5.
import middie from '@fastify/middie';
import { describeAdapterConformance } from '@pasis/core/testing';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, it } from 'vitest';
import pasis from './index.js';

async function listen(app: FastifyInstance) {
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: `${url}/webhook`, close: () => app.close() };
}

describeAdapterConformance(
  { describe, it, beforeAll, afterAll },
  {
    name: 'Fastify',
    start: async (options) => {
      const app = Fastify();
      await app.register(pasis, { webhook: options });
      return listen(app);
    },
    // Fastify parses bodies itself, per route; a parser that runs first is an Express
    // middleware through @fastify/middie, which reads the raw stream before any route.
    startBehindParser: async (options) => {
      const app = Fastify();
      await app.register(middie);
      app.use(express.json());
      await app.register(pasis, { webhook: options });
      return listen(app);
    },
  },
);
