// An ifcfg file read into the editor's fields and written back: what the form changes changes, every other line stays as it was.
import { describe, expect, it } from 'vitest';
import { ifcfgIssues, readIfcfg, setIfcfgValue, writeIfcfg } from '../../../renderer/settings/ifcfg';

const CENTOS = 'TYPE=Ethernet\nPROXY_METHOD=none\nBOOTPROTO=dhcp\nDEFROUTE=yes\nNAME=eth0\nUUID=2d3f1f0e-6a8e-4d4c-9d5d-2c9b7b6d0f11\nDEVICE=eth0\nONBOOT=no\n';

describe('the ifcfg editor’s file', () => {
  it('reads a fresh CentOS guest’s file: DHCP, down at boot', () => {
    expect(readIfcfg(CENTOS)).toEqual({ onboot: false, bootproto: 'dhcp', ipaddr: '', netmask: '', gateway: '', dns1: '', dns2: '' });
  });

  it('reads quoted values, NETMASK and the last of a repeated key, as the shell does', () => {
    const f = readIfcfg('BOOTPROTO="static"\nIPADDR=\'10.0.0.5\'\nNETMASK=255.255.255.0\nONBOOT=yes\nONBOOT=no\nDNS1=1.1.1.1\n# DNS2=8.8.8.8\n');
    expect(f).toEqual({ onboot: false, bootproto: 'static', ipaddr: '10.0.0.5', netmask: '255.255.255.0', gateway: '', dns1: '1.1.1.1', dns2: '' });
  });

  it('writes a static address in place, keeps UUID, comments and order, and appends new keys', () => {
    const text = `# made by anaconda\n${CENTOS}`;
    const out = writeIfcfg(text, { ...readIfcfg(text), onboot: true, bootproto: 'static', ipaddr: '192.168.1.50', netmask: '24', gateway: '192.168.1.1', dns1: '114.114.114.114' });
    expect(out).toBe(
      '# made by anaconda\nTYPE=Ethernet\nPROXY_METHOD=none\nBOOTPROTO=static\nDEFROUTE=yes\nNAME=eth0\nUUID=2d3f1f0e-6a8e-4d4c-9d5d-2c9b7b6d0f11\nDEVICE=eth0\nONBOOT=yes\nIPADDR=192.168.1.50\nPREFIX=24\nGATEWAY=192.168.1.1\nDNS1=114.114.114.114\n',
    );
    // And back: the form reads what it wrote.
    expect(readIfcfg(out)).toEqual({ onboot: true, bootproto: 'static', ipaddr: '192.168.1.50', netmask: '24', gateway: '192.168.1.1', dns1: '114.114.114.114', dns2: '' });
  });

  it('changes nothing when the fields are what the file says, byte for byte even without a final newline', () => {
    const text = 'DEVICE=eth0\nBOOTPROTO=none\n IPADDR="10.1.1.1"';
    expect(writeIfcfg(text, readIfcfg(text))).toBe(text);
  });

  it('switches PREFIX for NETMASK by what is typed, and removes emptied keys', () => {
    const text = 'IPADDR=10.0.0.2\nPREFIX=8\nGATEWAY=10.0.0.1\n';
    const masked = writeIfcfg(text, { ...readIfcfg(text), netmask: '255.255.0.0' });
    expect(masked).toBe('IPADDR=10.0.0.2\nGATEWAY=10.0.0.1\nNETMASK=255.255.0.0\n');
    expect(writeIfcfg(masked, { ...readIfcfg(masked), gateway: '' })).toBe('IPADDR=10.0.0.2\nNETMASK=255.255.0.0\n');
  });

  it('keeps a value’s quotes and quotes a value with spaces', () => {
    expect(setIfcfgValue('NAME="System eth0"\n', 'NAME', 'eth0')).toBe('NAME="eth0"\n');
    expect(setIfcfgValue('', 'NAME', 'System eth0')).toBe('NAME="System eth0"\n');
  });

  it('finds addresses and masks network-scripts could not use', () => {
    expect(ifcfgIssues({ onboot: true, bootproto: 'static', ipaddr: '192.168.1.256', netmask: '255.0.255.0', gateway: 'router', dns1: '', dns2: '8.8.8.8' }).map((i) => i.field)).toEqual(['ipaddr', 'gateway', 'netmask']);
    expect(ifcfgIssues({ onboot: true, bootproto: 'static', ipaddr: '10.0.0.1', netmask: '33', gateway: '', dns1: '', dns2: '' }).map((i) => i.field)).toEqual(['netmask']);
  });
});
