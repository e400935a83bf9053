import { HEALTH_PATH } from '../routes/health.js';

/** A failed call to the sandbox, worded for the agent that made it; never holds a secret. */
export class SandboxApiError extends Error {
  override readonly name = 'SandboxApiError';
}

/** How long `pasis mcp` waits for a sandbox to answer its health check at start: 5 s. */
export const HEALTH_TIMEOUT_MS = 5_000;

function networkCode(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.name : String(error));
}

/**
 * Why `base` is not a running Pasis sandbox, or `undefined` when it is one: its
 * `GET /_sandbox/health` must answer `200 { "ok": true }` as JSON within `timeoutMs`,
 * without a redirect. A real Pasis has no such route, so this is what keeps `pasis mcp`
 * from ever driving one.
 *
 * @example
 * await notASandbox('http://127.0.0.1:4010'); // undefined, or e.g. 'ECONNREFUSED'
 */
export async function notASandbox(base: string, timeoutMs = HEALTH_TIMEOUT_MS): Promise<string | undefined> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(`${base}${HEALTH_PATH}`, {
      headers: { accept: 'application/json' },
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await res.text();
  } catch (error) {
    const code = networkCode(error);
    return code === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : code;
  }
  const what = `GET ${HEALTH_PATH} answered ${res.status}`;
  if (res.status !== 200) return what;
  if (!(res.headers.get('content-type') ?? '').includes('application/json')) return `${what}, not JSON`;
  try {
    const body = JSON.parse(text) as { ok?: unknown } | null;
    if (body?.ok === true) return undefined;
  } catch {}
  return `${what} without {"ok":true}`;
}

/**
 * The sandbox's HTTP API, as `pasis mcp`'s tools call it: the control API under `/_sandbox`
 * and the provider's `/api/checkouts/…`, in JSON. A non-2xx answer or an unreachable sandbox
 * throws a {@link SandboxApiError} carrying the sandbox's own error code and message.
 *
 * @example
 * const api = new SandboxApi('http://127.0.0.1:4010');
 * const { data } = await api.get<{ data: SandboxSession[] }>('/_sandbox/sessions', { status: 'open' });
 */
export class SandboxApi {
  constructor(
    /** The sandbox's base URL, without a trailing slash. */
    readonly base: string,
    /** Per call. Default 15 s. */
    private readonly timeoutMs = 15_000,
  ) {}

  /** `GET path?query`; undefined query values are left out. */
  get<T>(path: string, query: Record<string, string | undefined> = {}): Promise<T> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, value);
    const search = params.toString();
    return this.request<T>('GET', search === '' ? path : `${path}?${search}`);
  }

  /** `POST path` with a JSON body. */
  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, JSON.stringify(body));
  }

  private async request<T>(method: string, path: string, body?: string): Promise<T> {
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body }),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await res.text();
    } catch (error) {
      throw new SandboxApiError(
        `no sandbox answers at ${this.base} (${networkCode(error)}): is \`pasis sandbox\` still running?`,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new SandboxApiError(`${method} ${path}: the sandbox answered ${res.status} with no JSON`);
    }
    if (res.status >= 200 && res.status < 300) return json as T;
    const error = (json as { error?: { code?: string; message?: string; hint?: string } }).error;
    throw new SandboxApiError(
      `${method} ${path}: the sandbox answered ${res.status} ${error?.code ?? ''}: ${error?.message ?? text}${error?.hint ? ` (${error.hint})` : ''}`,
    );
  }
}
