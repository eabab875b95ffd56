import { readFileSync } from 'node:fs';

/** What /proc/<pid>/stat says about a process that matters for signalling it. */
export interface ProcStat {
  /** One letter: R, S, D, Z (zombie: exited, not yet reaped), ... */
  state: string;
  /** The process group it belongs to. */
  pgrp: number;
  /** The session it belongs to. */
  session: number;
  /** When it started, in clock ticks since boot: with the pid and the boot id, names one process for good. */
  start: string;
}

/** The process's /proc/<pid>/stat fields, or undefined where there is no /proc or no such process. */
export function readProcStat(pid: number): ProcStat | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name is parenthesised and may hold spaces and parentheses: split after the last ')'.
  // Fields from there: state, ppid, pgrp, session, ..., starttime (the 20th).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [state, , pgrp, session] = fields;
  const start = fields[19];
  if (state === undefined || pgrp === undefined || session === undefined || start === undefined) return undefined;
  return { state, pgrp: Number(pgrp), session: Number(session), start };
}

/**
 * When a process started, in clock ticks since boot (field 22 of /proc/<pid>/stat), or
 * undefined where there is no /proc or no such process. Together with the pid this names
 * one process within one boot: a reused pid has a different start time.
 */
export function processStartTime(pid: number): string | undefined {
  return readProcStat(pid)?.start;
}

/**
 * This boot's id (/proc/sys/kernel/random/boot_id), or undefined where there is none.
 * Start times count from boot, so a pid and start time from another boot may match an
 * unrelated process of this one.
 */
export function currentBootId(): string | undefined {
  try {
    const id = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return /^[0-9a-f-]{36}$/.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}
