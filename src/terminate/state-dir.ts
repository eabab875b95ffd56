import { chmodSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { escalate } from './escalate.js';
import { groupAlive } from './kill-group.js';
import { processStartTime } from './process-start.js';

/** What a supervisor writes down about each child process it starts. */
interface Record {
  supervisorPid: number;
  supervisorStart: string | undefined;
  id: string;
  pid: number;
  start: string | undefined;
  command: string;
}

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
 * running and stop their process groups, like a job daemon's lock files. A record is only
 * acted on when the process's start time (from /proc) still matches: a reused pid is never
 * signalled. Where there is no /proc, records are removed but nothing is killed.
 */
export class StateDir {
  readonly #dir: string;
  readonly #self = { pid: process.pid, start: processStartTime(process.pid) };

  private constructor(dir: string) {
    this.#dir = dir;
  }

  static open(dir: string): StateDir {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    return new StateDir(dir);
  }

  /** Stops the groups of children whose supervisor is dead, and forgets their records. */
  async reapOrphans(graceMs: number): Promise<ReapedChild[]> {
    const reaped: ReapedChild[] = [];
    for (const name of readdirSync(this.#dir)) {
      if (!name.endsWith('.json')) continue;
      const file = join(this.#dir, name);
      let record: Record;
      try {
        record = JSON.parse(readFileSync(file, 'utf8')) as Record;
      } catch {
        rmSync(file, { force: true }); // half-written by a supervisor that died mid-write
        continue;
      }
      if (record.supervisorPid !== this.#self.pid && isRunning(record.supervisorPid, record.supervisorStart)) continue; // a live supervisor's child
      if (record.supervisorPid === this.#self.pid && record.supervisorStart === this.#self.start) continue;
      if (record.start !== undefined && processStartTime(record.pid) === record.start) {
        // Not our child: no exit event will come, so the escalation ends on the group's death.
        const result = await escalate({ pid: record.pid, exited: untilGone(record.pid) }, { first: 'signal', graceMs, stopSignal: 'SIGTERM' });
        reaped.push({ id: record.id, pid: record.pid, command: record.command, termination: result.termination === 'clean' ? 'escalated' : result.termination });
      }
      rmSync(file, { force: true });
    }
    return reaped;
  }

  /** Writes down a child process this supervisor started. */
  record(id: string, pid: number, command: string): void {
    const record: Record = { supervisorPid: this.#self.pid, supervisorStart: this.#self.start, id, pid, start: processStartTime(pid), command };
    const file = this.#file(pid);
    writeFileSync(`${file}.tmp`, JSON.stringify(record), { mode: 0o600 });
    // Renamed into place so a reader never sees half a record.
    renameSync(`${file}.tmp`, file);
  }

  /** Forgets a child process that has exited. */
  forget(pid: number): void {
    rmSync(this.#file(pid), { force: true });
  }

  #file(pid: number): string {
    return join(this.#dir, `child-${this.#self.pid}-${pid}.json`);
  }
}

function isRunning(pid: number, start: string | undefined): boolean {
  const now = processStartTime(pid);
  return now !== undefined && now === start;
}

/** Resolves with a synthetic exit once the process and its group are gone. */
async function untilGone(pid: number): Promise<{ exitCode: null; signal: null }> {
  while (processStartTime(pid) !== undefined && groupAlive(pid)) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { exitCode: null, signal: null };
}
