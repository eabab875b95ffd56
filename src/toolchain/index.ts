// Pinned runtimes and command lookup, resolved before a child's spawn (docs/ARCHITECTURE.md: a
// room that imports only protocol and options; child/ calls it).
export type { ResolvedRuntime, RuntimeName, RuntimeRequest, SearchedPlace, ToolchainEnv, Installed } from './types.js';
export { resolveRuntime, searchPlaces, type ResolveOptions } from './resolve-runtime.js';
export { findPin, shortSource, type FoundPin } from './pin-files.js';
export { pinProblem } from './pin-text.js';
export { isBareCommand, lookupCommand, type CommandLookup } from './lookup-command.js';
export { findShimNode, type NpmCmdShim } from './npm-cmd-shim.js';
export { cacheDir } from './cache-dir.js';
export { parseRuntimeRequest, RUNTIME_COMMANDS } from './request.js';
export { forgetToolchainCaches } from './forget.js';
export {
  installNode,
  InstallError,
  nodePackageName,
  pickNodeVersion,
  registryUrl,
  type InstallProgress,
  type InstallResult,
} from './install-node.js';
