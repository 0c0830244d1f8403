// The running lab: builds machines, networks and VMs from a lab document and applies later documents as differences.
import { DhcpServer } from '../devices/dhcp-server';
import type { DnsServer, DnsZoneEntry } from '../devices/dns-server';
import { HostBridge } from '../devices/host-bridge';
import { exampleDotCom, HttpServer } from '../devices/http-server';
import { masquerade } from '../devices/masquerade';
import { NatEngine } from '../devices/nat-engine';
import { Switch } from '../devices/switch';
import { engineRules, UserModeNat } from '../devices/user-mode-nat';
import { VBOX_NAT, VBOX_MAC_PREFIX, VMWARE } from '../hypervisor/defaults';
import type { DhcpPlan, NicPlan, VirtualNetworkPlan, WiringPlan } from '../hypervisor/plan';
import { bridgeNetworks, hostMachine, planVirtualBox } from '../hypervisor/virtualbox';
import { planVmware } from '../hypervisor/vmware';
import { Capture } from '../sim/capture';
import { EventLog } from '../sim/event-log';
import { Link, Port } from '../sim/link';
import { Random, seedFrom } from '../sim/random';
import { Scheduler } from '../sim/scheduler';
import { startDhcpServer } from '../stack/dhcp-on-host';
import { startDnsServer } from '../stack/dns-on-host';
import { Host } from '../stack/host';
import type { NetInterface } from '../stack/interface';
import { formatIpv4, type Ipv4Addr, parseCidr, parseIpv4, parseMac, prefixToMask } from '../wire/address';
import type { DhcpServiceConfig, LabDocument, Machine, MachineInterface, Vm } from './document';
import { type DnsProxy, startDnsProxy } from './dns-proxy';
import { LinuxOs } from './guest';
import { dhcpIfcfg, ifcfgPath, staticIfcfg } from './ifcfg';
import type { LabControl } from './os';

const S = 1_000_000;

/** A machine of the running lab: a physical machine, a VM, or a service box such as a DHCP server. */
export interface LabNode {
  readonly name: string;
  readonly kind: 'machine' | 'vm' | 'service';
  readonly host: Host;
  /** Present for machines and VMs (they have a shell); service boxes have none. */
  readonly os: LinuxOs | null;
}

export interface Placement {
  device: string;
  /** A physical network's name, or a virtual network's plan id; null when not attached. */
  network: string | null;
  kind: 'physical' | 'internet' | 'bridge' | 'hostonly' | 'internal' | 'natnetwork' | 'nat' | 'vmnet' | 'lansegment' | 'none';
  label: string;
  connected: boolean;
  /** "NAT", "Bridged Adapter (eth0)", "LAN"… */
  attachment: string;
}

export interface DhcpServerEntry {
  readonly name: string;
  readonly server: DhcpServer;
  /** The machine it runs on. */
  readonly node: string;
}

export interface NatEntry {
  readonly name: string;
  readonly engine: NatEngine;
  readonly kind: 'router' | 'vbox-nat' | 'vbox-natnetwork' | 'vmware-nat';
}

/** A virtual network as it runs: its switch (or, for VirtualBox NAT, the engine alone) and its services. */
interface RunningNetwork {
  plan: VirtualNetworkPlan;
  sw: Switch | null;
  nat: UserModeNat | null;
  dnsProxy: DnsProxy | null;
  dhcpNode: string | null;
  /** Stops the network's DHCP server (closes its socket, pulls its cable). */
  stopDhcp: (() => void) | null;
  hostAdapter: NetInterface | null;
  links: Link[];
}

interface RunningNic {
  plan: NicPlan;
  iface: NetInterface;
  link: Link | null;
  /** The switch port or engine port the cable goes to. */
  far: Port | null;
}

export interface RunningLabOptions {
  /** Overrides the document's seed. */
  seed?: number;
  /** Capture every link from the start (for `--pcap`). */
  capture?: boolean;
}

export interface ApplyResult {
  ok: boolean;
  problems: string[];
}

