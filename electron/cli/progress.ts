// Progress of long work on a terminal (a matrix over a big lab, a long wait); silent when stderr is piped or output is JSON.

export interface Progress {
  update(label: string, fraction: number): void;
  done(): void;
}

export function progress(enabled: boolean): Progress {
  const tty = enabled && process.stderr.isTTY === true;
  let shown = false;
  let last = -1;
  return {
    update(label, fraction) {
      if (!tty) return;
      const pct = Math.floor(Math.max(0, Math.min(1, fraction)) * 100);
      if (pct === last) return;
      last = pct;
      shown = true;
      process.stderr.write(`\r${label} ${String(pct).padStart(3)}%`);
    },
    done() {
      if (tty && shown) process.stderr.write('\r\x1b[K');
      shown = false;
      last = -1;
    },
  };
}
