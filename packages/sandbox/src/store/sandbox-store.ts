import type {
  DeliveryAttempt,
  IdempotencyRecord,
  SandboxApp,
  SandboxDelivery,
  SandboxSession,
} from '../model.js';
import { openDatabase, type SandboxDatabase } from './database.js';

/** What changed, for the dashboard's live updates (`GET /_sandbox/events`). */
export interface StoreChange {
  type: 'app' | 'session' | 'delivery';
  id: string;
}

/**
 * The sandbox's whole state. Reads come from live objects in memory (a delivery read once
 * keeps showing its new attempts); with a `dataDir`, every change is also written to its
 * files, in the same synchronous turn, before the call returns. Without one, nothing is
 * written anywhere.
 *
 * @example
 * const store = new SandboxStore('.pasis-sandbox'); // or new SandboxStore() in memory
 * store.saveApp(app);
 * store.close();
 */
export class SandboxStore {
  readonly #apps = new Map<string, SandboxApp>();
  readonly #sessions = new Map<string, SandboxSession>();
  readonly #deliveries = new Map<string, SandboxDelivery>();
  readonly #idempotency = new Map<string, IdempotencyRecord>();
  readonly #listeners = new Set<(change: StoreChange) => void>();
  readonly #db: SandboxDatabase;

  /** Opens (or creates) the data dir `dataDir`; in memory without one. */
  constructor(dataDir?: string) {
    this.#db = openDatabase(dataDir);
    const rows = this.#db.loadAll();
    for (const app of rows.apps) this.#apps.set(app.app_id, app);
    for (const session of rows.sessions) this.#sessions.set(session.session_id, session);
    for (const delivery of rows.deliveries) this.#deliveries.set(delivery.id, { ...delivery, attempts: [] });
    for (const { delivery_id, ...attempt } of rows.attempts)
      this.#deliveries.get(delivery_id)?.attempts.push(attempt);
    for (const { key, ...record } of rows.idempotency_keys) this.#idempotency.set(key, record);
  }

  /** The data dir (absolute), or `undefined` in memory. */
  get dataDir(): string | undefined {
    return this.#db.dataDir;
  }
  /** Apps by `app_id`, in registration order. */
  get apps(): ReadonlyMap<string, SandboxApp> {
    return this.#apps;
  }
  /** Sessions by `session_id`, oldest first. */
  get sessions(): ReadonlyMap<string, SandboxSession> {
    return this.#sessions;
  }
  /** Deliveries by `id`, oldest first; each object stays live as attempts are added. */
  get deliveries(): ReadonlyMap<string, SandboxDelivery> {
    return this.#deliveries;
  }
  /** `app_id:Idempotency-Key` → the request body's fingerprint and the session it created. */
  get idempotency(): ReadonlyMap<string, IdempotencyRecord> {
    return this.#idempotency;
  }

  /** Adds or replaces an app. */
  saveApp(app: SandboxApp): void {
    this.#db.save('apps', app);
    this.#apps.set(app.app_id, app);
    this.#emit({ type: 'app', id: app.app_id });
  }

  /** Adds a session, or writes its new state. */
  saveSession(session: SandboxSession): void {
    this.#db.save('sessions', session);
    this.#sessions.set(session.session_id, session);
    this.#emit({ type: 'session', id: session.session_id });
  }

  /** Writes the delivery itself (state, next retry); its attempts are added one by one. */
  saveDelivery(delivery: SandboxDelivery): void {
    const { attempts: _, ...row } = delivery;
    this.#db.save('deliveries', row);
    this.#deliveries.set(delivery.id, delivery);
    this.#emit({ type: 'delivery', id: delivery.id });
  }

  /** Appends a finished attempt to its delivery. */
  addAttempt(delivery: SandboxDelivery, attempt: DeliveryAttempt): void {
    this.#db.save('attempts', { ...attempt, delivery_id: delivery.id });
    delivery.attempts.push(attempt);
    this.#emit({ type: 'delivery', id: delivery.id });
  }

  /** Remembers what an `Idempotency-Key` created. */
  saveIdempotency(key: string, record: IdempotencyRecord): void {
    this.#db.save('idempotency_keys', { key, ...record });
    this.#idempotency.set(key, record);
  }

  /** Runs `fn` as one write to the data dir: a session ends together with its delivery. */
  transaction<T>(fn: () => T): T {
    return this.#db.transaction(fn);
  }

  /** Newest first, for the dashboard and the control API. */
  list<T>(map: ReadonlyMap<string, T>): T[] {
    return [...map.values()].reverse();
  }

  /** Calls `listener` after every change; returns the function that stops it. */
  onChange(listener: (change: StoreChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Closes the data dir (and releases it for the next sandbox). */
  close(): void {
    this.#listeners.clear();
    this.#db.close();
  }

  #emit(change: StoreChange) {
    for (const listener of this.#listeners) listener(change);
  }
}
