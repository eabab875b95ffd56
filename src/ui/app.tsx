import { useCallback, useEffect, useState } from 'preact/hooks';
import { control, fetchLines } from './api.js';
import { ChildrenTable } from './children-table.js';
import { DiagnosticsPane } from './diagnostics-pane.js';
import { LogPane } from './log-pane.js';
import type { Store } from './store.js';

/** The dashboard: status line, the children, their diagnostics, and one child's log. */
export function App({ store }: { store: Store }) {
  const [version, setVersion] = useState(store.version);
  const [now, setNow] = useState(Date.now());
  const [chosen, setChosen] = useState<string | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  useEffect(() => store.subscribe(() => setVersion(store.version)), [store]);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const onAction = useCallback((id: string, action: 'start' | 'stop' | 'restart') => {
    setProblem(undefined);
    control(id, action).catch((error: Error) => setProblem(`${action} ${id}: ${error.message}`));
  }, []);
  const onShow = useCallback(
    (id: string) => {
      if (store.history.has(id)) return;
      store.history.add(id);
      fetchLines(id, 500).then(
        (lines) => store.addHistory(id, lines),
        (error: Error) => setProblem(`logs of ${id}: ${error.message}`),
      );
    },
    [store],
  );
  const children = [...store.children.values()];
  const selected = chosen !== undefined && store.children.has(chosen) ? chosen : children[0]?.id;
  let errors = 0;
  let warnings = 0;
  for (const child of children) {
    errors += child.errors;
    warnings += child.warnings;
  }
  return (
    <div class="layout" data-version={version}>
      <header>
        <h1>procwire</h1>
        <span class={`connection ${store.connection}`}>{store.connection}</span>
        <span class="totals">
          {count(children.length, 'child', 'children')} ·{' '}
          <span class={errors > 0 ? 'errors' : ''}>{count(errors, 'error', 'errors')}</span> ·{' '}
          <span class={warnings > 0 ? 'warnings' : ''}>{count(warnings, 'warning', 'warnings')}</span>
        </span>
        {store.connection === 'refused' && (
          <span class="problem" role="alert">
            this page needs the dashboard's token: open the URL that procwire run --ui printed
          </span>
        )}
        {problem && (
          <span class="problem" role="alert">
            {problem}
          </span>
        )}
      </header>
      <main>
        <section class="pane children-pane">
          <ChildrenTable children={children} now={now} selected={selected} onSelect={setChosen} onAction={onAction} />
        </section>
        <section class="pane diagnostics-pane">
          <h2>Diagnostics</h2>
          <DiagnosticsPane diagnostics={store.diagnostics} version={version} />
        </section>
        <section class="pane log-pane">
          <h2>Output{selected ? `: ${selected}` : ''}</h2>
          <LogPane
            id={selected}
            lines={selected ? (store.logs.get(selected) ?? []) : []}
            version={version}
            onShow={onShow}
          />
        </section>
      </main>
    </div>
  );
}

/** "1 error", "2 errors": the header is read as a sentence. */
function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
