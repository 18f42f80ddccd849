/**
 * CRC-32 (IEEE 802.3, the one zip and PNG use) of a byte sequence, as an unsigned 32-bit number.
 *
 * The journal uses it to tell a line that a crash cut short from a complete one: it is a
 * checksum against torn writes, not a defence against someone forging a line.
 */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let index = 0; index < bytes.length; index += 1) {
    crc = (crc >>> 8) ^ (TABLE[(crc ^ (bytes[index] as number)) & 0xff] as number);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** The CRC-32 of `text`'s UTF-8 bytes, as 8 lower-case hex digits. */
export function crc32Hex(text: string): string {
  return crc32(Buffer.from(text, 'utf8')).toString(16).padStart(8, '0');
}

const TABLE = buildTable();

function buildTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let byte = 0; byte < 256; byte += 1) {
    let value = byte;
    for (let bit = 0; bit < 8; bit += 1) {
      value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
    }
    table[byte] = value >>> 0;
  }
  return table;
}
