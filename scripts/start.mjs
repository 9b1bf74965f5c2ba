// npm start: install if needed, build if stale, then serve Perch (migrations run at start-up).
import { spawn } from 'node:child_process';
import { ensureBuild, ensureDependencies, nodeBin, root } from './lib/prepare.mjs';

ensureDependencies();
ensureBuild();

const port = process.env.PORT ?? '3000';
const server = spawn(nodeBin('next'), ['start', '-p', port, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
