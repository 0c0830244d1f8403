// RunningLab.attachmentPoint and its undo: a bridge's switch port goes away with it, and a VM adapter taken over gets its own cable back.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LabDocument } from '../../../core/lab/document';
import { RunningLab } from '../../../core/lab/running-lab';
import type { Switch } from '../../../core/devices/switch';

const defaultDoc = (): LabDocument => JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../resources/labs/default.json'), 'utf8')) as LabDocument;

/** The home LAN's switch: reached through the router's cable, whose far end is one of its ports. */
function lanPorts(lab: RunningLab): number {
  const sw = (lab as unknown as { physical: Map<string, Switch> }).physical.get('lan');
  if (!sw) throw new Error('no lan switch');
  return sw.portList.length;
}

describe('a bridge’s place in the running lab', () => {
  it('adds a station to a network’s switch and takes it away again', () => {
    const lab = new RunningLab(defaultDoc());
    lab.settle();
    const before = lanPorts(lab);
    for (let i = 0; i < 3; i++) {
      const port = lab.attachmentPoint('lan', 'udp-40001.lan');
      expect(port).not.toBeNull();
      expect(lanPorts(lab)).toBe(before + 1);
      expect(lab.links.has('udp-40001.lan')).toBe(true);
      expect(port?.carrier).toBe(true);
      expect(lab.releaseAttachmentPoint(port!)).toBe(true);
      expect(lanPorts(lab)).toBe(before);
      expect(lab.links.has('udp-40001.lan')).toBe(false);
      expect(port?.carrier).toBe(false);
      expect(lab.releaseAttachmentPoint(port!)).toBe(false);
    }
  });

  it('takes a VM adapter’s cable and gives it back to the VM', () => {
    const lab = new RunningLab(defaultDoc());
    lab.settle();
    const card = lab.node('vm1')?.host.interface('eth0')?.port;
    expect(card?.carrier).toBe(true);
    const port = lab.attachmentPoint('vm1.nic1', 'udp-40001.vm1.nic1');
    expect(port).not.toBeNull();
    expect(card?.carrier).toBe(false);
    lab.scheduler.runFor(1000);
    expect(port?.carrier).toBe(true);
    expect(lab.releaseAttachmentPoint(port!)).toBe(true);
    expect(port?.carrier).toBe(false);
    expect(card?.carrier).toBe(true);
    expect(lab.links.get('vm1.eth0')?.a).toBe(card);
    expect(lab.links.has('udp-40001.vm1.nic1')).toBe(false);
  });

  it('gives the cable back even when released before the bridge’s cable went in', () => {
    const lab = new RunningLab(defaultDoc());
    lab.settle();
    const card = lab.node('vm1')?.host.interface('eth0')?.port;
    const port = lab.attachmentPoint('vm1.nic1', 'tap-x.vm1.nic1');
    lab.releaseAttachmentPoint(port!);
    lab.scheduler.runFor(1000);
    expect(card?.carrier).toBe(true);
    expect(port?.carrier).toBe(false);
  });

  it('leaves an adapter alone that a change of settings moved meanwhile', () => {
    const doc = defaultDoc();
    const lab = new RunningLab(doc);
    lab.settle();
    const port = lab.attachmentPoint('vm1.nic1', 'udp-40001.vm1.nic1');
    lab.scheduler.runFor(1000);
    const next = structuredClone(doc);
    const a = next.vms.find((v) => v.name === 'vm1')!.virtualbox!.adapters[0];
    Object.assign(a, { attachment: 'bridged', network: 'eth0' });
    delete a.portForwarding;
    expect(lab.apply(next).ok).toBe(true);
    const cable = lab.links.get('vm1.eth0');
    expect(cable?.a.carrier).toBe(true);
    lab.releaseAttachmentPoint(port!);
    expect(lab.links.get('vm1.eth0')).toBe(cable);
    expect(cable?.a.carrier).toBe(true);
  });
});
