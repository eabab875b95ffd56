#!/usr/bin/env node
// The `procwire` command: the verbs are in verbs/, the dispatcher in dispatch.ts. Installed, it
// runs as dist/cli.cjs, this file and all it imports statically in one file (scripts/build-cli.mjs).
import { dispatch } from './dispatch.js';
import { procwire } from './verbs/index.js';
import { readVersion } from './version.js';

dispatch(
  process.argv.slice(2),
  procwire,
  { stdout: process.stdout, stderr: process.stderr },
  { version: readVersion },
).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`procwire: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
