// The one LabClient the stores talk through, set once at start (or by a test with a fake).
import type { Answer, LabClient, RequestName, RequestParams, RequestResult } from '../../core/api/contract';

let current: LabClient | null = null;

export function setLabClient(client: LabClient | null): void {
  current = client;
}

export function labClient(): LabClient {
  if (current === null) throw new Error('the window is not connected to a lab yet');
  return current;
}

/** A request that never throws: a missing connection or a transport failure becomes an error answer. */
export async function ask<N extends RequestName>(name: N, params: RequestParams<N>): Promise<Answer<RequestResult<N>>> {
  try {
    return await labClient().request(name, params);
  } catch (e) {
    return { ok: false, error: { code: 'internal', message: e instanceof Error ? e.message : String(e) } };
  }
}
