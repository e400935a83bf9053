/**
 * The shop-kit's own rules: the environment (read once, checked, never echoing a value),
 * where the database is, and the PGlite data dir's one-process lock.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isPasisError } from '@pasis/core';
import {
  databaseLocation,
  describeLocation,
  lockDataDir,
  loggableError,
  readShopEnv,
  unsupportedBody,
} from '@pasis/example-shop-kit';
import { afterEach, describe, expect, it } from 'vitest';

const base = { PASIS_APP_ID: 'app_1', PASIS_WEBHOOK_SECRET: 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0' };

function configError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isPasisError(error, 'config_error')) return error.message;
    throw error;
  }
  throw new Error('no error');
}

describe('readShopEnv', () => {
  it('applies the defaults of CONTRACT §5; an empty value is unset; 0 turns the reconciler off', () => {
    expect(readShopEnv(base)).toMatchObject({
      PORT: 3000,
      PASIS_BASE_URL: 'https://checkout.pasis.rw',
      RECONCILE_AFTER_MS: 60_000,
      RECONCILE_INTERVAL_MS: 60_000,
      RETURN_CHECK_INTERVAL_MS: 5_000,
    });
    const env = readShopEnv({ ...base, DATABASE_URL: '', SHOP_DATA_DIR: '', RECONCILE_INTERVAL_MS: '0' });
    expect(env).toMatchObject({
      DATABASE_URL: undefined,
      SHOP_DATA_DIR: undefined,
      RECONCILE_INTERVAL_MS: 0,
    });
  });

  it('refuses mistakes with a config_error naming every variable at fault, and no value', () => {
    const message = configError(() =>
      readShopEnv({
        PASIS_WEBHOOK_SECRET: 'sk_live_do_not_print_me',
        DATABASE_URL: 'mysql://shop:hunter2@db/shop',
        RECONCILE_AFTER_MS: '-1',
      }),
    );
    expect(message).toMatch(/^@pasis\/example-shop-kit: /);
    for (const name of ['PASIS_APP_ID', 'PASIS_WEBHOOK_SECRET', 'DATABASE_URL', 'RECONCILE_AFTER_MS']) {
      expect(message).toContain(name);
    }
    expect(message).not.toMatch(/do_not_print_me|hunter2/);
  });
});

describe('where the orders live', () => {
  const shop = { folder: '/srv/shop/', framework: 'express' };

  it('PostgreSQL at DATABASE_URL, else PGlite in .data/<framework> of the shop or SHOP_DATA_DIR', () => {
    expect(databaseLocation({ DATABASE_URL: 'postgres://db/shop' }, shop)).toEqual({
      kind: 'postgresql',
      url: 'postgres://db/shop',
    });
    expect(databaseLocation({}, shop)).toEqual({ kind: 'pglite', dataDir: '/srv/shop/.data/express' });
    expect(databaseLocation({ SHOP_DATA_DIR: 'var/orders' }, shop)).toEqual({
      kind: 'pglite',
      dataDir: resolve('var/orders'),
    });
  });

  it('says where without the password (nor the query, which may carry keys)', () => {
    const text = describeLocation({
      kind: 'postgresql',
      url: 'postgres://shop:hunter2@db:5432/shop?sslkey=/k',
    });
    expect(text).toBe('PostgreSQL at postgres://shop@db:5432/shop');
  });
});

describe('lockDataDir', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const freshDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'pasis-lock-'));
    dirs.push(dir);
    return dir;
  };

  it('refuses a second holder while the first runs, and lets it go on unlock', () => {
    const dir = freshDir();
    const unlock = lockDataDir(dir);
    expect(configError(() => lockDataDir(dir))).toMatch(
      new RegExp(`in use by another shop process \\(pid ${process.pid}\\)`),
    );
    unlock();
    lockDataDir(dir)();
  });

  it('takes over the lock of a process that is gone (killed, crashed)', () => {
    const dir = freshDir();
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!; // has exited
    writeFileSync(join(dir, 'shop.lock'), `${gone}\n`);
    const unlock = lockDataDir(dir);
    expect(configError(() => lockDataDir(dir))).toContain(`pid ${process.pid}`);
    unlock();
  });
});

describe('the HTTP layer', () => {
  it('reads JSON and forms in UTF-8 only; a request without a body passes', () => {
    const body = { 'content-length': '12' };
    for (const type of [
      'application/json',
      'application/JSON; charset=UTF-8',
      'application/x-www-form-urlencoded',
    ]) {
      expect(unsupportedBody({ ...body, 'content-type': type })).toBeUndefined();
    }
    for (const type of [
      'text/plain',
      'application/json; charset=latin1',
      'multipart/form-data; boundary=x',
      '',
    ]) {
      expect(unsupportedBody({ ...body, 'content-type': type })).toMatchObject({ status: 415 });
    }
    expect(unsupportedBody(body)).toMatchObject({ status: 415 });
    expect(unsupportedBody({ 'transfer-encoding': 'chunked' })).toMatchObject({ status: 415 });
    expect(unsupportedBody({ 'content-type': 'text/plain' })).toBeUndefined();
  });

  it('logs an error with e-mail addresses and phone numbers masked, and nothing else of it', () => {
    const error = Object.assign(
      new Error('insert failed for leak.me@example.rw (0780000001, +250 788 123 456)'),
      {
        code: '23505',
        body: '{"email":"leak.me@example.rw"}',
      },
    );
    const logged = loggableError(error);
    expect(logged).toMatchObject({
      name: 'Error',
      code: '23505',
      message: 'insert failed for [email] ([phone], [phone])',
    });
    expect(JSON.stringify(logged)).not.toMatch(/leak\.me|0780000001|788 123/);
    expect(Object.keys(logged).sort()).toEqual(['code', 'message', 'name', 'stack']);
  });
});
