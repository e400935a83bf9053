import type { ServerResponse } from 'node:http';
import { deliveryMatches, readFilters, sessionMatches } from '../filters.js';
import { HttpError, sendHtml, sendScript } from '../http.js';
import { DEFAULT_PAGE_SIZE, paginate } from '../paging.js';
import type { SandboxService } from '../service.js';
import { renderDashboard } from '../views/dashboard.js';
import { renderDeliveryPage } from '../views/delivery-page.js';
import { LIVE_SCRIPT_PATH } from '../views/html.js';
import { LIVE_SCRIPT } from '../views/live-script.js';
import { renderMessage } from '../views/pay-page.js';

/** The HTML pages: `/` (the dashboard, filtered by its query), `/deliveries/:id`, and their script. */
export function pages(service: SandboxService, res: ServerResponse, parts: string[], url: URL): boolean {
  const { store } = service;
  if (url.pathname === LIVE_SCRIPT_PATH) {
    sendScript(res, LIVE_SCRIPT);
    return true;
  }
  if (url.pathname === '/') {
    const query = url.searchParams;
    let data: Parameters<typeof renderDashboard>[0];
    try {
      const filters = readFilters(query);
      // Each table pages on its own cursor; the page size is the lists' default.
      const page = (name: string) => ({
        limit: DEFAULT_PAGE_SIZE,
        cursor: query.get(name) || undefined,
        name,
      });
      data = {
        apps: paginate(
          store.list(store.apps),
          (a) => a.app_id,
          (a) => filters.app_id === undefined || a.app_id === filters.app_id,
          page('apps_cursor'),
        ),
        allApps: store.apps,
        sessions: paginate(
          store.list(store.sessions),
          (s) => s.session_id,
          sessionMatches(filters),
          page('sessions_cursor'),
        ),
        deliveries: paginate(
          store.list(store.deliveries),
          (d) => d.id,
          deliveryMatches(filters),
          page('deliveries_cursor'),
        ),
        filters,
        query,
        rateLimit: service.rateLimit.summary(),
        self: `${url.pathname}${url.search}`,
      };
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      sendHtml(res, 400, renderMessage('Unknown filter or page', `${error.message} Clear the filters at /.`));
      return true;
    }
    sendHtml(res, 200, renderDashboard(data));
    return true;
  }
  if (parts[0] === 'deliveries' && parts.length === 2) {
    const delivery = store.deliveries.get(parts[1]!);
    if (!delivery) {
      sendHtml(res, 404, renderMessage('Delivery not found', `No delivery ${parts[1]} in this sandbox.`));
      return true;
    }
    const redeliveries = [...store.deliveries.values()].filter((d) => d.redelivery_of === delivery.id);
    sendHtml(res, 200, renderDeliveryPage({ delivery, app: store.apps.get(delivery.app_id), redeliveries }));
    return true;
  }
  return false;
}
