import { resolve } from 'node:path';
import semver from 'semver';
import { executableStatus } from './fs-cache.js';
import { managersFor, resolveNvmAlias } from './managers/index.js';
import { describePlaces, fromWhere, installHint, toolchainError } from './not-found.js';
import { findPin, PIN_FILES } from './pin-files.js';
import { PinFileError } from './pin-text.js';
import { pathRuntime } from './path-runtime.js';
import type { Installed, ResolvedRuntime, RuntimeRequest, SearchedPlace, ToolchainEnv } from './types.js';
import { forgetListings, listVersions } from './version-dir.js';

/** Where to resolve: the child's cwd and environment (the parent's overlaid with `spec.env`). */
export interface ResolveOptions {
  cwd: string;
  env: ToolchainEnv;
  /** Names the child in errors. */
  childId?: string;
  /**
   * What a pin given directly (not `'auto'`) is called in `source` and in messages: `'spec'`
   * (the default: a child's spec named the version), or `'command line'` (`procwire toolchain
   * which node@18`).
   */
  pinSource?: 'spec' | 'command line';
  platform?: NodeJS.Platform;
}

const ANY = ['node', 'stable', 'latest', 'current'];

/**
 * Every place a `runtime` may be installed, in search order, each with what it holds
 * (managers' directories, then PATH). Listings are remembered while the directories'
 * mtimes say nothing changed (see version-dir.ts).
 */
export function searchPlaces(request: Pick<RuntimeRequest, 'name'>, options: ResolveOptions): SearchedPlace[] {
  return [...managerPlaces(request, options), pathRuntime(request.name, options.env, options.cwd)];
}

function managerPlaces(request: Pick<RuntimeRequest, 'name'>, options: ResolveOptions): SearchedPlace[] {
  const platform = options.platform ?? process.platform;
  // A relative NVM_DIR (or HOME, PROCWIRE_CACHE_DIR, …) means what it would mean to the child: from its cwd.
  return managersFor(request.name).flatMap((manager) =>
    manager
      .layouts(request.name, options.env, platform)
      .map((layout) => listVersions({ ...layout, root: resolve(options.cwd, layout.root) })),
  );
}

/**
 * The runtime a child runs on. `pin: 'auto'` reads the nearest pin file from the cwd upward
 * (see pin-files.ts), and with none takes the runtime on PATH; nvm aliases (`lts/*`) are
 * followed through nvm's alias files; a version or range picks the highest installed version
 * that satisfies it, managers before PATH. Throws TOOLCHAIN_NOT_FOUND naming the pin, its file,
 * every place searched with what it held, and the install command for the manager in use.
 */
export function resolveRuntime(request: RuntimeRequest, options: ResolveOptions): ResolvedRuntime {
  const chosen = resolveOnce(request, options);
  if (executableStatus(chosen.path) === 'ok') return chosen;
  // A binary removed from inside a version directory does not change the listing's mtime.
  forgetListings();
  return resolveOnce(request, options);
}

