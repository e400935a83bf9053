/**
 * `./orders.js` of the README's quick starts: the reader's own code, reduced to what they
 * call. The type check resolves their import to this file; the quick-start test runs them
 * with it and reads what it prints.
 */
import { randomUUID } from 'node:crypto';

/** An order as the quick starts use it. */
export interface Order {
  id: string;
  email: string;
  /** In RWF, from the server's own catalogue, never from the client. */
  amount: number;
}

/** Orders, as your application keeps them (here: in memory, and printed). */
export const orders = {
  async create(email: string): Promise<Order> {
    return { id: randomUUID(), email, amount: 5000 };
  },
  /** Called once per session outcome by the webhook handler. */
  async settle(sessionId: string, status: 'success' | 'cancelled', amount: number): Promise<void> {
    process.stdout.write(`orders.settle ${sessionId} ${status} ${amount}\n`);
  },
};
