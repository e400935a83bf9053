/** Injection token of the `OrderStore` (an interface has no runtime class to inject by). */
export const ORDER_STORE = Symbol('ORDER_STORE');
