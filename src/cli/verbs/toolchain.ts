import { toolchainInstallVerb } from './toolchain-install.js';
import { toolchainListVerb } from './toolchain-list.js';
import { toolchainWhichVerb } from './toolchain-which.js';
import type { VerbGroup } from './verb.js';

/** `procwire toolchain which|list|install`: pinned runtimes, as children resolve them. */
export const toolchainGroup: VerbGroup = {
  name: 'toolchain',
  summary: 'which runtime a project pins, every installed version, install a Node',
  commands: [toolchainWhichVerb, toolchainListVerb, toolchainInstallVerb],
};
