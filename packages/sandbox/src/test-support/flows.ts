import { generateWebhookSecret } from '@pasis/core/testing';
import { createSandbox, type Sandbox, type SandboxOptions } from '../index.js';
import { type Receiver, startReceiver } from './receiver.js';

// biome-ignore lint/suspicious/noExplicitAny: answers are read loosely, each test asserts what it needs
export type Json = Record<string, any>;

/** A listening sandbox, one verified app, and a receiver built on core for its webhooks. */
export interface Rig {
  sandbox: Sandbox;
  receiver: Receiver;
  secret: string;
  appId: string;
  close(): Promise<void>;
}

export async function startRig(options: SandboxOptions = {}, appId = 'app_rig'): Promise<Rig> {
  const secret = generateWebhookSecret();
  const receiver = await startReceiver(secret);
  const sandbox = createSandbox({ retrySchedule: [], ...options });
  await sandbox.listen(0);
  sandbox.registerApp({
    name: 'Rig shop',
    app_id: appId,
    webhook_secret: secret,
    verified: true,
    callback_url: receiver.url,
    return_url: 'http://127.0.0.1:9/return',
  });
  return {
    sandbox,
    receiver,
    secret,
    appId,
    close: async () => {
      await receiver.close();
      await sandbox.close();
    },
  };
}

/** Creates a session of `appId` through the provider's endpoint; resolves with its id. */
export async function newSession(sandbox: Sandbox, appId: string, amount = 5000): Promise<string> {
  const res = await fetch(`${sandbox.url}/api/checkouts/initiate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({
      items: [{ name: 'Money Transfer', Amount: amount }],
      app_id: appId,
      email: 'c@mail.com',
    }),
  });
  if (res.status !== 200) throw new Error(`initiate answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { session_id: string }).session_id;
}

/** `POST /_sandbox/sessions/:id/complete` with a JSON body. */
export async function complete(
  sandbox: Pick<Sandbox, 'url'>,
  sessionId: string,
  body: object,
): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${sandbox.url}/_sandbox/sessions/${sessionId}/complete`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Json };
}

/** GET a JSON route of the sandbox. */
export async function getJson(sandbox: Sandbox, path: string): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${sandbox.url}${path}`, { headers: { accept: 'application/json' } });
  return { status: res.status, json: (await res.json()) as Json };
}

/** Resolves after `ms`: only ever used to show that something does NOT happen. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
