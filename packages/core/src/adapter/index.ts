/**
 * For adapter authors: what every framework adapter would otherwise write again. Re-exported
 * from `@pasis/core`'s main entry (runtime-neutral).
 */
export { resolveAdapterOptions } from './adapter-options.js';
export type {
  AdapterOptionsInfo,
  PasisAdapterOptions,
  PasisPluginOptions,
  PluginWebhookOptions,
  ResolvedAdapterOptions,
} from './adapter-options.js';
export { withPackageName } from './package-name.js';
