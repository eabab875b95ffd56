import t from 'tap';
import { resolveProbeTarget } from '../../src/cli/probe-target.js';

const target = (host: string, anyHost = false, protocol = 'http') => {
  const result = resolveProbeTarget({ name: 'http', port: 8080, host, protocol }, anyHost);
  return 'url' in result ? result.url.href : result.refused;
};

t.test('loopback in any spelling is probed at `/`, IPv6 in brackets', async (t) => {
  t.equal(target('127.0.0.1'), 'http://127.0.0.1:8080/');
  t.equal(target('127.9.9.9'), 'http://127.9.9.9:8080/');
  t.equal(target('::1'), 'http://[::1]:8080/');
  t.equal(target('[::1]'), 'http://[::1]:8080/', 'an already bracketed literal');
  t.equal(target('0:0:0:0:0:0:0:1'), 'http://[::1]:8080/');
  t.equal(target('::ffff:127.0.0.1'), 'http://[::ffff:7f00:1]:8080/', 'IPv4-mapped loopback');
  t.equal(target('localhost'), 'http://localhost:8080/');
  t.equal(target('LOCALHOST'), 'http://localhost:8080/');
  t.equal(target('0.0.0.0'), 'http://0.0.0.0:8080/', 'the unspecified address reaches this host');
  t.equal(target('::'), 'http://[::]:8080/');
  t.equal(target('2130706433'), 'http://127.0.0.1:8080/', 'judged on the URL’s canonical host');
  t.equal(target('127.0.0.1', false, 'https'), 'https://127.0.0.1:8080/');
});

t.test('hosts that are not loopback are refused unless anyHost', async (t) => {
  for (const host of [
    '192.0.2.2',
    '10.0.0.1',
    '169.254.169.254',
    'fd00::2',
    '::ffff:10.0.0.1',
    'example.com',
    'localhost.example',
    'my_service',
  ]) {
    t.match(target(host), /^not probed: .* is not a loopback address \(pass --probe-any-host to probe it\)$/, host);
  }
  t.equal(target('169.254.169.254', true), 'http://169.254.169.254:8080/');
  t.equal(target('fd00::2', true), 'http://[fd00::2]:8080/');
  t.equal(target('my_service', true), 'http://my_service:8080/');
});

t.test('a host that is not just an address is refused, even with anyHost', async (t) => {
  for (const host of [
    '127.0.0.1/admin?x=',
    '127.0.0.1:9/x',
    'evil@127.0.0.1',
    '127.0.0.1#f',
    '127.0.0.1?q',
    '127.0.0.1 ',
    ' ',
    '',
    'a..b',
    '-a.b',
    'a\x1b[2J',
    '[127.0.0.1]',
    '[::1',
    'fe80::1%eth0',
    '[fe80::1%25eth0]',
    `${'a.'.repeat(127)}a`,
    'a\\b',
  ]) {
    t.match(
      target(host, true),
      /^not probed: the host ".*" is not an IP address or a host name$/,
      JSON.stringify(host),
    );
  }
  t.equal(
    target('a\x1b[2J', true),
    'not probed: the host "a\\x1b[2J" is not an IP address or a host name',
    'the host is quoted escaped',
  );
  t.match(target('127.0.0.1', false, 'tcp'), /^not probed: only http and https/);
});
