// The lab's log of what happened (a lease granted, a link going down, an address conflict), on the virtual clock.

export type LabEventKind =
  | 'link-up'
  | 'link-down'
  | 'dhcp-lease' // a server granted or renewed a lease
  | 'dhcp-bound' // a client configured the address it was given
  | 'dhcp-expired'
  | 'dhcp-released'
  | 'dhcp-declined'
  | 'dhcp-nak'
  | 'address-conflict'
  | 'address-added'
  | 'address-removed'
  | 'nat-ports-exhausted'
  | 'attachment-changed'
  | 'service'
  | 'error';

export interface LabEvent {
  /** Virtual time in microseconds. */
  readonly time: number;
  readonly node: string;
  readonly kind: LabEventKind;
  readonly message: string;
}

export type LabEventListener = (event: LabEvent) => void;

export class EventLog {
  readonly entries: LabEvent[] = [];
  private listeners: LabEventListener[] = [];

  constructor(private readonly clock: { readonly now: number }) {}

  add(node: string, kind: LabEventKind, message: string): LabEvent {
    const e: LabEvent = { time: this.clock.now, node, kind, message };
    this.entries.push(e);
    for (const l of this.listeners) l(e);
    return e;
  }

  subscribe(listener: LabEventListener): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }
}
