/**
 * `POST /checkout`'s input (CONTRACT §5), read once for the three shops: an e-mail address
 * and a product of the catalogue (default `DEFAULT_PRODUCT_ID`), from a form or JSON. The
 * price is the catalogue's, never the client's.
 */
import { z } from 'zod';
import { DEFAULT_PRODUCT_ID, findProduct, type Product } from '../catalogue.js';
import { type BadInput, invalidInput } from './bad-input.js';

const EMAIL = 'Enter a valid email address.';

const schema = z.object({
  email: z.email(EMAIL).max(254, EMAIL),
  product_id: z.string().default(DEFAULT_PRODUCT_ID),
});

/**
 * A checkout the shop can start: who pays, for what.
 *
 * @example
 * const input: CheckoutInput = { email: 'customer@mail.rw', product: CATALOGUE[0]! };
 */
export interface CheckoutInput {
  email: string;
  product: Product;
}

/**
 * The checkout's input, or the 400 `invalid_input` to answer (an invalid e-mail address, an
 * unknown product), in the shop's own words: never the value sent.
 *
 * @example
 * const input = readCheckoutInput(req.body); // { email, product } | BadInput
 * if ('status' in input) return sendBadInput(input);
 */
export function readCheckoutInput(body: unknown): CheckoutInput | BadInput {
  const input = schema.safeParse(body ?? {});
  if (!input.success) return invalidInput(input.error.issues[0]?.message ?? 'Invalid input.');
  const product = findProduct(input.data.product_id);
  if (product === undefined) return invalidInput('Unknown product.');
  return { email: input.data.email, product };
}
