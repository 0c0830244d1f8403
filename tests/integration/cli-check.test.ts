import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabDocument, VirtualBoxAdapter } from '../../core/lab/document';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cli(...args: string[]): Run {
  const r = spawnSync(process.execPath, ['dist/cli.mjs', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const DEFAULT = readFileSync('resources/labs/default.json', 'utf8');
let dir = '';

/** The first adapter of VM `i` of the default lab. */
const adapter = (d: LabDocument, i: number): VirtualBoxAdapter => d.vms[i].virtualbox!.adapters[0];

/** Writes a bad variant of the default lab (the change applied to its parsed form) and returns its path. */
function badLab(name: string, change: (d: LabDocument) => void): string {
  const d = JSON.parse(DEFAULT) as LabDocument;
  change(d);
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(d, null, 2));
  return file;
}

function expectNoStackTrace(r: Run): void {
  expect(`${r.stdout}\n${r.stderr}`).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

beforeAll(() => {
  const build = spawnSync(process.execPath, ['tools/build.mjs', '--no-renderer'], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
  dir = mkdtempSync(join(tmpdir(), 'vmnetlab-check-'));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('vmnetlab check: good labs', () => {
  it.each([
    ['resources/labs/default.json', '5 machines, 3 VMs'],
    ['resources/labs/vmware.json', '5 machines, 3 VMs'],
    ['resources/labs/company-nat.json', '6 machines, 0 VMs'],
  ])('%s: ok (%s), exit 0', (file, counts) => {
    const r = cli('check', file);
    expect(r).toEqual({ status: 0, stdout: `${file}: ok (${counts})\n`, stderr: '' });
  });

  it('checks several files in one run', () => {
    const r = cli('check', 'resources/labs/default.json', 'resources/labs/vmware.json');
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
  });

  it('reads a version 1 file, migrating its VBoxManage rule strings, and says so', () => {
    const file = badLab('v1.json', (d) => {
      // Version 1's shape: the version number and rules as strings, which version 2's types do not allow.
      Object.assign(d, { version: 1 });
      Object.assign(adapter(d, 0), { portForwarding: ['guestssh,tcp,,2222,,22'] });
    });
    const r = cli('check', file);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${file}: ok (5 machines, 3 VMs)\n`);
    expect(r.stderr).toBe(`${file}: note: migrated from format version 1 to 2; saving writes version 2\n${file}: note: 1 port-forwarding rule rewritten from VBoxManage strings to objects\n`);
  });

  it('loads a lab with a warning, printing the warning on standard error', () => {
    const file = badLab('warn.json', (d) => (d.virtualbox!.hostOnly[0] = { name: 'vboxnet0', address: '192.168.99.1/24', dhcp: null }));
    const r = cli('check', file);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`${file}: warning: $.virtualbox.hostOnly[0]: IP address 192.168.99.1/24 is not within the allowed ranges (192.168.56.0/21) (add it to /etc/vbox/networks.conf)\n`);
  });
});

describe('vmnetlab check: bad labs are refused with the path of each mistake and exit 2', () => {
  const cases: Array<[string, (d: LabDocument) => void, string]> = [
    [
      'wrong-type.json',
      (d) => Object.assign(adapter(d, 0), { slot: '1' }),
      "$.vms[0].virtualbox.adapters[0].slot: expected an integer from 1 to 8, got the text '1' (write the number without quotes: 1)",
    ],
    [
      'unknown-attachment.json',
      (d) => Object.assign(adapter(d, 0), { attachment: 'natt' }),
      "$.vms[0].virtualbox.adapters[0].attachment: unknown attachment 'natt'; expected one of none, null, nat, natnetwork, bridged, intnet, hostonly (did you mean 'nat'?)",
    ],
    [
      'duplicate-mac.json',
      (d) => (adapter(d, 2).mac = '080027C3A1E1'),
      '$.vms[2].virtualbox.adapters[0].mac: MAC 080027C3A1E1 is already used by vm1 adapter 1 ($.vms[0].virtualbox.adapters[0].mac) (every network card needs its own MAC; change one of them)',
    ],
    [
      'overlapping-subnets.json',
      (d) => d.virtualbox!.hostOnly.push({ name: 'vboxnet1', address: '192.168.56.10/24', dhcp: null }),
      '$.virtualbox.hostOnly[1].address: 192.168.56.0/24 of host-only network vboxnet1 overlaps host-only network vboxnet0 (192.168.56.0/24) (the host could not tell the two networks apart; pick a free subnet such as 192.168.57.0/24)',
    ],
    ['missing-network.json', (d) => (d.machines[2].interfaces[0].network = 'office'), "$.machines[2].interfaces[0].network: network 'office' does not exist (the networks are lan, internet)"],
    [
      'newer.json',
      (d) => Object.assign(d, { version: 3 }),
      '$.version: this lab was written by a newer VM Net Lab (format version 3); this version reads up to 2 (update VM Net Lab to open it)',
    ],
  ];

  it.each(cases)('%s', (name, change, line) => {
    const file = badLab(name, change);
    const r = cli('check', file);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe(`${file}: ${line}\n`);
    expectNoStackTrace(r);
  });

  it('bad JSON: the line and column of the mistake', () => {
    const file = join(dir, 'bad-json.json');
    writeFileSync(file, DEFAULT.replace('"seed": 20190801,', '"seed": 20190801,,'));
    const r = cli('check', file);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe(`${file}: $: line 6, column 20: expected a field name in double quotes, found ','\n`);
    expectNoStackTrace(r);
  });

  it('lists every problem of a file, one per line', () => {
    const file = badLab('several.json', (d) => {
      d.machines[2].interfaces[0].network = 'lna';
      adapter(d, 1).network = 'eth1';
      adapter(d, 2).network = 'vboxnet1';
    });
    const r = cli('check', file);
    expect(r.status).toBe(2);
    expect(r.stdout.trim().split('\n').map((l) => l.split(': ')[1])).toEqual(['$.machines[2].interfaces[0].network', '$.vms[1].virtualbox.adapters[0].network', '$.vms[2].virtualbox.adapters[0].network']);
  });

  it('a file that is not a lab says so', () => {
    const file = join(dir, 'package.json');
    writeFileSync(file, '{"name": "x", "version": "1.0.0"}');
    const r = cli('check', file);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe(`${file}: $: this file is not a VM Net Lab lab (it has no "format": "vmnetlab-lab") (a lab file is a JSON object that starts {"format": "vmnetlab-lab", "version": 2, …})\n`);
  });

  it('a missing, unreadable or non-text file says so, without a stack trace', () => {
    const missing = cli('check', join(dir, 'nope.json'));
    expect(missing).toEqual({ status: 2, stdout: '', stderr: `${join(dir, 'nope.json')}: no such file\n` });
    const sub = join(dir, 'a-directory');
    mkdirSync(sub, { recursive: true });
    expect(cli('check', sub)).toEqual({ status: 2, stdout: '', stderr: `${sub}: is a directory, not a lab file\n` });
    const binary = join(dir, 'binary.json');
    writeFileSync(binary, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
    expect(cli('check', binary)).toEqual({ status: 2, stdout: '', stderr: `${binary}: is not UTF-8 text; save the lab file as UTF-8\n` });
    // A good file alongside a missing one: both reported, exit 2.
    const mixed = cli('check', 'resources/labs/default.json', join(dir, 'nope.json'));
    expect(mixed.status).toBe(2);
    expect(mixed.stdout).toBe('resources/labs/default.json: ok (5 machines, 3 VMs)\n');
  });
});

describe('vmnetlab: usage and exit codes', () => {
  it('prints the usage on --help (exit 0) and on no command (exit 2)', () => {
    const help = cli('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: vmnetlab <command> \[arguments\]\n/);
    for (const c of ['check', 'run', 'matrix', 'serve']) expect(help.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
    const none = cli();
    expect(none.status).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toBe(help.stdout);
  });

  it('prints the version', () => {
    const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
    expect(cli('--version')).toEqual({ status: 0, stdout: `vmnetlab ${version}\n`, stderr: '' });
    // The installed command is bin/vmnetlab.js, which imports the bundle.
    const bin = spawnSync(process.execPath, ['bin/vmnetlab.js', '--version'], { encoding: 'utf8' });
    expect(bin.stdout).toBe(`vmnetlab ${version}\n`);
    const binCheck = spawnSync(process.execPath, ['bin/vmnetlab.js', 'check', 'resources/labs/vmware.json'], { encoding: 'utf8' });
    expect([binCheck.status, binCheck.stdout]).toEqual([0, 'resources/labs/vmware.json: ok (5 machines, 3 VMs)\n']);
  });

  it('refuses an unknown command or option with exit 2, suggesting the closest command', () => {
    const r = cli('chek', 'lab.json');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^vmnetlab: unknown command 'chek'; did you mean 'check'\?\n\nUsage: vmnetlab/);
    expect(cli('--frobnicate').stderr).toMatch(/^vmnetlab: unknown option '--frobnicate'\n/);
    const opt = cli('check', '--strict', 'resources/labs/default.json');
    expect(opt.status).toBe(2);
    expect(opt.stderr).toMatch(/^vmnetlab check: unknown option '--strict'\nUsage: vmnetlab check LAB/);
  });

  it('check without a file is bad usage; check --help is not', () => {
    const r = cli('check');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^vmnetlab check: which lab file\?\nUsage: vmnetlab check LAB/);
    expect(cli('check', '--help')).toMatchObject({ status: 0, stdout: expect.stringMatching(/^Usage: vmnetlab check LAB/) });
    expect(cli('help', 'check')).toMatchObject({ status: 0, stdout: expect.stringMatching(/^Usage: vmnetlab check LAB/) });
  });

  it('serve refuses bad usage and bad lab files before it listens (exit 2)', () => {
    expect(cli('serve', '--port', 'abc')).toEqual({ status: 2, stdout: '', stderr: "vmnetlab serve: --port takes a port number from 0 to 65535, not 'abc'\n" });
    const bad = cli('serve', '--lab', badLab('serve-bad.json', (d) => (d.vms[0].name = d.vms[1].name)));
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/\$\.vms\[1\]\.name/);
  });
});
