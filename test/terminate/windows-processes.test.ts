import t from 'tap';
import { descendantsOf, parseProcessLinks } from '../../src/terminate/windows-processes.js';

// The process table parsing behind the Windows tree kill when taskkill /T cannot do it. The
// kill itself runs on real processes in the Windows lane (test/_windows/wine.test.ts).

t.test('wmic output: UTF-16 with a byte-order mark, a header, padded columns, CRLF', async (t) => {
  const text =
    '\ufeffParentProcessId  ProcessId  \r\r\n0                0          \r\r\n4    8 \r\r\n8  12\r\r\n\r\r\n';
  t.same(parseProcessLinks(Buffer.from(text, 'utf16le')), [
    { parentPid: 0, pid: 0 },
    { parentPid: 4, pid: 8 },
    { parentPid: 8, pid: 12 },
  ]);
});

t.test('wmic output without a byte-order mark is still read as UTF-16', async (t) => {
  t.same(parseProcessLinks(Buffer.from('1 2\r\n', 'utf16le')), [{ parentPid: 1, pid: 2 }]);
});

t.test("PowerShell's output: one `parent pid` pair per line, in the console's code page", async (t) => {
  t.same(parseProcessLinks(Buffer.from('0 4\r\n4 300\nnot a row\n300 301 302\n')), [
    { parentPid: 0, pid: 4 },
    { parentPid: 4, pid: 300 },
  ]);
});

t.test('descendants: children, then theirs; not the root, nor unrelated processes', async (t) => {
  const links = [
    { parentPid: 1, pid: 10 },
    { parentPid: 10, pid: 11 },
    { parentPid: 10, pid: 12 },
    { parentPid: 12, pid: 13 },
    { parentPid: 1, pid: 20 },
    { parentPid: 20, pid: 21 },
  ];
  t.same(descendantsOf(10, links), [11, 12, 13]);
  t.same(descendantsOf(13, links), []);
  t.same(descendantsOf(99, links), [], 'a pid not in the table has none');
});

t.test('a self-parented row (pid 0) and a cycle from reused pids do not loop', async (t) => {
  const links = [
    { parentPid: 0, pid: 0 },
    { parentPid: 0, pid: 4 },
    { parentPid: 4, pid: 8 },
    { parentPid: 8, pid: 4 },
  ];
  t.same(descendantsOf(0, links), [4, 8]);
  t.same(descendantsOf(4, links), [8]);
});
