#!/usr/bin/env node
// The sandbox of the reconcile bench, in its own process (so that its event loop and the
// reconciler's never stall each other): first without a rate limit, for seeding; then, on
// the parent's 'limit' message, restarted on the same data dir with `--rate-limit`'s limiter.
// Messages out: { url, appId } after each start.
import { createSandbox } from '@pasis/sandbox';

const [dataDir, limit] = process.argv.slice(2);
const options = { dataDir, retrySchedule: [], webhook: 'lose' };
let sandbox = createSandbox(options);
let url = await sandbox.listen(0, '127.0.0.1');
const app = sandbox.registerApp({
  app_id: 'app_reconcile_bench',
  name: 'Backlog shop',
  callback_url: 'http://127.0.0.1:9/webhook',
  return_url: 'http://127.0.0.1:9/return',
});
process.send({ url, appId: app.app_id });
process.on('message', async (message) => {
  if (message === 'limit') {
    await sandbox.close();
    sandbox = createSandbox({ ...options, rateLimit: Number(limit) });
    url = await sandbox.listen(0, '127.0.0.1');
    process.send({ url, appId: app.app_id });
  } else if (message === 'exit') {
    await sandbox.close();
    process.exit(0);
  }
});
