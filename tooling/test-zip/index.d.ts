/**
 * Every entry of a zip held in memory, by name, read through its central directory (so entries
 * written with data descriptors, as yazl writes them, are read right). Stored and deflated
 * entries only. Throws when the buffer holds no end-of-central-directory record.
 */
export declare function zipEntries(zip: Buffer): Map<string, Buffer>;