export class RunningLab implements LabControl {
  readonly scheduler = new Scheduler();
  readonly log: EventLog;
  readonly seed: number;
  readonly nodes = new Map<string, LabNode>();
  readonly dhcpServers: DhcpServerEntry[] = [];
  readonly natEngines: NatEntry[] = [];
  readonly dnsServers: Array<{ node: string; server: DnsServer }> = [];
  /** Every cable, by name (`vm1.eth0`, `router.lan`…). */
  readonly links = new Map<string, Link>();
  readonly captures = new Map<string, Capture>();
  /** Settings the products would refuse or warn about, from the last plan. */
  problems: string[] = [];
  private doc: LabDocument;
  private physical = new Map<string, Switch>();
  private bridges = new Map<string, HostBridge>();
  private virtual = new Map<string, RunningNetwork>();
  private nics = new Map<string, RunningNic>();
  /** How to undo each `attachmentPoint`, by the port it gave. */
  private attachmentUndo = new Map<Port, () => void>();
  private captureAll: boolean;

  constructor(doc: LabDocument, options: RunningLabOptions = {}) {
    this.doc = cloneDocument(doc);
    this.seed = options.seed ?? doc.seed;
    this.log = new EventLog(this.scheduler);
    this.captureAll = options.capture === true;
    this.buildPhysical();
    const plan = this.plan(this.doc);
    this.problems = plan.problems;
    for (const n of plan.networks) this.createNetwork(n);
    this.startHostAdapterDhcp();
    for (const vm of this.doc.vms) if (vm.running) this.createVm(vm, plan);
    for (const node of this.nodes.values()) node.os?.boot();
  }

  // ---- LabControl -----------------------------------------------------------------------------------

  document(): LabDocument {
    return cloneDocument(this.doc);
  }

  /** Applies a changed document: VMs switched, cables (dis)connected, rules changed, VMs started or stopped. */
  apply(next: LabDocument): ApplyResult {
    const plan = this.plan(next);
    const blocking = plan.problems.filter((p) => !/not within the allowed ranges/.test(p));
    if (blocking.length > 0) return { ok: false, problems: blocking };
    const before = this.doc;
    this.doc = cloneDocument(next);
    this.problems = plan.problems;
    // Networks: create the new, reconfigure the changed, remove the gone (after NICs moved off them).
    const wanted = new Map(plan.networks.map((n) => [n.id, n]));
    for (const n of plan.networks) {
      const have = this.virtual.get(n.id);
      if (!have) this.createNetwork(n);
      else if (JSON.stringify(have.plan) !== JSON.stringify(n)) this.updateNetwork(have, n);
    }
    // VMs powered off or removed.
    for (const vm of before.vms) {
      const now = next.vms.find((v) => v.name === vm.name);
      if (vm.running && (!now || !now.running)) this.destroyVm(vm.name);
    }
    // VMs powered on or added.
    for (const vm of next.vms) {
      const was = before.vms.find((v) => v.name === vm.name);
      if (vm.running && (!was || !was.running || !this.nodes.has(vm.name))) {
        this.createVm(vm, plan);
        this.nodes.get(vm.name)?.os?.boot();
      }
    }
    // NICs of running VMs.
    for (const nic of plan.nics) {
      const key = `${nic.vm}.nic${nic.slot}`;
      const have = this.nics.get(key);
      if (!have) {
        const node = this.nodes.get(nic.vm);
        if (node) this.createNic(node.host, nic);
        continue;
      }
      this.updateNic(have, nic);
    }
    for (const [key, have] of this.nics) {
      if (!plan.nics.some((n) => `${n.vm}.nic${n.slot}` === key) && this.nodes.has(have.plan.vm)) {
        // Adapter disabled: the card is gone from the guest's point of view; pull its cable.
        this.unplugNic(have);
      }
    }
    for (const [id, net] of this.virtual) if (!wanted.has(id)) this.destroyNetwork(id, net);
    return { ok: true, problems: plan.problems };
  }

  private plan(doc: LabDocument): WiringPlan {
    const vb = planVirtualBox(doc);
    const vw = planVmware(doc);
    return { networks: [...bridgeNetworks(doc), ...vb.networks, ...vw.networks], nics: [...vb.nics, ...vw.nics], problems: [...vb.problems, ...vw.problems] };
  }

  // ---- building -------------------------------------------------------------------------------------

  private ctxFor(name: string) {
    return { scheduler: this.scheduler, random: new Random(seedFrom(this.seed, name)), log: this.log };
  }

  private cable(name: string, a: Port, b: Port, connected = true): Link {
    const old = this.links.get(name);
    if (old && (old.a === a || old.b === a || old.a === b || old.b === b)) this.links.delete(name);
    const link = new Link(this.scheduler, a, b, { name, delayUs: 50 });
    link.connected = connected;
    this.links.set(name, link);
    if (this.captureAll) this.capture(name);
    else {
      const cap = this.captures.get(name);
      if (cap) link.taps.push(cap);
    }
    return link;
  }

