// The three Nest apps the Nest benchmarks compare, on whichever platform the server script
// boots them: @pasis/nestjs with an @OnPasisEvent handler (ours), a bare controller that
// takes the parsed JSON body (the baseline), and the least a verifying controller must do
// (the limit: the raw body Nest kept, one HMAC, a constant-time compare; the JSON body Nest
// already parsed counts as the parse). Plain .mjs has no decorator syntax, so decorators are
// applied as functions.
import 'reflect-metadata';
import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  Body,
  Controller,
  HttpCode,
  Injectable,
  Module,
  Post,
  Req,
  UnauthorizedException,
} from '@nestjs/common';
import { silentLogger } from '@pasis/core';
import { OnPasisEvent, PasisModule } from '@pasis/nestjs';

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
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    class Hooks {
      receive(req) {
        const h = req.headers;
        const expected = createHmac('sha256', key)
          .update(`${h['webhook-id']}.${h['webhook-timestamp']}.`)
          .update(req.rawBody)
          .digest();
        const given = Buffer.from(String(h['webhook-signature']).slice(3), 'base64');
        if (given.length !== expected.length || !timingSafeEqual(given, expected))
          throw new UnauthorizedException();
        return { ok: typeof req.body === 'object' };
      }
    }
    method(Hooks, 'receive', [Post(), HttpCode(200)]);
    Req()(Hooks.prototype, 'receive', 0);
    Controller('webhook')(Hooks);
    Module({ controllers: [Hooks] })(AppModule);
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
