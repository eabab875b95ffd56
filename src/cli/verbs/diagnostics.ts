import type { DiagnosticsView } from '../../control/index.js';
import { countOf, formatDiagnostic, makePaint } from '../format.js';
import { configOption, withRun } from '../run-client.js';
import { defineVerb } from './verb.js';

/** `procwire diagnostics [id] [--json]`: what the running children's compilers found. */
export const diagnosticsVerb = defineVerb({
  name: 'diagnostics',
  summary: 'print the current diagnostics of a running procwire run',
  positionals: [{ name: 'id', description: 'only this child’s (default: every child’s)' }],
  options: {
    ...configOption,
    json: { type: 'boolean', description: 'print { files: [{ child, file, diagnostics }], errors, warnings }' },
  },
  description: `Prints the diagnostics the children of the running procwire run hold now, the way
compilers print them (path:line:col - severity code: message, 1-based), then the counts.`,
  epilogue: 'Exit codes: 0 ok (whatever the diagnostics); 2 no run of that config, an unknown id, or bad usage.',
  async run({ values, positionals }, io) {
    return withRun(io, 'diagnostics', values.config, async (run) => {
      const id = positionals[0];
      const view = await run.get<DiagnosticsView>(
        `/api/diagnostics${id === undefined ? '' : `?child=${encodeURIComponent(id)}`}`,
      );
      if (values.json) {
        io.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
        return 0;
      }
      const paint = makePaint(io.stdout);
      for (const { file, diagnostics } of view.files) {
        for (const diagnostic of diagnostics) io.stdout.write(`${formatDiagnostic(file, diagnostic, paint)}\n`);
      }
      io.stdout.write(`${countOf(view.errors, 'error')}, ${countOf(view.warnings, 'warning')}\n`);
      return 0;
    });
  },
});
