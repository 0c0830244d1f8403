// Makes an attachment of either kind: the one entry point the CLI and the window use.
import type { RunningLab } from '../../core/lab/running-lab';
import type { Attachment, AttachSpec } from './attachment';
import type { RealtimeClock } from './realtime-clock';
import { attachTap } from './tap';
import { attachUdp } from './udp-tunnel';

export { AttachError, type Attachment, type AttachmentCounters, type AttachSpec, parseAttachSpec, specLabel } from './attachment';

/** Joins `spec.where` to the outside; throws AttachError (with a hint) saying why it cannot. */
export async function attach(lab: RunningLab, spec: AttachSpec, clock: RealtimeClock, onProblem?: (text: string) => void): Promise<Attachment> {
  if (spec.kind === 'tap') return attachTap(lab, spec, clock, { onProblem });
  return attachUdp(lab, spec, clock, onProblem);
}

/** `tap:vmnetlab0 on lan: 12 frames in (1.2 kB), 15 out (2.0 kB), 0 malformed, 0 dropped`. */
export function formatCounters(a: Attachment): string {
  const c = a.counters;
  const kb = (n: number): string => (n < 1000 ? `${n} B` : `${(n / 1000).toFixed(1)} kB`);
  return `${a.label} on ${a.spec.where}: ${c.framesIn} frames in (${kb(c.bytesIn)}), ${c.framesOut} out (${kb(c.bytesOut)}), ${c.malformed} malformed, ${c.dropped} dropped`;
}
