// Draws ParcelTray's icons (a parcel box) as PNG files in assets/: tray variants at 1x and 2x
// (normal, attention, offline), their macOS template versions (tray-*Template.png, black +
// alpha only: the menu bar tints them for light and dark), the app icon at the sizes
// electron-builder wants, and the window's favicon. Run once after changing the design: `node scripts/make-icons.mjs`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const CRC = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
const crc32 = (buf) => {
  let c = -1;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
};
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
function png(size, pixel) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel((x + 0.5) / size, (y + 0.5) / size);
      raw.set([r, g, b, a], y * (size * 4 + 1) + 1 + x * 4);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

const VARIANTS = {
  normal: { box: [196, 140, 82], tape: [120, 80, 40], dot: null },
  attention: { box: [196, 140, 82], tape: [120, 80, 40], dot: [220, 38, 38] },
  offline: { box: [150, 150, 150], tape: [100, 100, 100], dot: null },
};

/** A box seen from the front with a tape band, and an optional alert dot top right. */
function parcel({ box, tape, dot }) {
  return (u, v) => {
    if (dot && (u - 0.78) ** 2 + (v - 0.22) ** 2 < 0.2 ** 2) return [...dot, 255];
    const inBox = u > 0.1 && u < 0.9 && v > 0.22 && v < 0.9;
    const lid = u > 0.06 && u < 0.94 && v > 0.12 && v < 0.3;
    if (lid) return [...tape, 255];
    if (!inBox) return [0, 0, 0, 0];
    if (Math.abs(u - 0.5) < 0.07) return [...tape, 255];
    return [...box, 255];
  };
}

/**
 * The same box as a template image: black, shape in alpha only. The tape is cut out so the box
 * reads at 16 px; attention adds a solid dot (a cut ring around it), offline is drawn faint.
 */
function templateParcel({ dot }, faint) {
  const alpha = faint ? 110 : 255;
  return (u, v) => {
    if (dot) {
      const d = (u - 0.78) ** 2 + (v - 0.22) ** 2;
      if (d < 0.17 ** 2) return [0, 0, 0, 255];
      if (d < 0.24 ** 2) return [0, 0, 0, 0];
    }
    const inBox = u > 0.1 && u < 0.9 && v > 0.22 && v < 0.9;
    const lid = u > 0.06 && u < 0.94 && v > 0.12 && v < 0.3;
    if (!inBox && !lid) return [0, 0, 0, 0];
    if (Math.abs(u - 0.5) < 0.07 || (v > 0.3 && v < 0.36)) return [0, 0, 0, 0];
    return [0, 0, 0, alpha];
  };
}

mkdirSync('assets/renderer', { recursive: true });
for (const [name, colours] of Object.entries(VARIANTS)) {
  writeFileSync(`assets/tray-${name}.png`, png(16, parcel(colours)));
  writeFileSync(`assets/tray-${name}@2x.png`, png(32, parcel(colours)));
  writeFileSync(`assets/tray-${name}Template.png`, png(16, templateParcel(colours, name === 'offline')));
  writeFileSync(`assets/tray-${name}Template@2x.png`, png(32, templateParcel(colours, name === 'offline')));
}
for (const size of [16, 32, 48, 64, 128, 256, 512, 1024]) writeFileSync(`assets/icons/${size}x${size}.png`, (mkdirSync('assets/icons', { recursive: true }), png(size, parcel(VARIANTS.normal))));
writeFileSync('assets/icon.png', png(512, parcel(VARIANTS.normal)));
writeFileSync('assets/renderer/icon.png', png(64, parcel(VARIANTS.normal)));
console.log('icons written to assets/');
