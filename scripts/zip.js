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
  if (files.length > 0xffff) throw new Error(`zip of ${files.length} entries needs Zip64, which this writer does not do`);

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

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(VERSION_NEEDED, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(DOS_TIME_MIDNIGHT, 10);
    local.writeUInt16LE(DOS_DATE_1980_01_01, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(file.data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    parts.push(local, nameBytes, body);

    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(VERSION_MADE_BY, 4);
    header.writeUInt16LE(VERSION_NEEDED, 6);
    header.writeUInt16LE(flags, 8);
    header.writeUInt16LE(method, 10);
    header.writeUInt16LE(DOS_TIME_MIDNIGHT, 12);
    header.writeUInt16LE(DOS_DATE_1980_01_01, 14);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(body.length, 20);
    header.writeUInt32LE(file.data.length, 24);
    header.writeUInt16LE(nameBytes.length, 28);
    header.writeUInt16LE(0, 30); // extra field length
    header.writeUInt16LE(0, 32); // comment length
    header.writeUInt16LE(0, 34); // disk number
    header.writeUInt16LE(0, 36); // internal attributes
    header.writeUInt32LE(((0o100000 | file.mode) << 16) >>> 0, 38); // regular file + permissions
    header.writeUInt32LE(offset, 42);
    central.push(header, nameBytes);

    offset += local.length + nameBytes.length + body.length;
    if (offset > MAX_32) throw new Error('zip archive is over 4 GiB; Zip64 is not supported');
  }
  const centralSize = central.reduce((sum, b) => sum + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0, 4);
  end.writeUInt16LE(0, 6);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20);
  return Buffer.concat([...parts, ...central, end]);
}

module.exports = { createZip, crc32 };
