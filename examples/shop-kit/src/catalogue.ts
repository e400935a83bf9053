/** What the shop sells. Prices live here, on the server: never taken from the client. */
export interface Product {
  id: string;
  name: string;
  /** Whole Rwandan francs. */
  amount: number;
}

/** Everything the shop sells. */
export const CATALOGUE: readonly Product[] = [
  { id: 'money-transfer', name: 'Money Transfer', amount: 5000 },
  { id: 'airtime', name: 'Airtime bundle', amount: 1500 },
];

/** What `POST /checkout` sells when no `product_id` is given. */
export const DEFAULT_PRODUCT_ID = 'money-transfer';

/** The product with this id, if the catalogue has one. */
export function findProduct(id: string): Product | undefined {
  return CATALOGUE.find((product) => product.id === id);
}
