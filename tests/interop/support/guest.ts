// A tiny real Linux guest for QEMU: Debian's kernel and an initramfs made at test time from busybox-static and the kernel's own e1000 module.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CpioEntry, cpioNewc } from './cpio';

export interface GuestKernel {
  vmlinuz: string;
  /** The e1000 driver (VirtualBox's default 82540EM), uncompressed. */
  e1000: Uint8Array;
}

const BUSYBOX = ['/bin/busybox', '/usr/bin/busybox'];

function busyboxStatic(): string | null {
  for (const p of BUSYBOX) {
    if (!existsSync(p)) continue;
    const file = spawnSync('file', ['-L', p], { encoding: 'utf8' }).stdout ?? '';
    // Without `file`, trust the path busybox-static installs.
    if (/statically linked/.test(file) || (file === '' && p === '/bin/busybox')) return p;
  }
  return null;
}

/** A kernel from /boot with its modules' e1000, or why there is none. */
export function findKernel(): GuestKernel | string {
  const boot = existsSync('/boot') ? readdirSync('/boot').filter((f) => f.startsWith('vmlinuz-')) : [];
  for (const f of boot.sort().reverse()) {
    const version = f.slice('vmlinuz-'.length);
    const base = `/lib/modules/${version}/kernel/drivers/net/ethernet/intel/e1000/e1000.ko`;
    for (const [suffix, tool] of [['', null], ['.xz', 'xz'], ['.zst', 'zstd']] as const) {
      const p = base + suffix;
      if (!existsSync(p)) continue;
      if (tool === null) return { vmlinuz: join('/boot', f), e1000: new Uint8Array(readFileSync(p)) };
      const r = spawnSync(tool, ['-dc', p], { maxBuffer: 64 << 20 });
      if (r.status === 0) return { vmlinuz: join('/boot', f), e1000: new Uint8Array(r.stdout) };
    }
  }
  return boot.length === 0 ? 'no kernel in /boot (apt-get install linux-image-amd64)' : 'no e1000 module for the kernels in /boot';
}

/** Why the QEMU guest cannot be made here; null when it can. */
export function guestSkipReason(): string | null {
  if (spawnSync('qemu-system-x86_64', ['--version'], { stdio: 'ignore' }).error) return 'no qemu-system-x86_64 (apt-get install qemu-system-x86)';
  if (busyboxStatic() === null) return 'no static busybox (apt-get install busybox-static)';
  const k = findKernel();
  return typeof k === 'string' ? k : null;
}

/**
 * /init brings up eth0, asks for a lease with udhcpc, pings the NAT's gateway and a server on the
 * Internet, prints each result on the serial console as a VMNETLAB line, and powers off.
 */
const INIT = `#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox --install -s /bin
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
echo "VMNETLAB-BOOTED $(uname -r)"
insmod /e1000.ko || echo "VMNETLAB-ERROR insmod e1000"
ip link set lo up
ip link set eth0 up
echo "VMNETLAB-MAC $(cat /sys/class/net/eth0/address)"
if udhcpc -i eth0 -f -q -n -t 10 -T 2 -s /udhcpc.sh; then
  for target in 10.0.2.2 114.114.114.114; do
    if ping -c 1 -W 5 $target >/tmp/ping 2>&1; then echo "VMNETLAB-PING $target OK"; else echo "VMNETLAB-PING $target FAILED"; cat /tmp/ping; fi
  done
else
  echo "VMNETLAB-ERROR no lease"
fi
echo "VMNETLAB-DONE"
poweroff -f
`;

const UDHCPC_SCRIPT = `#!/bin/sh
case "$1" in
  bound|renew)
    ifconfig "$interface" "$ip" netmask "$subnet" up
    for r in $router; do route add default gw "$r" dev "$interface"; break; done
    echo "VMNETLAB-LEASE ip=$ip subnet=$subnet router=$router dns=$dns"
    ;;
esac
exit 0
`;

/** The initramfs as an uncompressed newc cpio. */
export function makeInitramfs(kernel: GuestKernel): Uint8Array {
  const busybox = busyboxStatic();
  if (busybox === null) throw new Error('no static busybox');
  const entries: CpioEntry[] = [
    ...['bin', 'dev', 'proc', 'sys', 'tmp', 'etc'].map((d): CpioEntry => ({ kind: 'dir', path: d })),
    // The kernel opens /dev/console for init before anything is mounted.
    { kind: 'chardev', path: 'dev/console', major: 5, minor: 1 },
    { kind: 'file', path: 'bin/busybox', data: new Uint8Array(readFileSync(busybox)), mode: 0o755 },
    { kind: 'symlink', path: 'bin/sh', target: 'busybox' },
    { kind: 'file', path: 'init', data: INIT, mode: 0o755 },
    { kind: 'file', path: 'udhcpc.sh', data: UDHCPC_SCRIPT, mode: 0o755 },
    { kind: 'file', path: 'e1000.ko', data: kernel.e1000 },
  ];
  return cpioNewc(entries);
}
