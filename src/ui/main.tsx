// The dashboard page's entry: esbuild bundles it with Preact into dist/ui/app.js.
import { render } from 'preact';
import { App } from './app.js';
import { follow } from './connection.js';
import { Store } from './store.js';
import { takeToken } from './token.js';

const store = new Store();
if (takeToken() === undefined) store.setConnection('refused');
else follow(store);
render(<App store={store} />, document.getElementById('app') as HTMLElement);
