import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { uiDir } from '../paths.js';

/** One file of the page. */
export interface Asset {
  type: string;
  body: Buffer;
}

/** The built dashboard, read once into memory. */
export interface Page {
  /** By URL path: `/index.html`, `/app.js`, `/app.css`. */
  assets: ReadonlyMap<string, Asset>;
  /** index.html with the CSRF token in its `<meta name="procwire-csrf">`. */
  index(csrf: string): Buffer;
}

const FILES: readonly [name: string, type: string][] = [
  ['index.html', 'text/html; charset=utf-8'],
  ['app.js', 'text/javascript; charset=utf-8'],
  ['app.css', 'text/css; charset=utf-8'],
];

const CSRF_SLOT = '%PROCWIRE_CSRF%';

/**
 * Reads the page esbuild built (scripts/build.mjs) from `dir`. Nothing else is ever served
 * and nothing is fetched from elsewhere at run time. Throws saying how to build it when absent.
 */
export async function loadPage(dir: string = uiDir): Promise<Page> {
  const assets = new Map<string, Asset>();
  for (const [name, type] of FILES) {
    const body = await readFile(join(dir, name)).catch((error: NodeJS.ErrnoException) => {
      throw new Error(`the dashboard page is not built (${join(dir, name)}: ${error.code}); run npm run build`);
    });
    assets.set(`/${name}`, { type, body });
  }
  const html = (assets.get('/index.html') as Asset).body.toString('utf8');
  if (!html.includes(CSRF_SLOT)) throw new Error(`${join(dir, 'index.html')} has no ${CSRF_SLOT} slot; rebuild it`);
  return { assets, index: (csrf) => Buffer.from(html.replace(CSRF_SLOT, csrf)) };
}
