import type { PasisLogger } from '../../logging/logger.js';
import { generateWebhookSecret } from '../../webhooks/secret.js';
import type { WebhookContext, WebhookHandlerOptions } from '../../webhooks/types.js';
import { signWebhook } from '../signing/sign.js';
import { assertCoreAnswer, type HttpAnswer, type Outgoing, post } from './http.js';
import { CONFORMANCE_MAX_BODY_BYTES } from './limits.js';
import { type RecordingLogger, recordingLogger } from './recording-logger.js';
import { type ReferenceReceivers, referenceReceivers } from './reference.js';

/** What one handler call saw. */
export interface HandlerCall {
  event: unknown;
  ctx: WebhookContext;
}

/** A delivery the suite sends: the signed request, and the event it carries. */
export interface SuiteDelivery extends Outgoing {
  body: string;
  headers: Record<string, string> & { 'webhook-id': string };
  event: Record<string, unknown>;
}

/**
 * The state one run of the suite shares between its cases: the secret, the handler's calls
 * and per-delivery behaviour, the logger, the server, and core's reference answers.
 */
export interface Suite {
  adapterName: string;
  secret: string;
  log: RecordingLogger;
  /** What the adapter under test is started with; its handler records every call. */
  options(logger?: PasisLogger): WebhookHandlerOptions;
  /** Makes the handler do `behaviour` for the delivery with this id (throw, wait, …). */
  behave(id: string, behaviour: (call: HandlerCall) => unknown): void;
  callsFor(id: string): HandlerCall[];
  /** A fresh signed `session:processed` delivery (a new id and session each time). */
  delivery(overrides?: object, sign?: { secret?: string; id?: string }): SuiteDelivery;
  /** POSTs to the running adapter. */
  send(outgoing: Outgoing): Promise<HttpAnswer>;
  /** Asserts the answer is exactly what core answers to the same request in that situation. */
  expectCore(answer: HttpAnswer, sent: Outgoing, situation?: keyof ReferenceReceivers): Promise<void>;
  reference: ReferenceReceivers;
  server: { url: string } | undefined;
}

/** What `handle` takes for an outgoing request, as the adapter should have built it. */
function toRequest(outgoing: Outgoing) {
  return { body: outgoing.body ?? (outgoing.chunks ?? []).join(''), headers: outgoing.headers };
}

/** A fresh {@link Suite} for one adapter. */
export function createSuite(adapterName: string): Suite {
  const secret = generateWebhookSecret();
  const calls: HandlerCall[] = [];
  const behaviours = new Map<string, (call: HandlerCall) => unknown>();
  const log = recordingLogger();
  let sequence = 0;
  const suite: Suite = {
    adapterName,
    secret,
    log,
    reference: referenceReceivers(secret),
    server: undefined,
    options: (logger = log.logger) => ({
      secret,
      maxBodyBytes: CONFORMANCE_MAX_BODY_BYTES,
      logger,
      on: (event, ctx) => {
        const call = { event, ctx };
        calls.push(call);
        return behaviours.get(ctx.deliveryId)?.(call);
      },
    }),
    behave: (id, behaviour) => void behaviours.set(id, behaviour),
    callsFor: (id) => calls.filter((call) => call.ctx.deliveryId === id),
    delivery(overrides = {}, sign = {}) {
      const n = ++sequence;
      const event = {
        kind: 'session:processed',
        session_id: `sess_conf_${n}`,
        amount: 5000,
        status: 'success',
      };
      const signed = signWebhook({ ...event, ...overrides }, { secret, id: `msg_conf_${n}`, ...sign });
      return { event, body: signed.body, headers: signed.headers };
    },
    send(outgoing) {
      if (!suite.server) throw new Error('the adapter under test did not start');
      return post(suite.server.url, outgoing);
    },
    async expectCore(answer, sent, situation = 'plain') {
      assertCoreAnswer(answer, await suite.reference[situation].handle(toRequest(sent)), adapterName);
    },
  };
  return suite;
}
