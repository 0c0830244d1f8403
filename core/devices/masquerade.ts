// A Linux router's masquerade: source NAT of forwarded traffic leaving one interface, replies and port forwards let back in.
import { ACCEPT, DROP, type Host } from '../stack/host';
import type { NetInterface } from '../stack/interface';
import { getU32 } from '../wire/bytes';
import { NAT_NO_MATCH, NAT_TRANSLATED, type NatEngine } from './nat-engine';

/**
 * `iptables -t nat -A POSTROUTING -o OUT -j MASQUERADE` plus the stateful forward policy of a home router
 * (`-A FORWARD -i OUT -m state --state ESTABLISHED,RELATED -j ACCEPT`, new connections from outside dropped
 * unless a DNAT rule let them in). Returns a function that removes it.
 */
export function masquerade(host: Host, outside: NetInterface, engine: NatEngine): () => void {
  let letIn = false;
  const pre = (frame: Uint8Array, off: number, iface: NetInterface): 0 | 1 | 2 => {
    if (iface !== outside) return ACCEPT;
    letIn = false;
    // Traffic for the router itself that no connection or rule claims stays the router's.
    const v = engine.inbound(frame, off, host.now);
    if (v === NAT_TRANSLATED) {
      letIn = true;
      return ACCEPT;
    }
    return v === NAT_NO_MATCH ? ACCEPT : DROP;
  };
  const fwd = (_frame: Uint8Array, _off: number, iface: NetInterface): 0 | 1 | 2 => {
    if (iface !== outside) return ACCEPT;
    const ok = letIn;
    letIn = false;
    return ok ? ACCEPT : DROP;
  };
  const post = (frame: Uint8Array, off: number, iface: NetInterface): 0 | 1 | 2 => {
    if (iface !== outside) return ACCEPT;
    // The router's own traffic already carries its outside address.
    if (host.isLocal(getU32(frame, off + 12))) return ACCEPT;
    const addr = outside.primary?.address ?? 0;
    if (addr === 0) return DROP;
    return engine.outbound(frame, off, addr, host.now) === NAT_TRANSLATED ? ACCEPT : DROP;
  };
  host.hooks.prerouting.push(pre);
  host.hooks.forward.push(fwd);
  host.hooks.postrouting.push(post);
  host.setForwarding(host.forwarding);
  return () => {
    host.hooks.prerouting = host.hooks.prerouting.filter((h) => h !== pre);
    host.hooks.forward = host.hooks.forward.filter((h) => h !== fwd);
    host.hooks.postrouting = host.hooks.postrouting.filter((h) => h !== post);
  };
}
