"""procwire_child: connect a Python program to the procwire supervisor that started it.

A reference client of the procwire child protocol, version 1 (see docs/PROTOCOL.md), using
only the standard library (Python 3.8+; Unix domain sockets, not Windows named pipes).

    parent = procwire_child.connect()
    parent.on_request('echo', lambda params: params)
    parent.on_shutdown(lambda reason: save_state())
    parent.ready()
    parent.serve_forever()

A reader thread receives frames. The parent's calls wait until `ready()` or `serve_forever()`;
then notifications run in order on a dispatcher thread and each request in its own thread (so
a handler may call the parent back). Writes take a lock, one `sendall` per frame. On
`procwire/shutdown` the shutdown handlers run, the request is answered and the process exits
(1 if a handler raised); when the parent goes away they get 0.8 s and the process exits 0.
Exits flush stdout and stderr, then `os._exit`: clean up in shutdown handlers, not `atexit`.

It is one file of over 300 lines on purpose: a child in Python copies or vendors this one file
next to its code, with nothing to install, so framing, handshake and dispatch live together.
"""
import contextlib
import itertools
import json
import os
import queue
import re
import socket
import sys
import threading
import time

__all__ = ['connect', 'Parent', 'ProcwireError', 'NotSupervised', 'NotConnected', 'AuthFailed',
           'ProtocolError', 'ConnectionClosed', 'RequestTimeout', 'RpcError']

PROTOCOL_VERSION = 1
MAX_MESSAGE_SIZE = 16 * 1024 * 1024
MAX_HEADER_BYTES = 8 * 1024
DISCONNECT_BUDGET_S = 0.8  # a parent that died expects us gone within 1 s
LOG_LEVELS = ('error', 'warn', 'info', 'debug')
METHOD_NOT_FOUND, INTERNAL_ERROR, REQUEST_CANCELLED = -32601, -32603, -32800
_HEADER_LINE = re.compile(r'^[A-Za-z-]+:')
_CONTENT_LENGTH = re.compile(r'^content-length:(.*)$', re.IGNORECASE)
# At most 10 digits, as the Node side reads: enough for any length a frame may have, and
# int() never sees thousands of digits (Python 3.11+ refuses those with ValueError).
_LENGTH_VALUE = re.compile(r'^[ \t]*(\d{1,10})[ \t]*$')


class ProcwireError(Exception):
    """Base class of this module's errors."""


class NotSupervised(ProcwireError):
    """PROCWIRE_SOCKET, PROCWIRE_ID or PROCWIRE_TOKEN is missing: not started by procwire."""


class NotConnected(ProcwireError):
    """The supervisor's socket cannot be reached, or the hello got no answer in time."""


class AuthFailed(ProcwireError):
    """The parent closed the connection during the handshake: it refused the hello."""


class ProtocolError(ProcwireError):
    """The parent sent something the protocol does not allow."""


class ConnectionClosed(ProcwireError):
    """The connection closed before the request was sent or answered."""


class RequestTimeout(ProcwireError, TimeoutError):
    """A request got no answer within its timeout; the parent was sent $/cancelRequest."""


class RpcError(ProcwireError):
    """A JSON-RPC error: the parent's error answer, or raise it in a handler to choose the code."""

    def __init__(self, code, message, data=None):
        super().__init__(message)
        self.code, self.message, self.data = code, message, data


def _encode(message):
    body = json.dumps(message, allow_nan=False, separators=(',', ':')).encode('ascii')
    return b'Content-Length: %d\r\n\r\n%s' % (len(body), body)


def _content_length(header, max_size):
    lines = header.decode('latin-1').split('\r\n')
    values = [m.group(1) for m in map(_CONTENT_LENGTH.match, lines) if m]
    if len(values) != 1 or not all(map(_HEADER_LINE.match, lines)):
        raise ProtocolError('frame header is not "Content-Length: N" (and other Name: value lines): %r' % header[:80])
    digits = _LENGTH_VALUE.match(values[0])
    if not digits:
        raise ProtocolError('invalid Content-Length %r: not a number of at most 10 digits' % values[0][:40])
    length = int(digits.group(1))
    if length > max_size:
        raise ProtocolError('frame of %d bytes exceeds the limit of %d bytes' % (length, max_size))
    return length


