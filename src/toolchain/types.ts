/** The runtimes procwire can pin. */
export type RuntimeName = 'node' | 'python';

/** What a spec asks for: `runtime: { node: '18' }` is `{ name: 'node', pin: '18' }`; `'auto'` reads the pin files. */
export interface RuntimeRequest {
  name: RuntimeName;
  pin: string;
}

/**
 * The runtime a child runs on, and why: `source` is the pin file's absolute path, `'spec'`
 * (the spec named the version; `'command line'` for `procwire toolchain which node@18`) or
 * `'PATH'` (`'auto'` found no pin; the first one on PATH).
 */
export interface ResolvedRuntime {
  name: RuntimeName;
  /** Without a leading `v`: `18.20.4`, `3.9.18`. */
  version: string;
  /** Absolute path of the binary (`…/bin/node`, `…/bin/python`). */
  path: string;
  source: string;
  /** The pin as written (`18`, `lts/*`, `>=18 <21`); undefined when none was found. */
  pin: string | undefined;
  /**
   * Every version the pin file listed, in order, when it listed several (`.tool-versions`:
   * `nodejs 20.11.1 18.20.4`): `pin` is the first of them that is installed.
   */
  listed?: string[];
  /** Where it was found: `nvm`, `fnm`, `volta`, `mise`, `asdf`, `pyenv`, `procwire` (its own cache) or `PATH`. */
  manager: string;
}

/** The environment a child will have (the parent's overlaid with `spec.env`): where managers keep versions. */
export type ToolchainEnv = Readonly<Record<string, string | undefined>>;

/** One installed version found in a manager's directory. */
export interface Installed {
  version: string;
  path: string;
  manager: string;
}

/** What one place searched held, for `toolchain list` and for the TOOLCHAIN_NOT_FOUND message. */
export interface SearchedPlace {
  manager: string;
  /** The directory looked in (for PATH, the PATH value's directories joined). */
  dir: string;
  /** 'missing': no such directory; 'unreadable': it could not be listed (`problem` says why). */
  status: 'found' | 'missing' | 'unreadable';
  installed: Installed[];
  /** Entries named like a version that were not usable, with why: `v19.0.0 (no bin/node)`. */
  ignored: string[];
  problem?: string;
}
