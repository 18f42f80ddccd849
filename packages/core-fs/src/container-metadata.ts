/** Finds the EXIF block and comments inside JPEG and WebP files, without decoding pixels. */

/** The EXIF blocks (APP1 `Exif`) and comment texts (COM) of a JPEG file. */
export function readJpegSegments(bytes: Uint8Array): { exif: Uint8Array[]; comments: string[] } {
  const exif: Uint8Array[] = [];
  const comments: string[] = [];
  let offset = 2;
  while (offset + 4 <= bytes.length && bytes[offset] === 0xff) {
    const marker = bytes[offset + 1]!;
    if (
      marker === 0xd8 ||
      (marker >= 0xd0 && marker <= 0xd7) ||
      marker === 0x01 ||
      marker === 0xff
    ) {
      offset += marker === 0xff ? 1 : 2;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) break; // image data starts: no more metadata segments
    const length = (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
    const body = bytes.subarray(offset + 4, offset + 2 + length);
    if (marker === 0xe1 && body[0] === 0x45 && body[1] === 0x78) exif.push(body);
    if (marker === 0xfe) comments.push(new TextDecoder('utf-8').decode(body));
    offset += 2 + length;
  }
  return { exif, comments };
}

/** The EXIF chunk of a WebP file, if it has one. */
export function readWebpExif(bytes: Uint8Array): Uint8Array | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let offset = 12; offset + 8 <= bytes.length; ) {
    const type = String.fromCharCode(...bytes.subarray(offset, offset + 4));
    const size = view.getUint32(offset + 4, true);
    if (type === 'EXIF')
      return bytes.subarray(offset + 8, Math.min(bytes.length, offset + 8 + size));
    offset += 8 + size + (size % 2);
  }
  return undefined;
}
