#!/usr/bin/env node
// The `procwire` command: the verbs are in verbs/, the dispatcher in dispatch.ts.
import { readFileSync } from 'node:fs';
import { packageJsonPath } from '../paths.js';
import { dispatch } from './dispatch.js';
import { procwire } from './verbs/index.js';

const version = (): string => (JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { version: string }).version;

dispatch(process.argv.slice(2), procwire, { stdout: process.stdout, stderr: process.stderr }, { version }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`procwire: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
