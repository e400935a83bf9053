import type { z } from 'zod';
import type { SandboxApp } from '../model.js';
import { type SandboxApi, SandboxApiError } from './sandbox-api.js';

/** What a tool runs with. */
export interface ToolContext {
  api: SandboxApi;
}

/** One tool of `pasis mcp`: its input is parsed with `input` before `run` sees it. */
export interface SandboxTool {
  name: string;
  title: string;
  description: string;
  /**
   * Whether it changes the sandbox or sends to a shop: listed and callable only with
   * `--allow-write`.
   */
  write: boolean;
  input: z.ZodObject;
  /** Resolves with the result, sent to the agent as JSON text. */
  run(input: unknown, context: ToolContext): Promise<unknown>;
}

/**
 * Declares a tool, typing `run`'s input from the schema (the server parses it first).
 *
 * @example
 * defineTool({ name: 'get_session', title: 'Get a session', description: '…', write: false,
 *   input: z.object({ session_id: z.string() }),
 *   run: ({ session_id }, { api }) => api.get(`/_sandbox/sessions/${encodeURIComponent(session_id)}`) });
 */
export function defineTool<S extends z.ZodObject>(
  tool: Omit<SandboxTool, 'input' | 'run'> & {
    input: S;
    run(input: z.output<S>, context: ToolContext): Promise<unknown>;
  },
): SandboxTool {
  return { ...tool, run: (input, context) => tool.run(input as z.output<S>, context) };
}

/**
 * A path segment for an id the agent gave: encoded, so an id cannot reach another route.
 *
 * @example
 * `/_sandbox/sessions/${segment('a/b')}`; // '/_sandbox/sessions/a%2Fb'
 */
export const segment = (id: string) => encodeURIComponent(id);

/**
 * The app a call is about: the one named, else the sandbox's only app. Several apps and none
 * named, or an unknown one, is an error listing the app ids. The app holds its webhook
 * secret: callers use it and never return it.
 *
 * @example
 * const app = await findApp(api, input.app_id);
 */
export async function findApp(api: SandboxApi, appId: string | undefined): Promise<SandboxApp> {
  const { data: apps } = await api.get<{ data: SandboxApp[] }>('/_sandbox/apps');
  const ids = apps.map((app) => app.app_id).join(', ');
  if (appId !== undefined) {
    const app = apps.find((a) => a.app_id === appId);
    if (!app) throw new SandboxApiError(`the sandbox has no app ${appId}; its apps: ${ids || 'none'}`);
    return app;
  }
  if (apps.length === 1) return apps[0]!;
  throw new SandboxApiError(
    apps.length === 0
      ? 'the sandbox has no app yet: `pasis sandbox` registers one when it starts, or POST /_sandbox/apps'
      : `the sandbox has ${apps.length} apps: pass app_id, one of ${ids}`,
  );
}
