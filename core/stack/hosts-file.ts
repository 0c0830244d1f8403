// /etc/hosts: parsing, lookups as glibc's "files" source answers them, and the files fresh guests ship with.
import { parseIpv4, type Ipv4Addr } from '../wire/address';

export interface HostsEntry {
  /** The address as written (IPv6 lines are kept but never match an IPv4 lookup). */
  readonly address: string;
  readonly ipv4: Ipv4Addr | null;
  /** The canonical name first, then aliases. */
  readonly names: readonly string[];
}

export interface HostsMatch {
  canonicalName: string;
  aliases: string[];
  addresses: Ipv4Addr[];
}

export class HostsFile {
  constructor(readonly entries: readonly HostsEntry[]) {}

  /** Reads hosts(5) text: `address name [aliases…]`, `#` comments, blank and malformed lines skipped. */
  static parse(text: string): HostsFile {
    const entries: HostsEntry[] = [];
    for (const raw of text.split('\n')) {
      const line = raw.replace(/#.*/, '').trim();
      if (line === '') continue;
      const [address, ...names] = line.split(/\s+/);
      if (names.length === 0) continue;
      const looksV6 = address.includes(':');
      const ipv4 = parseIpv4(address);
      if (ipv4 === null && !looksV6) continue;
      entries.push({ address, ipv4, names });
    }
    return new HostsFile(entries);
  }

  /**
   * IPv4 addresses for `name` (any case, a final dot ignored). Like glibc's getaddrinfo through the files
   * source, every matching line contributes, in file order; the first one gives the canonical name.
   */
  lookup(name: string): HostsMatch | null {
    const key = name.replace(/\.$/, '').toLowerCase();
    let match: HostsMatch | null = null;
    for (const e of this.entries) {
      if (e.ipv4 === null || !e.names.some((n) => n.toLowerCase() === key)) continue;
      if (match === null) match = { canonicalName: e.names[0], aliases: e.names.slice(1), addresses: [] };
      if (!match.addresses.includes(e.ipv4)) match.addresses.push(e.ipv4);
    }
    return match;
  }

  /** The names of the first line holding `ip`, as gethostbyaddr finds them. */
  reverse(ip: Ipv4Addr): { hostname: string; aliases: string[] } | null {
    const e = this.entries.find((x) => x.ipv4 === ip >>> 0);
    return e === undefined ? null : { hostname: e.names[0], aliases: e.names.slice(1) };
  }
}

/** /etc/hosts as Debian's and Ubuntu's installers write it: the machine's own name on 127.0.1.1. */
export function debianHostsFile(hostname: string, domain?: string): string {
  const own = domain ? `${hostname}.${domain}\t${hostname}` : hostname;
  return (
    `127.0.0.1\tlocalhost\n127.0.1.1\t${own}\n\n` +
    '# The following lines are desirable for IPv6 capable hosts\n' +
    '::1     localhost ip6-localhost ip6-loopback\nff02::1 ip6-allnodes\nff02::2 ip6-allrouters\n'
  );
}

/** /etc/hosts of a fresh CentOS or RHEL install, where the machine's own name is not listed. */
export function centosHostsFile(): string {
  return (
    '127.0.0.1   localhost localhost.localdomain localhost4 localhost4.localdomain4\n' +
    '::1         localhost localhost.localdomain localhost6 localhost6.localdomain6\n'
  );
}
