// iproute2's ss for TCP sockets (-t, -a, -l, -n); other socket types are not modelled.
import { formatSsTable } from '../../../stack/tcp';
import type { Command } from '../command';

export const ss: Command = (ctx) => {
  let all = false;
  let listening = false;
  for (const a of ctx.argv.slice(1)) {
    if (a === '--all') all = true;
    else if (a === '--listening') listening = true;
    else if (/^-[a-zA-Z]+$/.test(a)) {
      if (a.includes('a')) all = true;
      if (a.includes('l')) listening = true;
    }
  }
  const rows = ctx.os.tcp.connections().filter((r) => (all ? true : listening ? r.state === 'LISTEN' : r.state !== 'LISTEN'));
  ctx.io.out(formatSsTable(rows) + '\n');
  ctx.exit(0);
};
