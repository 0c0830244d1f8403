// Draws the app icon in code and writes it as SVG, PNGs of every size (png/NxN.png), icon.ico (Windows) and icon.icns (macOS); run `node resources/icons/make-icons.mjs` to remake them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { Buffer } from 'node:buffer';

const OUT = dirname(fileURLToPath(import.meta.url));
const UNIT = 1024;

// ---- the drawing, in a 1024-unit square: VMs (coloured nodes) wired to the host (the hub) ----------------

const hub = { x: 512, y: 660 };
const nodes = [
  { x: 262, y: 352, color: '#22c55e' },
  { x: 512, y: 282, color: '#f59e0b' },
  { x: 762, y: 352, color: '#a855f7' },
];

/** Shapes, painted in order: roundRect, circle and capsule (a segment with a radius); fill is a colour or a vertical gradient. */
const scene = [
  { kind: 'roundRect', x0: 64, y0: 64, x1: 960, y1: 960, r: 200, fill: { from: '#3b82f6', to: '#1e3a8a' } },
  ...nodes.map((n) => ({ kind: 'capsule', ax: hub.x, ay: hub.y, bx: n.x, by: n.y, r: 22, fill: '#e2e8f0' })),
  { kind: 'capsule', ax: hub.x, ay: hub.y, bx: hub.x, by: 860, r: 22, fill: '#e2e8f0' },
  { kind: 'roundRect', x0: 372, y0: 580, x1: 652, y1: 740, r: 44, fill: '#f8fafc' },
  { kind: 'roundRect', x0: 412, y0: 640, x1: 612, y1: 680, r: 20, fill: '#1e3a8a' },
  ...nodes.flatMap((n) => [
    { kind: 'circle', cx: n.x, cy: n.y, r: 118, fill: '#f8fafc' },
    { kind: 'circle', cx: n.x, cy: n.y, r: 92, fill: n.color },
  ]),
];

// ---- rasterising: signed distances give each shape an anti-aliased edge --------------------------------

function sdRoundRect(px, py, s) {
  const cx = (s.x0 + s.x1) / 2;
  const cy = (s.y0 + s.y1) / 2;
  const qx = Math.abs(px - cx) - ((s.x1 - s.x0) / 2 - s.r);
  const qy = Math.abs(py - cy) - ((s.y1 - s.y0) / 2 - s.r);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - s.r;
}

function sdCapsule(px, py, s) {
  const dx = s.bx - s.ax;
  const dy = s.by - s.ay;
  const t = Math.max(0, Math.min(1, ((px - s.ax) * dx + (py - s.ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - s.ax - t * dx, py - s.ay - t * dy) - s.r;
}

function distance(px, py, s) {
  if (s.kind === 'circle') return Math.hypot(px - s.cx, py - s.cy) - s.r;
  if (s.kind === 'capsule') return sdCapsule(px, py, s);
  return sdRoundRect(px, py, s);
}

const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);

function colorAt(fill, py, s) {
  if (typeof fill === 'string') return rgb(fill);
  const t = Math.max(0, Math.min(1, (py - s.y0) / (s.y1 - s.y0)));
  const a = rgb(fill.from);
  const b = rgb(fill.to);
  return a.map((v, i) => v + (b[i] - v) * t);
}

/** RGBA bytes of the icon at `size` × `size` pixels. */
export function render(size) {
  const px = new Uint8Array(size * size * 4);
  const scale = size / UNIT;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const ux = (x + 0.5) / scale;
      const uy = (y + 0.5) / scale;
      // Premultiplied colour, composited front to back in painting order ("over").
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (const s of scene) {
        const cover = Math.max(0, Math.min(1, 0.5 - distance(ux, uy, s) * scale));
        if (cover === 0) continue;
        const [cr, cg, cb] = colorAt(s.fill, uy, s);
        r = cr * cover + r * (1 - cover);
        g = cg * cover + g * (1 - cover);
        b = cb * cover + b * (1 - cover);
        a = cover + a * (1 - cover);
      }
      const o = (y * size + x) * 4;
      px[o] = a > 0 ? Math.round((r / a) * 255) : 0;
      px[o + 1] = a > 0 ? Math.round((g / a) * 255) : 0;
      px[o + 2] = a > 0 ? Math.round((b / a) * 255) : 0;
      px[o + 3] = Math.round(a * 255);
    }
  }
  return px;
}

