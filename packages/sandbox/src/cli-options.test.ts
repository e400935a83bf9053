/**
 * The `pasis sandbox` flags of the hardening, approval and rate-limit work, on the built
 * binary: each reaches the running sandbox, and a bad value is one line and exit 2.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, pasis, runSandbox } from './test-support/cli.js';
import { raw } from './test-support/raw.js';

beforeAll(assertBuilt);

describe('pasis sandbox --allowed-host', () => {
  let sandbox: Awaited<ReturnType<typeof runSandbox>>;
  beforeAll(async () => {
    sandbox = await runSandbox([
      '--in-memory',
      '--allowed-host',
      'sandbox',
      '--allowed-host',
      'shop.test:8080',
    ]);
  });
  afterAll(() => sandbox?.stop());

  it('answers those Hosts besides its own, and 421 to any other', async () => {
    const url = sandbox.url!;
    const port = new URL(url).port;
    const status = async (host: string) => (await raw(url, '/_sandbox/apps', { headers: { host } })).status;
    expect(await status('sandbox:4010')).toBe(200);
    expect(await status('shop.test:8080')).toBe(200);
    expect(await status(`localhost:${port}`)).toBe(200);
    expect(await status('shop.test:8081')).toBe(421);
    expect(await status(`evil.example:${port}`)).toBe(421);
  });

  it('refuses a value that is not a host, in one line with exit 2', async () => {
    const run = await pasis(['sandbox', '--in-memory', '--port', '0', '--allowed-host', 'a/b']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      'pasis sandbox: --allowed-host "a/b" is not a host name: write a name or address, optionally with :port\nRun `pasis sandbox --help` for the options.\n',
    );
  });
});
