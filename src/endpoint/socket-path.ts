/**
 * The longest Unix socket path the platform's `sockaddr_un.sun_path` holds, in bytes,
 * leaving room for the terminating NUL: 108 - 1 on Linux, 104 - 1 on macOS and the BSDs.
 */
export function maxSocketPathBytes(platform: NodeJS.Platform = process.platform): number {
  return platform === 'linux' || platform === 'android' ? 107 : 103;
}

/** True when `path` fits the platform's limit, counted in bytes (not characters). */
export function socketPathFits(path: string, platform: NodeJS.Platform = process.platform): boolean {
  return Buffer.byteLength(path, 'utf8') <= maxSocketPathBytes(platform);
}
