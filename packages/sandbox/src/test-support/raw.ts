import { request } from 'node:http';

/** What came back from {@link raw}. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * One HTTP request with exactly the headers given, `Host` and `Origin` included (fetch
 * will not send a foreign `Host`). `host: null` sends none at all.
 *
 * @example
 * await raw(sandbox.url, '/_sandbox/apps', { headers: { host: 'evil.example:4010' } });
 */
export function raw(
  base: string,
  path: string,
  options: { method?: string; headers?: Record<string, string | null>; body?: string } = {},
): Promise<RawAnswer> {
  const { hostname, port } = new URL(base);
  const { host, ...rest } = options.headers ?? {};
  const headers: Record<string, string> = Object.fromEntries(
    Object.entries(rest).filter((entry): entry is [string, string] => entry[1] !== null),
  );
  if (typeof host === 'string') headers.host = host;
  if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
  return new Promise((resolve, reject) => {
    const req = request(
      { hostname, port, path, method: options.method ?? 'GET', headers, setHost: host === undefined },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
