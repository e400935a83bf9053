/**
 * What a data dir refuses, and how its files survive a crash: real files in temporary
 * directories, and a real `pasis sandbox` process killed with SIGKILL.
 */
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPasisError } from '@pasis/core';
import { generateWebhookSecret } from '@pasis/core/testing';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from './index.js';
import type { SandboxApp } from './model.js';
import { DATA_FILES } from './store/database.js';
import { SandboxStore } from './store/sandbox-store.js';
import { assertBuilt, runSandbox } from './test-support/cli.js';
import { complete, newSession } from './test-support/flows.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pasis-data-dir-test-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const app = (name = 'Disk shop'): SandboxApp => ({
  app_id: 'app_disk',
  name,
  callback_url: 'http://127.0.0.1:9/w',
  return_url: 'http://127.0.0.1:9/r',
  webhook_secret: generateWebhookSecret(),
  verified: true,
  approved_numbers: [],
  created_at: '2025-09-11T09:00:00Z',
});

/** A data dir written by a sandbox that saved one app and then closed. */
function dirWithOneApp(): string {
  const dir = tempDir();
  const store = new SandboxStore(dir);
  store.saveApp(app());
  store.close();
  return dir;
}

function refused(dataDir: string, pattern: RegExp): string {
  let error: unknown;
  try {
    createSandbox({ dataDir }).close();
  } catch (caught) {
    error = caught;
  }
  expect(isPasisError(error, 'config_error')).toBe(true);
  const { message } = error as Error;
  expect(message).toMatch(/^@pasis\/sandbox: /);
  expect(message).toContain(dataDir);
  expect(message).toMatch(pattern);
  return message;
}

/** Call before a refusal, then call what it returns: every file is as it was, byte for byte. */
function unchanged(dir: string) {
  const files = () =>
    Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name))]));
  const before = files();
  return () => expect(files()).toEqual(before);
}

const log = (dir: string) => join(dir, DATA_FILES.log);
const snapshot = (dir: string) => join(dir, DATA_FILES.snapshot);

describe('a data dir it refuses, unchanged', () => {
  it('refuses files that are not a sandbox’s', () => {
    const dir = tempDir();
    writeFileSync(snapshot(dir), 'not a data file at all\n'.repeat(50));
    const check = unchanged(dir);
    refused(dir, /snapshot\.jsonl is not a sandbox data file/);
    check();
    const other = tempDir();
    writeFileSync(log(other), '{"format":"another-tool","version":1}\n');
    const checkOther = unchanged(other);
    refused(other, /log\.jsonl is not a sandbox data file/);
    checkOther();
  });

  it('refuses a record whose checksum does not match (one character changed), in the log or the snapshot', () => {
    const dir = dirWithOneApp();
    writeFileSync(log(dir), readFileSync(log(dir), 'utf8').replace('Disk shop', 'Disk shoq'));
    const check = unchanged(dir);
    refused(dir, /log\.jsonl is damaged \(line 2: its checksum does not match\)/);
    check();

    const again = dirWithOneApp();
    new SandboxStore(again).close(); // folds the log into the snapshot
    expect(readFileSync(snapshot(again), 'utf8')).toContain('Disk shop');
    writeFileSync(snapshot(again), readFileSync(snapshot(again), 'utf8').replace('Disk shop', 'Disk shoq'));
    const checkAgain = unchanged(again);
    refused(again, /snapshot\.jsonl is damaged/);
    checkAgain();
  });

  it('refuses a complete last line that is garbage: damage, not a torn write', () => {
    const dir = dirWithOneApp();
    appendFileSync(log(dir), 'ZZZZZZZZZZZZZZZZZZZZZZZZ\n');
    const check = unchanged(dir);
    refused(dir, /log\.jsonl is damaged \(line 3/);
    check();
  });

  it('refuses files of a newer format version', () => {
    const dir = dirWithOneApp();
    const text = readFileSync(log(dir), 'utf8');
    writeFileSync(log(dir), text.replace('"version":1', '"version":99'));
    const check = unchanged(dir);
    refused(dir, /format version 99, newer than this release understands \(1\).*upgrade @pasis\/sandbox/);
    check();
  });

  it('refuses the sandbox.sqlite of an earlier release, saying how to start afresh', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'sandbox.sqlite'), 'SQLite format 3\u0000');
    const check = unchanged(dir);
    const message = refused(dir, /sandbox\.sqlite/);
    expect(message).toContain(join(dir, 'sandbox.sqlite'));
    expect(message).toMatch(/delete .*sandbox\.sqlite \(or the whole data dir\) to start afresh/);
    check();
  });

  it('refuses a data dir another sandbox of this process uses, a file, and one the file system refuses', async () => {
    const dir = tempDir();
    const running = createSandbox({ dataDir: dir });
    refused(dir, /in use by another sandbox \(in this process/);
    await running.close();
    createSandbox({ dataDir: dir }).close(); // free again
    const file = join(tempDir(), 'plain-file');
    writeFileSync(file, '');
    refused(file, /cannot be used/);
    const odd = tempDir();
    mkdirSync(join(odd, DATA_FILES.lock)); // what the file system refuses is a config_error too
    refused(odd, /cannot be used: EISDIR/);
  });
});

