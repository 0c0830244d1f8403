// A Linux machine's OS: its files, resolver, TCP and web server, and the network service that reads its ifcfg files.
import { apacheSite, HttpServer } from '../devices/http-server';
import type { DhcpClient, DhcpLease } from '../stack/dhcp-client';
import { startDhcpClient } from '../stack/dhcp-on-host';
import { makeResolver } from '../stack/dns-on-host';
import type { DnsResolver } from '../stack/dns-resolver';
import type { Host } from '../stack/host';
import { centosHostsFile, HostsFile } from '../stack/hosts-file';
import type { NetInterface } from '../stack/interface';
import type { TcpLayer } from '../stack/tcp';
import { attachTcp } from '../stack/tcp-on-host';
import { formatIpv4, formatMac, type Ipv4Addr, parseCidr, parseIpv4 } from '../wire/address';
import { fromHex } from '../wire/bytes';
import { MemoryFileSystem } from './files';
import { IFCFG_DIR, ifcfgPath, ifcfgSettings, type IfcfgSettings } from './ifcfg';
import type { CommandOutput, Done, LabControl, MachineOs, NetworkService } from './os';

const S = 1_000_000;
/** dhclient's `timeout` in dhclient.conf: how long `ifup` (dhclient -1) tries before saying "failed". */
export const DHCLIENT_TIMEOUT_US = 60 * S;
/** ifup-eth's LINKDELAY-less wait for carrier before giving up. */
const LINK_WAIT_US = 5 * S;

export type NetworkServiceKind = 'network-scripts' | 'NetworkManager';

export interface LinuxOsOptions {
  hostname?: string;
  service: NetworkServiceKind;
  /** Initial files (ifcfg-*, hosts, …) by path. */
  files?: Record<string, string>;
  /** DHCP client identifier (hex) other than none/MAC: a clone's inherited id. */
  dhcpClientId?: string;
  lab?: LabControl | null;
  /** Interfaces this OS does not manage (a host's vboxnet0, which VirtualBox configures). */
  unmanaged?: readonly string[];
}

/** Per interface: the DHCP client dhclient or NetworkManager runs there, and what it configured. */
interface ManagedDhcp {
  client: DhcpClient;
  close(): void;
}

export class LinuxOs implements MachineOs {
  readonly files = new MemoryFileSystem(['/etc/sysconfig/network-scripts', '/var/www/html', '/root', '/tmp', '/var/lib/dhclient']);
  readonly tcp: TcpLayer;
  readonly network: GuestNetwork;
  readonly lab: LabControl | null;
  private resolverInstance: DnsResolver | null = null;

  constructor(
    readonly name: string,
    readonly host: Host,
    readonly options: LinuxOsOptions,
  ) {
    this.lab = options.lab ?? null;
    this.files.write('/etc/hostname', `${options.hostname ?? name}\n`);
    this.files.write('/etc/hosts', centosHostsFile());
    this.files.write('/etc/resolv.conf', '');
    for (const [path, text] of Object.entries(options.files ?? {})) {
      this.files.mkdirp(path.slice(0, path.lastIndexOf('/')) || '/');
      this.files.write(path, text);
    }
    this.tcp = attachTcp(host);
    this.httpd = new Httpd(this);
    this.network = new GuestNetwork(this, options.service, options.unmanaged ?? []);
  }

  get clock() {
    return this.host.ctx.scheduler;
  }

  get hostname(): string {
    return (this.files.read('/etc/hostname') ?? this.name).trim() || this.name;
  }

  set hostname(v: string) {
    this.files.write('/etc/hostname', `${v}\n`);
  }

  resolver(): DnsResolver {
    const conf = this.files.read('/etc/resolv.conf') ?? '';
    const hosts = HostsFile.parse(this.files.read('/etc/hosts') ?? '');
    if (this.resolverInstance === null) this.resolverInstance = makeResolver(this.host, conf, hosts);
    else {
      this.resolverInstance.setResolvConf(conf);
      this.resolverInstance.setHosts(hosts);
    }
    return this.resolverInstance;
  }

