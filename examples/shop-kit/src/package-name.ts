// Its own module: the database's lock and the environment's check both name it, and
// neither should import the other's concerns (no config ↔ db cycle).

/** The package named in the shop-kit's configuration errors. */
export const SHOP_KIT = '@pasis/example-shop-kit';
