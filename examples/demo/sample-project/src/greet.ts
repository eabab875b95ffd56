export function greet(who: string): string {
  const unusedPrefix = 'Hi';
  const width: number = 'wide';
  return `Hello, ${who}!`.padEnd(width);
}