  /** `systemctl start|stop httpd`. */
  readonly httpd: Httpd;

  /** Brings up every ONBOOT=yes interface, as the boot sequence does. */
  boot(): void {
    this.network.boot();
  }
}

/** The network service: CentOS network-scripts (ifup/ifdown + dhclient) or NetworkManager, over ifcfg files. */
export class GuestNetwork implements NetworkService {
  private dhcp = new Map<string, ManagedDhcp>();
  /** Interfaces brought up by ifup/NetworkManager, so restart and carrier handling know what is active. */
  private active = new Set<string>();

  constructor(
    private readonly os: LinuxOs,
    readonly kind: NetworkServiceKind,
    private readonly unmanaged: readonly string[],
  ) {
    os.host.onCarrierChange((iface, up) => this.onCarrier(iface, up));
  }

  private get host(): Host {
    return this.os.host;
  }

  private settings(dev: string): IfcfgSettings | null {
    const text = this.os.files.read(ifcfgPath(dev));
    return text === null ? null : ifcfgSettings(dev, text);
  }

  /** Devices that have an ifcfg file, in the order the scripts bring them up. */
  private configuredDevices(): string[] {
    return this.os.files
      .list(IFCFG_DIR)
      .filter((f) => f.startsWith('ifcfg-') && f !== 'ifcfg-lo')
      .map((f) => f.slice('ifcfg-'.length))
      .sort();
  }

  /** ifup runs still under way (the boot sequence, a restart), so the lab knows when it has settled. */
  busy = 0;

  boot(): void {
    const up = new Set<string>();
    for (const dev of this.configuredDevices()) {
      const s = this.settings(dev);
      if (s && s.onBoot && this.host.interface(dev)) {
        up.add(dev);
        this.busy++;
        this.ifup(dev, silent, () => this.busy--);
      }
    }
    // The kernel brings interfaces up down; network-scripts raise only the ONBOOT=yes ones (NetworkManager raises every device it manages).
    if (this.kind === 'network-scripts') {
      for (const i of this.host.interfaces) if (!i.isLoopback && !up.has(i.name) && !this.unmanaged.includes(i.name)) this.host.setLinkUp(i, false);
    }
  }

  status(): Array<{ device: string; state: string }> {
    return this.host.interfaces
      .filter((i) => !i.isLoopback)
      .map((i) => {
        const d = this.dhcp.get(i.name);
        const state = !i.up ? 'down' : !i.carrier ? 'no carrier' : d ? `dhcp ${d.client.state.toLowerCase()}` : i.addresses.length > 0 ? 'configured' : 'up, no address';
        return { device: i.name, state };
      });
  }

  ifup(dev: string, io: CommandOutput, done: Done): void {
    const iface = this.host.interface(dev);
    const s = this.settings(dev);
    if (s === null || iface === undefined || this.unmanaged.includes(dev)) {
      io.err(`/usr/sbin/ifup: configuration for ${dev} not found.\nUsage: ifup <configuration>\n`);
      this.os.clock.schedule(0, done, 1);
      return;
    }
    for (const p of s.problems) io.err(`ifup: ${ifcfgPath(dev)}: ${p}\n`);
    this.host.setLinkUp(iface, true);
    this.active.add(dev);
    if (s.bootProto === 'dhcp') this.ifupDhcp(iface, s, io, done);
    else if (s.address !== null) this.ifupStatic(iface, s, io, done);
    else this.os.clock.schedule(0, done, 0);
  }

  private waitForCarrier(iface: NetInterface, then: (ok: boolean) => void): void {
    if (iface.carrier) {
      then(true);
      return;
    }
    this.os.clock.schedule(LINK_WAIT_US, () => then(iface.carrier), null);
  }

