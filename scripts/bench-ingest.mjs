// @ts-check
// Times ingest against a running Perch: single-alert POSTs (Falco's http_output shape), NDJSON
// batches, and GET /api/health as the framework's own per-request ceiling.
// Usage: node scripts/bench-ingest.mjs [baseUrl] [--seconds N] [--only health,single,ndjson]
import http from 'node:http';
import { parseArgs } from 'node:util';

const { values: given, positionals } = parseArgs({
  options: { seconds: { type: 'string', default: '8' }, only: { type: 'string' } },
  allowPositionals: true,
});
if (positionals.length > 1) throw new Error(`one base URL at most, not ${positionals.join(' ')}`);
const base = new URL(positionals[0] ?? 'http://127.0.0.1:3000');
const seconds = Number(given.seconds);
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

let sequence = 0;
const runId = Math.random().toString(36).slice(2, 8);
function alertLine() {
  sequence++;
  const ms = Date.now() - 3_600_000 + sequence;
  const time = `${new Date(ms).toISOString().slice(0, 23)}${String(sequence % 1e6).padStart(6, '0')}Z`;
  const ns = `${BigInt(ms) * 1_000_000n + BigInt(sequence % 1e6)}`;
  return `{"hostname":"bench-${runId}","output":"${time.slice(11, 29)}: Warning Sensitive file opened for reading by non-trusted program (file=/etc/shadow gparent=sudo ggparent=bash gggparent=tmux evt_type=openat user=root user_uid=0 user_loginuid=1000 process=cat proc_exepath=/usr/bin/cat parent=sudo command=cat /etc/shadow terminal=34820 container_id=host container_name=host) seq=${sequence}","output_fields":{"container.id":"host","container.name":"host","evt.time":${ns},"evt.type":"openat","fd.name":"/etc/shadow","proc.aname[2]":"sudo","proc.aname[3]":"bash","proc.aname[4]":"tmux","proc.cmdline":"cat /etc/shadow","proc.exepath":"/usr/bin/cat","proc.name":"cat","proc.pname":"sudo","proc.tty":34820,"user.loginuid":1000,"user.name":"root","user.uid":0},"priority":"Warning","rule":"Read sensitive file untrusted","source":"syscall","tags":["T1555","container","filesystem","host","maturity_stable","mitre_credential_access"],"time":"${time}"}`;
}

/**
 * @param {string} method
 * @param {string} path
 * @param {string} [body]
 * @returns {Promise<void>}
 */
function request(method, path, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: base.hostname,
        port: base.port,
        path,
        method,
        agent,
        headers: body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {},
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode && res.statusCode < 300
            ? resolve()
            : reject(new Error(`${method} ${path}: ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

/**
 * @param {string} label
 * @param {number} concurrency
 * @param {() => Promise<void>} makeRequest
 * @param {number} alertsPerRequest
 */
async function measure(label, concurrency, makeRequest, alertsPerRequest) {
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  let requests = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await makeRequest();
        requests++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const row = {
    label,
    concurrency,
    requestsPerSecond: Math.round(requests / elapsed),
    alertsPerSecond: alertsPerRequest ? Math.round((requests * alertsPerRequest) / elapsed) : null,
  };
  console.log(
    `${label.padEnd(34)} c=${String(concurrency).padEnd(4)} ${String(row.requestsPerSecond).padStart(7)} req/s${row.alertsPerSecond === null ? '' : `  ${String(row.alertsPerSecond).padStart(7)} alerts/s`}`,
  );
  return row;
}

const only = given.only;
const want = (/** @type {string} */ name) => !only || only.split(',').includes(name);
console.log(`Perch ingest benchmark against ${base.origin}, ${seconds} s per row`);
await request('GET', '/api/health');
if (want('health')) await measure('GET /api/health', 32, () => request('GET', '/api/health'), 0);
if (want('single')) {
  await measure('POST /api/events, 1 alert', 1, () => request('POST', '/api/events', alertLine()), 1);
  await measure('POST /api/events, 1 alert', 32, () => request('POST', '/api/events', alertLine()), 1);
}
if (want('ndjson')) {
  await measure(
    'POST /api/events, NDJSON x1000',
    1,
    () => request('POST', '/api/events', Array.from({ length: 1000 }, alertLine).join('\n')),
    1000,
  );
  await measure(
    'POST /api/events, NDJSON x1000',
    4,
    () => request('POST', '/api/events', Array.from({ length: 1000 }, alertLine).join('\n')),
    1000,
  );
}
agent.destroy();
