// The sandboxed preload: exposes `window.vmnetlab` (the bridge over IPC) and nothing else of Electron to the window.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { buildBridgeApi } from './bridge-api';
import { EVENT_CHANNEL, REQUEST_CHANNEL } from './ipc-channels';

const api = buildBridgeApi({
  invoke: (name, params) => ipcRenderer.invoke(REQUEST_CHANNEL, name, params),
  on: (listener) => {
    // The IpcRendererEvent stays here: it carries `sender`, i.e. ipcRenderer itself.
    const handler = (_event: IpcRendererEvent, name: unknown, payload: unknown): void => listener(name, payload);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    };
  },
});

contextBridge.exposeInMainWorld('vmnetlab', api);
