// The contract suite over the in-process transport pair (every message copied through JSON).
import { resolve } from 'node:path';
import { expect } from 'vitest';
import { LabHost } from '../../electron/host/lab-host';
import { connectInProcess } from '../../electron/transport/in-process';
import { contractSuite } from './contract-suite';

const errors: string[] = [];

contractSuite('the in-process pair', async () => {
  const host = new LabHost({ labsDir: resolve(import.meta.dirname, '../../resources/labs'), log: () => undefined });
  const client = connectInProcess(host, { onError: (m) => errors.push(m) });
  return {
    client,
    close: async () => {
      client.close();
      host.close();
      // Every event payload crossed as plain JSON.
      expect(errors).toEqual([]);
    },
  };
});