  /** Starts (or returns) the capture of one link. */
  capture(linkName: string): Capture | null {
    const link = this.links.get(linkName);
    if (!link) return null;
    let cap = this.captures.get(linkName);
    if (!cap) {
      cap = new Capture(linkName);
      this.captures.set(linkName, cap);
    }
    if (!link.taps.includes(cap)) link.taps.push(cap);
    return cap;
  }

  private switchFor(network: string): Switch {
    let sw = this.physical.get(network);
    if (!sw) {
      sw = new Switch(network, this.scheduler);
      this.physical.set(network, sw);
    }
    return sw;
  }

  private buildPhysical(): void {
    for (const n of this.doc.networks) this.switchFor(n.name);
    const host = hostMachine(this.doc);
    for (const m of this.doc.machines) this.createMachine(m, m === host);
    for (const n of this.doc.networks) if (n.kind === 'internet') this.createIsp(n.name);
  }

  private createMachine(m: Machine, isHost: boolean): void {
    const host = new Host(m.name, this.ctxFor(m.name));
    const files: Record<string, string> = {};
    for (const i of m.interfaces) {
      const iface = host.addInterface(i.name, parseMac(i.mac) ?? 0);
      const sw = this.switchFor(i.network);
      if (isHost) {
        // The host's NIC goes through its bridge, where bridged VMs join the same wire.
        const bridge = new HostBridge(`bridge:${i.name}`, this.scheduler, iface.mac, i.wireless === true, (msg) => host.log('service', msg));
        this.bridges.set(i.name, bridge);
        this.cable(`${m.name}.${i.name}`, iface.port as Port, bridge.hostPort);
        this.cable(`${m.name}.${i.name}.uplink`, bridge.uplink, sw.addPort(`${m.name}.${i.name}`));
      } else {
        this.cable(`${m.name}.${i.name}`, iface.port as Port, sw.addPort(`${m.name}.${i.name}`));
      }
      files[ifcfgPath(i.name)] = ifcfgFor(i);
    }
    const routeFiles = new Map<string, string[]>();
    for (const r of m.routes ?? []) {
      const dev = m.interfaces.find((i) => i.config.mode === 'static' && onLink(r.via, i))?.name ?? m.interfaces[0]?.name;
      if (!dev) continue;
      const list = routeFiles.get(dev) ?? [];
      list.push(`${r.to} via ${r.via}`);
      routeFiles.set(dev, list);
    }
    for (const [dev, lines] of routeFiles) files[`/etc/sysconfig/network-scripts/route-${dev}`] = lines.join('\n') + '\n';
    if (m.dns && m.dns.length > 0) files['/etc/resolv.conf'] = m.dns.map((d) => `nameserver ${d}`).join('\n') + '\n';
    const os = new LinuxOs(m.name, host, {
      service: isHost ? 'NetworkManager' : 'network-scripts',
      files,
      lab: isHost ? this : null,
    });
    this.nodes.set(m.name, { name: m.name, kind: 'machine', host, os });
    if (m.forwarding) host.setForwarding(true);
    for (const outName of m.masquerade ?? []) {
      const out = host.interface(outName);
      if (!out) continue;
      const engine = new NatEngine(m.name, { log: (k, msg) => host.log(k, msg) });
      for (const r of m.portForwarding ?? []) engine.addRule({ name: r.name, proto: r.proto, hostIp: parseIpv4(r.hostIp) ?? 0, hostPort: r.hostPort, guestIp: parseIpv4(r.guestIp) ?? 0, guestPort: r.guestPort });
      masquerade(host, out, engine);
      this.natEngines.push({ name: m.name, engine, kind: 'router' });
    }
    this.startServices(m, host, os);
  }

