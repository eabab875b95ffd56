import { endianness } from 'node:os';

/** A TCP socket in LISTEN: the address it is bound to and its port. */
export interface ListenSocket {
  host: string;
  port: number;
}

const LISTEN = '0A';

/**
 * The LISTEN sockets of a `/proc/net/tcp` or `/proc/net/tcp6` text, by socket inode. The
 * kernel prints each address as 32-bit words in host byte order, so they are decoded with
 * this machine's endianness. IPv4-mapped IPv6 addresses are given as IPv4.
 */
export function parseProcNetTcp(text: string, little = endianness() === 'LE'): Map<string, ListenSocket> {
  const sockets = new Map<string, ListenSocket>();
  for (const line of text.split('\n')) {
    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10 || fields[3] !== LISTEN) continue;
    const [address, portHex] = (fields[1] as string).split(':');
    const inode = fields[9] as string;
    if (address === undefined || portHex === undefined || inode === '0') continue;
    const host = address.length === 8 ? ipv4(address, little) : ipv6(address, little);
    if (host !== undefined) sockets.set(inode, { host, port: Number.parseInt(portHex, 16) });
  }
  return sockets;
}

function wordBytes(hex: string, little: boolean): number[] {
  const bytes = [0, 2, 4, 6].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
  return little ? bytes.reverse() : bytes;
}

function ipv4(hex: string, little: boolean): string | undefined {
  if (!/^[0-9A-Fa-f]{8}$/.test(hex)) return undefined;
  return wordBytes(hex, little).join('.');
}

function ipv6(hex: string, little: boolean): string | undefined {
  if (!/^[0-9A-Fa-f]{32}$/.test(hex)) return undefined;
  const bytes = [0, 8, 16, 24].flatMap((i) => wordBytes(hex.slice(i, i + 8), little));
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (mapped) return bytes.slice(12).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] as number) << 8) | (bytes[i + 1] as number)).toString(16));
  return compressIPv6(groups);
}

/** RFC 5952: the longest run of two or more zero groups becomes `::`. */
function compressIPv6(groups: string[]): string {
  let best = -1;
  let bestLength = 1;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > bestLength) {
      best = i;
      bestLength = j - i;
    }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLength).join(':')}`;
}
