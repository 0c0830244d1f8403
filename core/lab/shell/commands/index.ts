// The table of commands a machine's shell knows, by the names people type.
import type { Command } from '../command';
import { vboxmanage } from '../vboxmanage';
import { curl } from './curl';
import { cat, clear, editor, grep, head, hostname, ls, sleep, tail, touch, uname, wc, whoami } from './files';
import { ifconfig } from './ifconfig';
import { ip } from './ip';
import { arp, route } from './net-tools';
import { dhclient, hostnamectl, ifdown, ifup, service, systemctl } from './network';
import { nslookup } from './nslookup';
import { ping } from './ping';
import { sed } from './sed';
import { ss } from './ss';
import { traceroute } from './traceroute';

/** Commands of every machine, plus VBoxManage on the host (where `withLab`). */
export function commandTable(withLab: boolean): Record<string, Command> {
  const table: Record<string, Command> = {
    ip,
    ifconfig,
    arp,
    route,
    ping,
    traceroute,
    nslookup,
    curl,
    ss,
    dhclient,
    ifup,
    ifdown,
    systemctl,
    service,
    hostnamectl,
    cat,
    sed,
    hostname,
    ls,
    touch,
    grep,
    head,
    tail,
    wc,
    uname,
    whoami,
    sleep,
    clear,
    vi: editor,
    vim: editor,
    nano: editor,
  };
  if (withLab) {
    table.VBoxManage = vboxmanage;
    table.vboxmanage = vboxmanage;
  }
  return table;
}
