// The decode tree's lines by path ("0.2.1"), the bytes a line covers, and which line a byte belongs to (the deepest).
import type { DecodeNode } from '../../core/api/dto';

export function nodeAt(tree: readonly DecodeNode[], path: string | null): DecodeNode | null {
  if (path === null || path === '') return null;
  let level: readonly DecodeNode[] | undefined = tree;
  let node: DecodeNode | null = null;
  for (const part of path.split('.')) {
    const i = Number(part);
    if (!level || !Number.isInteger(i) || i < 0 || i >= level.length) return null;
    node = level[i];
    level = node.children;
  }
  return node;
}

/** The deepest line whose bytes include `offset`, as Wireshark selects a field when a byte is clicked. */
export function pathOfByte(tree: readonly DecodeNode[], offset: number): string | null {
  let best: string | null = null;
  const walk = (nodes: readonly DecodeNode[], prefix: string): void => {
    nodes.forEach((n, i) => {
      const p = prefix === '' ? String(i) : `${prefix}.${i}`;
      if (n.range && offset >= n.range[0] && offset < n.range[1]) {
        best = p;
        if (n.children) walk(n.children, p);
      } else if (!n.range && n.children) walk(n.children, p);
    });
  };
  walk(tree, '');
  return best;
}

/** Every path from the root to `path`, to open the lines above a selected one. */
export function ancestors(path: string): string[] {
  const parts = path.split('.');
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) out.push(parts.slice(0, i).join('.'));
  return out;
}

/** Frame bytes from lowercase hex. */
export function bytesOf(hex: string): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < hex.length; i += 2) out.push(parseInt(hex.slice(i, i + 2), 16));
  return out;
}