  private startServices(m: Machine, host: Host, os: LinuxOs): void {
    const svc = m.services;
    if (!svc) return;
    for (const d of svc.dhcp ?? []) {
      const iface = host.interface(d.interface);
      const mi = m.interfaces.find((i) => i.name === d.interface);
      if (!iface || !mi || mi.config.mode !== 'static') continue;
      const c = parseCidr(mi.config.address, 24);
      if (!c) continue;
      const started = startDhcpServer(host, iface, machineDhcpConfig(m.name, d, c.address, c.prefix));
      if (started) this.dhcpServers.push({ name: m.name, server: started.server, node: m.name });
    }
    if (svc.dns) {
      const records: DnsZoneEntry[] = Object.entries(svc.dns.records).map(([name, ip]) => ({ name: `${name}.`, type: 'A', address: ipv4(ip) }));
      for (const [alias, target] of Object.entries(svc.dns.aliases ?? {})) records.push({ name: `${alias}.`, type: 'CNAME', target: `${target}.` });
      const forwarders = (svc.dns.forwarders ?? []).map(ipv4);
      const started = startDnsServer(host, {
        zones: records.length > 0 ? [{ origin: '', records }] : [],
        recursion: forwarders.length > 0,
        upstreams: forwarders,
      });
      if (started) this.dnsServers.push({ node: m.name, server: started.server });
    }
    if (svc.http) {
      const opts = svc.http.body !== undefined ? { pages: { '/': { contentType: 'text/html; charset=UTF-8', body: svc.http.body } } } : exampleDotCom();
      if (svc.http.server) (opts as { serverHeader?: string }).serverHeader = svc.http.server;
      new HttpServer(os.tcp, { ...opts, port: svc.http.port ?? 80 }).start();
    }
  }

  /**
   * DHCP servers the host runs on one of its virtual adapters (a dnsmasq on vboxnet0, Windows' Internet Connection
   * Sharing): the adapter exists only once its network does, so they start after the networks.
   */
  private startHostAdapterDhcp(): void {
    const m = hostMachine(this.doc);
    const node = m ? this.nodes.get(m.name) : undefined;
    if (!m || !node) return;
    for (const d of m.services?.dhcp ?? []) {
      if (m.interfaces.some((i) => i.name === d.interface)) continue;
      const iface = node.host.interface(d.interface);
      const a = iface?.addresses[0];
      if (!iface || !a) continue;
      const started = startDhcpServer(node.host, iface, machineDhcpConfig(m.name, d, a.address, a.prefix));
      if (started) this.dhcpServers.push({ name: `${m.name} (${d.interface})`, server: started.server, node: m.name });
    }
  }

  /** The ISP's router: one interface on the Internet wire holding every public host's gateway address. */
  private createIsp(network: string): void {
    const gateways = new Map<Ipv4Addr, number>();
    for (const m of this.doc.machines) {
      for (const i of m.interfaces) {
        if (i.network !== network || i.config.mode !== 'static' || !i.config.gateway) continue;
        const c = parseCidr(i.config.address, 24);
        if (c) gateways.set(ipv4(i.config.gateway), c.prefix);
      }
      for (const r of m.routes ?? []) {
        const i = m.interfaces.find((x) => x.network === network && x.config.mode === 'static' && onLink(r.via, x));
        if (i && i.config.mode === 'static') gateways.set(ipv4(r.via), parseCidr(i.config.address, 24)?.prefix ?? 24);
      }
    }
    if (gateways.size === 0) return;
    const name = 'isp';
    const host = new Host(name, this.ctxFor(name));
    const iface = host.addInterface('eth0', 0x020000000001);
    this.cable(`${name}.eth0`, iface.port as Port, this.switchFor(network).addPort(name));
    for (const [gw, prefix] of gateways) host.addAddress(iface, gw, prefix);
    host.setForwarding(true);
    this.nodes.set(name, { name, kind: 'service', host, os: null });
  }

  private hostNode(): LabNode | undefined {
    const h = hostMachine(this.doc);
    return h ? this.nodes.get(h.name) : undefined;
  }

