import { describe, expect, it } from 'vitest';
import { parseSedScript, runSed } from '../../../core/lab/shell/commands/sed';
import { expandWord, parseLine } from '../../../core/lab/shell/parse';
import { asciiDecode, asciiEncode } from '../../../core/wire/text';
import { fuzzInputs } from '../../support/fuzz';

const LINES = [
  `echo 'a b' "c $HOME" \\$x ~/f > /tmp/x 2>&1 && cat /tmp/x | grep -i a || echo no; sleep 1 & # c`,
  `sed -i 's/\\(IPADDR=\\).*/\\1192.168.56.10/g' /etc/sysconfig/network-scripts/ifcfg-eth0`,
  `VBoxManage modifyvm "vm 1" --natpf1 "guestssh,tcp,,2222,,22" --nic2=hostonly ${'${X}'}0 < in >> out`,
];
const SCRIPTS = ['s/BOOTPROTO=dhcp/BOOTPROTO=static/g', '/^DNS1/d;s|a\\|b|[&]|2p', 's/\\(x\\)\\{1,3\\}[[:digit:]]*$/\\1/I', '$p;3d'];

describe('fuzz', () => {
  it('parseLine and expandWord never throw on 100,000 random and mutated lines', () => {
    let parsed = 0;
    for (const bytes of fuzzInputs(11, 100_000, LINES.map((l) => asciiEncode(l)))) {
      const r = parseLine(asciiDecode(bytes));
      if (!r.ok) continue;
      parsed++;
      for (const item of r.list) for (const c of item.pipeline.commands) for (const w of c.words) expandWord(w, (n) => n, '/root');
    }
    expect(parsed).toBeGreaterThan(10_000);
  });

  it('sed scripts compile and run without throwing on 100,000 random and mutated inputs', () => {
    let compiled = 0;
    for (const bytes of fuzzInputs(12, 100_000, SCRIPTS.map((s) => asciiEncode(s)))) {
      const p = parseSedScript(asciiDecode(bytes), bytes.length % 2 === 0, 1);
      if (!p.ok) continue;
      compiled++;
      runSed(p.commands, 'TYPE=Ethernet\nBOOTPROTO=dhcp\nDNS1=10.0.2.3\nxx1\n', false);
    }
    expect(compiled).toBeGreaterThan(1_000);
  });
});
