import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { parseProcNetTcp, type ListenSocket } from './proc-net.js';

/**
 * The TCP sockets in LISTEN held by any process of each process group in `groups`, read from
 * /proc: one pass over /proc/<pid>/stat finds the groups' members (so a grandchild behind
 * `sh -c` counts), their /proc/<pid>/fd links give socket inodes, and /proc/net/tcp and tcp6
 * (read only when some member holds a socket) say which of those listen and where. Sync
 * reads: one pass costs less CPU than the promises it would take, and blocks for about a
 * millisecond per hundred processes.
 */
export function scanLinux(groups: ReadonlySet<number>, memory: LinuxScanMemory): Map<number, ListenSocket[]> {
  const { outside } = memory;
  const inodes = new Map<number, Set<string>>();
  const alive = new Set<string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    alive.add(entry);
    // A process outside the watched groups is read once, not at every scan: most of a
    // machine's processes are someone else's. One in a watched group is read again each time,
    // so that it leaving the group is seen.
    let group = outside.get(entry);
    if (group === undefined) {
      group = groupOf(entry);
      if (group === undefined) continue;
      if (!groups.has(group)) outside.set(entry, group);
    } else if (groups.has(group)) {
      outside.delete(entry);
      group = groupOf(entry);
      if (group === undefined) continue;
    }
    if (!groups.has(group)) continue;
    const found = inodes.get(group) ?? new Set<string>();
    socketInodes(entry, found);
    inodes.set(group, found);
  }
  for (const pid of outside.keys()) if (!alive.has(pid)) outside.delete(pid);
  const result = new Map<number, ListenSocket[]>();
  const all = [...inodes.values()].flatMap((set) => [...set]);
  if (all.length === 0) return result;
  // The tables list every TCP socket of the machine; they are read only when some socket is
  // not known to listen already (a new one, or one that is not a listener). A listener stays
  // one until its last fd closes, and then its inode is gone from the fds.
  let listening = memory.lastListening;
  if (!all.every((inode) => memory.lastListening.has(inode))) {
    const tables = new Map([...readTable('/proc/net/tcp'), ...readTable('/proc/net/tcp6')]);
    listening = new Map();
    // Other scans' listeners are kept while they still listen: scans of different watches alternate.
    for (const inode of [...all, ...memory.lastListening.keys()]) {
      const socket = tables.get(inode);
      if (socket !== undefined) listening.set(inode, socket);
    }
    memory.lastListening = listening;
  }
  for (const [group, set] of inodes) {
    const sockets: ListenSocket[] = [];
    for (const inode of set) {
      const socket = listening.get(inode);
      if (socket !== undefined) sockets.push(socket);
    }
    if (sockets.length > 0) result.set(group, sockets);
  }
  return result;
}

/** What one scanner remembers between its scans (each PortScanner has its own). */
export interface LinuxScanMemory {
  /** The listeners found by the last read of the tables, by inode. */
  lastListening: Map<string, ListenSocket>;
  /** The groups of processes seen outside every watched group, by pid; a pid that is gone is dropped. */
  readonly outside: Map<string, number>;
}

/** A scanner's memory before its first scan. */
export function newLinuxScanMemory(): LinuxScanMemory {
  return { lastListening: new Map(), outside: new Map() };
}

/** The process group of a pid: the fifth field of its stat, after the parenthesised name. */
function groupOf(pid: string): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[2]);
  } catch {
    return undefined;
  }
}

function socketInodes(pid: string, into: Set<string>): void {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return;
  }
  for (const fd of fds) {
    try {
      const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
      if (link.startsWith('socket:[')) into.add(link.slice(8, -1));
    } catch {
      // The fd closed between the listing and the link.
    }
  }
}

function readTable(path: string): Map<string, ListenSocket> {
  try {
    return parseProcNetTcp(readFileSync(path, 'latin1'));
  } catch {
    // No IPv6 on this machine: there is no tcp6.
    return new Map();
  }
}
