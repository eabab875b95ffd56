/** Exit codes of the `procwire` command: 2 for bad usage or config (nothing ran); `run` adds 1 and 130. */
export const ExitCode = { ok: 0, childFailed: 1, usage: 2, forced: 130 } as const;