  private createNetwork(plan: VirtualNetworkPlan): void {
    if (plan.kind === 'bridge') return; // built with the host machine
    const hostNode = this.hostNode();
    const net: RunningNetwork = { plan, sw: null, nat: null, dnsProxy: null, dhcpNode: null, stopDhcp: null, hostAdapter: null, links: [] };
    this.virtual.set(plan.id, net);
    if (plan.kind !== 'nat') net.sw = new Switch(plan.label, this.scheduler);
    if (plan.hostAdapter && hostNode) {
      const a = plan.hostAdapter;
      // Re-created after a change (a DHCP server removed…): the host's vboxnet0/vmnet8 stays, as on a real host.
      const existing = hostNode.host.interface(a.name);
      const iface = existing ?? hostNode.host.addInterface(a.name, a.mac);
      if (existing) hostNode.host.setLinkUp(iface, true);
      const c = parseCidr(a.address, 24);
      if (c && !iface.hasAddress(c.address)) hostNode.host.addAddress(iface, c.address, c.prefix, 'kernel');
      net.links.push(this.cable(`${hostNode.name}.${a.name}`, iface.port as Port, (net.sw as Switch).addPort(hostNode.name)));
      net.hostAdapter = iface;
      hostNode.os?.network.status();
    }
    if (plan.userNat && hostNode) {
      const un = plan.userNat;
      const gwHost = hostPart(un.gateway);
      const macs =
        un.flavor === 'vmware-nat'
          ? { gateway: VMWARE.natMac + vmnetNumber(plan.label) }
          : { gateway: VBOX_NAT.macPrefix + gwHost, dns: un.dns !== un.gateway ? VBOX_NAT.macPrefix + hostPart(un.dns) : undefined, tftp: un.tftp ? VBOX_NAT.macPrefix + hostPart(un.tftp) : undefined };
      const nat = new UserModeNat(un, hostNode.host, this.ctxFor(`nat:${un.name}`), macs);
      net.nat = nat;
      this.natEngines.push({ name: un.name, engine: nat.engine, kind: un.flavor });
      this.nodes.set(nat.inside.name, { name: nat.inside.name, kind: 'service', host: nat.inside, os: null });
      const hostOs = hostNode.os;
      net.dnsProxy = startDnsProxy(nat.inside, ipv4(un.dns), hostNode.host, () => hostOs?.files.read('/etc/resolv.conf') ?? '');
      hostOs?.files.onWrite((p) => {
        if (p === '/etc/resolv.conf') net.dnsProxy?.refresh();
      });
      if (net.sw) net.links.push(this.cable(`${nat.inside.name}.eth0`, nat.port, net.sw.addPort('nat')));
    }
    if (plan.dhcp) this.createDhcp(net, plan.dhcp);
  }

  private createDhcp(net: RunningNetwork, d: DhcpPlan): void {
    const server = ipv4(d.server);
    const config = {
      name: d.name,
      serverIp: server,
      network: (server & prefixToMask(d.prefix)) >>> 0,
      prefix: d.prefix,
      pools: [{ start: ipv4(d.start), end: ipv4(d.end) }],
      router: d.router ? ipv4(d.router) : null,
      dnsServers: (d.dns ?? []).map(ipv4),
      domain: d.domain ?? null,
      leaseTimeS: d.leaseSeconds,
      maxLeaseTimeS: d.maxLeaseSeconds,
    };
    if (net.nat && net.nat.inside.isLocal(server)) {
      const started = startDhcpServer(net.nat.inside, net.nat.iface, config);
      if (started) {
        const entry = { name: d.name, server: started.server, node: net.nat.inside.name };
        this.dhcpServers.push(entry);
        net.stopDhcp = () => {
          started.socket.close();
          this.forgetDhcp(entry.server);
        };
      }
      return;
    }
    if (!net.sw) return;
    // A DHCP server process with an address of its own on the network (VBoxNetDHCP, vmnetdhcp).
    const name = `dhcp:${net.plan.label}`;
    const host = new Host(name, this.ctxFor(name));
    const iface = host.addInterface('eth0', VBOX_MAC_PREFIX + 0xff0000 + (seedFrom(this.seed, name) & 0xffff));
    host.addAddress(iface, server, d.prefix);
    const sw = net.sw;
    const port = sw.addPort('dhcp');
    const link = this.cable(`${name}.eth0`, iface.port as Port, port);
    net.links.push(link);
    const started = startDhcpServer(host, iface, config);
    if (started) this.dhcpServers.push({ name: d.name, server: started.server, node: name });
    this.nodes.set(name, { name, kind: 'service', host, os: null });
    net.dhcpNode = name;
    net.stopDhcp = () => {
      started?.socket.close();
      if (started) this.forgetDhcp(started.server);
      link.unplug();
      sw.removePort(port);
      net.links = net.links.filter((l) => l !== link);
      if (this.nodes.get(name)?.host === host) this.nodes.delete(name);
      net.dhcpNode = null;
    };
  }

  private forgetDhcp(server: DhcpServer): void {
    const i = this.dhcpServers.findIndex((e) => e.server === server);
    if (i >= 0) this.dhcpServers.splice(i, 1);
  }

