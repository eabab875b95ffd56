import { lstatSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { escalate } from './escalate.js';
import {
  MAX_RECORD_BYTES,
  formatRecord,
  parseRecord,
  parseRecordName,
  recordName,
  type ChildRecord,
} from './journal-record.js';
import { groupAlive } from './kill-group.js';
import { openStateDir } from './open-state-dir.js';
import { currentBootId, processStartTime, readProcStat } from './process-start.js';
import { readOwnFile } from './read-own-file.js';
import { atomicTarget, writeFileAtomic } from './write-file-atomic.js';

/** A previous supervisor's child that was still running and was stopped. */
export interface ReapedChild {
  id: string;
  pid: number;
  command: string;
  /** How it went: 'clean' is impossible here (we signalled it); 'escalated' or 'indeterminate'. */
  termination: 'escalated' | 'indeterminate';
}

/**
 * The supervisor's journal of live children in a directory (`stateDir`), so that a
 * supervisor started after one that died by SIGKILL can find that one's children still
 * running and stop their process groups, like a job daemon's lock files. Only files named
 * like its records are read or removed (and their temporary files, once a minute old), and
 * only small regular files of the current user are trusted. A record is acted on only when
 * it is of this boot and its pid (at least 2, not ours) still has the recorded start time and
 * still leads its own group and session, as every spawned child does: a reused pid, init, or
 * a group of someone else's is never signalled. Where there is no /proc, records are removed
 * but nothing is killed.
 */
export class StateDir {
  readonly #dir: string;
  readonly #boot = currentBootId();
  readonly #self = { pid: process.pid, start: processStartTime(process.pid) };

  private constructor(dir: string) {
    this.#dir = dir;
  }

  /** Creates the directory private, or checks an existing one (see openStateDir: a TypeError says what is wrong). */
  static open(dir: string): StateDir {
    openStateDir(dir);
    return new StateDir(dir);
  }

  /** Stops the groups of children whose supervisor is dead, and forgets their records. */
  async reapOrphans(graceMs: number): Promise<ReapedChild[]> {
    const reaped: ReapedChild[] = [];
    for (const name of readdirSync(this.#dir)) {
      const target = atomicTarget(name);
      if (target !== undefined && parseRecordName(target) !== undefined) {
        removeIfAbandoned(join(this.#dir, name));
        continue;
      }
      const named = parseRecordName(name);
      if (named === undefined) continue; // not a name procwire writes: never touched
      const file = join(this.#dir, name);
      const text = readOwnFile(file, MAX_RECORD_BYTES);
      if (text === undefined) continue; // not a small regular file of ours: left alone, never trusted
      const record = parseRecord(text, named);
      if (record !== undefined && this.#supervisorLives(record)) continue;
      if (record !== undefined && this.#childLives(record)) {
        const { pid, start } = record;
        const isLeader = (): boolean => leadsOwnGroup(pid, start);
        // Not our child: no exit event will come, so the escalation ends on the group's death.
        const result = await escalate(
          { pid, exited: untilGone(pid, isLeader), isLeader },
          { first: 'signal', graceMs, stopSignal: 'SIGTERM' },
        );
        reaped.push({
          id: record.id,
          pid,
          command: record.command,
          termination: result.termination === 'clean' ? 'escalated' : result.termination,
        });
      }
      // Stale (its child is gone, or of another boot), unreadable or forged: forgotten.
      rmSync(file, { force: true });
    }
    return reaped;
  }

  /** Writes down a child process this supervisor started. */
  record(id: string, pid: number, command: string): void {
    const record: ChildRecord = {
      supervisorPid: this.#self.pid,
      supervisorStart: this.#self.start,
      bootId: this.#boot,
      id,
      pid,
      start: processStartTime(pid),
      command,
    };
    writeFileAtomic(this.#file(pid), formatRecord(record));
  }

  /** Forgets a child process that has exited. */
  forget(pid: number): void {
    rmSync(this.#file(pid), { force: true });
  }

  #file(pid: number): string {
    return join(this.#dir, recordName(this.#self.pid, pid));
  }

  #ofThisBoot(record: ChildRecord): boolean {
    return this.#boot !== undefined && record.bootId === this.#boot;
  }

  #supervisorLives(record: ChildRecord): boolean {
    if (!this.#ofThisBoot(record) || record.supervisorStart === undefined) return false;
    if (record.supervisorPid === this.#self.pid) return record.supervisorStart === this.#self.start;
    return processStartTime(record.supervisorPid) === record.supervisorStart;
  }

  #childLives(record: ChildRecord): record is ChildRecord & { start: string } {
    return (
      this.#ofThisBoot(record) &&
      record.start !== undefined &&
      record.pid !== this.#self.pid &&
      leadsOwnGroup(record.pid, record.start)
    );
  }
}

// A record is written and renamed in microseconds; a temporary file this old was left by a
// writer killed in between (a SIGKILLed supervisor), and nobody will rename it.
const ABANDONED_TEMP_MS = 60_000;

/** Removes a record's temporary file if it is a regular file of ours, untouched for a minute. */
function removeIfAbandoned(file: string): void {
  try {
    const stat = lstatSync(file);
    const uid = process.getuid?.();
    if (!stat.isFile() || (uid !== undefined && stat.uid !== uid)) return;
    if (Date.now() - stat.mtimeMs >= ABANDONED_TEMP_MS) rmSync(file, { force: true });
  } catch {
    // Gone meanwhile.
  }
}

/** True while `pid` is the process that started at `start` and leads its own group and session. */
function leadsOwnGroup(pid: number, start: string): boolean {
  const stat = readProcStat(pid);
  return stat !== undefined && stat.start === start && stat.pgrp === pid && stat.session === pid;
}

/** Resolves with a synthetic exit once no process of the group runs. */
async function untilGone(pid: number, isLeader: () => boolean): Promise<{ exitCode: null; signal: null }> {
  while (groupAlive(pid, { leaderGone: !isLeader() })) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { exitCode: null, signal: null };
}
