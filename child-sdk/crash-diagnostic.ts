import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../src/protocol/wire/types.js';

/** Where an error was thrown: the first stack frame outside Node's own code. */
export interface ThrowSite {
  file: string;
  /** 1-based, as in stack traces. */
  line: number;
  column: number;
}

const FRAME = /^\s*at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/;

/** Finds the throw site in a V8 stack trace, or undefined when no frame has a location. */
export function throwSite(stack: string | undefined): ThrowSite | undefined {
  for (const line of (stack ?? '').split('\n')) {
    const match = FRAME.exec(line);
    if (!match?.[1] || match[1].startsWith('node:') || match[1].startsWith('internal/')) continue;
    const file = match[1].startsWith('file://') ? fileURLToPath(match[1]) : match[1];
    return { file, line: Number(match[2]), column: Number(match[3]) };
  }
  return undefined;
}

/**
 * Turns an uncaught exception or unhandled rejection into an error diagnostic at its
 * throw site (falling back to the main script, line 1). Ranges are 0-based, as in LSP.
 */
export function crashDiagnostic(error: unknown, origin: string): { file: string; diagnostic: Diagnostic } {
  const site = error instanceof Error ? throwSite(error.stack) : undefined;
  const file = site?.file ?? process.argv[1] ?? '<unknown>';
  const line = Math.max(0, (site?.line ?? 1) - 1);
  const character = Math.max(0, (site?.column ?? 1) - 1);
  const message = error instanceof Error ? `${error.name}: ${error.message}` : `uncaught value: ${String(error)}`;
  const code = (error as { code?: unknown } | null)?.code;
  return {
    file,
    diagnostic: {
      range: { start: { line, character }, end: { line, character } },
      severity: 1,
      source: 'node',
      code:
        typeof code === 'string' || typeof code === 'number'
          ? code
          : origin === 'unhandledRejection'
            ? 'unhandled-rejection'
            : 'uncaught-exception',
      message,
    },
  };
}
