// Benchmark: the topology of 1,000 machines in Debian's Chromium: time to the first drawn frame, and frames per second while panning by mouse drag.
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { chromium, type Page } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '../..');
const DIST = join(ROOT, 'dist/renderer');
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.map': 'application/json' };
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface TopologyBenchOptions {
  machines?: number;
  /** How long the mouse drags the graph around. */
  panMs?: number;
  /** Page loads whose first-frame times are taken (the median is reported). */
  loads?: number;
}

export interface TopologyBenchResult {
  firstFrameMs: number;
  panFps: number;
}

function ensureBuilt(): void {
  if (existsSync(join(DIST, 'index.html'))) return;
  const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'error'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('the renderer could not be built (vite build failed)');
}

/** A static server of dist/renderer on 127.0.0.1, nothing outside it. */
function serve(): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(DIST, path === '/' ? 'index.html' : path);
    if (!file.startsWith(DIST + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => {
    const a = server.address();
    ok({ server, base: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}` });
  }));
}

async function report(page: Page): Promise<{ firstFrameMs: number | null; renders: number }> {
  return (await page.evaluate('window.__vmnetlabBench')) as { firstFrameMs: number | null; renders: number };
}

async function load(page: Page, url: string): Promise<number> {
  await page.goto(url);
  await page.waitForFunction('window.__vmnetlabBench && window.__vmnetlabBench.firstFrameMs !== null', undefined, { timeout: 60_000 });
  const r = await report(page);
  return r.firstFrameMs ?? NaN;
}

/** Drags the graph around for `ms` and counts the frames the page produced meanwhile (requestAnimationFrame) and Cytoscape's redraws. */
async function pan(page: Page, ms: number): Promise<{ fps: number; renders: number }> {
  const box = await page.locator('[data-testid=topology]').boundingBox();
  if (!box) throw new Error('the topology is not on the page');
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const before = (await report(page)).renders;
  await page.evaluate(`(() => {
    const s = { frames: 0, on: true };
    window.__panStats = s;
    const tick = () => { if (!s.on) return; s.frames++; requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })()`);
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  const t0 = performance.now();
  let i = 0;
  // A circle of 150 px, round and round: every move is a new viewport to draw.
  while (performance.now() - t0 < ms) {
    const a = i++ / 12;
    await page.mouse.move(cx + Math.cos(a) * 150, cy + Math.sin(a) * 150);
  }
  await page.mouse.up();
  const seconds = (performance.now() - t0) / 1000;
  const frames = (await page.evaluate('(() => { window.__panStats.on = false; return window.__panStats.frames; })()')) as number;
  const renders = (await report(page)).renders - before;
  return { fps: frames / seconds, renders };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function topologyBench(options: TopologyBenchOptions = {}): Promise<TopologyBenchResult> {
  const machines = options.machines ?? 1000;
  ensureBuilt();
  const { server, base } = await serve();
  const profile = mkdtempSync(join(tmpdir(), 'vmnetlab-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 800 },
    // The page's CSP forbids eval, which Playwright's string probes use; it changes nothing that is measured.
    bypassCSP: true,
  });
  try {
    const url = `${base}/index.html?bench=${machines}`;
    const times: number[] = [];
    let page = context.pages()[0] ?? (await context.newPage());
    for (let i = 0; i < (options.loads ?? 3); i++) {
      if (i > 0) {
        await page.close();
        page = await context.newPage();
      }
      times.push(await load(page, url));
    }
    const p = await pan(page, options.panMs ?? 3000);
    if (p.renders === 0) throw new Error('the graph was not redrawn while panning: the drag did not reach it');
    return { firstFrameMs: median(times), panFps: p.fps };
  } finally {
    await context.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

if (process.argv[1] && normalize(process.argv[1]) === normalize(import.meta.filename)) {
  topologyBench().then(
    (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
    (e: unknown) => {
      process.stderr.write(`topology bench failed: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
