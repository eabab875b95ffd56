/**
 * Exit codes of the `procwire` command: 2 for bad usage or config (nothing ran), or no run to
 * talk to; `run` adds 1 (a critical child failed or exited non-zero) and 130; the verbs that
 * talk to a run exit 1 when what they asked for failed (`failed`).
 */
export const ExitCode = { ok: 0, childFailed: 1, failed: 1, usage: 2, forced: 130 } as const;
