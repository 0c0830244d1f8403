// An in-memory file tree for a machine's configuration files, with listeners so the OS notices edits.
import type { FileSystem } from './os';

function norm(path: string): string {
  const parts: string[] = [];
  for (const p of path.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return '/' + parts.join('/');
}

function parent(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

export class MemoryFileSystem implements FileSystem {
  private files = new Map<string, string>();
  private dirs = new Set<string>(['/']);
  private listeners: Array<(path: string) => void> = [];

  constructor(dirs: readonly string[] = []) {
    for (const d of dirs) this.mkdirp(d);
  }

  mkdirp(dir: string): void {
    let d = norm(dir);
    while (!this.dirs.has(d)) {
      this.dirs.add(d);
      d = parent(d);
    }
  }

  read(path: string): string | null {
    return this.files.get(norm(path)) ?? null;
  }

  write(path: string, text: string): boolean {
    const p = norm(path);
    if (this.dirs.has(p) || !this.dirs.has(parent(p))) return false;
    this.files.set(p, text);
    for (const l of this.listeners) l(p);
    return true;
  }

  remove(path: string): boolean {
    return this.files.delete(norm(path));
  }

  exists(path: string): boolean {
    const p = norm(path);
    return this.files.has(p) || this.dirs.has(p);
  }

  isDirectory(path: string): boolean {
    return this.dirs.has(norm(path));
  }

  list(dir: string): string[] {
    const d = norm(dir);
    const prefix = d === '/' ? '/' : d + '/';
    const names = new Set<string>();
    for (const p of [...this.files.keys(), ...this.dirs]) {
      if (p.startsWith(prefix) && p !== d) names.add(p.slice(prefix.length).split('/')[0]);
    }
    return [...names].sort();
  }

  onWrite(listener: (path: string) => void): void {
    this.listeners.push(listener);
  }
}
