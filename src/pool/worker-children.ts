import type { Child } from '../child/child.js';
import type { ChildSpec } from '../child/spec.js';
import { isProcwireError, ProcwireError } from '../protocol/index.js';
import { poolError } from './pool-error.js';
import type { PoolHost } from './pool-types.js';

/**
 * A pool's worker children, one per slot: starts each as child `<pool>/<n>` (restart
 * 'always' unless the spec says otherwise), says whether one is up, and stops and forgets
 * them all. It reports per slot that a worker became ready or will serve nothing more; what
 * that means for tasks is the pool's business.
 */
export class WorkerChildren {
  readonly #poolId: string;
  readonly #host: PoolHost;
  readonly #children: (Child | undefined)[];

  constructor(poolId: string, size: number, host: PoolHost) {
    this.#poolId = poolId;
    this.#host = host;
    this.#children = Array.from({ length: size }, () => undefined);
  }

  /** The children that exist, in slot order (a slot whose worker never started is absent). */
  get all(): readonly Child[] {
    return this.#children.filter((child) => child !== undefined);
  }

  /** The child of slot `index`, once it exists. */
  at(index: number): Child | undefined {
    return this.#children[index];
  }

  /** The worker id of slot `index`: `<pool>/<index + 1>`. */
  idOf(index: number): string {
    return `${this.#poolId}/${index + 1}`;
  }

  /** The worker id of slot `index` and its child's state now (undefined before it exists), for messages. */
  describe(index: number): { workerId: string; workerState: Child['state'] | undefined } {
    return { workerId: this.idOf(index), workerState: this.#children[index]?.state };
  }

  /** True when slot `index` has a child that is running and connected, so it can take requests. */
  isUp(index: number): boolean {
    const child = this.#children[index];
    return child?.state.kind === 'running' && child.connected;
  }

  /**
   * Starts the worker of slot `index`; resolves once it is ready or could not start. Calls
   * `ready` each time it becomes ready, and `dead` when it could not start or gave up.
   */
  async start(
    index: number,
    spec: Omit<ChildSpec, 'id'>,
    hooks: { ready(): void; dead(error: ProcwireError): void },
  ): Promise<void> {
    const id = this.idOf(index);
    this.#host.onChild(id, (child) => {
      this.#children[index] = child;
      child.on('ready', hooks.ready);
      child.on('gave-up', hooks.dead);
      // A worker whose own policy ('never', or 'on-failure' after a clean exit) does not
      // restart it ends `exited` with no gave-up: without this its slot would wait for it forever.
      child.on('state', (state) => {
        if (state.kind !== 'exited') return;
        const how = state.signal === null ? `with code ${state.exitCode}` : `by ${state.signal}`;
        hooks.dead(
          new ProcwireError(
            'WORKER_DIED',
            `child "${id}" exited ${how} and its restart policy ("${child.spec.restart}") does not restart it; ` +
              "leave the pool's spec without `restart` (pool workers restart 'always') to keep it alive",
            { workerId: id },
          ),
        );
      });
    });
    try {
      await this.#host.spawn({ restart: 'always' as const, ...spec, id } as ChildSpec);
    } catch (error) {
      const why = isProcwireError(error) ? error : undefined;
      hooks.dead(why ?? poolError(this.#poolId, 'SPAWN_FAILED', `worker ${id} could not start: ${String(error)}`));
    }
  }

  /** Stops every worker and removes it from the supervisor. */
  async stopAll(): Promise<void> {
    await Promise.all(this.#children.map((child) => child?.stop()));
    for (const index of this.#children.keys()) this.#host.forget(this.idOf(index));
  }
}
