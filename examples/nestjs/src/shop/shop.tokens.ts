/** Injection tokens of the shop's own providers (interfaces have no runtime class to inject by). */

/** The shop's environment, checked by shop-kit's `readShopEnv` (`ShopEnv`). */
export const SHOP_ENV = Symbol('SHOP_ENV');
/** The shop's database (`ShopDatabase`): PostgreSQL at DATABASE_URL, else PGlite on disk. */
export const SHOP_DATABASE = Symbol('SHOP_DATABASE');
/** The orders in SQL (`OrderStore`). */
export const ORDER_STORE = Symbol('ORDER_STORE');
/** Where the shop's own lines go (`PasisLogger`). */
export const SHOP_LOGGER = Symbol('SHOP_LOGGER');
