import type { ChildView } from '../control/index.js';
import type { StopResult } from '../terminate/stop-result.js';
import { describeStop } from './ending.js';
import { childPath, configOption, withRun } from './run-client.js';
import { escapeControls } from './sanitize-text.js';
import { defineVerb, type Verb } from './verbs/verb.js';

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
    options: { ...configOption, json: { type: 'boolean', description: 'print the API’s answer as JSON' } },
    description: `${words.description}
The run is the one of the config (./procwire.config.json, or --config).`,
    epilogue: `Exit codes: 0 done; 1 it failed (the reason on stderr); 2 no run of that config, an unknown
id, or bad usage.`,
    async run({ values, positionals }, io) {
      const id = positionals[0] as string;
      return withRun(io, action, values.config, async (run) => {
        const answer = await run.post<{ child: ChildView; result?: StopResult }>(childPath(id, `/${action}`));
        if (values.json) {
          io.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
          return 0;
        }
        const { child, result } = answer;
        const how = result ? describeStop(result) : `${child.state}${child.pid === null ? '' : ` (pid ${child.pid})`}`;
        io.stdout.write(`${escapeControls(id)}: ${words.done}, ${how}\n`);
        return 0;
      });
    },
  });
}