def _frames(sock, max_size):
    """Yields each message of an LSP-framed stream; returns at its end; raises ProtocolError."""
    buf = bytearray()
    while True:
        end = buf.find(b'\r\n\r\n')
        if 0 <= end <= MAX_HEADER_BYTES:
            length = _content_length(bytes(buf[:end]), max_size)
            del buf[:end + 4]
            while len(buf) < length:
                chunk = sock.recv(min(max(length - len(buf), 65536), 1 << 20))
                if not chunk:
                    return
                buf += chunk
            try:
                message = json.loads(bytes(buf[:length]).decode('utf-8'))
            except ValueError:
                raise ProtocolError('frame body is not UTF-8 JSON') from None
            del buf[:length]
            if not isinstance(message, dict):
                raise ProtocolError('frame body is not a JSON-RPC message object')
            yield message
        elif len(buf) > MAX_HEADER_BYTES:
            raise ProtocolError('frame header longer than %d bytes' % MAX_HEADER_BYTES)
        else:
            chunk = sock.recv(65536)
            if not chunk:
                return
            buf += chunk


def _check(method, params=None, reserved_ok=False):
    if not isinstance(method, str) or not method:
        raise TypeError('method must be a non-empty str; got %r' % (method,))
    if not reserved_ok and method.startswith('procwire/'):
        raise TypeError('%r is reserved by procwire; use a name outside "procwire/"' % method)
    if params is not None and not isinstance(params, (dict, list, tuple)):
        raise TypeError('params of %r must be a dict, a list or None (JSON-RPC 2.0); got %s. Wrap the value, '
                        'e.g. {"value": ...}' % (method, type(params).__name__))


def _diagnostic_problem(d):
    def position(p):
        return isinstance(p, dict) and all(type(p.get(k)) is int and p[k] >= 0 for k in ('line', 'character'))
    r = d.get('range') if isinstance(d, dict) else None
    if not (isinstance(r, dict) and position(r.get('start')) and position(r.get('end'))):
        return 'must be a dict whose range is {"start": {"line", "character"}, "end": {...}}, 0-based ints'
    if not isinstance(d.get('message'), str):
        return 'message must be a str'
    if 'severity' in d and not (type(d['severity']) is int and 1 <= d['severity'] <= 4):
        return 'severity must be 1-4; got %r' % (d['severity'],)
    return None


