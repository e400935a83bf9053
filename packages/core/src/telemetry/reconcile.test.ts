/**
 * Reconciler runs under the OpenTelemetry SDK (in-memory exporters), against the local §1b
 * server: each run and each check is a span, and the retrieves and the events it receives
 * are its children.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { drive, reconcilerHarness } from '../reconcile/test-support/harness.js';
import { type SessionServer, startSessionServer } from '../testing/peers/session-server.js';
import { createTestOtel, parentOf, pointWith, type TestOtel, useAsyncContext } from './test-support/otel.js';

let pasis: SessionServer;
let otel: TestOtel;
beforeAll(async () => {
  useAsyncContext();
  pasis = await startSessionServer();
});
afterAll(() => pasis.close());
beforeEach(() => {
  otel = createTestOtel();
});
afterEach(async () => {
  pasis.reset();
  await otel.shutdown();
});

it('a run is a span with its summary; its retrieves and the events it settles are its children', async () => {
  pasis.set('sess_paid', 'success');
  pasis.set('sess_open', 'open');
  const { reconciler, open } = reconcilerHarness(pasis);
  open.push('sess_paid', 'sess_open', 'sess_nobody');
  const summary = await reconciler.run({ olderThanMs: 0 });
  expect(summary).toMatchObject({ listed: 3, handled: 1, stillOpen: 1, unknown: 1 });

  const [run, ...more] = otel.spansNamed('pasis.reconcile.run');
  expect(more).toHaveLength(0);
  expect(run?.kind).toBe(SpanKind.INTERNAL);
  expect(run?.status.code).toBe(SpanStatusCode.UNSET);
  expect(run?.attributes).toMatchObject({
    'pasis.reconcile.older_than': 0,
    'pasis.reconcile.listed': 3,
    'pasis.reconcile.checked': 3,
    'pasis.reconcile.handled': 1,
    'pasis.reconcile.still_open': 1,
    'pasis.reconcile.unknown': 1,
    'pasis.reconcile.failed': 0,
    'pasis.reconcile.retries': 0,
    'pasis.reconcile.held_elsewhere': 0,
  });
  const runId = run?.spanContext().spanId;
  const retrieves = otel.spansNamed('GET /api/checkouts/{session_id}');
  expect(retrieves.map((s) => s.attributes['url.full']).sort()).toEqual(
    ['sess_nobody', 'sess_open', 'sess_paid'].map(
      (id) => `${pasis.baseUrl}api/checkouts/${id}?app_id=REDACTED`,
    ),
  );
  for (const span of retrieves) expect(parentOf(span)).toBe(runId);
  const [settled] = otel.spansNamed('pasis.webhook session:processed');
  expect(parentOf(settled!)).toBe(runId);
  expect(settled?.attributes).toMatchObject({
    'pasis.webhook.source': 'reconcile',
    'pasis.webhook.delivery_id': 'reconcile:sess_paid',
    'pasis.webhook.outcome': 'handled',
  });
  const deliveries = await otel.points('pasis.webhook.deliveries');
  expect(
    pointWith(deliveries, { 'pasis.webhook.source': 'reconcile', 'pasis.webhook.outcome': 'handled' })?.value,
  ).toBe(1);
});

it('a run whose sessions() throws ends its span with ERROR', async () => {
  const { reconciler } = reconcilerHarness(pasis, {
    sessions: () => {
      throw new Error('the database is down');
    },
  });
  await expect(reconciler.run()).rejects.toThrow('the database is down');
  const [run] = otel.spansNamed('pasis.reconcile.run');
  expect(run?.status).toEqual({ code: SpanStatusCode.ERROR, message: '_OTHER' });
  expect(run?.attributes['error.type']).toBe('_OTHER');
});

it('check() is a span with its outcome, the retrieve and the delivery its children', async () => {
  pasis.set('sess_back', 'cancelled');
  const { reconciler } = reconcilerHarness(pasis);
  expect((await reconciler.check('sess_back')).outcome).toBe('handled');
  const [check] = otel.spansNamed('pasis.reconcile.check');
  expect(check?.attributes).toMatchObject({
    'pasis.checkout.session_id': 'sess_back',
    'pasis.reconcile.outcome': 'handled',
  });
  const children = otel.spans().filter((s) => parentOf(s) === check?.spanContext().spanId);
  expect(children.map((s) => s.name).sort()).toEqual([
    'GET /api/checkouts/{session_id}',
    'pasis.webhook session:processed',
  ]);
});

it('a reconciler given its own tracerProvider uses it', async () => {
  const own = createTestOtel({ register: false });
  try {
    const { reconciler } = reconcilerHarness(pasis, { tracerProvider: own.tracerProvider });
    await reconciler.run();
    expect(own.spansNamed('pasis.reconcile.run')).toHaveLength(1);
    expect(otel.spansNamed('pasis.reconcile.run')).toHaveLength(0);
  } finally {
    await own.shutdown();
  }
});

it('counts sessions by outcome, retrieves by result, and records the pace per page', async () => {
  const own = createTestOtel({ register: false });
  try {
    pasis.set('sess_m_paid', 'success');
    pasis.set('sess_m_open', 'open');
    pasis.fail('sess_m_paid', { kind: 'rate_limited', retryAfterSec: 1 });
    const { reconciler, open, clock } = reconcilerHarness(pasis, {
      meterProvider: own.meterProvider,
      concurrency: 1,
      pageSize: 1,
    });
    open.push('sess_m_paid', 'sess_m_open', 'sess_m_nobody');
    const summary = await drive(clock, reconciler.run(), 250);
    expect(summary).toMatchObject({ handled: 1, stillOpen: 1, unknown: 1, refused: 1 });
    const sessions = await own.points('pasis.reconcile.sessions');
    const outcome = (o: string) => pointWith(sessions, { 'pasis.reconcile.outcome': o })?.value;
    expect([outcome('handled'), outcome('open'), outcome('unknown'), outcome('deferred')]).toEqual([
      1,
      1,
      1,
      undefined,
    ]);
    const requests = await own.points('pasis.reconcile.requests');
    const result = (r: string) => pointWith(requests, { 'pasis.reconcile.result': r })?.value;
    expect([result('accepted'), result('refused'), result('failed')]).toEqual([3, 1, undefined]);
    // Pages 2 and 3 were read after the refusal had set a pace (page 1's was unbounded).
    const pace = await own.points('pasis.reconcile.pace');
    expect(pace).toHaveLength(1);
    expect(pace[0]!.value).toBeGreaterThanOrEqual(1);
    expect(otel.spansNamed('pasis.reconcile.run')).toHaveLength(1); // spans still go to the global one
  } finally {
    await own.shutdown();
  }
});
