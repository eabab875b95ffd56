const OFFSET = 0xcbf29ce484222325n;
const PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;

/**
 * The 64-bit FNV-1a hash of `text`'s UTF-8 bytes, as 16 hex digits. Not a cryptographic hash:
 * it names a file, and node:crypto would cost a CLI verb's start ~5-10 ms just to load.
 */
export function fnv1a64(text: string): string {
  let hash = OFFSET;
  for (const byte of Buffer.from(text, 'utf8')) hash = ((hash ^ BigInt(byte)) * PRIME) & MASK;
  return hash.toString(16).padStart(16, '0');
}
