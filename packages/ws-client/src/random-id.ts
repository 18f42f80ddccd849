/**
 * A fresh random id: `prefix` and 18 letters or digits, from the platform's CSPRNG
 * (`crypto.getRandomValues`, in browsers and Node alike). It fits client and op ids.
 */
export function randomId(prefix: string): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(9));
  return prefix + Array.from(bytes, (byte) => byte.toString(36).padStart(2, '0')).join('');
}
