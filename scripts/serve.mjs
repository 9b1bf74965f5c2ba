// Serves the production build: runs the server bundle (lib/server/serve.ts, built by
// scripts/lib/bundle.mjs into Next's build folder).
// Usage: node scripts/serve.mjs [-p PORT]   (or PORT=…; HOST=… to bind one address)
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { bundlePath } from './lib/bundle.mjs';
import { root } from './lib/prepare.mjs';

const portFlag = process.argv.indexOf('-p');
const port = Number(portFlag >= 0 ? process.argv[portFlag + 1] : (process.env.PORT ?? 3000));
const bundle = bundlePath(process.env.PERCH_DIST_DIR || '.next', 'server');
if (!existsSync(bundle)) {
  console.error(`[perch] no server bundle at ${bundle}: build first (npm run build, or npm start which builds).`);
  process.exit(1);
}
/** @type {{ serve: (options: { dir: string; port: number; host?: string }) => Promise<import('node:http').Server> }} */
const { serve } = await import(pathToFileURL(bundle).href);
const server = await serve({ dir: root, port, host: process.env.HOST || undefined });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.close();
    process.exit(0);
  });
}
