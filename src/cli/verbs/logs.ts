import type { ChildView, EventData, LogLine } from '../../control/index.js';
import { idPrefix, idWidth, makePaint, withPrefix, type Paint } from '../format.js';
import { childPath, configOption, type RunClient, withRun } from '../run-client.js';
import { escapeControls, sanitizeOutput } from '../sanitize-text.js';
import { defineVerb, UsageError } from './verb.js';

/** `procwire logs [id] [-f] [-n N] [--json]`: a running child's recent output, and what follows. */
export const logsVerb = defineVerb({
  name: 'logs',
  summary: "print a running child's recent output and logs (-f: and follow)",
  positionals: [{ name: 'id', description: 'the child (default: every child, interleaved in order)' }],
  options: {
    ...configOption,
    follow: { type: 'boolean', short: 'f', description: 'keep printing new lines until Ctrl-C or the run ends' },
    lines: { type: 'string', short: 'n', value: '<N>', description: 'how many recent lines (default 100)' },
    json: { type: 'boolean', description: 'one JSON object per line: id, seq, at, stream, level, text' },
  },
  description: `Prints the last lines a child of the running procwire run printed (stdout, stderr)
or logged (procwire/log), from the ring the run keeps of each (the last 1,000). Lines
are prefixed with the child's id, as procwire run prints them, and cleaned of terminal
control sequences. With -f, new lines follow as they come, with none lost or repeated
between the two.`,
  epilogue: 'Exit codes: 0 ok (with -f: the run ended); 2 no run of that config, an unknown id, or bad usage.',
  async run({ values, positionals }, io) {
    const count = values.lines === undefined ? 100 : Number(values.lines);
    if (!/^\d{1,9}$/.test(values.lines ?? '0')) throw new UsageError(`-n takes a number of lines; got ${values.lines}`);
    return withRun(io, 'logs', values.config, async (run) => {
      const all = await allIds(run);
      const ids = positionals[0] === undefined ? all : [positionals[0]];
      const paint = makePaint(io.stdout);
      // The run's own column, whichever children are shown: lines read the same as its output.
      const width = idWidth(all);
      const print = (id: string, line: LogLine): void => {
        io.stdout.write(values.json ? `${JSON.stringify({ id, ...line })}\n` : `${shown(id, line, width, paint)}\n`);
      };
      const tails = await Promise.all(
        ids.map((id) => run.get<{ lines: LogLine[]; lastEventId: string }>(childPath(id, `/logs?tail=${count}`))),
      );
      const recent = tails
        .flatMap((tail, index) => tail.lines.map((line) => ({ id: ids[index] as string, line })))
        .sort((a, b) => a.line.seq - b.line.seq)
        .slice(-count);
      const printed = new Map<string, number>();
      for (const { id, line } of recent) print(id, line);
      for (const [index, tail] of tails.entries()) {
        printed.set(ids[index] as string, tail.lines.at(-1)?.seq ?? lastSeq(tail.lastEventId));
      }
      if (!values.follow) return 0;
      // From the oldest point any tail was read at; lines a later tail already had are skipped.
      const from = tails.map((tail) => tail.lastEventId).sort((a, b) => lastSeq(a) - lastSeq(b))[0];
      const query = `types=output${positionals[0] === undefined ? '' : `&child=${encodeURIComponent(positionals[0])}`}`;
      for await (const message of run.events(query, from === undefined ? {} : { lastEventId: from })) {
        if (message.event !== 'output') continue;
        const { id, line } = JSON.parse(message.data) as EventData['output'];
        if (line.seq <= (printed.get(id) ?? 0)) continue;
        printed.set(id, line.seq);
        print(id, line);
      }
      io.stderr.write('procwire logs: the run ended\n');
      return 0;
    });
  },
});

async function allIds(run: RunClient): Promise<string[]> {
  const { children } = await run.get<{ children: ChildView[] }>('/api/children');
  return children.map((child) => child.id);
}

function lastSeq(eventId: string): number {
  return Number(eventId.split(':')[1] ?? 0);
}

/** A line as `procwire run` prints it: the id, a bar, the text (stderr red, logs with their level). */
function shown(id: string, line: LogLine, width: number, paint: Paint): string {
  const prefix = idPrefix(id, width, paint);
  if (line.stream === 'log') {
    const level = line.level ?? 'info';
    const colored = level === 'error' ? paint.red(level) : level === 'warn' ? paint.yellow(level) : paint.dim(level);
    return `${prefix}${colored}: ${escapeControls(line.text)}`;
  }
  const text = sanitizeOutput(line.text, paint.on);
  return withPrefix(prefix, line.stream === 'stderr' && text !== '' ? paint.red(text) : text);
}
