// npm start: install if needed, build if stale, then serve Perch (migrations run at start-up).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ensureBuild, ensureDependencies, root } from './lib/prepare.mjs';

ensureDependencies();
ensureBuild();

const port = process.env.PORT ?? '3000';
const server = spawn(
  process.execPath,
  [path.join(root, 'scripts', 'serve.mjs'), ...process.argv.slice(2), '-p', port],
  { cwd: root, stdio: 'inherit' },
);
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
