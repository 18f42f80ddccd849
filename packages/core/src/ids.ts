import { randomBytes } from 'node:crypto';

/**
 * A new random id: 16 characters of base64url (96 bits), valid as an image id, dataset id
 * or job id (`[A-Za-z0-9_-]`).
 */
export function newId(): string {
  return randomBytes(12).toString('base64url');
}
