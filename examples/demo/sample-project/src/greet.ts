export function greet(who: string): string {
  const width: number = 'wide';
  return `Hello, ${who}!`.padEnd(width).toUpperCase(1);
}
