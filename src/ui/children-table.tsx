import { memo } from './memo.js';
import type { ChildView } from '../control/types.js';
import { portAddress, portUrl, uptime } from './format.js';

type Action = 'start' | 'stop' | 'restart';

interface Props {
  children: readonly ChildView[];
  now: number;
  selected: string | undefined;
  onSelect(id: string): void;
  onAction(id: string, action: Action): void;
}

/** The children as the terminal's table shows them, plus runtime and health where known, and controls. */
export function ChildrenTable({ children, now, selected, onSelect, onAction }: Props) {
  // Columns for facts only some procwires and specs have (issues 16 and 17) appear when any child has them.
  const runtime = children.some((child) => child.runtime !== undefined);
  const health = children.some((child) => child.health !== undefined);
  return (
    <table class="children">
      <thead>
        <tr>
          <th>id</th>
          <th>state</th>
          <th class="num">pid</th>
          <th class="num">restarts</th>
          <th class="num">uptime</th>
          {runtime && <th>runtime</th>}
          {health && <th>health</th>}
          <th class="num">err</th>
          <th class="num">warn</th>
          <th>ports</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {children.map((child) => (
          <Row
            key={child.id}
            child={child}
            up={uptime(child, now)}
            runtime={runtime}
            health={health}
            selected={child.id === selected}
            onSelect={onSelect}
            onAction={onAction}
          />
        ))}
      </tbody>
    </table>
  );
}

interface RowProps {
  child: ChildView;
  up: string;
  runtime: boolean;
  health: boolean;
  selected: boolean;
  onSelect(id: string): void;
  onAction(id: string, action: Action): void;
}

// A row renders again only when its child's view (replaced on each of its events) or uptime changed.
const Row = memo<RowProps>(function Row({ child, up, runtime, health, selected, onSelect, onAction }: RowProps) {
  const live = child.state === 'running' || child.state === 'starting' || child.state === 'backoff';
  // As `procwire ps` and `procwire run` say it (cli/roster.ts, viewStateWord): an `exited` with
  // an error is a start that never got ready under a policy that does not retry it.
  const word = child.state === 'exited' && child.error !== undefined ? 'failed' : child.state;
  return (
    <tr class={selected ? 'selected' : ''} data-child={child.id} onClick={() => onSelect(child.id)}>
      <td class="id">{child.id}</td>
      <td>
        <span class={`state state-${word}`} title={child.error?.message ?? child.reason}>
          {word}
        </span>
      </td>
      <td class="num pid">{child.pid ?? '-'}</td>
      <td class="num">{child.restarts}</td>
      <td class="num">{up}</td>
      {runtime && (
        <td title={child.runtime?.path}>{child.runtime ? `${child.runtime.name} ${child.runtime.version}` : '-'}</td>
      )}
      {health && <td class={`health health-${child.health ?? 'none'}`}>{child.health ?? '-'}</td>}
      <td class={`num ${child.errors > 0 ? 'errors' : ''}`}>{child.errors}</td>
      <td class={`num ${child.warnings > 0 ? 'warnings' : ''}`}>{child.warnings}</td>
      <td class="ports">
        {child.ports.map((port) => {
          const url = portUrl(port);
          const text = `${port.name} ${portAddress(port)}`;
          return url ? (
            <a key={port.name} href={url} target="_blank" rel="noreferrer noopener" title={url}>
              {text}
            </a>
          ) : (
            <span key={port.name}>{text}</span>
          );
        })}
      </td>
      <td class="actions">
        {(['start', 'stop', 'restart'] as const).map((action) => (
          <button
            key={action}
            type="button"
            data-action={action}
            // A child not spawned yet waits for its turn in the config: nothing to control (409).
            disabled={child.state === 'pending' || (action === 'start' ? live : action === 'stop' ? !live : false)}
            onClick={(event) => {
              event.stopPropagation();
              onAction(child.id, action);
            }}
          >
            {action}
          </button>
        ))}
      </td>
    </tr>
  );
});
