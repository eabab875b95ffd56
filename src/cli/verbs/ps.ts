import type { ChildView } from '../../control/index.js';
import { makePaint } from '../format.js';
import { dependencyWait, viewStateWord } from '../roster.js';
import { configOption, withRun } from '../run-client.js';
import { statusTable } from '../status-table.js';
import { defineVerb } from './verb.js';

/** `procwire ps`: the children of a running `procwire run`, as its live table shows them. */
export const psVerb = defineVerb({
  name: 'ps',
  summary: 'list the children of a running procwire run',
  positionals: [],
  options: {
    ...configOption,
    json: { type: 'boolean', description: 'print the children as JSON (the API’s view of each)' },
  },
  description: `Asks the procwire run of the config (./procwire.config.json, or --config) for its
children and prints the table its live view shows: id, state, pid, restarts, uptime,
errors, warnings and ports. --json prints the API's JSON array instead.`,
  epilogue: 'Exit codes: 0 ok; 2 no run of that config (or bad usage).',
  async run({ values }, io) {
    return withRun(io, 'ps', values.config, async (run) => {
      const { children } = await run.get<{ children: ChildView[] }>('/api/children');
      if (values.json) {
        io.stdout.write(`${JSON.stringify(children, null, 2)}\n`);
        return 0;
      }
      const rows = children.map((child) => ({
        id: child.id,
        state: viewStateWord(child),
        pid: child.pid ?? undefined,
        restarts: child.restarts,
        uptimeMs: child.uptimeMs ?? undefined,
        errors: child.errors,
        warnings: child.warnings,
        ports: child.ports,
        waiting: dependencyWait(child.state, child.reason),
        runtime: child.runtime ? `${child.runtime.name} ${child.runtime.version}` : child.runtime === null ? '-' : '',
      }));
      io.stdout.write(`${statusTable(rows, makePaint(io.stdout)).join('\n')}\n`);
      return 0;
    });
  },
});
