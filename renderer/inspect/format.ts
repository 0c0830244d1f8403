// How the inspectors write times and endpoints: "23:59:10", "1d 02:00:00", "never", "10.0.2.15:51000".

/** Seconds left as h:mm:ss (with days past 24 h); null for a lease that never runs out. */
export function formatExpires(seconds: number | null, never: string): string {
  if (seconds === null || !Number.isFinite(seconds)) return never;
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const hms = `${d > 0 ? String(h).padStart(2, '0') : h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
  return d > 0 ? `${d}d ${hms}` : hms;
}

export function endpoint(ip: string, port: number): string {
  return port > 0 ? `${ip}:${port}` : ip;
}

/** Virtual seconds since the lab started, as the event list shows them. */
export function formatSeconds(t: number): string {
  return t.toFixed(3);
}
