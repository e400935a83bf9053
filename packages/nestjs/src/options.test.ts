// PasisModule takes core's vocabulary: every mistake is a config_error naming @pasis/nestjs
// at start-up, with the new place of every renamed option.
import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { isPasisError, silentLogger } from '@pasis/core';
import { generateWebhookSecret } from '@pasis/core/testing';
import { describe, expect, it, vi } from 'vitest';
import { PasisClient, PasisModule, type PasisModuleOptions } from './index.js';

const secret = generateWebhookSecret();

async function startupError(options: unknown): Promise<string> {
  const error = await Test.createTestingModule({
    imports: [PasisModule.forRoot(options as PasisModuleOptions)],
  })
    .compile()
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  if (!isPasisError(error, 'config_error')) throw new Error(`expected a config_error, got ${String(error)}`);
  return error.message;
}

describe('PasisModule options', () => {
  it.each([
    [{ webhookSecret: secret }, /^@pasis\/nestjs: `webhookSecret` is now `webhook.secret`\.$/],
    [{ webhookSecrets: [secret] }, /^@pasis\/nestjs: `webhookSecrets` is now `webhook.secrets`\.$/],
    [{ webhookPath: 'webhook' }, /^@pasis\/nestjs: `webhookPath` is now `webhook.path`\.$/],
    [{ store: {} }, /^@pasis\/nestjs: `store` is a webhook option: pass it as `webhook: \{ store \}`\.$/],
    [{ webhook: { secret, path: 'webhook' } }, /^@pasis\/nestjs: path must be an absolute path/],
    [{ webhook: { secret, toleranceSec: -1 } }, /^@pasis\/nestjs: toleranceSec must be/],
    [{ webhook: { secret, handlers: {} } }, /^@pasis\/nestjs: unknown webhook option `handlers`: use on/],
    [{ webhook: { secret: 'whsec_short' } }, /^@pasis\/nestjs: The webhook secret/],
    [{ maxRetries: 99 }, /^@pasis\/nestjs: maxRetries must be an integer from 0 to 10/],
    [{ logger: console.log }, /^@pasis\/nestjs: logger must have/],
  ])('refuses %j at start-up', async (options, message) => {
    expect(await startupError({ logger: silentLogger, ...options })).toMatch(message);
  });

  it('builds the client from core options; without an appId it says so on use', async () => {
    vi.stubEnv('PASIS_APP_ID', '');
    const moduleRef = await Test.createTestingModule({
      imports: [PasisModule.forRoot({ logger: silentLogger, webhook: { secret } })],
    }).compile();
    expect(() => moduleRef.get(PasisClient).checkout).toThrow(
      /^@pasis\/nestjs: PasisClient is not configured.*PASIS_APP_ID/,
    );
    vi.unstubAllEnvs();
    const configured = await Test.createTestingModule({
      imports: [
        PasisModule.forRoot({
          appId: 'app_1',
          timeoutMs: 5000,
          maxRetries: 0,
          logger: silentLogger,
          webhook: false,
        }),
      ],
    }).compile();
    expect(typeof configured.get(PasisClient).checkout.sessions.create).toBe('function');
  });
});
