import type { RuntimeName, SearchedPlace } from '../../toolchain/index.js';
import { ExitCode } from '../exit-code.js';
import { escapeControls } from '../sanitize-text.js';
import { cwdOption, runtimeArgument } from '../toolchain-args.js';
import { defineVerb } from './verb.js';

/** `procwire toolchain list [node|python]`: every installed version found, by manager. */
export const toolchainListVerb = defineVerb({
  name: 'list',
  summary: 'every installed version procwire can find, by manager',
  positionals: [{ name: 'runtime', description: 'node or python (default: both)' }],
  options: {
    cwd: { type: 'string', value: '<dir>', description: 'where PATH’s binaries are asked their version (default: .)' },
    json: { type: 'boolean', description: 'print the places searched and what each holds as JSON' },
  },
  description: `Lists, in the order resolution searches them, the places each runtime is installed:
nvm, fnm, Volta, mise, asdf and procwire's own cache for Node; pyenv, mise and asdf for
Python; then PATH. Each line is a version and its binary; a directory that is not there
says so, and entries named like a version but unusable (no binary, a symlink loop) are shown
as ignored.`,
  async run({ values, positionals }, io) {
    const names: RuntimeName[] =
      positionals[0] === undefined ? ['node', 'python'] : [(await runtimeArgument(positionals[0])).name];
    const cwd = cwdOption(values.cwd);
    const { searchPlaces } = await import('../../toolchain/index.js');
    const found = names.map((name) => ({ name, places: searchPlaces({ name }, { cwd, env: process.env }) }));
    if (values.json) {
      io.stdout.write(`${JSON.stringify(found)}\n`);
      return ExitCode.ok;
    }
    const lines = found.flatMap(({ name, places }) => [name, ...places.flatMap(placeLines)]);
    io.stdout.write(`${lines.map(escapeControls).join('\n')}\n`);
    return ExitCode.ok;
  },
});

function placeLines(place: SearchedPlace): string[] {
  const label = `  ${place.manager.padEnd(9)} `;
  const blank = ' '.repeat(label.length);
  const where = place.manager === 'PATH' ? 'PATH' : place.dir;
  const why = place.status === 'missing' ? ' is not there' : place.problem ? `: ${place.problem}` : '';
  const lines =
    place.installed.length === 0
      ? [`${label}(none: ${where}${why})`]
      : place.installed.map((item, index) => `${index === 0 ? label : blank}${item.version.padEnd(10)} ${item.path}`);
  if (place.ignored.length > 0) lines.push(`${blank}ignored: ${place.ignored.join(', ')}`);
  return lines;
}
