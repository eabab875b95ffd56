import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Child } from '../../src/index.js';
import { fixture, nextEvent, startSupervisor, within } from '../helpers/index.js';

const MAX_PIECE = 64 * 1024;

/** About 1 MB with no newline or carriage return; 3-byte characters among it, so pieces are counted in characters, not bytes. */
function payload(): string {
  let text = '';
  for (let i = 0; text.length < 1_000_000; i++) text += i % 97 === 0 ? '€' : String.fromCharCode(97 + ((i * 7) % 26));
  return text;
}

/** Collects a child's stdout pieces; `reaches(n)` resolves once n characters have arrived. */
function collectStdout(child: Child): {
  pieces: string[];
  received(): number;
  reaches(chars: number, what: string): Promise<void>;
} {
  const pieces: string[] = [];
  let received = 0;
  const waiters: { chars: number; resolve(): void }[] = [];
  child.on('stdout', (line) => {
    pieces.push(line);
    received += line.length;
    for (const waiter of waiters.filter((w) => received >= w.chars)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  });
  return {
    pieces,
    received: () => received,
    reaches: (chars, what) =>
      within(
        received >= chars ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ chars, resolve })),
        what,
      ),
  };
}

t.test(
  'a child printing 1 MB with no newline reaches the parent in pieces of at most 64 Ki characters, while it still runs',
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'procwire-long-line-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const text = payload();
    const file = join(dir, 'payload.txt');
    writeFileSync(file, text);

    const sup = await startSupervisor(t);
    let output!: ReturnType<typeof collectStdout>;
    let printed!: Promise<unknown[]>;
    sup.once('child', (child) => {
      output = collectStdout(child);
      printed = nextEvent(child, 'stderr', 'the child to say it printed the whole file', {
        filter: (line) => line === 'printed',
      });
    });
    const child = await sup.spawn({
      id: 'no-newline',
      command: process.execPath,
      args: [fixture('prints-without-newline.cjs'), file],
      connect: 'none',
      stopTimeout: 500,
    });
    await printed;
    // The child keeps stdout open, so every whole piece must arrive now: a reader that waited
    // for a newline or for the end of the stream would be holding the whole megabyte.
    const whole = Math.floor(text.length / MAX_PIECE) * MAX_PIECE;
    await output.reaches(whole, `the first ${whole} characters while the child still runs`);
    t.equal(child.state.kind, 'running', 'the child has not exited: the pieces came while its stdout was open');
    t.equal(
      output.received(),
      whole,
      `${whole / MAX_PIECE} whole pieces arrived; the other ${text.length - whole} characters wait for more`,
    );
    t.same(
      output.pieces.map((piece) => piece.length),
      Array(whole / MAX_PIECE).fill(MAX_PIECE),
      'each piece is exactly 64 Ki characters',
    );

    await child.stop();
    await output.reaches(text.length, 'the last piece once the stream ended');
    t.equal(output.pieces.length, Math.ceil(text.length / MAX_PIECE), 'one more, shorter piece at the end');
    t.ok(
      output.pieces.every((piece) => piece.length <= MAX_PIECE),
      'no piece is longer than 64 Ki characters',
    );
    t.ok(output.pieces.join('') === text, 'the pieces put together are exactly what the child printed');
  },
);
