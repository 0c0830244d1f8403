// MAC addresses the products make and accept: VirtualBox's 08:00:27 prefix, VMware's generated 00:0C:29 and static 00:50:56:00–3F.

/** Random bytes from the browser's generator; tests pass their own. */
export type RandomBytes = (n: number) => number[];

export const cryptoBytes: RandomBytes = (n) => [...globalThis.crypto.getRandomValues(new Uint8Array(n))];

const hex2 = (b: number): string => b.toString(16).padStart(2, '0');

/** A new VirtualBox address in the .vbox form: 080027 and three random bytes, upper case. */
export function newVirtualBoxMac(rand: RandomBytes = cryptoBytes): string {
  return `080027${rand(3).map(hex2).join('')}`.toUpperCase();
}

/** An address VMware generates for a VM: 00:0c:29 and three bytes. */
export function newVmwareGeneratedMac(rand: RandomBytes = cryptoBytes): string {
  return ['00', '0c', '29', ...rand(3).map(hex2)].join(':');
}

/** A static VMware address, as its "Generate" button makes: 00:50:56 then 00–3F and two bytes. */
export function newVmwareStaticMac(rand: RandomBytes = cryptoBytes): string {
  const [a, b, c] = rand(3);
  return ['00', '50', '56', hex2(a & 0x3f), hex2(b), hex2(c)].join(':');
}

/** What VirtualBox's MAC field keeps of what was typed: hex digits only, upper case (its field takes nothing else). */
export function cleanVirtualBoxMac(input: string): string {
  return input.replace(/[^0-9a-fA-F]/g, '').toUpperCase().slice(0, 12);
}

/** VirtualBox's complaint about a MAC, or null: 12 digits, and a unicast first byte. */
export function virtualBoxMacIssue(mac: string): 'macLength' | 'macMulticast' | null {
  if (!/^[0-9A-Fa-f]{12}$/.test(mac)) return 'macLength';
  return parseInt(mac[1], 16) % 2 === 1 ? 'macMulticast' : null;
}

/** Six colon-separated pairs to a number; null otherwise. */
export function parseColonMac(s: string): number | null {
  if (!/^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$/.test(s)) return null;
  return parseInt(s.replace(/:/g, ''), 16);
}

/** Whether a colon MAC lies in VMware's static range 00:50:56:00:00:00–00:50:56:3F:FF:FF. */
export function isVmwareStaticMac(s: string): boolean {
  const n = parseColonMac(s);
  return n !== null && n >= 0x005056000000 && n <= 0x0050563fffff;
}