function resolveOnce(request: RuntimeRequest, options: ResolveOptions): ResolvedRuntime {
  const { name } = request;
  let pins: string[] | undefined = [request.pin];
  let source: string = options.pinSource ?? 'spec';
  if (request.pin === 'auto') {
    let found: ReturnType<typeof findPin>;
    try {
      found = findPin(name, options.cwd);
    } catch (error) {
      if (!(error instanceof PinFileError)) throw error;
      throw toolchainError(options.childId, `cannot choose a ${name}: ${error.message}`);
    }
    pins = found === undefined ? undefined : [found.pin, ...(found.fallbacks ?? [])];
    source = found?.file ?? 'PATH';
  }
  if (pins === undefined || pins.every((pin) => pin === 'system')) return fromPath(request, options, pins?.[0], source);
  const listed = pins.length > 1 ? { listed: pins } : {};
  const places = managerPlaces(request, options);
  // PATH is asked only when no manager has a match: its version costs a process.
  let onPath: SearchedPlace | undefined;
  const path = (): SearchedPlace => (onPath ??= pathRuntime(name, options.env, options.cwd));
  const tried: string[] = [];
  let first: string | undefined;
  // A list (asdf's and mise's fallbacks) is tried in its order: the first installed wins, not the highest.
  for (const pin of pins) {
    if (pin === 'system') {
      const hit = path().installed[0];
      if (hit) return { name, version: hit.version, path: hit.path, source, pin, ...listed, manager: 'PATH' };
      tried.push(`"system" (the ${name} on PATH)`);
      continue;
    }
    const effective = followAliases(request, options, pin, source);
    first ??= effective;
    const best = pick(effective, places) ?? pick(effective, [path()]);
    if (best) return { name, version: best.version, path: best.path, source, pin, ...listed, manager: best.manager };
    tried.push(`${JSON.stringify(pin)}${effective === pin ? '' : ` (${effective})`}`);
  }
  const searched = onPath === undefined ? places : [...places, onPath];
  const what =
    tried.length === 1
      ? `${tried[0]} ${fromWhere(source)}`
      : `any of the versions ${fromWhere(source)}, tried in order: ${tried.join(', ')}`;
  throw toolchainError(
    options.childId,
    `no installed ${name} satisfies ${what}. Searched: ${describePlaces(name, searched)}. ` +
      installHint(name, first ?? '', source, searched, tried.length > 1),
  );
}

function fromPath(
  request: RuntimeRequest,
  options: ResolveOptions,
  pin: string | undefined,
  source: string,
): ResolvedRuntime {
  const place = pathRuntime(request.name, options.env, options.cwd);
  const hit = place.installed[0];
  if (hit) return { name: request.name, version: hit.version, path: hit.path, source, pin, manager: 'PATH' };
  const files = PIN_FILES[request.name].map(([file]) => file);
  if (request.name === 'node') files.push('package.json engines.node');
  const why =
    pin === undefined
      ? `runtime.${request.name} is "auto" but no pin file (${files.join(', ')}) is in ${options.cwd} or above`
      : `the pin "system" ${fromWhere(source)} means the ${request.name} on PATH`;
  throw toolchainError(options.childId, `${why}, and there is no ${request.name} on PATH (${place.dir})`);
}

/**
 * nvm's words (`lts/*`, `default`, named aliases) become what their alias files say; `node`
 * means any. A Python pin loses a `python-` prefix (`python-3.10`), as pyenv reads it.
 */
function followAliases(request: RuntimeRequest, options: ResolveOptions, pin: string, source: string): string {
  if (request.name === 'python') return pin.replace(/^python-(?=.)/, '');
  if (semver.validRange(pin) !== null) return pin;
  if (ANY.includes(pin)) return '*';
  const chain = resolveNvmAlias(pin, options.env, options.cwd);
  if (chain.target !== undefined && (semver.validRange(chain.target) !== null || ANY.includes(chain.target))) {
    return ANY.includes(chain.target) ? '*' : chain.target;
  }
  const hint = pin.startsWith('lts/')
    ? '`nvm install --lts` writes the lts aliases'
    : `\`nvm alias ${pin} <version>\` defines it`;
  const what =
    chain.files.length > 0
      ? `is an nvm alias that leads to ${JSON.stringify(chain.target)} (${chain.files.join(' -> ')}), not a version`
      : `is not a version or range, and nvm has no alias of that name (${hint})`;
  throw toolchainError(
    options.childId,
    `cannot choose a node: ${JSON.stringify(pin)} ${fromWhere(source)} ${what}; or pin a version such as 18.20.4`,
  );
}

/** The highest installed version satisfying `pin` (a range, or a version name matched exactly), managers first. */
function pick(pin: string, places: readonly SearchedPlace[]): Installed | undefined {
  const range = semver.validRange(pin);
  let best: Installed | undefined;
  for (const place of places) {
    for (const item of place.installed) {
      const matches =
        range !== null && semver.valid(item.version) ? semver.satisfies(item.version, range) : item.version === pin;
      if (!matches) continue;
      if (best === undefined) best = item;
      else if (semver.valid(item.version) && semver.valid(best.version) && semver.gt(item.version, best.version))
        best = item;
    }
  }
  return best;
}
