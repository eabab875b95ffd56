import { NotificationType, RequestType } from 'vscode-jsonrpc/node';
import type {
  DiagnosticsParams,
  EmptyParams,
  HelloParams,
  HelloResult,
  LogEntry,
  PortParams,
} from './types.js';

/** The protocol version both sides put in `procwire/hello`. */
export const PROTOCOL_VERSION = 1;

/** Every method name procwire reserves; applications use any other name. */
export const Methods = {
  hello: 'procwire/hello',
  ready: 'procwire/ready',
  port: 'procwire/port',
  diagnostics: 'procwire/diagnostics',
  log: 'procwire/log',
  heartbeat: 'procwire/heartbeat',
  shutdown: 'procwire/shutdown',
  spawn: 'procwire/spawn',
  stop: 'procwire/stop',
} as const;

/** True for a method name in procwire's reserved `procwire/` namespace. */
export function isReservedMethod(method: string): boolean {
  return method.startsWith('procwire/');
}

/** Throws a TypeError unless `method` is a non-empty name outside the reserved namespace. */
export function checkAppMethod(method: string): void {
  if (typeof method !== 'string' || method.length === 0) {
    throw new TypeError(`method must be a non-empty string; got ${String(method)}`);
  }
  if (isReservedMethod(method)) {
    throw new TypeError(`"${method}" is reserved by procwire; use a name outside "procwire/"`);
  }
}

/** Child -> parent, first message of every connection. */
export const HelloRequest = new RequestType<HelloParams, HelloResult, void>(Methods.hello);
/** Child -> parent: the child is ready for work. */
export const ReadyNotification = new NotificationType<EmptyParams>(Methods.ready);
/** Child -> parent: a port the child bound. */
export const PortNotification = new NotificationType<PortParams>(Methods.port);
/** Child -> parent: replace one file's diagnostics. */
export const DiagnosticsNotification = new NotificationType<DiagnosticsParams>(Methods.diagnostics);
/** Child -> parent: one log line. */
export const LogNotification = new NotificationType<LogEntry>(Methods.log);
/** Child -> parent: proof of life, when the parent asked for heartbeats. */
export const HeartbeatNotification = new NotificationType<EmptyParams>(Methods.heartbeat);
/** Parent -> child: run shutdown handlers, answer, exit. */
export const ShutdownRequest = new RequestType<EmptyParams, EmptyParams, void>(Methods.shutdown);
