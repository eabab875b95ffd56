import { EventEmitter } from 'node:events';
import { Child } from './child/child.js';
import { PortScanner } from './discover/index.js';
import { dependencyNode } from './child/dependency-node.js';
import type { WaitForDependencies } from './child/lifecycle.js';
import { resolveSpec, type ChildSpec, type ResolvedSpec } from './child/spec.js';
import {
  checkDependencies,
  waitForDependencies,
  type DependencyCondition,
  type DependencyView,
} from './depends/index.js';
import { StartGate } from './child/start-gate.js';
import { Endpoint, type EndpointStats } from './endpoint/index.js';
import { ProcwireError } from './protocol/index.js';
import { killGroupsOnExit } from './terminate/on-parent-exit.js';
import { StateDir, type ReapedChild } from './terminate/state-dir.js';
import { Pool } from './pool/pool.js';
import { resolvePoolOptions, type PoolOptions } from './pool/options.js';
import { resolveSupervisorOptions, type SupervisorOptions } from './supervisor-options.js';

export type { SupervisorOptions } from './supervisor-options.js';

/** Counters of the supervisor's endpoint. */
export type SupervisorStats = Readonly<EndpointStats>;

/** Events of a Supervisor. */
export interface SupervisorEvents {
  /**
   * A Child handle was created by `spawn`, before its process starts: attach listeners
   * here to see what it says while starting (logs, output, early diagnostics).
   */
  child: [child: Child];
}

/**
 * The parent side: one listening endpoint and the children that connect to it. Start one
 * with `Supervisor.start()`, spawn children with `spawn()`, end with `shutdown()`.
 */
export class Supervisor extends EventEmitter<SupervisorEvents> {
  readonly #endpoint: Endpoint;
  readonly #children = new Map<string, Child>();
  readonly #pools = new Map<string, Pool>();
  readonly #removeExitHook: () => void;
  readonly #journal: StateDir | undefined;
  readonly #gate: StartGate;
  /** One scan timer for every child's OS port discovery. */
  readonly #ports = new PortScanner();
  #shutdown: Promise<void> | undefined;
  /** Children of a previous supervisor (same stateDir) that were still running and were stopped at start. */
  readonly reaped: readonly ReapedChild[];

  private constructor(endpoint: Endpoint, journal: StateDir | undefined, reaped: ReapedChild[], gate: StartGate) {
    super();
    this.#endpoint = endpoint;
    this.#journal = journal;
    this.#gate = gate;
    this.reaped = reaped;
    // No child may outlive its parent: if this process ends without shutdown(), the
    // children's groups are killed on the way out.
    this.#removeExitHook = killGroupsOnExit(() => this.#livePids());
  }

  /**
   * Validates the options (a TypeError names a bad one), makes a private socket directory
   * and listens. Resolves when children can connect.
   */
  static async start(options: SupervisorOptions = {}): Promise<Supervisor> {
    const resolved = resolveSupervisorOptions(options);
    const gate = new StartGate(resolved.maxConcurrentStarts);
    const journal = resolved.stateDir === undefined ? undefined : StateDir.open(resolved.stateDir);
    // Before listening and spawning: the previous supervisor's children may hold ports ours need.
    const reaped = journal ? await journal.reapOrphans(5000) : [];
    const endpoint = await Endpoint.listen(resolved.endpoint);
    return new Supervisor(endpoint, journal, reaped, gate);
  }

  /** The socket path (or Windows pipe name) children connect to. */
  get address(): string {
    return this.#endpoint.address;
  }

  /** Children by id, in start order. */
  get children(): ReadonlyMap<string, Child> {
    return this.#children;
  }

