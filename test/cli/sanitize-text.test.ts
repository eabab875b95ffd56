import t from 'tap';
import { escapeControls, sanitizeOutput } from '../../src/cli/sanitize-text.js';

const E = '\x1b';

/** Controls left in a sanitised line that are neither tab nor the ESC of an SGR sequence. */
function strayControls(text: string): string[] {
  return [...text.replace(/\x1b\[[0-9;:]*m/g, '').matchAll(/[\x00-\x08\x0a-\x1f\x7f-\x9f]/g)].map((m) =>
    JSON.stringify(m[0]),
  );
}

t.test('escapeControls shows every C0, DEL and C1 control visibly and nothing else changes', async (t) => {
  t.equal(escapeControls(`a${E}]52;c;eA==\x07b`), 'a\\x1b]52;c;eA==\\x07b');
  t.equal(escapeControls('tab\tnl\ncr\r'), 'tab\\tnl\\ncr\\r');
  t.equal(escapeControls('\x00\x7f\x80\x9b\x9d\x9f'), '\\x00\\x7f\\x80\\x9b\\x9d\\x9f');
  t.equal(
    escapeControls('C:\\src\\a.ts é 日本 🙂 \xa0'),
    'C:\\src\\a.ts é 日本 🙂 \xa0',
    'printable text, backslashes and non-ASCII are kept',
  );
  let all = '';
  for (let code = 0; code <= 0xa0; code++) all += String.fromCharCode(code);
  const escaped = escapeControls(all);
  t.notOk(/[\x00-\x1f\x7f-\x9f]/.test(escaped), 'no control character is left');
  const hex = (code: number): string => `\\x${code.toString(16).padStart(2, '0')}`;
  let expected = '';
  for (let code = 0; code <= 0xa0; code++) {
    const named = { 9: '\\t', 10: '\\n', 13: '\\r' }[code];
    expected += named ?? (code < 0x20 || (code >= 0x7f && code <= 0x9f) ? hex(code) : String.fromCharCode(code));
  }
  t.equal(escaped, expected, 'U+0000-U+00A0: controls as \\xHH (tab, newline, CR by name), the rest as is');
});

t.test('sanitizeOutput keeps colour when asked and removes every other sequence', async (t) => {
  const cases: [string, string, string, string][] = [
    // [what, input, with colour, without colour]
    ['plain text', 'hello\tworld é', 'hello\tworld é', 'hello\tworld é'],
    ['SGR, reset appended', `a${E}[1;31mb${E}[0m`, `a${E}[1;31mb${E}[0m${E}[0m`, 'ab'],
    ['SGR with colon sub-parameters', `${E}[38:2::255:0:0mx`, `${E}[38:2::255:0:0mx${E}[0m`, 'x'],
    ['8-bit SGR written in 7-bit', '\x9b32mx', `${E}[32mx${E}[0m`, 'x'],
    ['OSC 52 ended by BEL', `a${E}]52;c;cHduZWQ=\x07b`, 'ab', 'ab'],
    ['OSC 8 link ended by ST', `${E}]8;;https://evil.example/${E}\\link${E}]8;;${E}\\`, 'link', 'link'],
    ['OSC 0 and 2 titles', `${E}]0;t\x07${E}]2;t${E}\\x`, 'x', 'x'],
    ['8-bit OSC ended by 8-bit ST', 'a\x9d0;title\x9cb', 'ab', 'ab'],
    ['DCS', `a${E}P1$tbody${E}\\b`, 'ab', 'ab'],
    ['8-bit DCS, SOS, PM, APC', 'a\x90d\x9cb\x98s\x9cc\x9ep\x9cd\x9fa\x9ce', 'abcde', 'abcde'],
    ['7-bit SOS, PM, APC', `a${E}Xs${E}\\b${E}^p${E}\\c${E}_a${E}\\d`, 'abcd', 'abcd'],
    ['unterminated OSC runs to the end of the line', `a${E}]0;never ends`, 'a', 'a'],
    ['CAN aborts a string', `a${E}]0;t\x18b`, 'ab', 'ab'],
    ['an ESC inside a string ends it and starts a new sequence', `a${E}]0;t${E}[31mb`, `a${E}[31mb${E}[0m`, 'ab'],
    ['cursor moves, clears and modes', `a${E}[2J${E}[H${E}[3A${E}[10;5H${E}[?25l${E}[?1049hb`, 'ab', 'ab'],
    ['8-bit CSI clear screen', 'a\x9b2Jb', 'ab', 'ab'],
    ['private CSI ending in m is not colour', `a${E}[>4;2mb${E}[?1mc`, 'abc', 'abc'],
    ['CSI with an intermediate ending in m is not colour', `a${E}[1 mb`, 'ab', 'ab'],
    ['malformed CSI is dropped up to the breaking character', `a${E}[31\x08mb`, 'amb', 'amb'],
    ['plain ESC sequences: reset, save cursor, charset, keypad', `a${E}cb${E}7c${E}(Bd${E}=e`, 'abcde', 'abcde'],
    ['lone ESC and ESC ESC', `a${E}${E}[31mb${E}`, `a${E}[31mb${E}[0m`, 'ab'],
    ['lone C0 and C1 controls except tab', 'a\rb\x08c\x07d\x00e\x7ff\x85g\x9ch\ti', 'abcdefgh\ti', 'abcdefgh\ti'],
  ];
  for (const [what, input, coloured, plain] of cases) {
    t.equal(sanitizeOutput(input, true), coloured, `${what}, colour on`);
    t.equal(sanitizeOutput(input, false), plain, `${what}, colour off`);
  }
});

t.test('sanitizeOutput output never holds a control but tab and SGR, whatever the input', async (t) => {
  // A fixed-seed generator over an alphabet dense in sequence starters and terminators.
  const alphabet = [
    E,
    '[',
    ']',
    'P',
    '_',
    '^',
    'X',
    '\\',
    '\x07',
    '\x18',
    '\x9b',
    '\x9d',
    '\x9c',
    '\x90',
    ';',
    '3',
    '1',
    'm',
    'H',
    '?',
    '>',
    ' ',
    'a',
    '\t',
    '\r',
    '\n',
    '\x00',
    '\x85',
    'é',
  ];
  let seed = 42;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const stray: string[] = [];
  for (let run = 0; run < 2000; run++) {
    let input = '';
    for (let i = random(40); i > 0; i--) input += alphabet[random(alphabet.length)];
    for (const colour of [true, false]) {
      const output = sanitizeOutput(input, colour);
      if (strayControls(output).length > 0 || (!colour && output.includes(E)))
        stray.push(JSON.stringify([input, colour, output]));
    }
  }
  t.same(stray, [], 'every output is clean');
});

t.test('a 1 MB line of escapes is cleaned in linear time', async (t) => {
  const mb = 1024 * 1024;
  const inputs: Record<string, string> = {
    'many short sequences': `${E}[31mx${E}]0;t\x07${E}[2J\x9b1m${E}P${E}\\`.repeat(mb / 20),
    'one CSI whose parameters never end': `${E}[${'1;'.repeat(mb / 2)}`,
    'one OSC that never ends': `${E}]0;${'x'.repeat(mb)}`,
    'ESC after ESC': E.repeat(mb),
    'OSC starts that each end the previous one': `${E}]0;`.repeat(mb / 4),
    'CSI starts broken by the next ESC': `${E}[1`.repeat(mb / 3),
  };
  for (const [what, input] of Object.entries(inputs)) {
    const started = performance.now();
    const output = sanitizeOutput(input, true);
    const ms = performance.now() - started;
    // Not a benchmark: a linear pass takes milliseconds (hundreds on a loaded machine), a
    // quadratic one (a backtracking regexp, rescanning after each sequence) hours on a megabyte.
    t.ok(ms < 5000, `${what}: ${Math.round(ms)} ms`);
    t.same(strayControls(output), [], `${what}: clean`);
  }
  const escaped = escapeControls(`${E}\x9b`.repeat(mb / 2));
  t.equal(escaped.length, mb * 4, 'escapeControls on 1 MB of controls');
});