  private updateNetwork(net: RunningNetwork, plan: VirtualNetworkPlan): void {
    const old = net.plan;
    // Only its DHCP server changed (`VBoxManage dhcpserver modify|remove`): the switch and its cables stay, so guests see no link change.
    const withoutDhcp = (p: VirtualNetworkPlan): string => JSON.stringify({ ...p, dhcp: undefined });
    if (withoutDhcp(old) === withoutDhcp(plan)) {
      net.stopDhcp?.();
      net.stopDhcp = null;
      net.plan = plan;
      if (plan.dhcp) this.createDhcp(net, plan.dhcp);
      return;
    }
    // Only the port-forwarding rules changed: update the engine in place, as VirtualBox does for a running VM.
    const strip = (p: VirtualNetworkPlan): string => JSON.stringify({ ...p, userNat: p.userNat ? { ...p.userNat, rules: [] } : undefined });
    if (net.nat && strip(old) === strip(plan) && plan.userNat) {
      for (const r of net.nat.engine.rules) net.nat.engine.removeRule(r.name);
      for (const r of engineRules(plan.userNat)) net.nat.engine.addRule(r);
      net.plan = plan;
      return;
    }
    const attached = [...this.nics.values()].filter((n) => n.plan.network === plan.id);
    for (const n of attached) this.unplugNic(n);
    this.destroyNetwork(plan.id, net);
    this.createNetwork(plan);
    for (const n of attached) this.plugNic(n, n.plan);
  }

  private destroyNetwork(id: string, net: RunningNetwork): void {
    for (const l of net.links) l.unplug();
    net.nat?.detach();
    net.dnsProxy?.close();
    if (net.nat) {
      this.nodes.delete(net.nat.inside.name);
      const i = this.natEngines.findIndex((e) => e.engine === net.nat?.engine);
      if (i >= 0) this.natEngines.splice(i, 1);
    }
    if (net.dhcpNode) this.nodes.delete(net.dhcpNode);
    const d = this.dhcpServers.findIndex((e) => e.name === net.plan.dhcp?.name);
    if (d >= 0) this.dhcpServers.splice(d, 1);
    if (net.hostAdapter) {
      const hostNode = this.hostNode();
      if (hostNode) {
        for (const a of [...net.hostAdapter.addresses]) hostNode.host.removeAddress(net.hostAdapter, a.address);
        hostNode.host.setLinkUp(net.hostAdapter, false);
      }
    }
    this.virtual.delete(id);
  }

  private createVm(vm: Vm, plan: WiringPlan): void {
    const host = new Host(vm.name, this.ctxFor(vm.name));
    const nics = plan.nics.filter((n) => n.vm === vm.name).sort((a, b) => a.slot - b.slot);
    for (const n of nics) this.createNic(host, n);
    const files: Record<string, string> = {};
    for (const [dev, text] of Object.entries(vm.guest.ifcfg)) files[ifcfgPath(dev)] = text;
    const os = new LinuxOs(vm.name, host, { hostname: vm.guest.hostname ?? vm.name, service: vm.guest.service, files, dhcpClientId: vm.guest.dhcpClientId });
    if (vm.guest.httpd) os.httpd.start();
    this.nodes.set(vm.name, { name: vm.name, kind: 'vm', host, os });
  }

  private createNic(host: Host, n: NicPlan): void {
    const iface = host.interface(n.device) ?? host.addInterface(n.device, n.mac);
    const nic: RunningNic = { plan: n, iface, link: null, far: null };
    this.nics.set(`${n.vm}.nic${n.slot}`, nic);
    this.plugNic(nic, n);
  }

  private portOn(network: string | null, vm: string): Port | null {
    if (network === null) return null;
    if (network.startsWith('bridge:')) return this.bridges.get(network.slice('bridge:'.length))?.addVmPort(vm) ?? null;
    const net = this.virtual.get(network);
    if (!net) return null;
    if (net.sw) return net.sw.addPort(vm);
    return net.nat?.port ?? null;
  }

  private plugNic(nic: RunningNic, n: NicPlan): void {
    nic.plan = n;
    const far = this.portOn(n.network, n.vm);
    if (far === null || nic.iface.port === null) return;
    if (far.link) far.link.unplug(); // an engine port held by a stale cable
    nic.far = far;
    nic.link = this.cable(`${n.vm}.${n.device}`, nic.iface.port, far, n.connected);
    if (n.network !== null) this.log.add(n.vm, 'attachment-changed', `adapter ${n.slot} attached to ${n.attachmentLabel}`);
  }

  private unplugNic(nic: RunningNic): void {
    if (nic.link) nic.link.unplug();
    if (nic.far) {
      const sw = this.switchOwning(nic.far);
      sw?.removePort(nic.far);
    }
    nic.link = null;
    nic.far = null;
  }

