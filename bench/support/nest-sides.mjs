// The three Nest apps the Nest benchmarks compare, on whichever platform the server script
// boots them: @pasis/nestjs with an @OnPasisEvent handler (ours), a bare controller that
// takes the parsed JSON body (the baseline), and the least a verifying receiver must do (the
// limit, limits.mjs), mounted where @pasis/nestjs mounts its route: on the Express app ahead
// of Nest's body parsers, or as an encapsulated Fastify route. Plain .mjs has no decorator
// syntax, so decorators are applied as functions.
import 'reflect-metadata';
import { Body, Controller, HttpCode, Injectable, Module, Post } from '@nestjs/common';
import { silentLogger } from '@pasis/core';
import { OnPasisEvent, PasisModule } from '@pasis/nestjs';
import { nodeLimit, registerFastifyLimit } from './limits.mjs';

const method = (cls, name, decorators) =>
  Reflect.decorate(decorators, cls.prototype, name, Object.getOwnPropertyDescriptor(cls.prototype, name));

/** The root module of `side` ('ours' | 'baseline' | 'limit'), for webhooks signed with `secret`. */
export function nestModule(side, secret) {
  class AppModule {}
  if (side === 'ours') {
    class Orders {
      handled = 0;
      settle() {
        this.handled++;
      }
    }
    method(Orders, 'settle', [OnPasisEvent('session:processed')]);
    Injectable()(Orders);
    Module({
      imports: [PasisModule.forRoot({ logger: silentLogger, webhook: { secret } })],
      providers: [Orders],
    })(AppModule);
  } else if (side === 'limit') {
    // No controller: the limit is mounted on the HTTP adapter's own app (mountLimit), where ours is.
    Module({})(AppModule);
  } else {
    class Hooks {
      receive(body) {
        return { ok: typeof body === 'object' };
      }
    }
    method(Hooks, 'receive', [Post(), HttpCode(200)]);
    Body()(Hooks.prototype, 'receive', 0);
    Controller('webhook')(Hooks);
    Module({ controllers: [Hooks] })(AppModule);
  }
  return AppModule;
}

/**
 * Mounts the limit on a created (not yet listening) Nest app: before `listen()` runs
 * `init()`, so on Express it comes ahead of the body parsers Nest adds there.
 */
export async function mountLimit(app, secret) {
  const adapter = app.getHttpAdapter();
  if (adapter.getType() === 'fastify') await registerFastifyLimit(adapter.getInstance(), secret);
  else adapter.getInstance().use(nodeLimit(secret));
}
