// curl 7.88 on the machine's TCP, resolving through its resolver (/etc/hosts first); -o writes into the machine's files.
import { curl as runCurl, type ResolveOutcome } from '../../../stack/http-client';
import { utf8Decode } from '../../../wire/text';
import { type Command, SIGINT_STATUS } from '../command';

export const curl: Command = (ctx) => {
  const run = runCurl(
    ctx.argv.slice(1),
    {
      tcp: ctx.os.tcp,
      resolve: (name, done) => {
        ctx.os.resolver().lookup(
          name,
          ctx.guard((r) => {
            const outcome: ResolveOutcome = r.ok ? { ok: true, addresses: r.addresses } : { ok: false };
            done(outcome);
          }),
        );
      },
    },
    ctx.guard((r) => {
      for (const c of r.chunks) {
        if (c.stream === 'stdout') ctx.io.out(c.text);
        else ctx.io.err(c.text);
      }
      if (r.file !== undefined && r.file.path !== '/dev/null') {
        if (!ctx.os.files.write(ctx.resolve(r.file.path), utf8Decode(r.file.bytes))) {
          ctx.io.err(`curl: (23) Failure writing output to destination\n`);
          return ctx.exit(23);
        }
      }
      ctx.exit(r.exitCode);
    }),
  );
  if (ctx.finished) return;
  return {
    interrupt: () => {
      run.cancel();
      ctx.exit(SIGINT_STATUS);
    },
  };
};
