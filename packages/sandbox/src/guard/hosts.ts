/**
 * Which `Host` (and `Origin`) names are the sandbox's own (CONTRACT §4 "Who may drive it"):
 * a loopback name or address with the sandbox's port, the host it was told to bind with
 * that port, or a name it was told to allow. Anything else is a DNS-rebinding page or a
 * misdirected request.
 */
export interface HostRules {
  /** The port the sandbox listens on. */
  port: number;
  /** The host given to `listen()` (`127.0.0.1`, `::1`, `0.0.0.0`, a name…). */
  bindHost: string;
  /** More names, `host` (any port) or `host:port`: `allowedHosts` / `--allowed-host`. */
  allowedHosts: readonly string[];
}

interface Authority {
  hostname: string;
  port: number | undefined;
}

// The URL parser normalises case, IPv4 shorthands (`127.1`) and IPv6 spellings, so a name
// is compared in one canonical form. Anything with a path, user or query is no host.
function parseAuthority(text: string, defaultPort: number | undefined): Authority | undefined {
  if (text === '' || /[\s/\\?#@]/.test(text)) return undefined;
  try {
    const url = new URL(`http://${text}`);
    const explicit = /:(\d+)$/.test(text) && !text.endsWith(']');
    return {
      hostname: url.hostname.replace(/\.$/, ''),
      port: url.port !== '' ? Number(url.port) : explicit ? 80 : defaultPort,
    };
  } catch {
    return undefined;
  }
}

/**
 * `localhost`, `*.localhost` (RFC 6761), `127.0.0.0/8` and `[::1]`, as the URL parser
 * writes a hostname.
 *
 * @example
 * isLoopbackName('app.localhost'); // true
 * isLoopbackName('localhost.evil.example'); // false
 */
export function isLoopbackName(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname) ||
    hostname === '[::1]'
  );
}

const WILDCARDS = new Set(['0.0.0.0', '[::]']);

/** `::1` → `[::1]`: a bind address written as a Host header would write it. */
function bracketed(host: string): string {
  return (host.match(/:/g)?.length ?? 0) > 1 && !host.startsWith('[') ? `[${host}]` : host;
}

/**
 * Whether `authority` (a `Host` header, or an origin's `host`) names this sandbox. Without
 * a port it stands for `defaultPort` (80 for `http:`, 443 for `https:`).
 *
 * @example
 * isOwnHost('localhost:4010', { port: 4010, bindHost: '127.0.0.1', allowedHosts: [] }); // true
 * isOwnHost('evil.example:4010', { port: 4010, bindHost: '127.0.0.1', allowedHosts: [] }); // false
 */
export function isOwnHost(authority: string | undefined, rules: HostRules, defaultPort = 80): boolean {
  const host = authority === undefined ? undefined : parseAuthority(authority, defaultPort);
  if (!host) return false;
  const bind = parseAuthority(bracketed(rules.bindHost), undefined)?.hostname;
  if (
    isLoopbackName(host.hostname) ||
    (bind !== undefined && !WILDCARDS.has(bind) && host.hostname === bind)
  ) {
    return host.port === rules.port;
  }
  return rules.allowedHosts.some((entry) => {
    const allowed = parseAuthority(bracketed(entry), undefined);
    return (
      allowed !== undefined &&
      allowed.hostname === host.hostname &&
      (allowed.port === undefined || allowed.port === host.port)
    );
  });
}

/**
 * Checks `allowedHosts` entries once: each a host name or address, optionally `:port`.
 * Returns the entries that are not.
 *
 * @example
 * invalidHostEntries(['sandbox', 'localhost:8080', 'a/b']); // ['a/b']
 */
export function invalidHostEntries(entries: readonly string[]): string[] {
  return entries.filter(
    (entry) => typeof entry !== 'string' || parseAuthority(bracketed(entry), undefined) === undefined,
  );
}
