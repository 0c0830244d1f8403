// Captures, one per link: start, stop, clear, the packet list and one frame's decode, pcap export, and new frames as events.
import type { CaptureInfo, FrameDetail, FrameSummary } from '../../core/api/dto';
import { didYouMean } from '../../core/api/schema';
import type { RunningLab } from '../../core/lab/running-lab';
import type { Capture } from '../../core/sim/capture';
import { frameDetail, frameSummary } from '../../core/wire/describe';
import { notFound } from './errors';

/** At most this many `frame.captured` events a second reach the window; it fetches the rest with `capture.frames`. */
export const FRAME_EVENTS_PER_SECOND = 300;
export const DEFAULT_FRAME_LIMIT = 1000;

/** A link's capture file name: `vm1.eth0` → `vm1.eth0.pcap`, anything odd replaced. */
export function pcapFileName(link: string): string {
  return `${link.replace(/[^A-Za-z0-9._-]+/g, '_')}.pcap`;
}

export class CaptureManager {
  /** Captures stopped by the user: kept here (with their frames), out of the lab's map so a re-plugged cable does not resume them. */
  private stopped = new Map<string, Capture>();
  /** How many frames of each capture were announced or skipped. */
  private seen = new Map<Capture, number>();
  private tokens = FRAME_EVENTS_PER_SECOND;
  private lastRefillMs = -1;

  private linkOf(lab: RunningLab, link: string): void {
    if (lab.links.has(link) || lab.captures.has(link) || this.stopped.has(link)) return;
    const guess = didYouMean(link, lab.links.keys());
    throw notFound(`there is no link '${link}' in this lab${guess ? `; ${guess}` : ''}`);
  }

  private captureOf(lab: RunningLab, link: string): Capture {
    this.linkOf(lab, link);
    const cap = lab.captures.get(link) ?? this.stopped.get(link);
    if (!cap) throw notFound(`nothing was captured on ${link}; start a capture there first`);
    return cap;
  }

  private info(lab: RunningLab, link: string): CaptureInfo {
    const live = lab.captures.get(link);
    const cap = live ?? this.stopped.get(link);
    return { link, capturing: live !== undefined, frames: cap?.count ?? 0 };
  }

  list(lab: RunningLab): CaptureInfo[] {
    const names = new Set([...lab.links.keys(), ...lab.captures.keys(), ...this.stopped.keys()]);
    return [...names].sort().map((n) => this.info(lab, n));
  }

  start(lab: RunningLab, link: string): CaptureInfo {
    this.linkOf(lab, link);
    const kept = this.stopped.get(link);
    if (kept) {
      this.stopped.delete(link);
      lab.captures.set(link, kept);
    }
    const cap = lab.capture(link);
    if (cap && !this.seen.has(cap)) this.seen.set(cap, cap.count);
    return this.info(lab, link);
  }

  stop(lab: RunningLab, link: string): CaptureInfo {
    this.linkOf(lab, link);
    const cap = lab.captures.get(link);
    if (cap) {
      lab.captures.delete(link);
      const l = lab.links.get(link);
      if (l) {
        const i = l.taps.indexOf(cap);
        if (i >= 0) l.taps.splice(i, 1);
      }
      this.stopped.set(link, cap);
    }
    return this.info(lab, link);
  }

  clear(lab: RunningLab, link: string): CaptureInfo {
    this.linkOf(lab, link);
    const cap = lab.captures.get(link) ?? this.stopped.get(link);
    if (cap) {
      cap.clear();
      this.seen.set(cap, 0);
    }
    return this.info(lab, link);
  }

  frames(lab: RunningLab, link: string, from = 1, limit = DEFAULT_FRAME_LIMIT): FrameSummary[] {
    const cap = this.captureOf(lab, link);
    const out: FrameSummary[] = [];
    const last = Math.min(cap.count, from + limit - 1);
    for (let n = from; n <= last; n++) {
      const f = cap.frame(n);
      if (f) out.push(frameSummary(n, f.timeUs / 1e6, link, f.frame));
    }
    return out;
  }

  frame(lab: RunningLab, link: string, number: number): FrameDetail {
    const cap = this.captureOf(lab, link);
    const f = cap.frame(number);
    if (!f) throw notFound(`${link} has ${cap.count} frame${cap.count === 1 ? '' : 's'}; there is no frame ${number}`);
    return frameDetail(number, f.timeUs / 1e6, link, f.frame);
  }

  export(lab: RunningLab, link: string): { fileName: string; base64: string } {
    const cap = this.captureOf(lab, link);
    return { fileName: pcapFileName(link), base64: Buffer.from(cap.toPcap()).toString('base64') };
  }

  /** Another lab replaces this one: its captures go with it. */
  reset(): void {
    this.stopped.clear();
    this.seen.clear();
  }

  /**
   * Summaries of frames captured since the last call, at most FRAME_EVENTS_PER_SECOND a second (a token
   * bucket); frames over the budget are skipped, not delayed, so the events never fall behind the lab.
   */
  fresh(lab: RunningLab, nowMs: number): FrameSummary[] {
    if (this.lastRefillMs < 0) this.lastRefillMs = nowMs;
    this.tokens = Math.min(FRAME_EVENTS_PER_SECOND, this.tokens + ((nowMs - this.lastRefillMs) * FRAME_EVENTS_PER_SECOND) / 1000);
    this.lastRefillMs = nowMs;
    const out: FrameSummary[] = [];
    for (const cap of lab.captures.values()) {
      const seen = this.seen.get(cap) ?? 0;
      const count = cap.count;
      if (count <= seen) {
        if (count < seen) this.seen.set(cap, count);
        continue;
      }
      let n = seen + 1;
      for (; n <= count && this.tokens >= 1; n++) {
        const f = cap.frame(n);
        if (!f) continue;
        out.push(frameSummary(n, f.timeUs / 1e6, cap.name, f.frame));
        this.tokens -= 1;
      }
      this.seen.set(cap, count);
    }
    return out;
  }
}
