import { randomUUID } from 'node:crypto';

/** Where an order is in its life. `paid`, `cancelled` and `amount_mismatch` are final. */
export type OrderStatus = 'pending' | 'paid' | 'cancelled' | 'amount_mismatch' | 'failed';

export interface Order {
  id: string;
  product_id: string;
  email: string;
  amount: number;
  status: OrderStatus;
  session_id?: string;
  created_at: string;
}

/**
 * Where orders are kept. Async so that a database (or Redis) implementation fits;
 * `transition` is the one write that changes a status, and must be atomic.
 */
export interface OrderStore {
  create(order: Omit<Order, 'id' | 'status' | 'created_at'>): Promise<Order>;
  get(id: string): Promise<Order | undefined>;
  findBySession(sessionId: string): Promise<Order | undefined>;
  attachSession(id: string, sessionId: string): Promise<void>;
  /** Sets `to` only if the order is still in `from`; returns whether it did. */
  transition(id: string, from: OrderStatus, to: OrderStatus): Promise<boolean>;
}

/** The in-memory store: one process, gone on restart. */
export function createMemoryOrderStore(): OrderStore {
  const orders = new Map<string, Order>();
  const bySession = new Map<string, string>();
  return {
    async create(input) {
      const order: Order = {
        ...input,
        id: `ord_${randomUUID()}`,
        status: 'pending',
        created_at: new Date().toISOString(),
      };
      orders.set(order.id, order);
      return { ...order };
    },
    async get(id) {
      const order = orders.get(id);
      return order && { ...order };
    },
    async findBySession(sessionId) {
      const id = bySession.get(sessionId);
      return id === undefined ? undefined : this.get(id);
    },
    async attachSession(id, sessionId) {
      const order = orders.get(id);
      if (!order) throw new Error(`No order ${id}`);
      order.session_id = sessionId;
      bySession.set(sessionId, id);
    },
    async transition(id, from, to) {
      const order = orders.get(id);
      if (order?.status !== from) return false;
      order.status = to;
      return true;
    },
  };
}
