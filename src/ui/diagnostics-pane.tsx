import type { Diagnostic } from './store.js';
import { commonDir, shownCode } from './format.js';

const SEVERITY = ['', 'error', 'warning', 'info', 'hint'] as const;

interface Props {
  /** By child, then file. */
  diagnostics: ReadonlyMap<string, ReadonlyMap<string, readonly Diagnostic[]>>;
  version: number;
}

interface Entry {
  child: string;
  diagnostic: Diagnostic;
}

/**
 * Every child's diagnostics grouped by file, files with errors first, each as `file:line:col`
 * (1-based, as compilers print them), severity, code and message. Files shown relative to the
 * directory they all share; the full path is the title.
 */
export function DiagnosticsPane({ diagnostics }: Props) {
  const byFile = new Map<string, Entry[]>();
  for (const [child, files] of diagnostics) {
    for (const [file, list] of files) {
      const entries = byFile.get(file) ?? [];
      for (const diagnostic of list) entries.push({ child, diagnostic });
      byFile.set(file, entries);
    }
  }
  const errorsOf = (entries: Entry[]): number => entries.filter((e) => (e.diagnostic.severity ?? 1) === 1).length;
  const files = [...byFile.entries()].sort(([a, ae], [b, be]) => errorsOf(be) - errorsOf(ae) || a.localeCompare(b));
  const base = commonDir(files.map(([file]) => file));
  if (files.length === 0) return <p class="empty">No diagnostics.</p>;
  return (
    <div class="diagnostics">
      {base !== '' && <p class="base">in {base}</p>}
      {files.map(([file, entries]) => (
        <section key={file} class="file">
          <h3 title={file}>{file.slice(base.length) || file}</h3>
          <ul>
            {entries
              .sort((a, b) => a.diagnostic.range.start.line - b.diagnostic.range.start.line)
              .map(({ child, diagnostic }, index) => {
                const severity = SEVERITY[diagnostic.severity ?? 1] ?? 'error';
                const { line, character } = diagnostic.range.start;
                const where = `${file.slice(base.length) || file}:${line + 1}:${character + 1}`;
                return (
                  <li key={`${child}:${index}`} class={`diagnostic ${severity}`}>
                    <span class="where" title={`${file}:${line + 1}:${character + 1}`}>
                      {where}
                    </span>
                    <span class={`severity ${severity}`}>{severity}</span>
                    {diagnostic.code !== undefined && <span class="code">{shownCode(diagnostic)}</span>}
                    <span class="message">{diagnostic.message}</span>
                    <span class="source">{child}</span>
                  </li>
                );
              })}
          </ul>
        </section>
      ))}
    </div>
  );
}
