/**
 * Finds text in EXIF: the `UserComment` (where AUTOMATIC1111 and others put the generation
 * parameters of a JPEG or WebP) or, failing that, `ImageDescription`.
 */

const USER_COMMENT = 0x9286;
const IMAGE_DESCRIPTION = 0x010e;
const EXIF_IFD_POINTER = 0x8769;
const EXIF_HEADER = [0x45, 0x78, 0x69, 0x66, 0, 0]; // "Exif\0\0"

interface TiffReader {
  bytes: Uint8Array;
  view: DataView;
  little: boolean;
}

function openTiff(bytes: Uint8Array): TiffReader | undefined {
  const start = EXIF_HEADER.every((byte, index) => bytes[index] === byte) ? 6 : 0;
  const tiff = bytes.subarray(start);
  if (tiff.length < 8) return undefined;
  const order = String.fromCharCode(tiff[0]!, tiff[1]!);
  if (order !== 'II' && order !== 'MM') return undefined;
  return {
    bytes: tiff,
    view: new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength),
    little: order === 'II',
  };
}

/** The raw value bytes of each tag of the IFD at `offset`, by tag number. */
function readDirectory(reader: TiffReader, offset: number): Map<number, Uint8Array> {
  const tags = new Map<number, Uint8Array>();
  const { view, little, bytes } = reader;
  if (offset + 2 > bytes.length) return tags;
  const count = view.getUint16(offset, little);
  const typeSizes: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 7: 1 };
  for (let index = 0; index < count; index += 1) {
    const entry = offset + 2 + index * 12;
    if (entry + 12 > bytes.length) break;
    const tag = view.getUint16(entry, little);
    const size =
      (typeSizes[view.getUint16(entry + 2, little)] ?? 0) * view.getUint32(entry + 4, little);
    const valueOffset = size <= 4 ? entry + 8 : view.getUint32(entry + 8, little);
    if (size === 0 || valueOffset + size > bytes.length) continue;
    tags.set(tag, bytes.subarray(valueOffset, valueOffset + size));
  }
  return tags;
}

/** Decodes a UserComment: an 8-byte character-code header, then the text. */
function decodeUserComment(value: Uint8Array): string {
  const header = String.fromCharCode(...value.subarray(0, 8)).replace(/\0+$/, '');
  const body = value.subarray(8);
  if (header === 'UNICODE') {
    // The byte order is not fixed by the standard: look where the zero bytes of ASCII text are.
    let evenZeros = 0;
    let oddZeros = 0;
    for (let index = 0; index + 1 < body.length; index += 2) {
      if (body[index] === 0) evenZeros += 1;
      if (body[index + 1] === 0) oddZeros += 1;
    }
    return new TextDecoder(evenZeros > oddZeros ? 'utf-16be' : 'utf-16le').decode(body);
  }
  if (header === 'ASCII' || header === '') return new TextDecoder('utf-8').decode(body);
  return new TextDecoder('utf-8').decode(value);
}

/** The text of EXIF `UserComment` or `ImageDescription`, without trailing NULs; `undefined` if none. */
export function readExifText(exif: Uint8Array): string | undefined {
  const reader = openTiff(exif);
  if (reader === undefined) return undefined;
  const first = readDirectory(reader, reader.view.getUint32(4, reader.little));
  const pointer = first.get(EXIF_IFD_POINTER);
  if (pointer !== undefined && pointer.length === 4) {
    const offset = new DataView(pointer.buffer, pointer.byteOffset, 4).getUint32(0, reader.little);
    const comment = readDirectory(reader, offset).get(USER_COMMENT);
    const text = comment && decodeUserComment(comment).replace(/\0+$/, '').trim();
    if (text) return text;
  }
  const description = first.get(IMAGE_DESCRIPTION);
  const text =
    description && new TextDecoder('utf-8').decode(description).replace(/\0+$/, '').trim();
  return text || undefined;
}
