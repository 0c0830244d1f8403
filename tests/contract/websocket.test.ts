// The contract suite over a real WebSocket to `vmnetlab serve`, started from the built CLI on an ephemeral port.
import { expect } from 'vitest';
import { buildCli, connectAsPage, startServe } from './serve-process';
import { contractSuite } from './contract-suite';

contractSuite('a WebSocket to vmnetlab serve', async () => {
  await buildCli();
  const serve = await startServe();
  const client = connectAsPage(serve);
  await client.ready;
  return {
    client,
    close: async () => {
      client.close();
      // Ctrl-C (here SIGTERM) stops it cleanly.
      expect(await serve.stop()).toBe(0);
    },
  };
});
