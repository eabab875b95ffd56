// The shapes a spec's `matchers` accepts: VS Code's problem matcher JSON as a tasks.json has it
// (`applyTo`, which picks editor documents, is accepted and ignored). docs/MATCHERS.md is the reference.

/** One regexp and which of its groups hold what (1-based group indexes; 0 is the whole match). */
export interface PatternObject {
  regexp: string;
  /** 'location' (default) or 'file': the problem is about the whole file. First pattern only. */
  kind?: 'location' | 'file';
  file?: number;
  /** A group holding `line`, `line,column` or `line,column,endLine,endColumn`. */
  location?: number;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  severity?: number;
  code?: number;
  message?: number;
  /** Last pattern of several only: it matches again on each following line while it can. */
  loop?: boolean;
}

/** The start or end of a watch cycle: a regexp, or one with the group that names the one file it concerns. */
export type WatchPatternSpec = string | { regexp: string; file?: number };

/** A problem matcher in VS Code's shape. */
export interface MatcherObject {
  /** A built-in matcher (`'$tsc'`) this one starts from; the keys given here replace its own. */
  base?: string;
  /** VS Code's choice of editor documents; accepted for pasted matchers, and ignored. */
  applyTo?: 'allDocuments' | 'openDocuments' | 'closedDocuments';
  /** Groups diagnostics for cycle clearing; default `matchers[i]`. */
  owner?: string;
  /** The diagnostics' `source`; default the owner. */
  source?: string;
  /** When the pattern has no severity group, or it names none VS Code knows. Default 'error'. */
  severity?: 'error' | 'warning' | 'info';
  /**
   * 'relative' to the child's cwd (default), 'absolute', 'autoDetect', or [kind, base dir]; the base
   * may start with `${workspaceFolder}`, `${workspaceRoot}` or `${cwd}`, which stand for the child's cwd.
   */
  fileLocation?: 'relative' | 'absolute' | 'autoDetect' | [string] | [string, string];
  /** A pattern, several matched on consecutive lines, or a built-in pattern's name (`'$tsc'`). */
  pattern: string | PatternObject | PatternObject[];
  /** Turns output into watch cycles. */
  background?: { activeOnStart?: boolean; beginsPattern: WatchPatternSpec; endsPattern: WatchPatternSpec };
}

/** An entry of `spec.matchers`: a built-in's name (`'$tsc-watch'`) or a matcher object. */
export type MatcherSpec = string | MatcherObject;
