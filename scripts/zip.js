'use strict';
// A small writer for deterministic zip archives: the same entries always give
// the same bytes (fixed 1980-01-01 timestamps, entries sorted by name, fixed
// Unix permissions, no extra fields). Enough for Lambda deployment packages;
// no Zip64, so each entry and the archive stay under 4 GiB.
const zlib = require('node:zlib');

const DOS_DATE_1980_01_01 = (0 << 9) | (1 << 5) | 1;
const DOS_TIME_MIDNIGHT = 0;
const VERSION_NEEDED = 20; // 2.0: deflate
const VERSION_MADE_BY = (3 << 8) | VERSION_NEEDED; // host system 3: Unix
const FLAG_UTF8_NAME = 1 << 11;
const STORED = 0;
const DEFLATED = 8;
const MAX_32 = 0xffffffff;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE 802.3) of a buffer, as zip stores it. */
function crc32(data) {
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = CRC_TABLE[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Little-endian fields one after another, each a [bytes (2 or 4), value] pair. */
function fields(list) {
  const buffer = Buffer.alloc(list.reduce((n, [size]) => n + size, 0));
  let at = 0;
  for (const [size, value] of list) {
    if (size === 2) buffer.writeUInt16LE(value, at);
    else buffer.writeUInt32LE(value, at);
    at += size;
  }
  return buffer;
}

/**
 * Builds a zip archive in memory.
 * @param {Array<{name: string, data: Buffer | string, mode?: number}>} entries
 *   files to store; `name` uses forward slashes, `mode` is the Unix file mode
 *   (default 0o644).
 * @returns {Buffer}
 */
function createZip(entries) {
  const seen = new Set();
  const files = entries
    .map((entry) => {
      const name = String(entry.name);
      if (name === '' || name.startsWith('/') || name.includes('\\') || name.split('/').includes('..')) {
        throw new Error(`zip entry name ${JSON.stringify(name)} must be a relative path with forward slashes`);
      }
      if (seen.has(name)) throw new Error(`zip entry ${JSON.stringify(name)} appears twice`);
      seen.add(name);
      const data = Buffer.isBuffer(entry.data) ? entry.data : Buffer.from(entry.data, 'utf8');
      return { name, data, mode: entry.mode === undefined ? 0o644 : entry.mode };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (files.length > 0xffff)
    throw new Error(`zip of ${files.length} entries needs Zip64, which this writer does not do`);

  const parts = [];
  const central = [];
  let offset = 0;
  for (const file of files) {
    if (file.data.length > MAX_32) throw new Error(`zip entry ${file.name} is over 4 GiB; Zip64 is not supported`);
    const nameBytes = Buffer.from(file.name, 'utf8');
    const flags = /^[\x20-\x7e]*$/.test(file.name) ? 0 : FLAG_UTF8_NAME;
    const deflated = zlib.deflateRawSync(file.data, { level: 9 });
    const method = deflated.length < file.data.length ? DEFLATED : STORED;
    const body = method === DEFLATED ? deflated : file.data;
    const crc = crc32(file.data);

    // The local header and the central directory entry share these fields, in this order.
    const shared = [
      [2, VERSION_NEEDED],
      [2, flags],
      [2, method],
      [2, DOS_TIME_MIDNIGHT],
      [2, DOS_DATE_1980_01_01],
      [4, crc],
      [4, body.length],
      [4, file.data.length],
      [2, nameBytes.length],
    ];
    const local = fields([[4, 0x04034b50], ...shared, [2, 0] /* extra field length */]);
    parts.push(local, nameBytes, body);
    const header = fields([
      [4, 0x02014b50],
      [2, VERSION_MADE_BY],
      ...shared,
      [2, 0], // extra field length
      [2, 0], // comment length
      [2, 0], // disk number
      [2, 0], // internal attributes
      [4, ((0o100000 | file.mode) << 16) >>> 0], // regular file + permissions
      [4, offset],
    ]);
    central.push(header, nameBytes);

    offset += local.length + nameBytes.length + body.length;
    if (offset > MAX_32) throw new Error('zip archive is over 4 GiB; Zip64 is not supported');
  }
  const centralSize = central.reduce((sum, b) => sum + b.length, 0);
  // End of central directory: this disk, the disk it starts on, its entries (on this disk and in all), its size and offset, no comment.
  const end = fields([
    [4, 0x06054b50],
    [2, 0],
    [2, 0],
    [2, files.length],
    [2, files.length],
    [4, centralSize],
    [4, offset],
    [2, 0],
  ]);
  return Buffer.concat([...parts, ...central, end]);
}

module.exports = { createZip, crc32 };
