import { Supervisor } from '../supervisor.js';
import { isProcwireError } from '../protocol/index.js';
import { loadConfig, ConfigError, startOrder } from './config.js';
import { ExitCode } from './exit-code.js';
import { makePaint, portAddress } from './format.js';
import { lineReporter } from './line-reporter.js';
import { probePort } from './probe.js';
import { briefError } from './error-text.js';
import { escapeControls } from './sanitize-text.js';
import { stopOnClosedOutput } from './stop-on-closed-output.js';
import type { Reporter } from './reporter.js';
import { settled, stateWord, type RosterEntry } from './roster.js';
import { runStateDir } from './run-state-dir.js';
import { serveControl, type ServedControl } from './serve-control.js';
import { recordBeforeShutdown, formatSummary } from './summary.js';
import { ttyReporter } from './tty-reporter.js';

/** Options of `procwire run`. */
export interface RunOptions {
  config: string;
  /** Shut down by itself after this long (the demo, smoke tests). */
  exitAfterMs: number | undefined;
  /** GET each http port once and show the answer. */
  probe: boolean;
  /** Probe ports whose host is not loopback too (by default they are shown as not probed). */
  probeAnyHost?: boolean;
  /** Serve the dashboard on this 127.0.0.1 port (0: any free one); undefined: no dashboard. */
  uiPort?: number;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

/**
 * Runs the children of a config until they have all ended, a signal arrives, or
 * `exitAfterMs` passes; then shuts down gracefully and prints a summary. Resolves with the
 * exit code: 0, 1 when a critical child ended `failed` or exited by itself with a non-zero code
 * or a signal, 2 for a bad config (nothing is started). A second SIGINT exits 130 at once,
 * killing the children's groups.
 */
export async function runCommand(options: RunOptions): Promise<number> {
  const paint = makePaint(options.stdout);
  let config: Awaited<ReturnType<typeof loadConfig>>;
  try {
    config = await loadConfig(options.config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // A config from an untrusted repository can carry control characters in what is quoted.
    options.stderr.write(`procwire: ${escapeControls(error.message)}\n`);
    return ExitCode.usage;
  }
  const entries: RosterEntry[] = config.map(({ spec, critical }) => ({
    id: spec.id,
    critical,
    child: undefined,
    startError: undefined,
    probes: new Map(),
  }));
  const byId = new Map(entries.map((entry) => [entry.id, entry]));
  const specs = new Map(config.map(({ spec }) => [spec.id, spec]));
  let sup: Supervisor;
  try {
    const stateDir = await runStateDir(options.config);
    sup = await Supervisor.start(stateDir === undefined ? {} : { stateDir });
  } catch (error) {
    // Nowhere private to keep the journal (the control socket's directory), or to listen for the
    // children: nothing was started.
    options.stderr.write(`procwire run: ${escapeControls((error as Error).message)}\n`);
    return ExitCode.usage;
  }
  // Controls through the API in progress per child, and children stopped through it.
  const acting = new Map<string, number>();
  const stoppedOnRequest = new Set<string>();
  const held = (id: string): boolean => (acting.get(id) ?? 0) > 0 || stoppedOnRequest.has(id);
  let control: ServedControl;
  try {
    control = await serveControl(sup, {
      config: options.config,
      ids: [...byId.keys()],
      uiPort: options.uiPort,
      onAction: (id, action, done) => {
        // A child under a control, or stopped on request (procwire stop), has not ended: the
        // run stays for the procwire start that may follow.
        acting.set(id, (acting.get(id) ?? 0) + 1);
        if (action === 'stop') stoppedOnRequest.add(id);
        else stoppedOnRequest.delete(id);
        void done
          .catch(() => undefined)
          .then(() => {
            acting.set(id, (acting.get(id) ?? 1) - 1);
            checkSettled();
          });
      },
      // A child whose start failed is spawned again from the config, as at the start.
      respawn: (id) => spawnEntry(specs.get(id) as (typeof config)[number]['spec']),
    });
  } catch (error) {
    // Another run of this config, or nowhere safe to listen: nothing was started.
    await sup.shutdown();
    options.stderr.write(`procwire run: ${escapeControls((error as Error).message)}\n`);
    return ExitCode.usage;
  }
  const reporter: Reporter = options.stdout.isTTY
    ? ttyReporter(entries, paint, options.stdout)
    : lineReporter(
        entries.map((e) => e.id),
        paint,
        (text) => options.stdout.write(text),
      );
  if (control.dashboardUrl !== undefined) reporter.note(`dashboard: ${control.dashboardUrl}`);
  for (const orphan of sup.reaped) {
    reporter.note(
      `stopped ${orphan.id} (pid ${orphan.pid}, ${escapeControls(orphan.command)}): ` +
        'left running by a run of this config that was killed',
    );
  }

  /** Spawns a configured child; a failed start is kept on its entry, said, and rejected with. */
  async function spawnEntry(spec: (typeof config)[number]['spec']): Promise<void> {
    const entry = byId.get(spec.id) as RosterEntry;
    entry.startError = undefined;
    try {
      await sup.spawn(spec);
    } catch (error) {
      entry.startError = isProcwireError(error) ? error : undefined;
      if (!isProcwireError(error, 'STOPPED')) {
        // Its failed (or gave-up) line has printed the whole message.
        const brief = isProcwireError(error, 'GAVE_UP')
          ? 'restart limit reached (its gave-up line above says why)'
          : briefError(error as Error, spec.id);
        reporter.note(paint.red(`${spec.id} did not start: ${brief}`));
      }
      throw error;
    }
  }

  let finish!: (reason: string) => void;
  const finished = new Promise<string>((resolve) => (finish = resolve));
  const checkSettled = (): void => {
    if (startsDone && entries.every((entry) => settled(entry) && !held(entry.id))) {
      finish('every child has ended');
    }
  };
  let startsDone = false;
  stopOnClosedOutput(options.stdout, (reason) => finish(reason));

  sup.on('child', (child) => {
    const entry = byId.get(child.id);
    if (!entry) return;
    entry.child = child;
    reporter.watch(entry);
    child.on('state', checkSettled);
    if (options.probe) {
      child.on('port', (port) => {
        if (port.protocol !== 'http' && port.protocol !== 'https') return;
        void probePort(port, { anyHost: options.probeAnyHost === true }).then((answer) => {
          entry.probes.set(port.name, answer);
          reporter.probed(entry, `${escapeControls(port.name)} ${portAddress(port)}`, answer);
        });
      });
    }
  });

  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals++;
    if (signals === 1) {
      finish(signal);
      return;
    }
    if (signal === 'SIGINT') {
      options.stderr.write('\nprocwire: second Ctrl-C, killing everything now\n');
      // The exit hook SIGKILLs every child's process group on the way out.
      process.exit(ExitCode.forced);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const timer =
    options.exitAfterMs === undefined
      ? undefined
      : setTimeout(() => finish(`--exit-after ${options.exitAfterMs} ms`), options.exitAfterMs);

  const stopping = finished.then(() => undefined);
  // All at once, dependencies first: a dependent waits (in starting) for its conditions itself.
  const starts = startOrder(config).map(({ spec }) => spawnEntry(spec).catch(() => undefined));
  await Promise.race([Promise.all(starts), stopping]);
  startsDone = true;
  checkSettled();

  const reason = await finished;
  clearTimeout(timer);
  // Judged before the shutdown, which leaves every child 'stopped'.
  const before = recordBeforeShutdown(entries);
  for (const entry of entries) {
    const state = entry.child?.state;
    if (state?.kind === 'exited' || state?.kind === 'failed') entry.endedAs = stateWord(state);
  }
  reporter.note(`shutting down (${reason})`);
  await sup.shutdown();
  await control.close();
  reporter.close();
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);

  const summary = formatSummary(entries, before, paint);
  options.stdout.write(summary.text);
  return summary.failed ? ExitCode.childFailed : ExitCode.ok;
}
