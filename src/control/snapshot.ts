import type { EventHub } from './event-hub.js';
import type { DiagnosticsView, Snapshot } from './types.js';

/** Every child's diagnostics by file (or one child's), with the totals. */
export function diagnosticsView(hub: EventHub, only?: string): DiagnosticsView {
  const view: DiagnosticsView = { files: [], errors: 0, warnings: 0 };
  for (const id of only === undefined ? hub.ids() : [only]) {
    const child = hub.child(id);
    if (!child) continue;
    for (const [file, diagnostics] of child.diagnostics) {
      if (diagnostics.length === 0) continue;
      view.files.push({ child: id, file, diagnostics });
      for (const d of diagnostics) {
        if ((d.severity ?? 1) === 1) view.errors++;
        else if (d.severity === 2) view.warnings++;
      }
    }
  }
  return view;
}

/** Children and diagnostics now (of one child when `only` is given): the first event of a stream. */
export function snapshot(hub: EventHub, only?: string): Snapshot {
  const children = only === undefined ? hub.views() : [hub.view(only)].filter((v) => v !== undefined);
  return { children, diagnostics: diagnosticsView(hub, only) };
}