  private ifupDhcp(iface: NetInterface, s: IfcfgSettings, io: CommandOutput, done: Done): void {
    const nm = this.kind === 'NetworkManager';
    if (!nm) io.out(`\nDetermining IP information for ${iface.name}...`);
    this.waitForCarrier(iface, (link) => {
      if (!link) {
        if (nm) io.err(`Error: Connection activation failed: No suitable device found for this connection (device ${iface.name} not available because device has no carrier).\n`);
        else io.out(' failed; no link present.  Check cable?\n');
        done(1);
        return;
      }
      const d = this.dhcpOn(iface, s);
      const finish = (ok: boolean): void => {
        if (nm) {
          if (ok) io.out(`Connection successfully activated (D-Bus active path: /org/freedesktop/NetworkManager/ActiveConnection/${iface.index})\n`);
          else io.err(`Error: Connection activation failed: IP configuration could not be reserved (no available address, timeout, etc.).\n`);
        } else io.out(ok ? ' done.\n' : ' failed.\n');
        done(ok ? 0 : 1);
      };
      if (d.client.isConfigured && d.client.state !== 'INIT') {
        finish(true);
        return;
      }
      d.client.start();
      this.waitFor(() => d.client.isConfigured, DHCLIENT_TIMEOUT_US, (ok) => {
        // `dhclient -1` gives up after its timeout; NetworkManager keeps trying in the background.
        if (!ok && !nm) {
          d.client.stop();
        }
        finish(ok);
      });
    });
  }

  /** Polls `cond` on the virtual clock every 100 ms until true or `timeoutUs`. */
  private waitFor(cond: () => boolean, timeoutUs: number, then: (ok: boolean) => void): void {
    const deadline = this.os.clock.now + timeoutUs;
    const tick = (): void => {
      if (cond()) then(true);
      else if (this.os.clock.now >= deadline) then(false);
      else this.os.clock.schedule(100_000, tick, null);
    };
    tick();
  }

  private ifupStatic(iface: NetInterface, s: IfcfgSettings, io: CommandOutput, done: Done): void {
    const address = s.address as Ipv4Addr;
    const prefix = s.prefix ?? 24;
    const go = (): void => {
      const nm = this.kind === 'NetworkManager';
      this.clearAddresses(iface);
      this.host.addAddress(iface, address, prefix, 'static', Infinity, nm ? 100 : 0);
      if (s.gateway !== null && s.defRoute) {
        this.host.routes.remove({ prefix: 0 });
        this.host.addRoute({ dst: 0, prefix: 0, gateway: s.gateway, iface, metric: nm ? 100 : 0, proto: nm ? 'static' : 'boot', src: 0 });
      }
      if (s.dns.length > 0 && s.peerDns) this.writeResolvConf(s.dns, null);
      this.applyRouteFile(iface);
      // ifup-eth announces the address (arping -A / -U) so neighbours update their caches.
      this.host.announce(iface, address);
      if (nm) io.out(`Connection successfully activated (D-Bus active path: /org/freedesktop/NetworkManager/ActiveConnection/${iface.index})\n`);
      done(0);
    };
    if (!iface.carrier) {
      go();
      return;
    }
    // ifup-eth: `arping -q -c 2 -w 3 -D -I DEV IPADDR` before configuring a static address.
    this.host.probeAddress(iface, address, (mac) => {
      if (mac !== null) {
        io.err(`Error, some other host (${formatMac(mac).toUpperCase()}) already uses address ${formatIpv4(address)}.\n`);
        this.host.log('address-conflict', `ifup ${iface.name}: ${formatIpv4(address)} is already used by ${formatMac(mac)}; address not configured`);
        done(1);
        return;
      }
      go();
    });
  }

  private clearAddresses(iface: NetInterface): void {
    for (const a of [...iface.addresses]) this.host.removeAddress(iface, a.address);
  }

  ifdown(dev: string, io: CommandOutput, done: Done): void {
    const iface = this.host.interface(dev);
    if (iface === undefined || this.unmanaged.includes(dev)) {
      io.err(`usage: ifdown <configuration>\n`);
      this.os.clock.schedule(0, done, 1);
      return;
    }
    this.takeDown(iface, true);
    if (this.kind === 'NetworkManager') io.out(`Device '${dev}' successfully disconnected.\n`);
    this.os.clock.schedule(0, done, 0);
  }

