import { spawn, spawnSync } from 'node:child_process';

/** One row of the Windows process table: a process, the process that created it, and when. */
export interface ProcessLink {
  pid: number;
  parentPid: number;
  /** When it was created, in ms since the epoch, where the lister says (Wine's wmic does not). */
  createdMs?: number;
  /** Its place in the table. Windows and Wine list processes in the order they were created. */
  row: number;
}

/**
 * Where Windows keeps its own tools. Spawned by absolute path, never by a bare name: libuv looks
 * in the current directory before PATH on Windows, and a project folder's `taskkill.exe` must not
 * run with the parent's rights.
 */
export function system32(env: NodeJS.ProcessEnv = process.env): string {
  return `${env.SystemRoot ?? env.windir ?? 'C:\\Windows'}\\System32`;
}

/** A command that prints the process table; the first that works wins. */
export interface ListCommand {
  command: string;
  args: string[];
}

/**
 * wmic first (Windows up to 10, and Wine), then PowerShell's CIM query (Windows 11, where wmic
 * is an optional feature). Each prints per process the parent's pid, its own, and when it was
 * created (see descendantsOf for why); Wine's wmic has no CreationDate ("Invalid query"), so it
 * is asked again without, and the table's order stands in.
 */
export function listCommands(env: NodeJS.ProcessEnv = process.env): ListCommand[] {
  const dir = system32(env);
  const wmic = `${dir}\\wbem\\WMIC.exe`;
  return [
    { command: wmic, args: ['process', 'get', 'CreationDate,ParentProcessId,ProcessId'] },
    { command: wmic, args: ['process', 'get', 'ParentProcessId,ProcessId'] },
    {
      command: `${dir}\\WindowsPowerShell\\v1.0\\powershell.exe`,
      args: [
        '-NoProfile',
        '-NonInteractive',
        '-Command',
        // The creation time as a FILETIME (100 ns ticks since 1601, UTC); 0 where there is none.
        'Get-CimInstance Win32_Process | ForEach-Object { "$($_.ParentProcessId) $($_.ProcessId) ' +
          '$(if ($_.CreationDate) { $_.CreationDate.ToFileTimeUtc() } else { 0 })" }',
      ],
    },
  ];
}

// wmic's CIM_DATETIME: yyyymmddHHMMSS.mmmmmm and the offset from UTC in minutes.
const WMIC_ROW = /^\s*(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)\.(\d{6})([+-]\d{3})\s+(\d+)\s+(\d+)\s*$/;
const NUMBERS_ROW = /^\s*(\d+)\s+(\d+)(?:\s+(\d+))?\s*$/;
// FILETIME ticks (100 ns) from 1601-01-01 to 1970-01-01.
const FILETIME_EPOCH_TICKS = 116_444_736_000_000_000n;

/**
 * Reads the listers' rows: wmic's `CreationDate ParentProcessId ProcessId` (or, without the
 * date, `ParentProcessId ProcessId`), PowerShell's `ParentProcessId ProcessId FILETIME`. wmic
 * writes UTF-16 with a byte-order mark when its output is a pipe, PowerShell the console's code
 * page: both are decoded here. A header or any other line of another shape is skipped.
 */
export function parseProcessLinks(output: Buffer): ProcessLink[] {
  const text = isUtf16(output) ? output.toString('utf16le') : output.toString('latin1');
  const links: ProcessLink[] = [];
  for (const line of text.split(/\r?\n|\r/)) {
    const dated = WMIC_ROW.exec(line);
    if (dated) {
      const [, year, month, day, hour, minute, second, micros, offset, parentPid, pid] = dated.map(Number);
      const utc = Date.UTC(year as number, (month as number) - 1, day, hour, minute, second);
      const createdMs = utc + (micros as number) / 1000 - (offset as number) * 60_000;
      links.push({ parentPid: parentPid as number, pid: pid as number, createdMs, row: links.length });
      continue;
    }
    const numbers = NUMBERS_ROW.exec(line);
    if (!numbers) continue;
    const link: ProcessLink = { parentPid: Number(numbers[1]), pid: Number(numbers[2]), row: links.length };
    const ticks = numbers[3] === undefined ? 0n : BigInt(numbers[3]);
    if (ticks > FILETIME_EPOCH_TICKS) link.createdMs = Number((ticks - FILETIME_EPOCH_TICKS) / 10_000n);
    links.push(link);
  }
  return links;
}