// ---- file formats ---------------------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** A PNG (RGBA, 8 bits per channel) of `rgba`. */
export function encodePng(rgba, size) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    Buffer.from(rgba.buffer, rgba.byteOffset + y * size * 4, size * 4).copy(raw, y * (size * 4 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

/** An ICO image entry as a 32-bit BMP (what every Windows and NSIS reads for the small sizes). */
function icoBitmap(rgba, size) {
  const maskRow = Math.ceil(size / 32) * 4;
  const out = Buffer.alloc(40 + size * size * 4 + maskRow * size);
  out.writeUInt32LE(40, 0);
  out.writeInt32LE(size, 4);
  out.writeInt32LE(size * 2, 8);
  out.writeUInt16LE(1, 12);
  out.writeUInt16LE(32, 14);
  out.writeUInt32LE(size * size * 4 + maskRow * size, 20);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const src = ((size - 1 - y) * size + x) * 4;
      const dst = 40 + (y * size + x) * 4;
      out[dst] = rgba[src + 2];
      out[dst + 1] = rgba[src + 1];
      out[dst + 2] = rgba[src];
      out[dst + 3] = rgba[src + 3];
    }
  }
  return out;
}

/** icon.ico: BMP entries up to 128 px, a PNG entry for 256 px. */
export function encodeIco(images) {
  const header = Buffer.alloc(6 + images.length * 16);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  const bodies = images.map(({ size, rgba, png }) => (size >= 256 ? png : icoBitmap(rgba, size)));
  let offset = header.length;
  images.forEach(({ size }, i) => {
    const e = 6 + i * 16;
    header[e] = size >= 256 ? 0 : size;
    header[e + 1] = size >= 256 ? 0 : size;
    header.writeUInt16LE(1, e + 4);
    header.writeUInt16LE(32, e + 6);
    header.writeUInt32LE(bodies[i].length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += bodies[i].length;
  });
  return Buffer.concat([header, ...bodies]);
}

/** icon.icns: PNG entries by their OSType (icp4 16 px … ic10 1024 px, and the @2x ones). */
export function encodeIcns(pngBySize) {
  const types = [
    ['icp4', 16], ['icp5', 32], ['icp6', 64], ['ic07', 128], ['ic08', 256], ['ic09', 512], ['ic10', 1024],
    ['ic11', 32], ['ic12', 64], ['ic13', 256], ['ic14', 512],
  ];
  const entries = types.map(([type, size]) => {
    const png = pngBySize.get(size);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const body = Buffer.concat(entries);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([head, body]);
}

/** The same drawing as SVG, for anything that scales (the renderer's favicon, documentation). */
export function svg() {
  let gradients = '';
  const shapes = scene.map((s, i) => {
    let fill = s.fill;
    if (typeof fill !== 'string') {
      gradients += `<linearGradient id="g${i}" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${fill.from}"/><stop offset="1" stop-color="${fill.to}"/></linearGradient>`;
      fill = `url(#g${i})`;
    }
    if (s.kind === 'circle') return `<circle cx="${s.cx}" cy="${s.cy}" r="${s.r}" fill="${fill}"/>`;
    if (s.kind === 'capsule') return `<line x1="${s.ax}" y1="${s.ay}" x2="${s.bx}" y2="${s.by}" stroke="${fill}" stroke-width="${s.r * 2}" stroke-linecap="round"/>`;
    return `<rect x="${s.x0}" y="${s.y0}" width="${s.x1 - s.x0}" height="${s.y1 - s.y0}" rx="${s.r}" fill="${fill}"/>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${UNIT} ${UNIT}" width="${UNIT}" height="${UNIT}"><title>VM Net Lab</title><defs>${gradients}</defs>${shapes.join('')}</svg>\n`;
}

export const SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];

function main() {
  mkdirSync(join(OUT, 'png'), { recursive: true });
  const images = SIZES.map((size) => {
    const rgba = render(size);
    return { size, rgba, png: encodePng(rgba, size) };
  });
  const pngBySize = new Map(images.map((i) => [i.size, i.png]));
  for (const { size, png } of images) writeFileSync(join(OUT, 'png', `${size}x${size}.png`), png);
  writeFileSync(join(OUT, 'icon.png'), pngBySize.get(1024));
  writeFileSync(join(OUT, 'icon.ico'), encodeIco(images.filter((i) => i.size <= 256)));
  writeFileSync(join(OUT, 'icon.icns'), encodeIcns(pngBySize));
  writeFileSync(join(OUT, 'icon.svg'), svg());
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
