import { readdirSync } from 'node:fs';
import { killTreeWindows } from './kill-tree-windows.js';
import { readProcStat } from './process-start.js';

// What Windows can do for a signal: end the process (TerminateProcess); no other signal exists.
const WINDOWS_TERMINATING = new Set<NodeJS.Signals>(['SIGTERM', 'SIGKILL', 'SIGINT', 'SIGQUIT', 'SIGHUP']);

/**
 * Sends `signal` to the process group led by `pid`, which must still be the process meant:
 * not yet reaped (our own child before its exit) or checked by start time (see StateDir).
 * Children are spawned as group leaders, so this reaches a toolchain's own subprocesses too.
 * POSIX only: Windows, which has neither groups nor signals, goes through signalTree (and the
 * stop escalation through killTreeWindows). Returns false when no such group exists any more.
 */
export function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return false;
    // EPERM: the leader changed its group or the members belong to someone else; signal
    // the leader alone rather than give up.
    try {
      process.kill(pid, signal);
      return true;
    } catch {
      return false;
    }
  }
}

/**
 * What `child.signal()` does: signalGroup, and on Windows, where the only signal is the end of a
 * process, the tree kill for a terminating signal, awaited (so the tree is gone when this
 * resolves), and nothing for any other. Resolves false when nothing was sent.
 */
export async function signalTree(pid: number, signal: NodeJS.Signals): Promise<boolean> {
  if (process.platform !== 'win32') return signalGroup(pid, signal);
  if (!WINDOWS_TERMINATING.has(signal)) return false;
  await killTreeWindows(pid);
  return true;
}

/**
 * Sends `signal` to what is left of the group whose leader `pgid` has exited. Once the
 * leader is reaped its pid is free, and only while members of its group remain does the
 * kernel keep that number from naming a new process (which may lead a group of its own).
 * On Linux the group is signalled only while /proc shows a live member other than a process
 * at `pgid` itself (which can only be a newcomer); elsewhere, without /proc, it is signalled
 * as before and that race stays open. Never falls back to the pid alone: it is not ours now.
 * Returns false when nothing was signalled.
 */
export function signalGroupRemains(pgid: number, signal: NodeJS.Signals): boolean {
  if (!groupAlive(pgid, { leaderGone: true })) return false;
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * True while a process of the group `pid` still runs. On Linux, zombies (dead but not yet
 * reaped, which an orphan stays until PID 1 gets to it) do not count, nor, with
 * `leaderGone`, a process at `pid` itself (the leader has exited, so that is a newcomer).
 */
export function groupAlive(pid: number, { leaderGone = false } = {}): boolean {
  if (process.platform === 'win32') return false;
  try {
    process.kill(-pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return process.platform === 'linux' ? linuxGroupRuns(pid, leaderGone) : true;
}

// Reads every process's stat: callers first ask kill(-pgid, 0), which is cheap and ends the
// common case (the group fully reaped) without a scan, and poll with a backoff.
function linuxGroupRuns(pgid: number, leaderGone: boolean): boolean {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (leaderGone && pid === pgid) continue;
    const stat = readProcStat(pid); // undefined: it ended while we looked
    if (stat !== undefined && stat.pgrp === pgid && stat.state !== 'Z') return true;
  }
  return false;
}

/**
 * Resolves once no process of the group runs (see groupAlive), or after `timeoutMs`; true
 * if it is gone. Polls from every 10 ms, backing off to every 100 ms.
 */
export async function groupGone(
  pid: number,
  timeoutMs: number,
  options: { leaderGone?: boolean } = {},
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let pause = 10;
  while (groupAlive(pid, options)) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, 100);
  }
  return true;
}
