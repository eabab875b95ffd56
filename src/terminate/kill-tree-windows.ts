import { spawnSync } from 'node:child_process';
import {
  descendantsOf,
  type ListCommand,
  listCommands,
  listProcesses,
  listProcessesNow,
  type ProcessLink,
  runForOutput,
  system32,
} from './windows-processes.js';

/** The tools a Windows tree kill uses, and how long each may take. */
export interface WindowsTools {
  taskkill: string;
  list: readonly ListCommand[];
  timeoutMs: number;
}

// Each tool is bounded, so a stop is too: taskkill, then one process listing, then the kills.
const TOOL_TIMEOUT_MS = 10_000;

/** The system's own taskkill and process listers, by absolute path. */
export function windowsTools(env: NodeJS.ProcessEnv = process.env): WindowsTools {
  return { taskkill: `${system32(env)}\\taskkill.exe`, list: listCommands(env), timeoutMs: TOOL_TIMEOUT_MS };
}

/**
 * How far a tree kill reached: `tree`, the process and every descendant found (or taskkill /T
 * said it ended them); `leader-only`, descendants could not be listed and may survive.
 */
export type TreeReach = 'tree' | 'leader-only';

/**
 * Ends the process `pid` and every process it created, on Windows. `taskkill /T /F` first;
 * when it is missing, fails or is refused (Wine's has no /T), the process table is listed
 * (wmic, then PowerShell) and the leader and its descendants are terminated one by one. With
 * `leaderGone` (its exit was seen, so the pid may already name another process) the leader is
 * left alone and taskkill, which would end whatever holds the pid now, is not used. Never
 * throws; each tool is bounded by `tools.timeoutMs`.
 */
export async function killTreeWindows(
  pid: number,
  { leaderGone = false, tools = windowsTools() }: { leaderGone?: boolean; tools?: WindowsTools } = {},
): Promise<TreeReach> {
  if (!leaderGone && (await runForOutput(tools.taskkill, taskkillArgs(pid), tools.timeoutMs)) !== undefined) {
    return 'tree';
  }
  return terminateListed(pid, leaderGone, await listProcesses(tools.list, tools.timeoutMs));
}

/**
 * killTreeWindows for exit hooks, which cannot wait for a promise: every tool runs synchronously.
 * All the trees go in one taskkill and, if that fails, one listing, so an exit with many live
 * children costs two tool runs, not two per child.
 */
export function killTreesWindowsNow(pids: readonly number[], tools: WindowsTools = windowsTools()): TreeReach {
  if (pids.length === 0) return 'tree';
  const taskkill = spawnSync(tools.taskkill, ['/T', '/F', ...pids.flatMap((pid) => ['/PID', String(pid)])], {
    stdio: 'ignore',
    windowsHide: true,
    timeout: tools.timeoutMs,
  });
  if (taskkill.status === 0) return 'tree';
  const links = listProcessesNow(tools.list, tools.timeoutMs);
  const reaches = pids.map((pid) => terminateListed(pid, false, links));
  return reaches.includes('leader-only') ? 'leader-only' : 'tree';
}

function taskkillArgs(pid: number): string[] {
  return ['/T', '/F', '/PID', String(pid)];
}

// The table is read before the leader is ended, so a child it spawns in between may be missed;
// the leader goes first so it cannot start more while its descendants are ended.
function terminateListed(pid: number, leaderGone: boolean, links: ProcessLink[] | undefined): TreeReach {
  if (!leaderGone) terminate(pid);
  if (links === undefined) return 'leader-only';
  for (const descendant of descendantsOf(pid, links, leaderGone)) terminate(descendant);
  return 'tree';
}

function terminate(pid: number): void {
  try {
    // On Windows any terminating signal is TerminateProcess.
    process.kill(pid, 'SIGKILL');
  } catch {
    // Gone already, or not ours to end.
  }
}
