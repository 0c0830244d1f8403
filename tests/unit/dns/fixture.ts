// Loads the scapy-made DNS fixtures (hex text with # comment lines) from tests/fixtures/dns.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fromHex } from '../../../core/wire/bytes';

export function dnsFixture(name: string): Uint8Array {
  const path = fileURLToPath(new URL(`../../fixtures/dns/${name}.hex`, import.meta.url));
  const text = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('');
  return fromHex(text);
}

export const DNS_FIXTURES = [
  'query-www-example-com-a',
  'response-cname-a',
  'response-cname-a-compressed',
  'query-ptr',
  'response-ptr',
  'response-nxdomain',
  'response-multi-compressed',
] as const;
