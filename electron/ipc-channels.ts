// The two IPC channels between the preload bridge and the main process, named once for both sides.

/** Renderer → main, `ipcRenderer.invoke(REQUEST_CHANNEL, name, params)`, answered with an `Answer`. */
export const REQUEST_CHANNEL = 'vmnetlab:request';

/** Main → renderer, `webContents.send(EVENT_CHANNEL, event, payload)`. */
export const EVENT_CHANNEL = 'vmnetlab:event';
