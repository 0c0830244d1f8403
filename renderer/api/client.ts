// The window's connection to the lab: Electron's preload bridge when present, else the WebSocket of `vmnetlab serve`.
import type { Answer, EventName, Events, LabClient, RequestName, RequestParams, RequestResult } from '../../core/api/contract';

/** What Electron's preload exposes as `window.vmnetlab`: one function per request name, and `on`. */
export type PreloadBridge = {
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
} & { [N in RequestName]?: (params: RequestParams<N>) => Promise<Answer<RequestResult<N>>> };

/** Wraps the preload bridge as a LabClient; a request it does not offer answers an error rather than throwing. */
export function preloadClient(bridge: PreloadBridge): LabClient {
  return {
    async request<N extends RequestName>(name: N, params: RequestParams<N>): Promise<Answer<RequestResult<N>>> {
      const fn = bridge[name] as ((p: RequestParams<N>) => Promise<Answer<RequestResult<N>>>) | undefined;
      if (typeof fn !== 'function') return { ok: false, error: { code: 'internal', message: `the window's bridge has no '${name}'; the app's preload and window are from different versions` } };
      try {
        return await fn(params);
      } catch (e) {
        return { ok: false, error: { code: 'internal', message: e instanceof Error ? e.message : String(e) } };
      }
    },
    on: (event, listener) => bridge.on(event, listener),
  };
}

/**
 * Connects the way this window was opened: Electron's bridge, else the WebSocket of `vmnetlab serve` with
 * the token after `#token=`. Throws with a message for a person when it cannot; `onLost` hears of a socket
 * that closes later.
 */
export async function connectLab(onLost?: (message: string) => void): Promise<LabClient> {
  const bridge = (window as unknown as { vmnetlab?: PreloadBridge }).vmnetlab;
  if (bridge) return preloadClient(bridge);
  const { connectWebSocket, tokenFromHash, wsUrlFor } = await import('../../core/api/ws-client');
  const token = tokenFromHash(window.location.hash);
  if (token === null) throw new Error('this page was opened without its access token; open the address `vmnetlab serve` printed (it ends in #token=…)');
  const client = connectWebSocket(wsUrlFor(window.location), token);
  await client.ready;
  client.onClose((info) => onLost?.(`the connection to the lab closed (${info.code}${info.reason ? `: ${info.reason}` : ''}); restart \`vmnetlab serve\` and open the address it prints`));
  return client;
}