  private switchOwning(port: Port): Switch | null {
    for (const net of this.virtual.values()) if (net.sw && net.sw.portList.includes(port)) return net.sw;
    for (const b of this.bridges.values()) if (b.switch.portList.includes(port)) return b.switch;
    return null;
  }

  private updateNic(have: RunningNic, n: NicPlan): void {
    if (have.plan.network !== n.network) {
      this.unplugNic(have);
      if (n.mac !== have.iface.mac) have.iface.mac = n.mac;
      this.plugNic(have, n);
      if (n.network === null) this.log.add(n.vm, 'attachment-changed', `adapter ${n.slot} not attached`);
      return;
    }
    if (have.link && have.link.connected !== n.connected) {
      have.link.connected = n.connected;
      this.log.add(n.vm, n.connected ? 'link-up' : 'link-down', `adapter ${n.slot}: cable ${n.connected ? 'connected' : 'disconnected'}`);
    }
    if (n.mac !== have.iface.mac) have.iface.mac = n.mac;
    have.plan = n;
  }

  private destroyVm(name: string): void {
    for (const [key, nic] of [...this.nics]) {
      if (nic.plan.vm !== name) continue;
      this.unplugNic(nic);
      this.nics.delete(key);
    }
    this.nodes.delete(name);
  }

  /**
   * The lab side of a bridge to something outside it (a TAP device, a UDP tunnel), cabled as link `name`
   * and captured like any other. `where` is a network's name (`lan`, `vboxnet0`, `intnet`…): the port is
   * a new station on its switch. Or a running VM's adapter (`vm1.nic1`): the port takes the adapter's
   * place behind whatever it is attached to (a NAT engine, a switch, the host's bridge), and the VM's
   * own card loses its cable. Null when `where` names nothing that can take a cable.
   */
  attachmentPoint(where: string, name: string): Port | null {
    const nic = this.nics.get(where);
    if (nic) {
      const far = nic.far;
      if (far === null) return null;
      const old = nic.link;
      old?.unplug();
      const port = new Port(name, nic.plan.device);
      let released = false;
      const plug = (): void => {
        if (!released) nic.link = this.cable(name, port, far, nic.plan.connected);
      };
      // Frames the VM already put on its cable (a DHCP discover sent at boot) are lost with it; a new
      // cable plugged at once into the same port would deliver them, so it goes in once they have landed.
      if (old) this.scheduler.schedule(old.delayUs, plug, undefined);
      else plug();
      this.attachmentUndo.set(port, () => {
        released = true;
        const ours = port.link;
        if (ours) {
          ours.unplug();
          if (this.links.get(name) === ours) this.links.delete(name);
        }
        // The VM's card gets its cable back, unless a change of settings moved the adapter meanwhile.
        const card = nic.iface.port;
        const stillOurs = nic.link === null || nic.link === ours || nic.link === old;
        if (this.nics.get(where) === nic && nic.far === far && stillOurs && far.link === null && card !== null && card.link === null) {
          nic.link = this.cable(`${nic.plan.vm}.${nic.plan.device}`, card, far, nic.plan.connected);
        }
      });
      return port;
    }
    const physical = this.physical.get(where);
    const net = physical ? undefined : [...this.virtual.values()].find((n) => n.sw !== null && (n.plan.label === where || n.plan.id === where || n.plan.label.startsWith(`${where} (`)));
    const sw = physical ?? net?.sw ?? null;
    if (sw === null) return null;
    const port = new Port(name, where);
    const swPort = sw.addPort(name);
    const link = this.cable(name, port, swPort);
    net?.links.push(link);
    this.attachmentUndo.set(port, () => {
      link.unplug();
      sw.removePort(swPort);
      if (this.links.get(name) === link) this.links.delete(name);
      if (net) net.links = net.links.filter((l) => l !== link);
    });
    return port;
  }

  /**
   * Undoes `attachmentPoint` for the port it gave: a network's switch loses the station it gained; a VM's
   * adapter gets its own cable back. False when `port` came from elsewhere or was released before.
   */
  releaseAttachmentPoint(port: Port): boolean {
    const undo = this.attachmentUndo.get(port);
    if (!undo) return false;
    this.attachmentUndo.delete(port);
    undo();
    return true;
  }

  // ---- running --------------------------------------------------------------------------------------

  /** Runs the clock until every DHCP client is bound or `maxS` virtual seconds passed: the lab has settled. */
  settle(maxS = 90): void {
    const deadline = this.scheduler.now + maxS * S;
    while (this.scheduler.now < deadline) {
      this.scheduler.runFor(S);
      if (this.pendingDhcp() === 0) break;
    }
  }

