import t from 'tap';
import { parseLsof, parseProcNetTcp, PortNames } from '../../src/discover/index.js';

// Lines as the kernel prints them (x86, little-endian words); the last is an established socket.
const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 111 1 0 100 0 0 10 0
   1: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 222 1 0 100 0 0 10 0
   2: 0100007F:1F90 0100007F:D431 01 00000000:00000000 00:00000000 00000000  1000        0 333 1 0 20 4 30 10 -1
`;
const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:1F91 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 444 1 0 100 0 0 10 0
   1: 00000000000000000000000001000000:1F92 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 555 1 0 100 0 0 10 0
   2: 0000000000000000FFFF00000100007F:1F93 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 666 1 0 100 0 0 10 0
   3: B80D0120000000000000000001000000:1F94 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 777 1 0 100 0 0 10 0
`;

t.test('LISTEN sockets of /proc/net/tcp and tcp6 by inode, addresses decoded', async (t) => {
  t.same(
    [...parseProcNetTcp(TCP, true)],
    [
      ['111', { host: '127.0.0.1', port: 8080 }],
      ['222', { host: '0.0.0.0', port: 80 }],
    ],
    'only LISTEN (0A) lines; IPv4 words are little-endian',
  );
  t.same(
    [...parseProcNetTcp(TCP6, true)],
    [
      ['444', { host: '::', port: 8081 }],
      ['555', { host: '::1', port: 8082 }],
      ['666', { host: '127.0.0.1', port: 8083 }],
      ['777', { host: '2001:db8::1', port: 8084 }],
    ],
    'IPv6 compressed as RFC 5952 writes it; IPv4-mapped given as IPv4',
  );
  t.same([...parseProcNetTcp('garbage\n 0: zz:zz 0 0A\n', true)], [], 'garbage is skipped');
});

t.test('lsof -F gn output', async (t) => {
  const found = parseLsof('p10\ng10\nf5\nn*:8080\nf6\nn[::1]:8081\np11\ng12\nf3\nn127.0.0.1:9000\n');
  t.same(
    [...found],
    [
      [
        10,
        [
          { host: '0.0.0.0', port: 8080 },
          { host: '::1', port: 8081 },
        ],
      ],
      [12, [{ host: '127.0.0.1', port: 9000 }]],
    ],
  );
});

t.test('port names: portNames first, then port-<n>; a closed port frees its name; one entry per number', async (t) => {
  const names = new PortNames(['http']);
  let changes = names.update([
    { host: '::', port: 3000 },
    { host: '0.0.0.0', port: 3000 },
    { host: '::1', port: 4000 },
  ]);
  t.same(changes.added, [
    { name: 'http', port: 3000, host: '127.0.0.1' },
    { name: 'port-1', port: 4000, host: '::1' },
  ]);
  changes = names.update([{ host: '::1', port: 4000 }]);
  t.same(changes, { added: [], removed: [{ name: 'http', port: 3000, host: '127.0.0.1' }] });
  changes = names.update(
    [
      { host: '::1', port: 4000 },
      { host: '127.0.0.1', port: 5000 },
      { host: '127.0.0.1', port: 6000 },
    ],
    (port) => port === 6000,
  );
  t.same(
    changes.added,
    [{ name: 'http', port: 5000, host: '127.0.0.1' }],
    'the free name is reused; skipped ports are not added',
  );
});
