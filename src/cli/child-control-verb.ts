import { setTimeout as delay } from 'node:timers/promises';
import type { ChildView } from '../control/index.js';
import { toMs } from '../options/duration.js';
import type { StopResult } from '../terminate/stop-result.js';
import { describeStop } from './ending.js';
import { ExitCode } from './exit-code.js';
import { dependencyWait } from './roster.js';
import { childPath, configOption, withRun, type RunClient } from './run-client.js';
import { escapeControls } from './sanitize-text.js';
import { defineVerb, UsageError, type CliIo, type Verb } from './verbs/verb.js';

// States in which a child has no process that a stop could end.
const ENDED: ReadonlySet<string> = new Set(['stopped', 'exited', 'failed']);

// How often a start that has not answered yet looks at what its child waits for.
const LOOK_EVERY_MS = 1000;

type Action = 'start' | 'stop' | 'restart';

const WORDS: Record<Action, { summary: string; description: string; done: string }> = {
  start: {
    summary: 'start a child of a running procwire run',
    description: `Starts the child (with a fresh restart budget) and waits until it is ready; a
running child is left as it is.`,
    done: 'started',
  },
  stop: {
    summary: 'stop a child of a running procwire run',
    description: `Stops the child as procwire stops any child (procwire/shutdown, then its stop signal,
then SIGKILL, each phase within its stopTimeout) and waits until it has ended. It stays
stopped until started again: a stop asked for never restarts.`,
    done: 'stopped',
  },
  restart: {
    summary: 'restart a child of a running procwire run',
    description: `Stops the child (as procwire stop does) and starts it again, waiting until it is ready.
Not counted as an automatic restart.`,
    done: 'restarted',
  },
};

/** `procwire start|stop|restart <id>`: one control of a running run's child, awaited. */
export function childControlVerb(action: Action): Verb {
  const words = WORDS[action];
  return defineVerb({
    name: action,
    summary: words.summary,
    positionals: [{ name: 'id', required: true, description: 'the child' }],
    options: {
      ...configOption,
      json: { type: 'boolean', description: 'print the API’s answer as JSON' },
      ...(action === 'stop'
        ? {}
        : {
            timeout: {
              type: 'string',
              description:
                'stop waiting after this long (e.g. 30s; default: until ready); the start goes on in the run',
            },
          }),
    },
    description: `${words.description}
The run is the one of the config (./procwire.config.json, or --config).`,
    epilogue: `Exit codes: 0 done; 1 it failed (the reason on stderr); 2 no run of that config, an unknown
id, or bad usage.`,
    async run({ values, positionals }, io) {
      const id = positionals[0] as string;
      let timeoutMs: number | undefined;
      try {
        const timeout = (values as { timeout?: string }).timeout;
        timeoutMs = timeout === undefined ? undefined : toMs('--timeout', timeout);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      return withRun(io, action, values.config, async (run) => {
        // A stop of a child that had already ended answers with how its process ended then,
        // which must not read as if this stop had just ended it.
        const before = action === 'stop' && !values.json ? await run.get<ChildView>(childPath(id)) : undefined;
        const answer = await awaitAnswer(run, id, action, io, timeoutMs);
        if (answer === undefined) return ExitCode.failed;
        if (values.json) {
          io.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
          return 0;
        }
        const { child, result } = answer;
        if (before !== undefined && ENDED.has(before.state)) {
          io.stdout.write(`${escapeControls(id)}: nothing to stop, it had already ended (${before.state})\n`);
          return 0;
        }
        const how = result ? describeStop(result) : `${child.state}${child.pid === null ? '' : ` (pid ${child.pid})`}`;
        io.stdout.write(`${escapeControls(id)}: ${words.done}, ${how}\n`);
        return 0;
      });
    },
  });
}

/**
 * The control's answer. Meanwhile, a start or restart whose child waits for its dependencies
 * (`dependsOn`, which has no time limit) says so on stderr, once per reason, so that the
 * verb does not hang in silence; after `timeoutMs` it stops waiting, says why, and resolves
 * undefined (the start goes on in the run).
 */
async function awaitAnswer(
  run: RunClient,
  id: string,
  action: Action,
  io: CliIo,
  timeoutMs: number | undefined,
): Promise<{ child: ChildView; result?: StopResult } | undefined> {
  const done = new AbortController();
  const posted = run.post<{ child: ChildView; result?: StopResult }>(childPath(id, `/${action}`), {
    signal: done.signal,
  });
  if (action === 'stop') return posted;
  const deadline = timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + timeoutMs;
  let waitingFor = '';
  const look = async (): Promise<undefined> => {
    for (;;) {
      await delay(Math.max(0, Math.min(LOOK_EVERY_MS, deadline - Date.now())), undefined, { signal: done.signal });
      const view = await run.get<ChildView>(childPath(id)).catch(() => undefined);
      const reason = (view && dependencyWait(view.state, view.reason)) ?? '';
      if (Date.now() >= deadline) {
        const why = reason ? ` (${escapeControls(reason)})` : view ? ` (${view.state})` : '';
        io.stderr.write(
          `procwire ${action}: ${escapeControls(id)} was not ready within ${timeoutMs} ms${why}; ` +
            'the start goes on in the run\n',
        );
        return undefined;
      }
      if (reason && reason !== waitingFor) {
        io.stderr.write(
          `procwire ${action}: ${escapeControls(id)} is ${escapeControls(reason)}; it starts once that holds\n`,
        );
      }
      waitingFor = reason || waitingFor;
    }
  };
  try {
    return await Promise.race([posted, look()]);
  } finally {
    done.abort();
  }
}
