/** What a supervisor writes down about each child process it starts (see StateDir). */
export interface ChildRecord {
  supervisorPid: number;
  supervisorStart: string | undefined;
  /** The boot the pids and start times belong to; undefined where there is no /proc. */
  bootId: string | undefined;
  id: string;
  pid: number;
  start: string | undefined;
  command: string;
}

/** Records are far smaller; anything larger in the journal is not one. */
export const MAX_RECORD_BYTES = 4096;
// Even if every character were escaped six-fold, the record stays under MAX_RECORD_BYTES.
const MAX_COMMAND_CHARS = 512;

const RECORD_NAME = /^child-([1-9]\d{0,9})-([1-9]\d{0,9})\.json$/;
const DIGITS = /^\d{1,20}$/;
const BOOT_ID = /^[0-9a-f-]{36}$/;

/** The file name of a record: the only names the journal reads, writes or removes. */
export function recordName(supervisorPid: number, pid: number): string {
  return `child-${supervisorPid}-${pid}.json`;
}

/** The pids a record's file name claims, or undefined for a name procwire does not write. */
export function parseRecordName(name: string): { supervisorPid: number; pid: number } | undefined {
  const match = RECORD_NAME.exec(name);
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  return { supervisorPid: Number(match[1]), pid: Number(match[2]) };
}

/** The JSON text of a record, with the command shortened so it always fits MAX_RECORD_BYTES. */
export function formatRecord(record: ChildRecord): string {
  return JSON.stringify({ ...record, command: record.command.slice(0, MAX_COMMAND_CHARS) });
}

/**
 * The record in `text` if it is one a supervisor could have written under that file name:
 * pids that are integers (the child's at least 2, so never 0 or -1 when negated for a group)
 * and match the name, start times of digits only, a boot id of the usual form. Otherwise
 * undefined: such a file is never acted on.
 */
export function parseRecord(text: string, named: { supervisorPid: number; pid: number }): ChildRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { supervisorPid, supervisorStart, bootId, id, pid, start, command } = value as { [key: string]: unknown };
  if (!isPid(supervisorPid, 1) || supervisorPid !== named.supervisorPid) return undefined;
  if (!isPid(pid, 2) || pid !== named.pid) return undefined;
  if (!isOptional(supervisorStart, DIGITS) || !isOptional(start, DIGITS) || !isOptional(bootId, BOOT_ID))
    return undefined;
  if (typeof id !== 'string' || typeof command !== 'string') return undefined;
  return { supervisorPid, supervisorStart, bootId, id, pid, start, command };
}

function isPid(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= 0x7fffffff;
}

function isOptional(value: unknown, pattern: RegExp): value is string | undefined {
  return value === undefined || (typeof value === 'string' && pattern.test(value));
}
