import { execFile } from 'node:child_process';
import type { ListenSocket } from './proc-net.js';

/**
 * macOS: the TCP sockets in LISTEN of each process group, from one `lsof` run
 * (`-g` selects by process group). Resolves with what it found; an lsof that fails or is
 * missing finds nothing.
 */
export function scanLsof(groups: ReadonlySet<number>): Promise<Map<number, ListenSocket[]>> {
  const args = ['-nP', '-a', '-iTCP', '-sTCP:LISTEN', '-g', [...groups].join(','), '-F', 'gn'];
  return new Promise((resolve) => {
    execFile('lsof', args, { timeout: 5000, maxBuffer: 1 << 20 }, (_error, stdout) => {
      resolve(parseLsof(String(stdout ?? '')));
    });
  });
}

/** Parses lsof's `-F gn` output: `g<pgid>` starts a process's records, `n<host>:<port>` names a socket. */
export function parseLsof(text: string): Map<number, ListenSocket[]> {
  const result = new Map<number, ListenSocket[]>();
  let group: number | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('g')) group = Number(line.slice(1));
    else if (line.startsWith('n') && group !== undefined) {
      const match = /^n(.*):(\d+)$/.exec(line);
      if (!match) continue;
      const host = (match[1] as string).replace(/^\[(.*)\]$/, '$1');
      const list = result.get(group) ?? [];
      list.push({ host: host === '*' ? '0.0.0.0' : host, port: Number(match[2]) });
      result.set(group, list);
    }
  }
  return result;
}