  private takeDown(iface: NetInterface, release: boolean): void {
    const d = this.dhcp.get(iface.name);
    if (d) {
      if (release && d.client.isConfigured) d.client.release();
      else d.client.stop();
      d.close();
      this.dhcp.delete(iface.name);
    }
    this.clearAddresses(iface);
    this.host.routes.remove({ iface });
    this.host.setLinkUp(iface, false);
    this.active.delete(iface.name);
  }

  restart(io: CommandOutput, done: Done): void {
    const devs = this.configuredDevices().filter((d) => this.host.interface(d) && !this.unmanaged.includes(d));
    for (const dev of devs) this.takeDown(this.host.interface(dev) as NetInterface, true);
    const up = devs.filter((d) => this.settings(d)?.onBoot);
    let failed = false;
    const next = (i: number): void => {
      if (i >= up.length) {
        if (failed) io.err('Job for network.service failed because the control process exited with error code. See "systemctl status network.service" and "journalctl -xe" for details.\n');
        done(failed ? 1 : 0);
        return;
      }
      this.ifup(up[i], silent, (code) => {
        if (code !== 0) failed = true;
        next(i + 1);
      });
    };
    next(0);
  }

  dhclient(dev: string | null, release: boolean, io: CommandOutput, done: Done): void {
    const ifaces = dev === null ? this.host.interfaces.filter((i) => !i.isLoopback && !this.unmanaged.includes(i.name)) : [this.host.interface(dev)].filter((i): i is NetInterface => i !== undefined);
    if (dev !== null && ifaces.length === 0) {
      io.err(`Cannot find device "${dev}"\n`);
      this.os.clock.schedule(0, done, 1);
      return;
    }
    if (release) {
      for (const i of ifaces) {
        const d = this.dhcp.get(i.name);
        if (!d) continue;
        if (d.client.isConfigured) d.client.release();
        else d.client.stop();
        d.close();
        this.dhcp.delete(i.name);
      }
      this.os.clock.schedule(0, done, 0);
      return;
    }
    const started: ManagedDhcp[] = [];
    for (const i of ifaces) {
      this.host.setLinkUp(i, true);
      const d = this.dhcpOn(i, this.settings(i.name));
      if (!d.client.isConfigured) {
        d.client.start();
        started.push(d);
      }
    }
    // dhclient stays in the foreground until it has a lease (or its timeout passes, then goes to the background).
    this.waitFor(() => started.every((d) => d.client.isConfigured), DHCLIENT_TIMEOUT_US, () => done(0));
  }

  private dhcpOn(iface: NetInterface, s: IfcfgSettings | null): ManagedDhcp {
    const have = this.dhcp.get(iface.name);
    if (have) return have;
    const nm = this.kind === 'NetworkManager';
    const clientId = this.os.options.dhcpClientId;
    const started = startDhcpClient(
      this.host,
      iface,
      {
        hostName: this.os.hostname,
        // ISC dhclient sends no client identifier; NetworkManager's internal client sends 01+MAC.
        clientId: clientId ? fromHex(clientId) : nm ? undefined : null,
      },
      {
        configure: (lease) => this.configureLease(iface, lease, s),
        deconfigure: (lease) => {
          if (iface.hasAddress(lease.address)) this.host.removeAddress(iface, lease.address);
        },
      },
    );
    if (started === null) throw new Error(`${this.os.name}: UDP port 68 is taken on ${iface.name}`);
    const m: ManagedDhcp = { client: started.client, close: () => started.socket.close() };
    this.dhcp.set(iface.name, m);
    return m;
  }

