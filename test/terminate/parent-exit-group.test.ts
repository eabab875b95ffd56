import t from 'tap';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { exitOf, fixture, killAtTeardown, pidAlive, until, within } from '../helpers/index.js';

/** Everything a stream prints, and a promise of its first line. */
function readOutput(stream: NodeJS.ReadableStream): { text(): string; firstLine: Promise<string> } {
  let text = '';
  let onLine!: (line: string) => void;
  const firstLine = within(new Promise<string>((resolve) => (onLine = resolve)), 'the first line of output');
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    text += chunk;
    const nl = text.indexOf('\n');
    if (nl >= 0) onLine(text.slice(0, nl));
  });
  return { text: () => text, firstLine };
}

for (const how of ['drain', 'SIGHUP'] as const) {
  const title =
    how === 'drain'
      ? 'a parent whose event loop runs dry (no exit call) kills its child and grandchild on the way out'
      : 'a parent that gets SIGHUP kills its child and grandchild, then dies of SIGHUP';
  t.test(title, async (t) => {
    const parent = spawn(process.execPath, [fixture('parent-of-a-group.mjs'), how === 'drain' ? 'drain' : 'wait'], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    t.teardown(() => {
      if (parent.exitCode === null && parent.signalCode === null) parent.kill('SIGKILL');
    });
    const output = readOutput(parent.stdout);
    const report = await within(output.firstLine, 'the parent to report its child and grandchild');
    const { pid, grandchild, address } = JSON.parse(report) as { pid: number; grandchild: number; address: string };
    for (const p of [pid, grandchild]) killAtTeardown(t, p);
    t.teardown(() => rmSync(dirname(address), { recursive: true, force: true }));
    t.ok(pidAlive(pid), `child ${pid} runs`);
    t.ok(pidAlive(grandchild), `grandchild ${grandchild} runs`);
    if (how === 'drain') parent.stdin.end('go\n');
    else parent.kill('SIGHUP');
    const ended = await exitOf(parent);
    if (how === 'drain') {
      t.same(ended, { code: 0, signal: null }, 'it ended by itself with code 0');
      t.match(output.text(), /\nevent loop empty\n/, "'beforeExit' fired: the loop ran dry, nothing called exit");
    } else {
      t.same(ended, { code: null, signal: 'SIGHUP' }, 'the signal still ends the parent as it would have');
    }
    // The exit hook sends SIGKILL before the parent is gone; seeing the death may take a moment.
    await until(() => !pidAlive(pid), 2000, `the child ${pid} to die with its parent`);
    t.pass(`child ${pid} is gone`);
    await until(() => !pidAlive(grandchild), 2000, `the grandchild ${grandchild} to die with its parent`);
    t.pass(`grandchild ${grandchild} is gone`);
  });
}
