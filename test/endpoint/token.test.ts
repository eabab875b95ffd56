import t from 'tap';
import { makeToken, tokensMatch } from '../../src/endpoint/token.js';

t.test('tokens are 32 random bytes in hex, fresh each time', async (t) => {
  const tokens = new Set(Array.from({ length: 100 }, makeToken));
  t.equal(tokens.size, 100);
  t.same(
    [...tokens].filter((token) => !/^[0-9a-f]{64}$/.test(token)),
    [],
    'every one is 64 hex digits',
  );
});

t.test('tokensMatch: equal is true; any difference, any length, is false and never throws', async (t) => {
  const token = makeToken();
  t.equal(tokensMatch(token, token), true);
  t.equal(tokensMatch(`${token}`, String(token)), true, 'equal content, distinct strings');
  t.equal(tokensMatch(`x${token.slice(1)}`, token), false, 'first character differs');
  t.equal(tokensMatch(`${token.slice(0, -1)}x`, token), false, 'last character differs');
  t.equal(tokensMatch(token.slice(0, 32), token), false, 'a prefix');
  t.equal(tokensMatch(`${token}00`, token), false, 'longer');
  t.equal(tokensMatch('', token), false, 'empty');
  t.equal(tokensMatch('é'.repeat(32), 'e'.repeat(64)), false, 'non-ASCII of another byte length');
});

// The contract that matters: how long a compare takes must not say how much of a guess was
// right. A plain `===` leaves at the first differing character, so on long inputs a guess
// that is wrong at the end takes far longer than one wrong at the start; the hashed compare
// reads every byte of both either way. Compared in the same run, as a ratio, with a margin
// two orders of magnitude wide of what an early-exit compare shows.
t.test('tokensMatch takes as long for a guess wrong at the first byte as for one wrong at the last', async (t) => {
  const expected = 'a'.repeat(4 * 1024 * 1024);
  const wrongFirst = `b${expected.slice(1)}`;
  const wrongLast = `${expected.slice(0, -1)}b`;
  const time = (guess: string): number => {
    const samples: number[] = [];
    for (let round = 0; round < 7; round++) {
      const start = process.hrtime.bigint();
      tokensMatch(guess, expected);
      samples.push(Number(process.hrtime.bigint() - start));
    }
    return samples.sort((a, b) => a - b)[3] as number;
  };
  time(wrongLast); // warm-up
  const first = time(wrongFirst);
  const last = time(wrongLast);
  const ratio = last / first;
  t.comment(`median ns: wrong at first byte ${first}, at last byte ${last}, ratio ${ratio.toFixed(2)}`);
  t.ok(ratio > 0.25 && ratio < 4, `the time does not depend on where the guess goes wrong (ratio ${ratio.toFixed(2)})`);
});
