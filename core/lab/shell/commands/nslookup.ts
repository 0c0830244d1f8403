// bind9's nslookup in its one-shot form: `nslookup NAME [SERVER]` through the machine's resolver (never /etc/hosts for NAME).
import { runNslookup, type DnsRequest } from '../../../stack/dns-resolver';
import { type Ipv4Addr, parseIpv4 } from '../../../wire/address';
import { type Command, SIGINT_STATUS } from '../command';

export const nslookup: Command = (ctx) => {
  const operands = ctx.argv.slice(1).filter((a) => !a.startsWith('-'));
  if (operands.length === 0 || operands[0] === '-') {
    ctx.io.err('nslookup: the lab runs nslookup in its one-shot form: nslookup NAME [SERVER]\n');
    return ctx.exit(1);
  }
  const name = operands[0];
  const serverArg = operands[1];
  let req: DnsRequest | null = null;
  const ask = (server?: Ipv4Addr): void => {
    req = runNslookup(
      ctx.os.resolver(),
      name,
      ctx.guard((out) => {
        req = null;
        ctx.io.out(out.stdout);
        ctx.exit(out.exitCode);
      }),
      server,
    );
  };
  if (serverArg === undefined) ask();
  else {
    const ip = parseIpv4(serverArg);
    if (ip !== null) ask(ip);
    else {
      req = ctx.os.resolver().lookup(
        serverArg,
        ctx.guard((r) => {
          req = null;
          if (!r.ok) {
            ctx.io.err(`nslookup: couldn't get address for '${serverArg}': not found\n`);
            return ctx.exit(1);
          }
          ask(r.addresses[0]);
        }),
      );
    }
  }
  if (ctx.finished) return;
  return {
    interrupt: () => {
      (req as DnsRequest | null)?.cancel();
      ctx.exit(SIGINT_STATUS);
    },
  };
};
