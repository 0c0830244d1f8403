// Ports (a device's network connectors) and the links (cables) between them, with delay, cable state and capture taps.
import type { Scheduler } from './scheduler';

/** Something that watches every frame crossing a link, such as a capture. It must copy what it keeps. */
export interface CaptureTap {
  onFrame(timeUs: number, frame: Uint8Array, link: Link, from: Port): void;
}

export type FrameHandler = (frame: Uint8Array, port: Port) => void;

function ignoreFrame(): void {}
function ignoreCarrier(): void {}

/**
 * One connector of a device: a NIC of a machine, a port of a switch. The device sets `onFrame`.
 *
 * Ownership: a frame handed to `onFrame` belongs to the receiver, which may rewrite it in place and
 * send it on (routers, NAT). The exception is flooding: a switch hands one frame to several ports, so
 * only ports with `mutatesFrames` false share it; ports that rewrite frames get a copy.
 */
export class Port {
  link: Link | null = null;
  onFrame: FrameHandler = ignoreFrame;
  /** Called when carrier (a connected cable to an enabled peer) comes or goes. */
  onCarrier: (up: boolean) => void = ignoreCarrier;
  /** True for ports of devices that rewrite received frames in place (see the class comment). */
  mutatesFrames = false;
  /** Administrative state: a port that is down neither sends nor receives (`ip link set DEV down`). */
  private up = true;

  rxFrames = 0;
  rxBytes = 0;
  txFrames = 0;
  txBytes = 0;
  /** Frames dropped because there was no carrier or the port was down. */
  drops = 0;

  /** Bound once, so posting a frame to this port on the scheduler allocates nothing. */
  readonly deliver: (frame: Uint8Array) => void;

  constructor(
    /** The machine or device this port belongs to, e.g. `vm1` or `switch:vboxnet0`. */
    readonly device: string,
    /** The port's own name on that device, e.g. `eth0` or `3`. */
    readonly name: string,
  ) {
    this.deliver = (frame: Uint8Array): void => {
      const link = this.link;
      if (link === null || !link.connected || !this.up) {
        this.drops++;
        return;
      }
      this.rxFrames++;
      this.rxBytes += frame.length;
      this.onFrame(frame, this);
    };
  }

  get id(): string {
    return `${this.device}.${this.name}`;
  }

  get adminUp(): boolean {
    return this.up;
  }

  set adminUp(v: boolean) {
    if (v === this.up) return;
    const before = this.carrier;
    const peer = this.peer;
    const peerBefore = peer !== null && peer.carrier;
    this.up = v;
    if (this.carrier !== before) this.onCarrier(this.carrier);
    // Our PHY going down takes the carrier from the far end too, as on a real cable.
    if (peer !== null) peer.carrierMayHaveChanged(peerBefore);
  }

  /** The port at the other end of the cable, if any. */
  get peer(): Port | null {
    const l = this.link;
    if (l === null) return null;
    return l.a === this ? l.b : l.a;
  }

  /** Carrier: a connected cable whose far end is enabled, and this port enabled. */
  get carrier(): boolean {
    const l = this.link;
    if (l === null || !l.connected || !this.up) return false;
    const p = l.a === this ? l.b : l.a;
    return p.up;
  }

  /** Sends a frame on the cable; false (and counted as a drop) when there is no carrier. */
  send(frame: Uint8Array): boolean {
    const l = this.link;
    if (l === null || !this.carrier) {
      this.drops++;
      return false;
    }
    this.txFrames++;
    this.txBytes += frame.length;
    l.transmit(this, frame);
    return true;
  }

  /** @internal Re-announces carrier to the device after something at the far end changed. */
  carrierMayHaveChanged(wasUp: boolean): void {
    const now = this.carrier;
    if (now !== wasUp) this.onCarrier(now);
  }
}

export interface LinkOptions {
  /** One-way delay in microseconds; a short cable by default. */
  delayUs?: number;
  name?: string;
}

/** A cable between two ports. `connected` is VirtualBox's "Cable Connected" and VMware's "Connected". */
export class Link {
  readonly delayUs: number;
  readonly name: string;
  readonly taps: CaptureTap[] = [];
  private plugged = true;

  constructor(
    private readonly scheduler: Scheduler,
    readonly a: Port,
    readonly b: Port,
    options: LinkOptions = {},
  ) {
    if (a.link || b.link) throw new Error(`port ${a.link ? a.id : b.id} already has a cable`);
    this.delayUs = options.delayUs ?? 1;
    this.name = options.name ?? `${a.id}--${b.id}`;
    const aWas = a.carrier;
    const bWas = b.carrier;
    a.link = this;
    b.link = this;
    a.carrierMayHaveChanged(aWas);
    b.carrierMayHaveChanged(bWas);
  }

  get connected(): boolean {
    return this.plugged;
  }

  set connected(v: boolean) {
    if (v === this.plugged) return;
    const aWas = this.a.carrier;
    const bWas = this.b.carrier;
    this.plugged = v;
    this.a.carrierMayHaveChanged(aWas);
    this.b.carrierMayHaveChanged(bWas);
  }

  /** @internal Called by Port.send. */
  transmit(from: Port, frame: Uint8Array): void {
    const taps = this.taps;
    for (let i = 0; i < taps.length; i++) taps[i].onFrame(this.scheduler.now, frame, this, from);
    this.scheduler.schedule(this.delayUs, from === this.a ? this.toB : this.toA, frame);
  }

  // A frame in flight reaches the far port only if that port still holds this cable when it arrives:
  // a cable moved meanwhile (a VM switched from NAT to Bridged) loses what was on the old one.
  // Bound once per link, so sending allocates nothing.
  private readonly toA = (frame: Uint8Array): void => {
    if (this.a.link === this) this.a.deliver(frame);
    else this.a.drops++;
  };
  private readonly toB = (frame: Uint8Array): void => {
    if (this.b.link === this) this.b.deliver(frame);
    else this.b.drops++;
  };

  /** Pulls the cable out of both ports for good (the port can then take another cable). */
  unplug(): void {
    const aWas = this.a.carrier;
    const bWas = this.b.carrier;
    this.plugged = false;
    this.a.link = null;
    this.b.link = null;
    this.a.carrierMayHaveChanged(aWas);
    this.b.carrierMayHaveChanged(bWas);
  }
}
