import { spawn, spawnSync } from 'node:child_process';

/** One row of the Windows process table: a process and the process that created it. */
export interface ProcessLink {
  pid: number;
  parentPid: number;
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
 * is an optional feature). Both print two numbers per process: the parent's pid, then its own.
 */
export function listCommands(env: NodeJS.ProcessEnv = process.env): ListCommand[] {
  const dir = system32(env);
  return [
    { command: `${dir}\\wbem\\WMIC.exe`, args: ['process', 'get', 'ParentProcessId,ProcessId'] },
    {
      command: `${dir}\\WindowsPowerShell\\v1.0\\powershell.exe`,
      args: [
        '-NoProfile',
        '-NonInteractive',
        '-Command',
        'Get-CimInstance Win32_Process | ForEach-Object { "$($_.ParentProcessId) $($_.ProcessId)" }',
      ],
    },
  ];
}

/**
 * Reads `ParentProcessId ProcessId` rows. wmic writes UTF-16 with a byte-order mark when its
 * output is a pipe, PowerShell the console's code page: both are decoded here. A header or any
 * other line without two numbers is skipped.
 */
export function parseProcessLinks(output: Buffer): ProcessLink[] {
  const text = isUtf16(output) ? output.toString('utf16le') : output.toString('latin1');
  const links: ProcessLink[] = [];
  for (const line of text.split(/\r?\n|\r/)) {
    const match = /^\s*(\d+)\s+(\d+)\s*$/.exec(line);
    if (match) links.push({ parentPid: Number(match[1]), pid: Number(match[2]) });
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
 * descendants of a leader that is already gone are still found; a pid the table reuses for an
 * unrelated process is the risk that remains (see docs/RELIABILITY.md, Windows).
 */
export function descendantsOf(pid: number, links: readonly ProcessLink[]): number[] {
  const children = new Map<number, number[]>();
  for (const { pid: child, parentPid } of links) {
    if (child === parentPid) continue;
    const list = children.get(parentPid);
    if (list) list.push(child);
    else children.set(parentPid, [child]);
  }
  const found: number[] = [];
  const seen = new Set<number>([pid]);
  const queue = [pid];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const child of children.get(next) ?? []) {
      if (seen.has(child)) continue;
      seen.add(child);
      found.push(child);
      queue.push(child);
    }
  }
  return found;
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
