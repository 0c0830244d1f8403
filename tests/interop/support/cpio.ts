// A newc ("070701") cpio writer, enough for a Linux initramfs: directories, files, symlinks and device nodes, without root.

export type CpioEntry =
  | { kind: 'dir'; path: string; mode?: number }
  | { kind: 'file'; path: string; data: Uint8Array | string; mode?: number }
  | { kind: 'symlink'; path: string; target: string }
  | { kind: 'chardev'; path: string; major: number; minor: number; mode?: number };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;

const hex8 = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');
const pad4 = (n: number): number => (4 - (n % 4)) % 4;

/** The archive's bytes; paths are relative to the root (no leading slash), parents before children. */
export function cpioNewc(entries: readonly CpioEntry[]): Uint8Array {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  let size = 0;
  const push = (b: Uint8Array): void => {
    parts.push(b);
    size += b.length;
  };
  const record = (ino: number, mode: number, data: Uint8Array, name: string, rdev: [number, number] = [0, 0]): void => {
    const nameBytes = enc.encode(`${name}\0`);
    const fields = [ino, mode, 0, 0, mode & S_IFDIR ? 2 : 1, 0, data.length, 0, 0, rdev[0], rdev[1], nameBytes.length, 0];
    const header = enc.encode(`070701${fields.map(hex8).join('')}`);
    push(header);
    push(nameBytes);
    push(new Uint8Array(pad4(header.length + nameBytes.length)));
    push(data);
    push(new Uint8Array(pad4(data.length)));
  };
  let ino = 1;
  for (const e of entries) {
    const name = e.path.replace(/^\/+/, '');
    switch (e.kind) {
      case 'dir':
        record(ino++, S_IFDIR | (e.mode ?? 0o755), new Uint8Array(0), name);
        break;
      case 'file':
        record(ino++, S_IFREG | (e.mode ?? 0o644), typeof e.data === 'string' ? enc.encode(e.data) : e.data, name);
        break;
      case 'symlink':
        record(ino++, S_IFLNK | 0o777, enc.encode(e.target), name);
        break;
      case 'chardev':
        record(ino++, S_IFCHR | (e.mode ?? 0o600), new Uint8Array(0), name, [e.major, e.minor]);
        break;
    }
  }
  record(0, 0, new Uint8Array(0), 'TRAILER!!!');
  const out = new Uint8Array(size + pad4(size));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
