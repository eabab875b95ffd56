import { randomBytes } from 'node:crypto';

/** A fresh, unguessable Windows named-pipe name for one supervisor. */
export function makePipeName(): string {
  return `\\\\.\\pipe\\procwire-${randomBytes(16).toString('hex')}`;
}
