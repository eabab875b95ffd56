// `procwire run` in line mode (its stdout is a pipe, not a console), with an SDK child and a
// plain one; `procwire ps --json` from another process finds the run over its control pipe;
// the run shuts down by itself and says how each child ended.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixture, scenario } from './record.mjs';

const packageJson = fileURLToPath(new URL('../../../package.json', import.meta.url));
const bin = fileURLToPath(new URL(JSON.parse(readFileSync(packageJson, 'utf8')).bin.procwire, `file:${packageJson}`));

/** Runs the procwire command on this Node; resolves with its exit code and output lines. */
function procwire(args, { onLine } = {}) {
  const cli = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = [];
  let rest = '';
  cli.stdout.on('data', (chunk) => {
    const parts = (rest + chunk).split(/\r?\n/);
    rest = parts.pop();
    for (const line of parts) {
      lines.push(line);
      onLine?.(line);
    }
  });
  let stderr = '';
  cli.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) => cli.on('close', (code) => resolve({ code, lines, stderr })));
}

await scenario(async (record) => {
  const dir = mkdtempSync(join(tmpdir(), 'procwire-run-'));
  const config = join(dir, 'procwire.config.json');
  writeFileSync(
    config,
    JSON.stringify([
      { id: 'talker', command: process.execPath, args: [fixture('logs-and-prints.cjs')] },
      { id: 'plain', command: process.execPath, args: [fixture('plain-http-server.cjs')], connect: 'none' },
    ]),
  );
  let ps;
  const run = procwire(['run', config, '--exit-after', '40s'], {
    onLine: (line) => {
      if (ps === undefined && /talker.*ready/.test(line)) ps = procwire(['ps', '--json', '--config', config]);
    },
  });
  const ran = await run;
  record('run', ran);
  record('ps', ps === undefined ? 'never ran: no ready line for talker' : await ps);
});
