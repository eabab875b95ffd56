import t from 'tap';
import { fnv1a64 } from '../../src/control/fnv-hash.js';
import { configKey } from '../../src/control/runtime-dir.js';
import { mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The key that names a run's control socket: the published FNV-1a 64 test vectors, over UTF-8.
t.test('fnv1a64 gives the published FNV-1a 64-bit values, over UTF-8 bytes', async (t) => {
  t.equal(fnv1a64(''), 'cbf29ce484222325');
  t.equal(fnv1a64('a'), 'af63dc4c8601ec8c');
  t.equal(fnv1a64('foobar'), '85944171f73967e8');
  t.equal(fnv1a64('/tmp/é'), '3ead0422fa0d6d0c', 'two bytes for é');
});

t.test('configKey is the hash of the real path: a symlink and a relative path find the same key', async (t) => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'procwire-key-')));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const config = join(dir, 'procwire.config.json');
  writeFileSync(config, '[]');
  symlinkSync(config, join(dir, 'link.json'));
  const key = await configKey(config);
  t.equal(key, fnv1a64(config));
  t.equal(await configKey(join(dir, 'link.json')), key);
  t.not(await configKey(join(dir, 'link.json')), fnv1a64(join(dir, 'link.json')));
});