  /** Connection counters: accepted, and rejected (bad hello, wrong token, garbage, silence). */
  get stats(): SupervisorStats {
    return { ...this.#endpoint.stats };
  }

  /** The child with this id, if any. */
  get(id: string): Child | undefined {
    return this.#children.get(id);
  }

  /**
   * Spawns a child and resolves with it once it is ready (for `connect: 'none'`, once it
   * has spawned). A bad spec throws a TypeError at once and a taken id an INVALID_SPEC
   * ProcwireError. Failed starts are retried under the child's restart policy; when it
   * does not get to ready, spawn rejects with a ProcwireError after its process is gone,
   * and the id is free again: GAVE_UP (the last failure in `cause`) when the retries ran
   * out, the failure's own code (EXITED_BEFORE_READY, READY_TIMEOUT, PROTOCOL_ERROR,
   * MESSAGE_TOO_LARGE) under `restart: 'never'`, SPAWN_FAILED when the command cannot run
   * at all (never retried), STOPPED when a stop or shutdown overtook it.
   */
  spawn(spec: ChildSpec): Promise<Child> {
    const resolved = resolveSpec(spec);
    if (this.#shutdown) {
      throw new ProcwireError('STOPPED', `cannot spawn child "${resolved.id}": the supervisor is shutting down`, {
        childId: resolved.id,
      });
    }
    if (this.#children.has(resolved.id)) {
      throw new ProcwireError(
        'INVALID_SPEC',
        `a child with id "${resolved.id}" already exists; choose another id or stop and remove that one first`,
        { childId: resolved.id },
      );
    }
    const dependencies = this.#dependenciesOf(resolved);
    const child = new Child(resolved, {
      endpoint: this.#endpoint,
      control: this.#controlTarget,
      journal: this.#journal,
      gate: this.#gate,
      dependencies,
      ports: this.#ports,
    });
    this.#children.set(child.id, child);
    this.emit('child', child);
    return child.start().then(
      () => child,
      (error: unknown) => {
        if (this.#children.get(child.id) === child) this.#children.delete(child.id);
        throw error;
      },
    );
  }

  /**
   * Starts a pool of `size` identical workers (children `<id>/1` … `<id>/<size>`, kept
   * alive under the spec's restart policy, 'always' by default) and returns it at once;
   * tasks queue until workers are ready (`pool.ready`). Bad options and a bad worker spec
   * throw a TypeError at once; a taken pool id an INVALID_SPEC ProcwireError.
   */
  pool(options: PoolOptions): Pool {
    const resolved = resolvePoolOptions(options);
    resolveSpec({ ...resolved.spec, id: `${resolved.id}/1` });
    if (this.#shutdown)
      throw new ProcwireError('STOPPED', `cannot start pool "${resolved.id}": the supervisor is shutting down`);
    if (this.#pools.get(resolved.id)?.closed === false) {
      throw new ProcwireError(
        'INVALID_SPEC',
        `a pool with id "${resolved.id}" already exists; choose another id or close that one first`,
      );
    }
    const pool = new Pool(resolved, {
      spawn: (spec) => this.spawn(spec),
      onChild: (id, listener) => {
        const onChild = (child: Child): void => {
          if (child.id !== id) return;
          this.off('child', onChild);
          listener(child);
        };
        this.on('child', onChild);
      },
      forget: (id) => {
        const kind = this.#children.get(id)?.state.kind;
        if (kind === 'stopped' || kind === 'exited' || kind === 'failed') this.#children.delete(id);
      },
    });
    this.#pools.set(resolved.id, pool);
    void pool.ready.then(undefined, () => undefined);
    return pool;
  }

  /** Pools by id. */
  get pools(): ReadonlyMap<string, Pool> {
    return this.#pools;
  }

  /**
   * Closes every pool (cancelling its tasks), stops every child in reverse start order,
   * then closes the endpoint and removes its socket directory. Safe to call more than
   * once; every call resolves when it is done.
   */
  shutdown(): Promise<void> {
    this.#shutdown ??= this.#shutdownAll();
    return this.#shutdown;
  }

  async #shutdownAll(): Promise<void> {
    try {
      await Promise.all([...this.#pools.values()].map((pool) => pool.close({ cancel: true })));
      for (const child of [...this.#children.values()].reverse()) {
        await child.stop();
      }
      await this.#endpoint.close();
    } finally {
      this.#removeExitHook();
    }
  }

  /** What a child with `allowControl: true` may do through `procwire/spawn` and `procwire/stop`. */
  readonly #controlTarget = {
    spawn: async (spec: ChildSpec) => ({ id: (await this.spawn(spec)).id }),
    stop: (id: string) => (this.#children.get(id) as Child).stop(),
    has: (id: string) => this.#children.has(id),
  };

  /**
   * Checks `spec.dependsOn` against the children this supervisor has now (INVALID_SPEC for an
   * id it does not have, a condition the dependency cannot meet, or a cycle) and returns the
   * wait each start of the child does. The dependencies are looked up at each start, so a
   * dependency spawned again under the same id is the one waited for.
   */
  #dependenciesOf(spec: ResolvedSpec): WaitForDependencies | undefined {
    const entries = Object.entries(spec.dependsOn);
    if (entries.length === 0) return undefined;
    const others = [...this.#children.values()].map((child) => dependencyNode(child.spec, this.#children));
    checkDependencies([...others, dependencyNode(spec, undefined)]);
    return (aborted, waiting) => {
      const views = new Map<DependencyView, DependencyCondition>();
      for (const [id, condition] of entries) {
        const dependency = this.#children.get(id);
        if (dependency === undefined) {
          const error = new ProcwireError(
            'DEPENDENCY_FAILED',
            `child "${spec.id}" was not started: its dependency "${id}" is no longer supervised (its start failed); ` +
              `spawn "${id}" again, then start "${spec.id}"`,
            { childId: spec.id },
          );
          return Promise.reject(error);
        }
        views.set(dependency, condition);
      }
      return waitForDependencies(spec.id, views, aborted, waiting);
    };
  }

  *#livePids(): Iterable<number> {
    for (const child of this.#children.values()) {
      const pid = child.pid;
      if (pid !== undefined) yield pid;
    }
  }
}