  private pendingDhcp(): number {
    let n = 0;
    for (const node of this.nodes.values()) {
      if (!node.os) continue;
      n += node.os.network.busy;
      for (const st of node.os.network.status()) if (st.state.startsWith('dhcp') && !/bound/.test(st.state)) n++;
    }
    return n;
  }

  /** Where a machine's interfaces are plugged: the network and its kind, in the products' words. */
  placement(name: string): Placement[] {
    const out: Placement[] = [];
    const m = this.doc.machines.find((x) => x.name === name);
    if (m) {
      for (const i of m.interfaces) {
        const n = this.doc.networks.find((x) => x.name === i.network);
        out.push({ device: i.name, network: i.network, kind: n?.kind === 'internet' ? 'internet' : 'physical', label: i.network, connected: true, attachment: n?.kind === 'internet' ? 'Internet' : 'LAN' });
      }
      if (m.role === 'host') {
        for (const net of this.virtual.values()) {
          if (net.hostAdapter) out.push({ device: net.hostAdapter.name, network: net.plan.id, kind: net.plan.kind, label: net.plan.label, connected: true, attachment: 'host adapter' });
        }
      }
      return out;
    }
    for (const nic of this.nics.values()) {
      if (nic.plan.vm !== name) continue;
      const plan = nic.plan.network === null ? null : nic.plan.network.startsWith('bridge:') ? null : this.virtual.get(nic.plan.network)?.plan;
      const bridged = nic.plan.network?.startsWith('bridge:') === true;
      out.push({
        device: nic.plan.device,
        network: bridged ? this.bridgedNetwork(nic.plan.network as string) : nic.plan.network,
        kind: bridged ? 'bridge' : (plan?.kind ?? 'none'),
        label: bridged ? (this.bridgedNetwork(nic.plan.network as string) ?? '') : (plan?.label ?? 'not attached'),
        connected: nic.plan.connected,
        attachment: nic.plan.attachmentLabel,
      });
    }
    return out;
  }

  /** The physical network a host interface's bridge rides on. */
  private bridgedNetwork(id: string): string | null {
    const host = hostMachine(this.doc);
    const iface = host?.interfaces.find((i) => i.name === id.slice('bridge:'.length));
    return iface?.network ?? null;
  }

  node(name: string): LabNode | undefined {
    return this.nodes.get(name);
  }

  /** Machines and VMs, in the document's order (what has a shell). */
  machines(): LabNode[] {
    return [...this.nodes.values()].filter((n) => n.kind !== 'service');
  }
}

function ipv4(text: string): Ipv4Addr {
  return parseIpv4(text) ?? 0;
}

function machineDhcpConfig(name: string, d: DhcpServiceConfig, address: Ipv4Addr, prefix: number) {
  return {
    name,
    serverIp: address,
    network: (address & prefixToMask(prefix)) >>> 0,
    prefix,
    pools: [{ start: ipv4(d.rangeStart), end: ipv4(d.rangeEnd) }],
    router: d.router ? ipv4(d.router) : null,
    dnsServers: (d.dns ?? []).map(ipv4),
    domain: d.domain ?? null,
    leaseTimeS: d.leaseSeconds,
  };
}

function hostPart(ip: string): number {
  return ipv4(ip) & 0xff;
}

function vmnetNumber(label: string): number {
  const m = /VMnet(\d+)/i.exec(label);
  return m ? Number(m[1]) : 0;
}

function onLink(via: string, i: MachineInterface): boolean {
  if (i.config.mode !== 'static') return false;
  const c = parseCidr(i.config.address, 24);
  const v = parseIpv4(via);
  return c !== null && v !== null && ((c.address ^ v) & prefixToMask(c.prefix)) === 0;
}

function ifcfgFor(i: MachineInterface): string {
  const c = i.config;
  if (c.mode === 'dhcp') return dhcpIfcfg(i.name, true);
  if (c.mode === 'static') {
    const cidr = parseCidr(c.address, 24);
    return staticIfcfg(i.name, cidr ? formatIpv4(cidr.address) : c.address, cidr?.prefix ?? 24, c.gateway, c.dns ?? []);
  }
  return `DEVICE=${i.name}\nBOOTPROTO=none\nONBOOT=yes\n`;
}

/** A deep copy of a document (plain JSON, so a JSON round trip is exact). */
function cloneDocument(doc: LabDocument): LabDocument {
  return JSON.parse(JSON.stringify(doc)) as LabDocument;
}
