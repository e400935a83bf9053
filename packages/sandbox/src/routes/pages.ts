import type { ServerResponse } from 'node:http';
import { filterDeliveries, filterSessions, readFilters } from '../filters.js';
import { HttpError, sendHtml, sendScript } from '../http.js';
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
    let filters: ReturnType<typeof readFilters>;
    try {
      filters = readFilters(url.searchParams);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      sendHtml(res, 400, renderMessage('Unknown filter', `${error.message}. Clear the filters at /.`));
      return true;
    }
    const apps = store
      .list(store.apps)
      .filter((a) => filters.app_id === undefined || a.app_id === filters.app_id);
    sendHtml(
      res,
      200,
      renderDashboard({
        apps,
        allApps: store.apps,
        sessions: filterSessions(store.list(store.sessions), filters),
        deliveries: filterDeliveries(store.list(store.deliveries), filters),
        filters,
        self: `${url.pathname}${url.search}`,
      }),
    );
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
