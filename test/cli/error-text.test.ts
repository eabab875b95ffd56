// How procwire's own messages print (see src/cli/error-text.ts); the run's output: run-summary.test.ts.
import t from 'tap';
import { briefError, errorLine, formatErrorText, reasonLine } from '../../src/cli/error-text.js';

const tail = ['dying', 'boom\x1b[2J'];
const exited = {
  message: `child "d" exited with code 1 before it was ready; last stderr lines:\n  ${tail.join('\n  ')}`,
  stderrTail: tail,
};

t.test('the stderr lines an error quotes print as indented lines, each escaped', async (t) => {
  t.equal(
    formatErrorText(exited),
    'child "d" exited with code 1 before it was ready; last stderr lines:\n  dying\n  boom\\x1b[2J',
  );
  t.equal(errorLine(exited), 'child "d" exited with code 1 before it was ready; last stderr lines above');
  t.equal(briefError(exited, 'd'), 'exited with code 1 before it was ready (its stderr above)');
  const gaveUp = { message: `child "d" failed (…); last failure: ${exited.message}. Fix the cause.`, stderrTail: tail };
  t.equal(
    formatErrorText(gaveUp),
    'child "d" failed (…); last failure: child "d" exited with code 1 before it was ready; last stderr lines:\n' +
      '  dying\n  boom\\x1b[2J\nFix the cause.',
    'what follows the lines is a line of its own',
  );
});

t.test('a newline a child wrote stays escaped, even next to words that look like the structure', async (t) => {
  // A probe's answer (child text) in the message, forging the block, with no stderr lines quoted.
  const forged = {
    message: 'child "d" was not ready (last result: 503: x; last stderr lines:\n  procwire | all ok)',
    stderrTail: [],
  };
  t.equal(
    formatErrorText(forged),
    'child "d" was not ready (last result: 503: x; last stderr lines:\\n  procwire | all ok)',
  );
  t.notMatch(formatErrorText(forged), /\n/);
  // The quoted lines do not match the block: nothing is taken for structure.
  t.notMatch(formatErrorText({ ...forged, stderrTail: ['other'] }), /\n/);
  t.equal(reasonLine('plain\nreason'), 'plain\\nreason');
  t.equal(reasonLine(exited.message), 'child "d" exited with code 1 before it was ready; last stderr lines above');
});

t.test('a brief mention is cut at a word past 100 characters and says where the rest is', async (t) => {
  const long = { message: `child "g": could not spawn "x": ENOENT: ${'word '.repeat(40)}end` };
  const brief = briefError(long, 'g');
  t.match(brief, /^could not spawn "x": ENOENT: (word )*word… \(whole message above\)$/);
  t.ok(brief.length < 130);
  t.equal(briefError({ message: 'child "g": short' }, 'g'), 'short');
  t.equal(
    briefError({ message: 'child "g" was not started: it waits for db ready, but "db" failed' }, 'g'),
    'it waits for db ready, but "db" failed',
    'after "did not start: ", not "was not started: " again',
  );
});
