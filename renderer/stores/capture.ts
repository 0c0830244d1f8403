// Captures, one per link (cable): which links capture, the packet list of the one shown, the selected frame's decode, export.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { CaptureInfo, ErrorInfo, FrameDetail, FrameSummary } from '../../core/api/dto';
import type { Answer } from '../../core/api/contract';
import { ask, labClient } from '../api/provide';

/** The packet list keeps this many frames; older ones are still in the capture and its export. */
export const MAX_LISTED_FRAMES = 5000;
const FETCH_LIMIT = 5000;

export type FrameListener = (frame: FrameSummary) => void;

export const useCaptureStore = defineStore('capture', () => {
  const captures = ref<CaptureInfo[]>([]);
  const link = ref<string | null>(null);
  const frames = shallowRef<FrameSummary[]>([]);
  const selectedNumber = ref<number | null>(null);
  const detail = shallowRef<FrameDetail | null>(null);
  /** The decode tree line selected, as a path of child indexes ("0.2.1"): its bytes are highlighted. */
  const selectedNode = ref<string | null>(null);
  const error = ref<ErrorInfo | null>(null);
  const frameListeners = new Set<FrameListener>();
  const unsubscribers: Array<() => void> = [];

  const current = computed(() => captures.value.find((c) => c.link === link.value) ?? null);
  const capturing = computed(() => new Set(captures.value.filter((c) => c.capturing).map((c) => c.link)));

  function remember(info: CaptureInfo): void {
    const i = captures.value.findIndex((c) => c.link === info.link);
    if (i < 0) captures.value = [...captures.value, info].sort((a, b) => a.link.localeCompare(b.link));
    else captures.value.splice(i, 1, info);
  }

  function take(a: Answer<CaptureInfo>): boolean {
    if (a.ok) remember(a.result);
    else error.value = a.error;
    return a.ok;
  }

  async function refreshList(): Promise<void> {
    const a = await ask('capture.list', {});
    if (a.ok) captures.value = a.result;
    else error.value = a.error;
  }

  async function loadFrames(): Promise<void> {
    const l = link.value;
    if (l === null) {
      frames.value = [];
      return;
    }
    const info = current.value;
    // Only the newest frames fit the list: start where they begin.
    const from = info && info.frames > FETCH_LIMIT ? info.frames - FETCH_LIMIT + 1 : 1;
    const a = await ask('capture.frames', { link: l, from, limit: FETCH_LIMIT });
    if (link.value !== l) return;
    if (a.ok) frames.value = a.result;
    else if (a.error.code === 'not-found') frames.value = [];
    else error.value = a.error;
  }

  async function selectLink(l: string | null): Promise<void> {
    link.value = l;
    selectedNumber.value = null;
    detail.value = null;
    selectedNode.value = null;
    frames.value = [];
    await loadFrames();
  }

  async function selectFrame(n: number | null): Promise<void> {
    selectedNumber.value = n;
    selectedNode.value = null;
    if (n === null || link.value === null) {
      detail.value = null;
      return;
    }
    const a = await ask('capture.frame', { link: link.value, number: n });
    if (selectedNumber.value !== n) return;
    if (a.ok) detail.value = a.result;
    else {
      detail.value = null;
      error.value = a.error;
    }
  }

  function selectNode(path: string | null): void {
    selectedNode.value = path;
  }

  const startCapture = async (l: string) => take(await ask('capture.start', { link: l }));
  const stopCapture = async (l: string) => take(await ask('capture.stop', { link: l }));

  async function clearCapture(l: string): Promise<boolean> {
    const ok = take(await ask('capture.clear', { link: l }));
    if (ok && link.value === l) {
      frames.value = [];
      selectedNumber.value = null;
      detail.value = null;
    }
    return ok;
  }

  /** Starts capturing on every link, so the graph can show every frame that moves. */
  async function captureAll(): Promise<void> {
    for (const c of captures.value) if (!c.capturing) await startCapture(c.link);
  }

  /** The capture as a .pcap file: the bytes the host sends (base64) and the name it suggests. */
  async function exportPcap(l: string): Promise<{ fileName: string; bytes: Uint8Array } | null> {
    const a = await ask('capture.export', { link: l });
    if (!a.ok) {
      error.value = a.error;
      return null;
    }
    const bin = atob(a.result.base64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return { fileName: a.result.fileName, bytes };
  }

  function onFrame(f: FrameSummary): void {
    const info = captures.value.find((c) => c.link === f.link);
    if (info) info.frames = Math.max(info.frames, f.number);
    if (f.link === link.value) {
      const list = frames.value;
      if (list.length === 0 || list[list.length - 1].number < f.number) {
        const next = list.length >= MAX_LISTED_FRAMES ? list.slice(list.length - MAX_LISTED_FRAMES + 1) : list.slice();
        next.push(f);
        frames.value = next;
      }
    }
    for (const l of frameListeners) l(f);
  }

  /** The topology's animation listens here; returns the unsubscribe. */
  function subscribeFrames(listener: FrameListener): () => void {
    frameListeners.add(listener);
    return () => frameListeners.delete(listener);
  }

  async function start(): Promise<void> {
    stop();
    const client = labClient();
    unsubscribers.push(
      client.on('frame.captured', onFrame),
      client.on('tables.changed', (e) => {
        // Cables come and go with the wiring.
        if (e.tables.includes('topology')) void refreshList();
      }),
      client.on('lab.changed', () => void refreshList()),
    );
    await refreshList();
    if (link.value !== null) await loadFrames();
  }

  function stop(): void {
    while (unsubscribers.length > 0) unsubscribers.pop()?.();
  }

  return {
    captures,
    link,
    frames,
    selectedNumber,
    detail,
    selectedNode,
    error,
    current,
    capturing,
    refreshList,
    loadFrames,
    selectLink,
    selectFrame,
    selectNode,
    startCapture,
    stopCapture,
    clearCapture,
    captureAll,
    exportPcap,
    subscribeFrames,
    start,
    stop,
  };
});