class Parent:
    """The connection to the supervising parent; made by connect()."""

    def __init__(self, sock, frames, child_id, hello, exit_on_disconnect):
        self.id, self.parent_pid, self.heartbeat_ms = child_id, hello['parentPid'], hello['heartbeatMs']
        self._features = hello['features']
        self._sock, self._frames, self._exit_on_disconnect = sock, frames, exit_on_disconnect
        self._lock, self._write_lock, self._ids = threading.Lock(), threading.Lock(), itertools.count(1)
        self._pending, self._serving = {}, {}  # our request id -> [Event, answer]; theirs -> cancel Event
        self._requests, self._notifications, self._shutdown_handlers = {}, {}, []
        self._local, self._inbox, self._ending = threading.local(), queue.Queue(), False
        self._closed, self._dispatching = threading.Event(), threading.Event()
        self._reader = self._thread(self._read_loop, 'reader')
        self._thread(self._dispatch, 'dispatcher')
        if self.heartbeat_ms > 0:
            self._thread(self._beat, 'heartbeat', self.heartbeat_ms / 3000.0)

    def ready(self):
        """Tells the parent this child is ready (spawn() resolves) and starts serving its calls; False if closed."""
        self._dispatching.set()
        return self._notify('procwire/ready', {})

    def report_port(self, name, port, host=None, protocol=None):
        """Reports a port this child bound, under `name`; returns False if the connection is closed."""
        extra = {k: v for k, v in (('host', host), ('protocol', protocol)) if v is not None}
        if not (isinstance(name, str) and name and all(isinstance(v, str) for v in extra.values())
                and type(port) is int and 0 <= port <= 65535):
            raise TypeError('report_port: name must be a non-empty str, port an int 0-65535, host and protocol '
                            'str or None; got %r' % ((name, port, host, protocol),))
        return self._notify('procwire/port', dict(name=name, port=port, **extra))

    def remove_port(self, name):
        """Tells the parent the port reported as `name` closed; False if not sent (closed, or a parent
        older than procwire/port-removed, which would close the connection on it)."""
        if not (isinstance(name, str) and name):
            raise TypeError('remove_port: name must be a non-empty str; got %r' % (name,))
        if 'port-removed' not in self._features:
            return False
        return self._notify('procwire/port-removed', {'name': name})

    def publish_diagnostics(self, file, diagnostics):
        """Replaces the parent's LSP diagnostics for `file` ([] clears them); False if closed."""
        if not isinstance(file, str) or not file:
            raise TypeError('publish_diagnostics: file must be a non-empty str')
        diagnostics = list(diagnostics)
        for index, problem in enumerate(map(_diagnostic_problem, diagnostics)):
            if problem:
                raise TypeError('publish_diagnostics: diagnostics[%d]: %s' % (index, problem))
        return self._notify('procwire/diagnostics', {'file': file, 'diagnostics': diagnostics})

    def log(self, level, message):
        """Sends one log line, level 'error', 'warn', 'info' or 'debug'; False if closed."""
        if level not in LOG_LEVELS:
            raise ValueError('log: level must be one of %s; got %r' % (', '.join(LOG_LEVELS), level))
        return self._notify('procwire/log', {'level': level, 'message': str(message)})

    def on_request(self, method, handler):
        """Serves the parent's requests `method` with handler(params) -> result; a raise becomes an error answer."""
        _check(method)
        self._requests[method] = handler

    def on_notification(self, method, handler):
        """Calls handler(params) for each notification `method` from the parent."""
        _check(method)
        self._notifications.setdefault(method, []).append(handler)

    def on_shutdown(self, handler):
        """Runs handler(reason), reason 'shutdown' or 'disconnect', before exit; last registered runs first."""
        self._shutdown_handlers.append(handler)

    def cancelled(self):
        """True when the request this thread serves was cancelled by the parent, or the connection closed."""
        event = getattr(self._local, 'cancelled', None)
        return self._closed.is_set() or (event is not None and event.is_set())

    def send_notification(self, method, params=None):
        """Sends an application notification to the parent; returns False if the connection is closed."""
        _check(method, params)
        return self._notify(method, params)

    def send_request(self, method, params=None, timeout=None):
        """Calls the parent and blocks for its result; raises RpcError, RequestTimeout or ConnectionClosed."""
        _check(method, params, reserved_ok=True)
        if threading.current_thread() is self._reader:
            raise RuntimeError('send_request cannot be called on the reader thread')
        request_id, slot = next(self._ids), [threading.Event(), None]
        message = {'jsonrpc': '2.0', 'id': request_id, 'method': method}
        frame = _encode(message if params is None else dict(message, params=params))
        with self._lock:
            if not self._closed.is_set():
                self._pending[request_id] = slot
        if request_id in self._pending and self._write(frame) and not slot[0].wait(timeout):
            with self._lock:
                self._pending.pop(request_id, None)
            self._notify('$/cancelRequest', {'id': request_id})
            raise RequestTimeout('request %r got no answer within %s s' % (method, timeout))
        answer = slot[1]
        if answer is None:
            raise ConnectionClosed('request %r was not answered: the connection to the parent closed' % method)
        if 'error' in answer:
            error = answer['error'] if isinstance(answer['error'], dict) else {}
            raise RpcError(error.get('code', INTERNAL_ERROR), error.get('message', 'error'), error.get('data'))
        return answer.get('result')

    def serve_forever(self):
        """Serves the parent's calls until shutdown or disconnect, then exits.

        Returns only with exit_on_disconnect=False."""
        self._dispatching.set()
        self._closed.wait()
        while self._ending:  # the thread that ends the process exits it
            time.sleep(1)

    def _thread(self, target, name, *args):
        thread = threading.Thread(target=target, name='procwire-' + name, args=args, daemon=True)
        thread.start()
        return thread

    def _write(self, frame):
        with self._write_lock, contextlib.suppress(OSError):
            if not self._closed.is_set():
                self._sock.sendall(frame)
                return True
        return False

    def _notify(self, method, params):
        message = {'jsonrpc': '2.0', 'method': method}
        return self._write(_encode(message if params is None else dict(message, params=params)))

    def _beat(self, interval):
        while not self._closed.wait(interval):
            self._notify('procwire/heartbeat', {})

    def _read_loop(self):
        try:
            for message in self._frames:
                self._route(message)
        except OSError:  # reset: the parent is gone
            pass
        except Exception as error:  # a ProtocolError, or a malformed message
            sys.stderr.write('procwire_child %r: %s; closing the connection\n' % (self.id, error))
        self._on_close()

    def _route(self, message):
        method, has_id = message.get('method'), 'id' in message
        if not isinstance(method, str):  # a response
            with self._lock:
                slot = self._pending.pop(message['id'], None) if has_id else None
            if slot is not None:
                slot[1] = message
                slot[0].set()
        elif not has_id:
            params = message.get('params')
            if method == '$/cancelRequest' and isinstance(params, dict):
                with self._lock:
                    self._serving.get(params.get('id'), threading.Event()).set()
            elif not method.startswith(('procwire/', '$/')):
                self._inbox.put(message)
        else:
            with self._lock:
                self._serving[message['id']] = threading.Event()
            if method == 'procwire/shutdown':  # served at once, even before ready
                self._thread(self._shutdown, 'shutdown', message['id'])
            else:
                self._inbox.put(message)

    def _dispatch(self):
        self._dispatching.wait()
        for message in iter(self._inbox.get, None):
            if 'id' in message:
                self._thread(self._serve, 'request', message)
                continue
            for handler in list(self._notifications.get(message['method'], ())):
                try:
                    handler(message.get('params'))
                except Exception as error:
                    sys.stderr.write(
                        'procwire_child %r: a handler of %r failed: %r\n' % (self.id, message['method'], error))

    def _serve(self, message):
        request_id, method = message['id'], message['method']
        with self._lock:
            cancelled = self._local.cancelled = self._serving.get(request_id, threading.Event())
        try:
            handler = self._requests.get(method)
            if handler is None or method.startswith(('procwire/', '$/')):
                raise RpcError(METHOD_NOT_FOUND, 'child %s has no handler for "%s"' % (json.dumps(self.id), method))
            frame = _encode({'jsonrpc': '2.0', 'id': request_id, 'result': handler(message.get('params'))})
        except Exception as error:
            if not isinstance(error, RpcError):
                code = REQUEST_CANCELLED if cancelled.is_set() else INTERNAL_ERROR
                error = RpcError(code, 'request "%s" failed: %s: %s' % (method, type(error).__name__, error))
            answer = {'code': error.code, 'message': error.message}
            if error.data is not None:
                answer['data'] = error.data
            frame = _encode({'jsonrpc': '2.0', 'id': request_id, 'error': answer})
        finally:
            with self._lock:
                self._serving.pop(request_id, None)
        self._write(frame)

    def _run_shutdown_handlers(self, reason):
        ok = True
        for handler in reversed(self._shutdown_handlers):
            try:
                handler(reason)
            except Exception as error:
                ok = False
                sys.stderr.write('procwire_child %r: a shutdown handler failed: %r\n' % (self.id, error))
        return ok

    def _shutdown(self, request_id):
        with self._lock:
            already, self._ending = self._ending, True
        ok = already or self._run_shutdown_handlers('shutdown')
        self._write(_encode({'jsonrpc': '2.0', 'id': request_id, 'result': {}}))
        if not already:
            _exit(0 if ok else 1)

    def _on_close(self):
        with self._lock:
            self._closed.set()
            pending, self._pending = self._pending, {}
            for event in self._serving.values():
                event.set()
            ending, self._ending = self._ending, self._ending or self._exit_on_disconnect
        for slot in pending.values():
            slot[0].set()
        self._inbox.put(None)
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)
        if self._exit_on_disconnect and not ending:
            self._thread(self._run_shutdown_handlers, 'disconnect', 'disconnect').join(DISCONNECT_BUDGET_S)
            _exit(0)


