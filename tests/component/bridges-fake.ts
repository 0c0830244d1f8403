// Bridges for the component tests: BridgeInfo rows as the host makes them, and a fake client that attaches and detaches like the host.
import type { BridgeInfo } from '../../core/api/dto';
import type { FakeLabClient } from './fake-client';

export function bridgeInfo(over: Partial<BridgeInfo> = {}): BridgeInfo {
  return {
    id: 'bridge-1',
    where: 'lan',
    node: 'net:lan',
    kind: 'udp',
    target: '40001:127.0.0.1:40002',
    label: 'udp:40001→127.0.0.1:40002',
    link: 'udp-40001.lan',
    state: 'attached',
    error: null,
    warnings: [],
    counters: { framesIn: 0, bytesIn: 0, framesOut: 0, bytesOut: 0, malformed: 0, dropped: 0 },
    ...over,
  };
}

/** Makes `client` keep a bridge list: `bridge.attach` adds one (node from the where), `bridge.detach` removes it. */
export function withBridges(client: FakeLabClient, initial: BridgeInfo[] = []): { list: () => BridgeInfo[] } {
  let list = [...initial];
  let next = initial.length + 1;
  client.answer('bridge.list', () => list);
  client.answer('bridge.attach', (p) => {
    const id = `bridge-${next++}`;
    const node = p.where.includes(':') ? `vnet:${p.where}` : `net:${p.where}`;
    const b =
      p.spec.kind === 'tap'
        ? bridgeInfo({ id, where: p.where, node, kind: 'tap', target: p.spec.ifname, label: `tap:${p.spec.ifname}`, link: `tap-${p.spec.ifname}.${p.where}` })
        : bridgeInfo({ id, where: p.where, node, target: `${p.spec.localPort}:${p.spec.remoteHost}:${p.spec.remotePort}`, label: `udp:${p.spec.localPort}→${p.spec.remoteHost}:${p.spec.remotePort}`, link: `udp-${p.spec.localPort}.${p.where}` });
    list = [...list, b];
    return b;
  });
  client.answer('bridge.detach', (p) => {
    if (!list.some((b) => b.id === p.id)) return { ok: false, error: { code: 'not-found', message: `there is no bridge '${p.id}'` } };
    list = list.filter((b) => b.id !== p.id);
    return list;
  });
  return { list: () => list };
}
