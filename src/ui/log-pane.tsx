import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import type { LogLine } from '../control/types.js';
import { plainText } from './format.js';

/** Lines rendered at once; the store keeps more, the page shows the newest. */
const SHOWN = 500;

interface Props {
  id: string | undefined;
  lines: readonly LogLine[];
  version: number;
  /** Called once per child shown, to fetch the lines it printed before the page opened. */
  onShow(id: string): void;
}

/**
 * One child's output and logs, newest at the bottom. It follows (stays scrolled to the end)
 * unless you scroll up; scrolling back to the end follows again.
 */
export function LogPane({ id, lines, onShow }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  useEffect(() => {
    if (id !== undefined) onShow(id);
  }, [id, onShow]);
  useLayoutEffect(() => {
    const element = box.current;
    if (element && following.current) element.scrollTop = element.scrollHeight;
  });
  if (id === undefined) return <p class="empty">Select a child to see its output.</p>;
  const shown = lines.length > SHOWN ? lines.slice(-SHOWN) : lines;
  return (
    <div
      class="log"
      ref={box}
      data-child={id}
      onScroll={(event) => {
        const element = event.currentTarget;
        following.current = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
      }}
    >
      {shown.map((line) => (
        <div key={line.seq} class={`line ${line.stream} ${line.level ?? ''}`}>
          {line.level !== undefined && <span class="level">{line.level}</span>}
          {plainText(line.text)}
        </div>
      ))}
    </div>
  );
}
