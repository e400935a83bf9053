import { RequestMethod } from '@nestjs/common';
import type { ApplicationConfig } from '@nestjs/core';
// Not re-exported from @nestjs/core's index, but where Nest itself decides, for every
// controller route, whether the global prefix applies (its `exclude` list matched by Nest's
// own matcher): the webhook follows exactly the same rule rather than a copy of it.
import { RoutePathFactory } from '@nestjs/core/router/route-path-factory.js';
import { configError } from '@pasis/core/adapter';

// What Nest and its routers would read as a pattern, not as the URL Pasis calls.
const PATTERN = /[:*(){}?]/;

/**
 * The URL path the webhook is served at: `path` under the app's global prefix
 * (`app.setGlobalPrefix('api')` → `/api/webhook`), unless the prefix's `exclude` matches it
 * for POST, exactly as for a controller route. URI versioning does not apply: the webhook
 * is not versioned. A prefix with route parameters or wildcards refuses to boot: the
 * webhook must have one URL.
 */
export function webhookRoutePath(config: ApplicationConfig, path: string): string {
  const prefix = config.getGlobalPrefix();
  if (!prefix) return path;
  if (PATTERN.test(prefix)) {
    throw configError(
      '@pasis/nestjs',
      `the global prefix ${JSON.stringify(prefix)} has route parameters or wildcards, so the webhook ` +
        `would have no one URL: exclude it (app.setGlobalPrefix(prefix, { exclude: [${JSON.stringify(path)}] })).`,
    );
  }
  if (new RoutePathFactory(config).isExcludedFromGlobalPrefix(path, RequestMethod.POST)) return path;
  const base = `/${prefix.replace(/^\/+/, '')}`.replace(/\/+$/, '');
  return `${base}${path}`;
}
