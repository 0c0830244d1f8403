// The network service's commands (dhclient, ifup, ifdown, systemctl/service network, NetworkManager) and httpd's systemctl, as CentOS 7 prints them.
import type { Done, MachineOs } from '../../os';
import { type Command, type CommandContext } from '../command';
import { systemdAgo, systemdDate } from '../format';

/** When each machine's httpd was last started from a shell, for `systemctl status`. */
const httpdSince = new WeakMap<MachineOs, number>();
/** When the network service was last (re)started, for `systemctl status network`. */
const networkSince = new WeakMap<MachineOs, number>();

const finish =
  (ctx: CommandContext): Done =>
  (code) =>
    ctx.exit(code);

export const dhclient: Command = (ctx) => {
  let release = false;
  let dev: string | null = null;
  for (const a of ctx.argv.slice(1)) {
    if (a === '-r' || a === '-x') release = true;
    else if (a.startsWith('-')) continue;
    else dev = a;
  }
  ctx.os.network.dhclient(dev, release, ctx.io, ctx.guard(finish(ctx)));
};

export const ifup: Command = (ctx) => {
  const dev = ctx.argv[1];
  if (dev === undefined) {
    ctx.io.err('Usage: ifup <configuration>\n');
    return ctx.exit(1);
  }
  ctx.os.network.ifup(dev.replace(/^ifcfg-/, ''), ctx.io, ctx.guard(finish(ctx)));
};

export const ifdown: Command = (ctx) => {
  const dev = ctx.argv[1];
  if (dev === undefined) {
    ctx.io.err('usage: ifdown <configuration>\n');
    return ctx.exit(1);
  }
  ctx.os.network.ifdown(dev.replace(/^ifcfg-/, ''), ctx.io, ctx.guard(finish(ctx)));
};

type Verb = 'start' | 'stop' | 'restart' | 'reload' | 'status' | 'enable' | 'disable' | 'is-active';

function unitName(arg: string): string {
  return arg.replace(/\.service$/, '');
}

function statusBlock(title: string, loaded: string, active: string, extra: string[]): string {
  return [`● ${title}`, `   Loaded: ${loaded}`, `   Active: ${active}`, ...extra].join('\n') + '\n';
}

/** Runs one systemd verb on one unit; `prefix` is what `service` prints first. */
function unitAction(ctx: CommandContext, verb: Verb, unit: string, done: Done): void {
  const os = ctx.os;
  const now = os.clock.now;
  const kind = os.network.kind;
  const has = unit === 'httpd' || (unit === 'network' && kind !== 'fixed') || (unit === 'NetworkManager' && kind === 'NetworkManager');
  if (!has) {
    if (verb === 'status') ctx.io.err(`Unit ${unit}.service could not be found.\n`);
    else if (verb === 'is-active') ctx.io.out('unknown\n');
    else if (verb === 'enable' || verb === 'disable') ctx.io.err(`Failed to execute operation: No such file or directory\n`);
    else ctx.io.err(`Failed to ${verb} ${unit}.service: Unit not found.\n`);
    return done(verb === 'status' ? 4 : verb === 'is-active' ? 3 : 5);
  }
  if (unit === 'httpd') {
    const h = os.httpd;
    switch (verb) {
      case 'start':
      case 'restart':
      case 'reload': {
        if (verb !== 'start' || !h.running) {
          if (verb !== 'start') h.stop();
          if (!h.start()) {
            ctx.io.err('Job for httpd.service failed because the control process exited with error code. See "systemctl status httpd.service" and "journalctl -xe" for details.\n');
            return done(1);
          }
          httpdSince.set(os, now);
        }
        return done(0);
      }
      case 'stop':
        h.stop();
        httpdSince.set(os, now);
        return done(0);
      case 'is-active':
        ctx.io.out(h.running ? 'active\n' : 'inactive\n');
        return done(h.running ? 0 : 3);
      case 'enable':
        ctx.io.err('Created symlink from /etc/systemd/system/multi-user.target.wants/httpd.service to /usr/lib/systemd/system/httpd.service.\n');
        return done(0);
      case 'disable':
        ctx.io.err('Removed symlink /etc/systemd/system/multi-user.target.wants/httpd.service.\n');
        return done(0);
      case 'status': {
        const since = httpdSince.get(os) ?? 0;
        const loaded = 'loaded (/usr/lib/systemd/system/httpd.service; disabled; vendor preset: disabled)';
        if (!h.running) {
          ctx.io.out(statusBlock('httpd.service - The Apache HTTP Server', loaded, 'inactive (dead)', ['     Docs: man:httpd(8)', '           man:apachectl(8)']));
          return done(3);
        }
        ctx.io.out(
          statusBlock('httpd.service - The Apache HTTP Server', loaded, `active (running) since ${systemdDate(since)}; ${systemdAgo(now - since)}`, [
            '     Docs: man:httpd(8)',
            '           man:apachectl(8)',
            ' Main PID: 1342 (httpd)',
            `   Status: "Total requests: ${h.server.requests}; Current requests/sec: 0; Current traffic:   0 B/sec"`,
            '   CGroup: /system.slice/httpd.service',
            '           └─1342 /usr/sbin/httpd -DFOREGROUND',
          ]),
        );
        return done(0);
      }
    }
  }
  // network (network-scripts) or NetworkManager: both restart the interfaces through the network service.
  switch (verb) {
    case 'start':
    case 'restart':
    case 'reload':
      networkSince.set(os, now);
      os.network.restart(ctx.io, ctx.guard(done));
      return;
    case 'stop':
      networkSince.set(os, now);
      for (const i of os.host.interfaces) if (!i.isLoopback) os.host.setLinkUp(i, false);
      return done(0);
    case 'is-active':
      ctx.io.out('active\n');
      return done(0);
    case 'enable':
    case 'disable':
      return done(0);
    case 'status': {
      const since = networkSince.get(os) ?? 0;
      const active = `${unit === 'network' ? 'active (exited)' : 'active (running)'} since ${systemdDate(since)}; ${systemdAgo(now - since)}`;
      const lines =
        unit === 'network'
          ? statusBlock('network.service - LSB: Bring up/down networking', 'loaded (/etc/rc.d/init.d/network; bad; vendor preset: disabled)', active, ['     Docs: man:systemd-sysv-generator(8)'])
          : statusBlock('NetworkManager.service - Network Manager', 'loaded (/usr/lib/systemd/system/NetworkManager.service; enabled; vendor preset: enabled)', active, [
              '     Docs: man:NetworkManager(8)',
              ' Main PID: 652 (NetworkManager)',
              '   CGroup: /system.slice/NetworkManager.service',
              '           └─652 /usr/sbin/NetworkManager --no-daemon',
            ]);
      ctx.io.out(lines);
      return done(0);
    }
  }
}

