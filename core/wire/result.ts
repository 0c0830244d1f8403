// The typed outcome of parsing bytes: a value, or an error saying which layer failed and why; parsers never throw.

export type WireErrorKind =
  | 'truncated' // fewer bytes than the header or a length field says
  | 'bad-length' // a length field that contradicts itself or the buffer
  | 'bad-checksum'
  | 'bad-version'
  | 'bad-value' // a field holding a value the format forbids
  | 'bad-option' // an option that overruns its container or is malformed
  | 'compression-loop' // a DNS name pointer that points forward or loops
  | 'fragment' // an IPv4 fragment, which the lab recognises and drops
  | 'unsupported';

export interface WireError {
  readonly layer: string;
  readonly kind: WireErrorKind;
  readonly message: string;
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: WireError };

export function ok<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

export function fail<T = never>(layer: string, kind: WireErrorKind, message: string): Parsed<T> {
  return { ok: false, error: { layer, kind, message } };
}
