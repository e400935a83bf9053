/** Where the sandbox writes one line per request and per delivery attempt. */
export interface SandboxLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const noop = () => {};
/** The library default: silent. The CLI passes a console logger. */
export const silentSandboxLogger: SandboxLogger = { info: noop, warn: noop, error: noop };
