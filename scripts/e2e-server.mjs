// @ts-check
// Starts one production server for the Playwright run on a fresh store: the folder that PERCH_DB
// names is emptied first, so every run begins from nothing.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { root } from './lib/prepare.mjs';

const dbFile = process.env.PERCH_DB;
if (!dbFile || !/[\\/]\.e2e[^\\/]*[\\/]/.test(dbFile)) {
  console.error('e2e-server: PERCH_DB must point inside a .e2e folder (it is wiped)');
  process.exit(2);
}
rmSync(path.dirname(dbFile), { recursive: true, force: true });
mkdirSync(path.dirname(dbFile), { recursive: true });

const server = spawn(process.execPath, [path.join(root, 'scripts', 'serve.mjs'), '-p', process.env.PORT ?? '3100'], {
  cwd: root,
  stdio: 'inherit',
});
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
