import t from 'tap';
import { runtimeView } from '../../src/control/child-view.js';

// The control API's runtime is read field by field from the child's (the API must not pass on
// whatever a ResolvedRuntime grows): what it carries is checked here.

t.test("a runtime chosen from a .tool-versions list keeps the list in the API's view", async (t) => {
  const runtime = {
    name: 'node',
    version: '18.20.8',
    path: '/h/.asdf/installs/nodejs/18.20.8/bin/node',
    source: '/p/.tool-versions',
    pin: '18.20.8',
    listed: ['20.11.1', '18.20.8', 'system'],
    manager: 'asdf',
  };
  t.same(runtimeView(runtime), runtime);
  const { listed: _listed, ...single } = runtime;
  t.same(runtimeView(single), single, 'no list when one version was pinned');
  t.same(runtimeView({ ...single, listed: [1, 2] }), single, 'a list that is not strings is left out');
});
