import { basename } from 'node:path';

/**
 * How a runtime's source is shown: the pin file's name, `spec` or `PATH`. In a file of its own,
 * free of semver, because every `procwire` command's table shows it and a command's start is
 * on the clock.
 */
export function shortSource(source: string): string {
  return source === 'spec' || source === 'PATH' || source === 'command line' ? source : basename(source);
}