def _exit(code):
    with contextlib.suppress(Exception):
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(code)


_shared, _shared_lock, _taken_env = None, threading.Lock(), None
_ENV_NAMES = ('PROCWIRE_SOCKET', 'PROCWIRE_ID', 'PROCWIRE_TOKEN')


def _take_env():
    """PROCWIRE_SOCKET, _ID and _TOKEN, removed from os.environ on the first call so subprocesses do
    not inherit them (the token is single-use); later calls (a retry) get them from memory."""
    global _taken_env
    if _taken_env is None:
        _taken_env = tuple(os.environ.pop(name, None) for name in _ENV_NAMES)
    return _taken_env


def connect(socket_path=None, child_id=None, token=None, exit_on_disconnect=True, max_message_size=MAX_MESSAGE_SIZE,
            timeout=30.0):
    """Connects to the supervisor and says hello; returns the Parent (the same one on later calls).
    PROCWIRE_SOCKET, PROCWIRE_ID and PROCWIRE_TOKEN are gone from os.environ once it has been called."""
    global _shared
    with _shared_lock:
        if _shared is None:
            env_socket, env_id, env_token = _take_env()
            _shared = _open(socket_path or env_socket, child_id or env_id, token or env_token, exit_on_disconnect,
                            max_message_size, timeout)
        return _shared


