// The VBoxManage command on the lab's host: dispatches the network subset of subcommands to their modules.
import type { Command } from '../command';
import { LOGO, syntaxError, VBOX_REVISION, VBOX_VERSION, type VBoxRun } from './common';
import { controlvm, startvm } from './controlvm';
import { list, showvminfo } from './info';
import { modifyvm } from './modifyvm';
import { dhcpserver, natnetwork } from './networks';
import { GENERAL_USAGE } from './usage';

const SUBCOMMANDS: Record<string, (run: VBoxRun) => number> = {
  modifyvm,
  controlvm,
  startvm,
  natnetwork,
  dhcpserver,
  list,
  showvminfo,
};

export const vboxmanage: Command = (ctx) => {
  const lab = ctx.os.lab;
  if (lab === null) {
    ctx.io.err(`bash: ${ctx.argv[0]}: command not found\n`);
    return ctx.exit(127);
  }
  const args = ctx.argv.slice(1).filter((a) => a !== '-q' && a !== '--nologo');
  const sub = args[0];
  if (sub === undefined) {
    ctx.io.out(LOGO + GENERAL_USAGE);
    return ctx.exit(2);
  }
  if (sub === '--version' || sub === '-v' || sub === '-V') {
    ctx.io.out(`${VBOX_VERSION}r${VBOX_REVISION}\n`);
    return ctx.exit(0);
  }
  const handler = SUBCOMMANDS[sub];
  if (handler === undefined) {
    ctx.io.err(`${LOGO}VBoxManage: error: Invalid command '${sub}'\n`);
    return ctx.exit(2);
  }
  const code = handler({ ctx, lab, args: args.slice(1) });
  ctx.exit(code);
};

export { syntaxError };
