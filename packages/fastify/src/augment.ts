import type { PasisDecorator } from './plugin.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Added by `@pasis/fastify`. */
    pasis: PasisDecorator;
  }
}