  /** dhclient-script's BOUND/RENEW, or NetworkManager's equivalent. */
  private configureLease(iface: NetInterface, lease: DhcpLease, s: IfcfgSettings | null): void {
    const nm = this.kind === 'NetworkManager';
    const existing = iface.addresses.find((a) => a.address === lease.address);
    if (existing) existing.validUntilUs = lease.expiresUs;
    else {
      for (const a of [...iface.addresses]) if (a.source === 'dhcp') this.host.removeAddress(iface, a.address);
      this.host.addAddress(iface, lease.address, lease.prefix, 'dhcp', lease.expiresUs, nm ? 100 : 0);
    }
    if (lease.router !== null && (s?.defRoute ?? true)) {
      const current = this.host.routes.defaultRoute();
      if (!current || current.gateway !== lease.router || current.iface !== iface) {
        this.host.routes.remove({ prefix: 0, iface });
        this.host.addRoute({ dst: 0, prefix: 0, gateway: lease.router, iface, metric: nm ? 100 : 0, proto: nm ? 'dhcp' : 'boot', src: 0 });
      }
    }
    if ((s?.peerDns ?? true) && lease.dnsServers.length > 0) this.writeResolvConf(lease.dnsServers, lease.domain);
    this.applyRouteFile(iface);
  }

  /** ifup-routes: the static routes of /etc/sysconfig/network-scripts/route-DEV (`10.0.0.0/8 via 192.168.1.254`). */
  private applyRouteFile(iface: NetInterface): void {
    const text = this.os.files.read(`${IFCFG_DIR}/route-${iface.name}`);
    if (text === null) return;
    for (const line of text.split('\n')) {
      const m = /^\s*(default|\d+\.\d+\.\d+\.\d+(?:\/\d+)?)\s+via\s+(\d+\.\d+\.\d+\.\d+)/.exec(line);
      if (!m) continue;
      const dst = m[1] === 'default' ? { address: 0, prefix: 0 } : parseCidr(m[1], 32);
      const gw = parseIpv4(m[2]);
      if (dst === null || gw === null) continue;
      this.host.addRoute({ dst: dst.address, prefix: dst.prefix, gateway: gw, iface, metric: 0, proto: 'boot', src: 0 });
    }
  }

  private writeResolvConf(servers: readonly Ipv4Addr[], domain: string | null): void {
    const head = this.kind === 'NetworkManager' ? '# Generated by NetworkManager' : '; generated by /usr/sbin/dhclient-script';
    const lines = [head];
    if (domain) lines.push(`search ${domain}`);
    for (const d of servers) lines.push(`nameserver ${formatIpv4(d)}`);
    this.os.files.write('/etc/resolv.conf', lines.join('\n') + '\n');
  }

  /**
   * Link changes: network-scripts do nothing (dhclient keeps its lease: the address stays until the interface is
   * restarted); NetworkManager asks DHCP again when the link returns (INIT-REBOOT, then INIT on a NAK).
   */
  private onCarrier(iface: NetInterface, up: boolean): void {
    const leased = iface.addresses.filter((a) => a.source === 'dhcp');
    if (this.kind !== 'NetworkManager' && up && this.active.has(iface.name) && leased.length > 0) {
      const kept = leased.map((a) => `${formatIpv4(a.address)}/${a.prefix}`).join(', ');
      this.host.log('service', `${iface.name}: link is back; network-scripts do not ask DHCP again, so ${kept} stays until the interface is restarted (ifdown ${iface.name}; ifup ${iface.name}, or systemctl restart network) or the lease is due for renewal`);
    }
    if (this.kind !== 'NetworkManager' || !this.active.has(iface.name)) return;
    const d = this.dhcp.get(iface.name);
    if (!d) return;
    if (up) d.client.linkUp();
    else d.client.linkDown();
  }
}

/** The guest's Apache: its page is /var/www/html/index.html when there is one, else a page naming the machine. */
export class Httpd {
  private web: HttpServer;

  constructor(private readonly os: LinuxOs) {
    this.web = new HttpServer(os.tcp, apacheSite(os.hostname));
  }

  get running(): boolean {
    return this.web.running;
  }

  get server(): HttpServer {
    return this.web;
  }

  start(): boolean {
    if (this.web.running) return true;
    const page = this.os.files.read('/var/www/html/index.html');
    const opts = apacheSite(this.os.hostname);
    if (page !== null) opts.pages = { '/': { contentType: 'text/html; charset=UTF-8', body: page } };
    this.web = new HttpServer(this.os.tcp, opts);
    this.web.start();
    return this.web.running;
  }

  stop(): void {
    this.web.stop();
  }
}

const silent: CommandOutput = { out: () => {}, err: () => {} };
