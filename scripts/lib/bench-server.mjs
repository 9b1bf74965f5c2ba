// @ts-check
// Processes for `npm run bench`: Perch's production server on a temporary store (a free port in
// 3900–3999), its memory from /proc, and child commands whose output the benchmark reads.
import { spawn } from 'node:child_process';
import { openSync, readFileSync, closeSync } from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { root } from './prepare.mjs';

const PORTS = /** @type {const} */ ([3900, 3999]);

/**
 * The environment without the PERCH_* settings of whoever runs the benchmark (a login, a base
 * path or a retention setting would change the results); PERCH_DIST_DIR picks the build.
 * @param {Record<string, string>} [extra]
 * @returns {NodeJS.ProcessEnv}
 */
export function benchEnv(extra = {}) {
  const env = /** @type {NodeJS.ProcessEnv} */ (
    Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !name.startsWith('PERCH_') || name === 'PERCH_DIST_DIR'),
    )
  );
  return { ...env, NO_COLOR: '1', FORCE_COLOR: '0', ...extra };
}

/** @param {number} port @returns {Promise<boolean>} */
function portIsFree(port) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** A free port in PORTS, starting at a random one so that two runs rarely race for the same. */
async function freePort() {
  const [low, high] = PORTS;
  const span = high - low + 1;
  const start = Math.floor(Math.random() * span);
  for (let i = 0; i < span; i++) {
    const port = low + ((start + i) % span);
    if (await portIsFree(port)) return port;
  }
  throw new Error(`no free port in ${low}–${high}`);
}

/**
 * A line of /proc/<pid>/status in bytes (VmHWM: peak resident memory; VmRSS: now).
 * @param {number | undefined} pid
 * @param {string} field
 */
function procMemory(pid, field) {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : NaN;
}

/** @type {Set<import('node:child_process').ChildProcess>} */
const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts `node scripts/serve.mjs` on `dbFile` and resolves once /api/health answers.
 * @param {{ dbFile: string, logFile: string, env?: Record<string, string> }} options
 */
export async function startServer({ dbFile, logFile, env = {} }) {
  const port = await freePort();
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, ['scripts/serve.mjs', '-p', String(port)], {
    cwd: root,
    env: benchEnv({ NODE_ENV: 'production', HOST: '127.0.0.1', PERCH_DB: dbFile, ...env }),
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  running.add(child);
  /** @type {Promise<number | string | null>} */
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  exited.then(() => running.delete(child));
  const origin = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    if ((await Promise.race([exited, sleep(10_000, 'timeout')])) === 'timeout') child.kill('SIGKILL');
    await exited;
  };
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the server exited (${child.exitCode}) before answering; its log: ${logFile}\n${tail(logFile)}`);
    try {
      if ((await fetch(`${origin}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server did not answer within 120 s; its log: ${logFile}\n${tail(logFile)}`);
    }
    await sleep(200);
  }
  return { origin, pid: child.pid, stop, memory: (/** @type {string} */ field) => procMemory(child.pid, field) };
}

/** @param {string} file */
function tail(file, lines = 20) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * Runs a command to completion; resolves with its stdout (and stderr when not passed through) and
 * the wall time. Rejects with the output's tail when it fails.
 * @param {string} command
 * @param {readonly string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, passStderr?: boolean }} [options]
 * @returns {Promise<{ stdout: string, stderr: string, seconds: number }>}
 */
export function runChild(command, args, { env = benchEnv(), passStderr = false } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', passStderr ? 'inherit' : 'pipe'] });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (/** @type {string} */ chunk) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (/** @type {string} */ chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      running.delete(child);
      const seconds = (performance.now() - started) / 1000;
      if (code === 0) resolve({ stdout, stderr, seconds });
      else
        reject(
          new Error(
            `${[command, ...args].join(' ')} failed (${code ?? signal})\n${(stderr || stdout).trimEnd().split('\n').slice(-15).join('\n')}`,
          ),
        );
    });
  });
}
