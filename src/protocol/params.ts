import { ParameterStructures } from 'vscode-jsonrpc/node';

/** What procwire accepts as an application method's params: JSON-RPC's structured values. */
export type Params = Record<string, unknown> | unknown[] | undefined;

/**
 * Turns one params value into the argument list vscode-jsonrpc's string-method overloads
 * take, so the peer receives exactly the object or array that was sent (vscode-jsonrpc's
 * default would wrap an array in another array). Throws a TypeError for primitives, which
 * JSON-RPC 2.0 does not allow as params.
 */
export function toParamArgs(method: string, params: unknown): unknown[] {
  if (params === undefined) return [];
  if (Array.isArray(params)) return [ParameterStructures.byPosition, ...params];
  if (typeof params === 'object' && params !== null) return [ParameterStructures.byName, params];
  throw new TypeError(
    `params of "${method}" must be an object, an array or undefined (JSON-RPC 2.0); got ${typeof params}. ` +
      'Wrap the value, e.g. { value }.',
  );
}