function isUtf16(output: Buffer): boolean {
  if (output[0] === 0xff && output[1] === 0xfe) return true;
  // No mark: ASCII digits as UTF-16 have a zero in every second byte.
  return output.length >= 2 && output[1] === 0 && output[0] !== 0;
}

/**
 * Every process created, directly or not, by `pid`, from a table of links: children before
 * their own children. Windows keeps a process's parent pid after the parent exits, so the
 * descendants of a leader that is already gone are still found. It also reuses pids, and a
 * process whose parent died long ago then names as its parent whatever holds that pid now (in
 * Wine, its own services name such parents, and Wine does reuse pids). So a link counts only
 * to a process created after its parent: by creation time where the table has both, else by
 * the table's order. With `leaderGone` (`pid` was seen to exit), a row that holds `pid` now is
 * a newcomer, and only processes created before it were the leader's.
 */
export function descendantsOf(pid: number, links: readonly ProcessLink[], leaderGone = false): number[] {
  const holders = new Map<number, ProcessLink>();
  const children = new Map<number, ProcessLink[]>();
  for (const link of links) {
    if (!holders.has(link.pid)) holders.set(link.pid, link);
    if (link.pid === link.parentPid) continue;
    const list = children.get(link.parentPid);
    if (list) list.push(link);
    else children.set(link.parentPid, [link]);
  }
  const found: number[] = [];
  const seen = new Set<number>([pid]);
  const queue = [pid];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    const holder = holders.get(next);
    const newcomer = leaderGone && next === pid;
    for (const child of children.get(next) ?? []) {
      if (seen.has(child.pid)) continue;
      if (holder !== undefined && (newcomer ? !createdBefore(child, holder) : !createdBefore(holder, child))) continue;
      seen.add(child.pid);
      found.push(child.pid);
      queue.push(child.pid);
    }
  }
  return found;
}

/** Whether `a` was created before `b`: by creation time where both rows have one, else by row. */
function createdBefore(a: ProcessLink, b: ProcessLink): boolean {
  if (a.createdMs !== undefined && b.createdMs !== undefined) return a.createdMs <= b.createdMs;
  return a.row < b.row;
}

/** The process table, or undefined when no list command works within `timeoutMs` each. */
export async function listProcesses(
  commands: readonly ListCommand[],
  timeoutMs: number,
): Promise<ProcessLink[] | undefined> {
  for (const { command, args } of commands) {
    const output = await runForOutput(command, args, timeoutMs);
    const links = output === undefined ? [] : parseProcessLinks(output);
    if (links.length > 0) return links;
  }
  return undefined;
}

/** listProcesses for exit hooks, which cannot wait for a promise. */
export function listProcessesNow(commands: readonly ListCommand[], timeoutMs: number): ProcessLink[] | undefined {
  for (const { command, args } of commands) {
    const run = spawnSync(command, args, {
      stdio: ['ignore', 'pipe', 'ignore'],
      windowsHide: true,
      timeout: timeoutMs,
    });
    const links = run.status === 0 && run.stdout ? parseProcessLinks(run.stdout) : [];
    if (links.length > 0) return links;
  }
  return undefined;
}

/** Runs a tool and resolves with its stdout if it exits 0 within `timeoutMs`, else undefined. */
export function runForOutput(command: string, args: string[], timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const tool = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'], windowsHide: true, timeout: timeoutMs });
    tool.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    tool.on('error', () => resolve(undefined));
    tool.on('close', (code) => resolve(code === 0 ? Buffer.concat(chunks) : undefined));
  });
}
