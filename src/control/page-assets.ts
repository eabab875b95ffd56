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
  /** By URL path: `/index.html`, `/app.js`, `/app.css`. None holds a secret. */
  assets: ReadonlyMap<string, Asset>;
}

const FILES: readonly [name: string, type: string][] = [
  ['index.html', 'text/html; charset=utf-8'],
  ['app.js', 'text/javascript; charset=utf-8'],
  ['app.css', 'text/css; charset=utf-8'],
];

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
  return { assets };
}
