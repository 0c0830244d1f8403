// What a machine's operating system offers its shell: the network stack, files, resolver, TCP, the network service, and (on the host) the lab.
import type { HttpServer } from '../devices/http-server';
import type { Scheduler } from '../sim/scheduler';
import type { DnsResolver } from '../stack/dns-resolver';
import type { Host } from '../stack/host';
import type { TcpLayer } from '../stack/tcp';
import type { LabDocument } from './document';

/** A machine's files that matter to networking: ifcfg-*, resolv.conf, hosts, hostname, the web root. */
export interface FileSystem {
  read(path: string): string | null;
  /** Writes a file; false (with `error` set) when the directory does not exist or the path is a directory. */
  write(path: string, text: string): boolean;
  exists(path: string): boolean;
  isDirectory(path: string): boolean;
  list(dir: string): string[];
}

/** Output of a running command: stdout and stderr text, in the order written. */
export interface CommandOutput {
  out(text: string): void;
  err(text: string): void;
}

/** Something that finishes on the virtual clock with an exit code. */
export type Done = (exitCode: number) => void;

/**
 * How the machine configures its network: CentOS's network-scripts (ifup/ifdown reading ifcfg files, a
 * dhclient per interface) or NetworkManager. Commands print what the real tools print.
 */
export interface NetworkService {
  readonly kind: 'network-scripts' | 'NetworkManager' | 'fixed';
  /** `ifup DEV`: brings the interface up as its ifcfg file says (DHCP or static); prints dhclient's or ifup's lines. */
  ifup(dev: string, io: CommandOutput, done: Done): void;
  /** `ifdown DEV`: releases a DHCP lease, removes addresses and routes, sets the link down. */
  ifdown(dev: string, io: CommandOutput, done: Done): void;
  /** `systemctl restart network` (or NetworkManager): every ONBOOT=yes interface again. */
  restart(io: CommandOutput, done: Done): void;
  /** `dhclient [-r] [DEV]`. */
  dhclient(dev: string | null, release: boolean, io: CommandOutput, done: Done): void;
  /** `systemctl status network`-style one-line state per interface, for the UI. */
  status(): Array<{ device: string; state: string }>;
}

/** The lab operations VBoxManage performs on the host (edit the document, apply it to the running lab). */
export interface LabControl {
  document(): LabDocument;
  /** Applies a changed document to the running lab as a difference; problems block the change. */
  apply(doc: LabDocument): { ok: true } | { ok: false; problems: string[] };
}

export interface MachineOs {
  /** The machine's name in the lab (also its default host name). */
  readonly name: string;
  hostname: string;
  readonly host: Host;
  readonly clock: Scheduler;
  readonly files: FileSystem;
  readonly network: NetworkService;
  /** The stub resolver, reading /etc/resolv.conf and /etc/hosts as they are now. */
  resolver(): DnsResolver;
  readonly tcp: TcpLayer;
  /** The web server `systemctl start|stop httpd` controls; its page is /var/www/html/index.html when present. */
  readonly httpd: { start(): boolean; stop(): void; readonly running: boolean; readonly server: HttpServer };
  /** The lab, for VBoxManage; null on every machine but the host. */
  readonly lab: LabControl | null;
}
