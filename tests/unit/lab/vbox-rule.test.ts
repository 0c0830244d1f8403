import { describe, expect, it } from 'vitest';
import { formatNatNetworkRule, formatVBoxRule, parseNatNetworkRule, parseVBoxRule } from '../../../core/lab/vbox-rule';
import { utf8Decode, utf8Encode } from '../../../core/wire/text';
import { fuzzInputs } from '../../support/fuzz';

describe('VBoxManage NAT rules (--nat-pf1 "name,proto,hostip,hostport,guestip,guestport")', () => {
  it('reads the manual\'s guestssh rule, with empty addresses meaning any host interface and the DHCP guest', () => {
    expect(parseVBoxRule('guestssh,tcp,,2222,,22')).toEqual({ ok: true, value: { name: 'guestssh', proto: 'tcp', hostIp: '', hostPort: 2222, guestIp: '', guestPort: 22 } });
    expect(parseVBoxRule('dns,UDP,127.0.0.1,5353,10.0.2.15,53')).toEqual({ ok: true, value: { name: 'dns', proto: 'udp', hostIp: '127.0.0.1', hostPort: 5353, guestIp: '10.0.2.15', guestPort: 53 } });
  });

  it('names a rule written without a name as VirtualBox does', () => {
    const r = parseVBoxRule(',tcp,,8080,,80');
    expect(r.ok && r.value.name).toBe('TCP_8080_80');
  });

  it('writes a rule back in the same syntax', () => {
    for (const text of ['guestssh,tcp,,2222,,22', 'dns,udp,127.0.0.1,5353,10.0.2.15,53']) {
      const r = parseVBoxRule(text);
      expect(r.ok && formatVBoxRule(r.value)).toBe(text);
    }
    expect(formatVBoxRule({ name: 'a,b', proto: 'tcp', hostIp: '', hostPort: 1, guestIp: '', guestPort: 2 })).toBeNull();
  });

  it('says exactly what is wrong with a malformed rule', () => {
    const msg = (t: string) => {
      const r = parseVBoxRule(t);
      return r.ok ? 'ok' : r.error.message;
    };
    expect(msg('guestssh,tcp,,2222,22')).toBe("malformed rule 'guestssh,tcp,,2222,22': expected 6 fields separated by commas (name,proto,hostip,hostport,guestip,guestport), found 5");
    expect(msg('guestssh,tpc,,2222,,22')).toBe("malformed rule 'guestssh,tpc,,2222,,22': protocol 'tpc' is neither tcp nor udp");
    expect(msg('guestssh,tcp,,70000,,22')).toBe("malformed rule 'guestssh,tcp,,70000,,22': host port '70000' is not a port number from 1 to 65535");
    expect(msg('guestssh,tcp,,2222,,0')).toBe("malformed rule 'guestssh,tcp,,2222,,0': guest port '0' is not a port number from 1 to 65535");
    expect(msg('guestssh,tcp,localhost,2222,,22')).toBe("malformed rule 'guestssh,tcp,localhost,2222,,22': host IP 'localhost' is not an IPv4 address (leave it empty for any)");
    expect(msg('guestssh,tcp, ,2222,,22')).toMatch(/host IP ' ' is not an IPv4 address/);
    expect(msg('')).toMatch(/found 1$/);
  });
});

describe('VBoxManage NAT Network rules (--port-forward-4 "name:proto:[hostip]:hostport:[guestip]:guestport")', () => {
  it('reads and writes the manual\'s ssh rule', () => {
    const r = parseNatNetworkRule('ssh:tcp:[]:1022:[10.0.2.4]:22');
    expect(r).toEqual({ ok: true, value: { name: 'ssh', proto: 'tcp', hostIp: '', hostPort: 1022, guestIp: '10.0.2.4', guestPort: 22 } });
    expect(r.ok && formatNatNetworkRule(r.value)).toBe('ssh:tcp:[]:1022:[10.0.2.4]:22');
  });

  it('requires the guest IP, the brackets and a name, and refuses IPv6', () => {
    const msg = (t: string) => {
      const r = parseNatNetworkRule(t);
      return r.ok ? 'ok' : r.error.message;
    };
    expect(msg('ssh:tcp:[]:1022:[]:22')).toBe("malformed rule 'ssh:tcp:[]:1022:[]:22': a NAT Network rule needs the guest's IP address");
    expect(msg('ssh:tcp::1022:10.0.2.4:22')).toBe("malformed rule 'ssh:tcp::1022:10.0.2.4:22': expected name:proto:[hostip]:hostport:[guestip]:guestport (the addresses go in brackets, [] when empty)");
    expect(msg(':tcp:[]:1022:[10.0.2.4]:22')).toMatch(/needs a name$/);
    expect(msg('ssh:tcp:[::1]:1022:[10.0.2.4]:22')).toMatch(/is IPv6; the lab forwards IPv4 only$/);
  });

  it('never throws on 100,000 random and mutated rules', () => {
    const seeds = ['guestssh,tcp,,2222,,22', 'ssh:tcp:[]:1022:[10.0.2.4]:22', 'dns,udp,127.0.0.1,5353,10.0.2.15,53'].map(utf8Encode);
    let parsed = 0;
    for (const b of fuzzInputs(0x7e1e, 100_000, seeds)) {
      const t = utf8Decode(b);
      const a = parseVBoxRule(t);
      const n = parseNatNetworkRule(t);
      if (a.ok) {
        parsed++;
        // Whatever is accepted writes back to a rule that reads the same.
        const back = formatVBoxRule(a.value);
        if (back !== null) expect(parseVBoxRule(back)).toEqual(a);
      }
      if (n.ok) expect(parseNatNetworkRule(formatNatNetworkRule(n.value) ?? '')).toEqual(n);
    }
    expect(parsed).toBeGreaterThan(0);
  });
});
