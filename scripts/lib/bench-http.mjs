// @ts-check
// HTTP for `npm run bench`: keep-alive requests, closed-loop load at a fixed concurrency, an
// export download that counts lines, and a minimal Server-Sent Events client.
import http from 'node:http';

/** @param {readonly number[]} sorted @param {number} p @returns {number} */
const percentile = (sorted, p) =>
  sorted.length === 0
    ? NaN
    : (sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN);

/**
 * p50 / p95 / max of a list of numbers.
 * @param {Iterable<number>} values
 */
export function spread(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted[sorted.length - 1] ?? NaN,
    n: sorted.length,
  };
}

/**
 * @typedef {{ read?: boolean, onData?: (chunk: Buffer) => void, headers?: http.OutgoingHttpHeaders, follow?: number }} RequestOptions
 * @typedef {{ status: number, text: string, data: Buffer, headers: http.IncomingHttpHeaders, path: string }} Answer
 * @typedef {ReturnType<typeof httpClient>} HttpClient
 */

/** @param {string} origin */
export function httpClient(origin, { maxSockets = 256 } = {}) {
  const { hostname, port } = new URL(origin);
  const agent = new http.Agent({ keepAlive: true, maxSockets });

  /**
   * Resolves with the status, headers and (when `read`) the body as a Buffer; follows up to
   * `follow` same-origin redirects; rejects on a network error or any other non-2xx.
   * @param {string} method
   * @param {string} path
   * @param {string | Buffer} [body]
   * @param {RequestOptions} [options]
   * @returns {Promise<Answer>}
   */
  function request(method, path, body, { read = false, onData, headers = {}, follow = 0 } = {}) {
    return new Promise((resolve, reject) => {
      const sent =
        body === undefined
          ? headers
          : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers };
      const req = http.request({ hostname, port, path, method, agent, headers: sent }, (res) => {
        const status = res.statusCode ?? 0;
        const ok = status >= 200 && status < 300;
        const location = res.headers.location;
        if (follow > 0 && status >= 300 && status < 400 && location) {
          res.resume();
          const next = new URL(location, `http://${hostname}:${port}${path}`);
          resolve(request(method, next.pathname + next.search, body, { read, onData, headers, follow: follow - 1 }));
          return;
        }
        /** @type {Buffer[]} */
        const chunks = [];
        res.on('data', (/** @type {Buffer} */ chunk) => {
          if (onData && ok) onData(chunk);
          else if (read || !ok) chunks.push(chunk);
        });
        res.on('end', () => {
          const data = Buffer.concat(chunks);
          if (ok) resolve({ status, text: read ? data.toString('utf8') : '', data, headers: res.headers, path });
          else
            reject(
              new Error(
                `${method} ${path.slice(0, 120)}: HTTP ${res.statusCode} ${data.toString('utf8').slice(0, 300)}`,
              ),
            );
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  return {
    request,
    getJson: async (/** @type {string} */ path) =>
      JSON.parse((await request('GET', path, undefined, { read: true })).text),
    close: () => agent.destroy(),
  };
}

/**
 * Closed loop: `concurrency` workers each send a request, wait for its answer and send the next,
 * for `seconds`. Returns requests per second and the latency spread.
 */
/** @param {{ seconds: number, concurrency: number, send: () => Promise<unknown> }} options */
export async function load({ seconds, concurrency, send }) {
  const started = performance.now();
  const deadline = started + seconds * 1000;
  /** @type {number[]} */
  const latencies = [];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t = performance.now();
        await send();
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return {
    requests: latencies.length,
    seconds: elapsed,
    perSecond: latencies.length / elapsed,
    latency: spread(latencies),
  };
}

/**
 * Times one streamed download to its last byte, counting bytes and lines.
 * @param {HttpClient} client
 * @param {string} path
 */
export async function download(client, path) {
  const started = performance.now();
  let bytes = 0;
  let lines = 0;
  let lastByte = 10;
  await client.request('GET', path, undefined, {
    onData: (chunk) => {
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
      lastByte = chunk[chunk.length - 1] ?? lastByte;
    },
  });
  if (bytes > 0 && lastByte !== 10) lines++;
  return { seconds: (performance.now() - started) / 1000, bytes, lines };
}

/**
 * Connects to an SSE endpoint on its own connection and calls `onMessage(event, data, receivedAt)`
 * for every message. Resolves with `{ close }` once the server says `ready`.
 * @param {string} origin
 * @param {string} path
 * @param {(event: string, data: string, receivedAt: number) => void} onMessage
 * @returns {Promise<{ close: () => void }>}
 */
export function streamClient(origin, path, onMessage, { timeoutMs = 30_000 } = {}) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no "ready" from ${path} within ${timeoutMs} ms`));
    }, timeoutMs);
    const handle = { close: () => req.destroy() };
    const req = http.get(new URL(path, origin), { agent: false, headers: { accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) {
        clearTimeout(timer);
        res.resume();
        reject(new Error(`GET ${path}: HTTP ${res.statusCode}`));
        return;
      }
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (/** @type {string} */ chunk) => {
        const receivedAt = performance.now();
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          /** @type {string[]} */
          const data = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
          }
          if (event === 'ready') {
            clearTimeout(timer);
            resolve(handle);
          }
          onMessage(event, data.join('\n'), receivedAt);
        }
      });
      res.on('error', () => {});
    });
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
