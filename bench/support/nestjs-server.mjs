// A server process: a Nest app (platform-express) answering POST /webhook, either with
// @pasis/nestjs (ours) or with a bare controller that parses JSON (the baseline).
// Plain .mjs has no decorator syntax, so decorators are applied as functions.
import 'reflect-metadata';
import { ready, serverData } from './server-process.mjs';
import { Body, Controller, HttpCode, Injectable, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { silentLogger } from '@pasis/core';
import { OnPasisEvent, PasisModule } from '@pasis/nestjs';

const method = (cls, name, decorators) =>
  Reflect.decorate(decorators, cls.prototype, name, Object.getOwnPropertyDescriptor(cls.prototype, name));

class AppModule {}
if (serverData.side === 'ours') {
  class Orders {
    handled = 0;
    settle() {
      this.handled++;
    }
  }
  method(Orders, 'settle', [OnPasisEvent('session:processed')]);
  Injectable()(Orders);
  Module({
    imports: [PasisModule.forRoot({ logger: silentLogger, webhook: { secret: serverData.secret } })],
    providers: [Orders],
  })(AppModule);
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
// rawBody: ours no longer needs it (the webhook reads its own bytes ahead of Nest's parsers);
// kept on both sides, as in earlier runs, so that the ratios compare across runs.
const app = await NestFactory.create(AppModule, { rawBody: true, logger: false });
await app.listen(0, '127.0.0.1');
ready(app.getHttpServer().address().port);