def _open(path, child_id, token, exit_on_disconnect, max_message_size, timeout):
    if not (path and child_id and token):
        raise NotSupervised('procwire_child: PROCWIRE_SOCKET, PROCWIRE_ID and PROCWIRE_TOKEN are not all set, so this '
                            'process was not started by a procwire supervisor. Start it with sup.spawn(), or pass '
                            'socket_path, child_id and token to connect().')
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        try:
            sock.connect(path)
        except OSError as error:
            raise NotConnected('procwire_child %r: cannot connect to %s: %s. Is the supervisor still running?'
                               % (child_id, path, error)) from error
        sock.settimeout(timeout)
        frames = _frames(sock, max_message_size)
        hello = {'protocol': PROTOCOL_VERSION, 'id': child_id, 'token': token, 'pid': os.getpid()}
        try:
            hello_request = {'jsonrpc': '2.0', 'id': 'procwire-hello', 'method': 'procwire/hello', 'params': hello}
            sock.sendall(_encode(hello_request))
            answer = next(frames, None)
        except socket.timeout:
            raise NotConnected('procwire_child %r: no answer to the hello within %s s' % (child_id, timeout)) from None
        except OSError:
            answer = None
        if answer is None:
            raise AuthFailed('procwire_child %r: the parent closed the connection during the handshake. '
                             'The token or id is wrong, another process already connected as this id, or the '
                             'hello came after connectTimeout.' % child_id)
        result = answer.get('result')
        if not (isinstance(result, dict) and result.get('protocol') == PROTOCOL_VERSION
                and type(result.get('parentPid')) is int):
            raise ProtocolError(
                'procwire_child %r: the parent answered hello with %s' % (child_id, json.dumps(answer)[:200]))
        beat = result.get('heartbeatMs')
        sock.settimeout(None)
    except BaseException:
        sock.close()
        raise
    features = result.get('features')
    hello = {'parentPid': result['parentPid'], 'heartbeatMs': beat if type(beat) in (int, float) and beat > 0 else 0,
             'features': [f for f in features if isinstance(f, str)] if isinstance(features, list) else []}
    return Parent(sock, frames, child_id, hello, exit_on_disconnect)
