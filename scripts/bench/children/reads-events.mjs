// An event-stream client in its own process, as a browser is: reads `output` events from the
// control socket (argv[2]) and prints, as JSON, [line, ms] for each: how long it took from the
// child's write to here, once it has `argv[3]` of them.
import { streamEvents } from '../../../dist/src/control/index.js';

const [socket, wanted] = [process.argv[2], Number(process.argv[3])];
const delays = [];
for await (const message of streamEvents(socket, 'types=output')) {
  const { line } = JSON.parse(message.data);
  delays.push([line.text, Number(process.hrtime.bigint() - BigInt(line.text)) / 1e6]);
  if (delays.length === wanted) break;
}
process.stdout.write(JSON.stringify(delays));
process.exit(0);
