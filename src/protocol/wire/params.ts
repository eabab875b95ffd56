/**
 * Throws a TypeError unless `params` is an object, an array or undefined: JSON-RPC 2.0
 * allows no other params, and a primitive would be wrapped and arrive changed.
 */
export function checkParams(method: string, params: unknown): void {
  if (params === undefined || (typeof params === 'object' && params !== null)) return;
  throw new TypeError(
    `params of "${method}" must be an object, an array or undefined (JSON-RPC 2.0); got ${typeof params}. ` +
      'Wrap the value, e.g. { value }.',
  );
}
