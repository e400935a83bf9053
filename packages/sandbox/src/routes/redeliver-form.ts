import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFields, redirect, sendHtml } from '../http.js';
import type { SandboxService } from '../service.js';
import { parseOr400, redeliverSchema } from '../validation.js';
import { renderMessage } from '../views/pay-page.js';

/**
 * Where a form's `return_to` may send the person: a path on the sandbox, else `/`. Resolved
 * with the URL parser against the sandbox's own origin first, as a browser would resolve
 * it: `"/\t/evil.example/"` (the parser drops the tab), `"/\\evil.example"` and
 * `"https://evil.example"` all name another origin and fall back to `/`.
 *
 * @example
 * localPath('/?state=failed', 'http://127.0.0.1:4010'); // '/?state=failed'
 * localPath('/\t/evil.example/', 'http://127.0.0.1:4010'); // '/'
 */
export function localPath(value: string | undefined, ownOrigin: string): string {
  if (value === undefined || value === '') return '/';
  try {
    const own = new URL(ownOrigin);
    const url = new URL(value, own);
    if (url.origin !== own.origin) return '/';
    // `http://own//evil.example/` is this origin, but its path alone would be `//evil.example/`.
    return `/${url.pathname.replace(/^\/+/, '')}${url.search}${url.hash}`;
  } catch {
    return '/';
  }
}

/**
 * `POST /deliveries/:id/redeliver`: the dashboard's and the inspector's buttons (a form),
 * answered with a 303 to a page: the new delivery's inspector (`new_id=true`), else
 * `return_to` (default `/`). The JSON twin is `POST /_sandbox/deliveries/:id/redeliver`.
 *
 * @example
 * // <form method="post" action="/deliveries/dlv_1/redeliver"><input name="return_to" value="/?state=failed">
 * await redeliverForm(service, req, res, 'dlv_1'); // 303 Location: /?state=failed
 */
export async function redeliverForm(
  service: SandboxService,
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
): Promise<void> {
  const delivery = service.store.deliveries.get(id);
  if (!delivery) {
    return sendHtml(res, 404, renderMessage('Delivery not found', `No delivery ${id} in this sandbox.`));
  }
  const input = parseOr400(redeliverSchema, await readFields(req));
  const sent = service.deliveries.redeliver(delivery, { newId: input.new_id });
  if (input.new_id) return redirect(res, `/deliveries/${encodeURIComponent(sent.id)}`);
  // The Host header passed the allow-list: it is one of the sandbox's own names.
  redirect(res, localPath(input.return_to, `http://${req.headers.host}`));
}
