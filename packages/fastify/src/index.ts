/**
 * `@pasis/fastify`: the Fastify 5 plugin for Pasis Checkout.
 */
import './augment.js';
import { pasis } from './plugin.js';

export default pasis;
export { pasis };
export type { PasisDecorator } from './plugin.js';
export type { PasisFastifyOptions } from './options.js';
