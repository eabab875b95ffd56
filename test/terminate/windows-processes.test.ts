import t from 'tap';
import { descendantsOf, parseProcessLinks, type ProcessLink } from '../../src/terminate/windows-processes.js';

// The process table parsing behind the Windows tree kill when taskkill /T cannot do it. The
// kill itself runs on real processes in the Windows lane (test/_windows/wine.test.ts).

/** Rows in table order, as a lister prints them: [parentPid, pid] or [parentPid, pid, createdMs]. */
function table(...rows: [number, number, number?][]): ProcessLink[] {
  return rows.map(([parentPid, pid, createdMs], row) =>
    createdMs === undefined ? { parentPid, pid, row } : { parentPid, pid, createdMs, row },
  );
}

t.test('wmic output: UTF-16 with a byte-order mark, a header, padded columns, CRLF', async (t) => {
  const text =
    '\ufeffParentProcessId  ProcessId  \r\r\n0                0          \r\r\n4    8 \r\r\n8  12\r\r\n\r\r\n';
  t.same(parseProcessLinks(Buffer.from(text, 'utf16le')), table([0, 0], [4, 8], [8, 12]));
});

t.test('wmic output without a byte-order mark is still read as UTF-16', async (t) => {
  t.same(parseProcessLinks(Buffer.from('1 2\r\n', 'utf16le')), table([1, 2]));
});

t.test("wmic's CreationDate: a local time with its offset from UTC, read as UTC", async (t) => {
  const text =
    '\ufeffCreationDate               ParentProcessId  ProcessId  \r\r\n' +
    '                           0                0          \r\r\n' +
    '20261201134500.250000+060  4                8          \r\r\n' +
    '20261201124500.500000-000  8                12         \r\r\n';
  t.same(
    parseProcessLinks(Buffer.from(text, 'utf16le')),
    table([0, 0], [4, 8, Date.UTC(2026, 11, 1, 12, 45, 0, 250)], [8, 12, Date.UTC(2026, 11, 1, 12, 45, 0, 500)]),
    'the System Idle Process has no date; 13:45 at UTC+1 is 12:45 UTC',
  );
});

t.test("PowerShell's output: parent, pid and FILETIME per line, in the console's code page", async (t) => {
  // 2026-12-01T12:45:00Z as a FILETIME: 100 ns ticks since 1601.
  const ticks = (BigInt(Date.UTC(2026, 11, 1, 12, 45)) * 10_000n + 116_444_736_000_000_000n).toString();
  t.same(parseProcessLinks(Buffer.from(`0 4 0\r\n4 300 ${ticks}\nnot a row\n300 301 302 303\n`)), [
    { parentPid: 0, pid: 4, row: 0 },
    { parentPid: 4, pid: 300, createdMs: Date.UTC(2026, 11, 1, 12, 45), row: 1 },
  ]);
});

t.test('descendants: children, then theirs; not the root, nor unrelated processes', async (t) => {
  const links = table([1, 10], [10, 11], [10, 12], [12, 13], [1, 20], [20, 21]);
  t.same(descendantsOf(10, links), [11, 12, 13]);
  t.same(descendantsOf(13, links), []);
  t.same(descendantsOf(99, links), [], 'a pid not in the table has none');
});

t.test('a self-parented row (pid 0) and a cycle from reused pids do not loop', async (t) => {
  const links = table([0, 0], [0, 4], [4, 8], [8, 4]);
  t.same(descendantsOf(0, links), [4, 8]);
  t.same(descendantsOf(4, links), [8]);
});

t.test("a process whose parent's pid was reused is not the new holder's child", async (t) => {
  // Wine's table after it started reusing pids: its services were started by pid 40 (gone
  // since), and 40 is now a child procwire started. Killing that child's tree must not end them.
  const byOrder = table([0, 32], [40, 56], [56, 76], [56, 160], [32, 300], [300, 40], [40, 304], [304, 308]);
  t.same(descendantsOf(40, byOrder), [304, 308], 'by table order: only what 40 started after it was created');
  t.same(descendantsOf(300, byOrder), [40, 304, 308]);

  // The same by creation time, where a process's row says nothing of its age.
  const byTime = table([56, 160, 3000], [40, 56, 2000], [40, 304, 9100], [300, 40, 9000], [0, 300, 8000]);
  t.same(descendantsOf(40, byTime), [304], "by creation time: the services are older than 40's holder");
  t.same(descendantsOf(300, byTime), [40, 304]);
});

t.test('a gone leader: what it started counts, not what a newcomer at its pid started', async (t) => {
  // 40 exited (procwire saw it); 20 is what it started; 40 now names a newcomer with child 44.
  const gone = table([40, 20, 1000], [1, 40, 5000], [40, 44, 6000]);
  t.same(descendantsOf(40, gone, true), [20], 'the newcomer (created at 5000) and its child are left alone');
  t.same(descendantsOf(40, gone.slice(0, 1), true), [20], 'with no newcomer, every child of the pid counts');
  t.same(descendantsOf(40, table([1, 40, 5000], [40, 44, 6000])), [44], 'a live leader: its own children');
});