describe('a crash', () => {
  it('keeps a transaction whole: a record cut short by a crash is left out, with both its rows', () => {
    const dir = dirWithOneApp();
    const store = new SandboxStore(dir);
    store.transaction(() => {
      store.saveApp({ ...app('Renamed'), app_id: 'app_disk' });
      store.saveApp({ ...app('Second'), app_id: 'app_second' });
    });
    store.close();
    const text = readFileSync(log(dir), 'utf8');
    expect(text.trim().split('\n')).toHaveLength(2); // the header, and ONE record for both rows
    writeFileSync(log(dir), text.slice(0, -40)); // the crash came mid-write
    const after = new SandboxStore(dir);
    cleanups.push(() => after.close());
    expect([...after.apps.values()].map((a) => a.name)).toEqual(['Disk shop']);
    // Folded into a fresh snapshot on open: the torn tail is gone for good.
    expect(readFileSync(log(dir), 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('folds a log grown well past the live data into the snapshot, and loses nothing', () => {
    const dir = tempDir();
    const store = new SandboxStore(dir);
    const big = 'x'.repeat(1000);
    store.transaction(() => {
      for (let i = 0; i < 1500; i++) store.saveApp(app(`${big} ${i}`));
    });
    store.saveApp(app('Last name'));
    store.close();
    expect(statSync(log(dir)).size).toBeLessThan(1000); // the 1.5 MB record was folded away
    const again = new SandboxStore(dir);
    cleanups.push(() => again.close());
    expect([...again.apps.values()].map((a) => a.name)).toEqual(['Last name']);
  });
});

describe('the files', () => {
  it('makes the data dir and its files owner-only', () => {
    const parent = tempDir();
    const dir = join(parent, 'nested', 'data');
    const store = new SandboxStore(dir);
    store.saveApp(app());
    const mode = (path: string) => statSync(path).mode & 0o777;
    expect(mode(dir)).toBe(0o700);
    for (const name of Object.values(DATA_FILES))
      expect([name, mode(join(dir, name))]).toEqual([name, 0o600]);
    store.close();
    mkdirSync(join(parent, 'existing'), { mode: 0o755 });
    new SandboxStore(join(parent, 'existing')).close();
    expect(mode(join(parent, 'existing'))).toBe(0o755); // a dir the user made is theirs
  });
});

describe('a sandbox process on the data dir (real processes)', () => {
  beforeAll(assertBuilt);

  it('is refused while it runs; once killed with SIGKILL its lock does not block, and its writes are kept', async () => {
    const dir = tempDir();
    const cli = await runSandbox(['--data-dir', dir, '--app-id', 'app_kill', '--webhook', 'lose']);
    cleanups.push(() => cli.stop('SIGKILL'));
    expect(cli.url, cli.out).toBeDefined();
    const sandbox = { url: cli.url! } as never;
    const sessionId = await newSession(sandbox, 'app_kill');
    expect((await complete(sandbox, sessionId, { status: 'success' })).status).toBe(200);

    refused(dir, new RegExp(`in use by another sandbox \\(process ${cli.pid}`));
    const killed = await cli.stop('SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    expect(JSON.parse(readFileSync(join(dir, DATA_FILES.lock), 'utf8')).pid).toBe(cli.pid); // left behind

    const next = createSandbox({ dataDir: dir });
    cleanups.push(() => next.close());
    expect(next.store.sessions.get(sessionId)?.status).toBe('success');
    expect([...next.store.deliveries.values()]).toEqual([expect.objectContaining({ state: 'lost' })]);
  });
});