const VERBS: readonly Verb[] = ['start', 'stop', 'restart', 'reload', 'status', 'enable', 'disable', 'is-active'];

export const systemctl: Command = (ctx) => {
  const args = ctx.argv.slice(1).filter((a) => !a.startsWith('-'));
  const verb = args[0];
  if (verb === undefined) {
    ctx.io.err('systemctl: the lab lists no units; try systemctl status UNIT\n');
    return ctx.exit(1);
  }
  if (!(VERBS as readonly string[]).includes(verb)) {
    ctx.io.err(`Unknown operation '${verb}'.\n`);
    return ctx.exit(1);
  }
  if (args.length < 2) {
    ctx.io.err(`Too few arguments.\n`);
    return ctx.exit(1);
  }
  const units = args.slice(1).map(unitName);
  let worst = 0;
  const next = (i: number): void => {
    if (i >= units.length) return ctx.exit(worst);
    unitAction(ctx, verb as Verb, units[i], (code) => {
      worst = Math.max(worst, code);
      next(i + 1);
    });
  };
  next(0);
};

/** `service NAME VERB`: SysV network script on CentOS 7, a redirect to systemctl for the others. */
export const service: Command = (ctx) => {
  const [name, verb] = ctx.argv.slice(1);
  if (name === undefined || verb === undefined) {
    ctx.io.err('Usage: service < option > | --status-all | [ service_name [ command | --full-restart ] ]\n');
    return ctx.exit(1);
  }
  const unit = unitName(name);
  if (!(VERBS as readonly string[]).includes(verb)) {
    ctx.io.err(`Usage: /etc/init.d/${unit} {start|stop|status|restart|reload|force-reload}\n`);
    return ctx.exit(2);
  }
  if (unit === 'network' && ctx.os.network.kind !== 'fixed' && verb !== 'status') {
    const label = verb === 'start' ? 'Starting' : verb === 'stop' ? 'Stopping' : verb === 'reload' ? 'Reloading' : 'Restarting';
    ctx.io.out(`${label} network (via systemctl):  `);
    unitAction(ctx, verb as Verb, unit, (code) => {
      ctx.io.out(code === 0 ? '[  OK  ]\n' : '[FAILED]\n');
      ctx.exit(code);
    });
    return;
  }
  ctx.io.err(`Redirecting to /bin/systemctl ${verb} ${unit}.service\n`);
  unitAction(ctx, verb as Verb, unit, (code) => ctx.exit(code));
};

export const hostnamectl: Command = (ctx) => {
  const args = ctx.argv.slice(1).filter((a) => !a.startsWith('--'));
  if (args[0] === 'set-hostname' && args[1] !== undefined) {
    ctx.os.hostname = args[1];
    return ctx.exit(0);
  }
  if (args.length === 0 || args[0] === 'status') {
    ctx.io.out(`   Static hostname: ${ctx.os.hostname}\n         Icon name: computer-vm\n           Chassis: vm\n    Virtualization: oracle\n  Operating System: CentOS Linux 7 (Core)\n       CPE OS Name: cpe:/o:centos:centos:7\n            Kernel: Linux 3.10.0-1160.el7.x86_64\n      Architecture: x86-64\n`);
    return ctx.exit(0);
  }
  ctx.io.err(`Unknown operation ${args[0]}\n`);
  ctx.exit(1);
};
