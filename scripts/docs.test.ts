import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { ERROR_STATUS } from '../lib/api/errors';

// The reference in docs/ against the code, both ways, in datasette's manner: a name in the code that
// the docs leave out fails, and so does a name in the docs that the code no longer has.

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

function filesUnder(dir: string, pattern: RegExp): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && pattern.test(entry.name))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)))
    .filter((path) => !/(^|\/)(node_modules|\.next[^/]*)\//.test(path))
    .sort();
}

const isTest = (path: string) => /\.(test|spec)\.[cm]?[jt]sx?$/.test(path);
const sorted = (names: Iterable<string>) => [...new Set(names)].sort();

/** Backticked first cells of a markdown table's rows in the section under `heading`. */
function firstColumn(markdown: string, heading: string): string[] {
  const start = markdown.search(new RegExp(`^#+ ${heading}$`, 'm'));
  if (start < 0) throw new Error(`no section "${heading}"`);
  const rest = markdown.slice(start).split('\n').slice(1);
  const end = rest.findIndex((line) => /^#+ /.test(line));
  return (end < 0 ? rest : rest.slice(0, end))
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? ''));
}

// ─── Settings ──────────────────────────────────────────────────────────────────────────────────

const SETTING = /\bPERCH_[A-Z0-9_]*[A-Z0-9]\b/g;
const SOURCE = /\.(ts|tsx|mjs|js)$/;

function settingsInCode(): string[] {
  const files = [
    ...['app', 'components', 'lib', 'scripts'].flatMap((dir) => filesUnder(dir, SOURCE)),
    ...['proxy.ts', 'instrumentation.ts', 'next.config.js'],
  ].filter((path) => !isTest(path));
  return sorted(files.flatMap((path) => read(path).match(SETTING) ?? []));
}

// The reference and the guides; decisions and the benchmark report are history and may name what was.
const REFERENCE = [
  'README.md',
  'CONTRIBUTING.md',
  ...filesUnder('docs', /\.md$/).filter((path) => !/^docs\/(decisions\/|benchmarks\.md)/.test(path)),
];

describe('settings', () => {
  const inCode = settingsInCode();

  it('finds settings in the code', () => {
    expect(inCode.length).toBeGreaterThan(20);
  });

  it('docs/configuration.md has a row for every PERCH_* setting the code reads, and no other', () => {
    const markdown = read('docs/configuration.md');
    const rows = sorted(
      markdown
        .split('\n')
        .filter((line) => line.startsWith('| `'))
        .flatMap((line) => (line.split('|')[1] ?? '').match(SETTING) ?? []),
    );
    expect(rows).toEqual(inCode);
  });

  it('the docs name no PERCH_* setting the code does not have', () => {
    const named = sorted(REFERENCE.flatMap((path) => read(path).match(SETTING) ?? []));
    expect(named.filter((name) => !inCode.includes(name))).toEqual([]);
  });
});

// ─── Error codes ───────────────────────────────────────────────────────────────────────────────

describe('error codes', () => {
  it('docs/api.md has a row for every error code with its status, and no other', () => {
    const rows = read('docs/api.md')
      .split('\n')
      .map((line) => /^\| `([a-z_]+)` \| (\d{3}) \|/.exec(line))
      .filter((match) => match !== null)
      .map((match) => [match[1], Number(match[2])] as const);
    expect(Object.fromEntries(rows)).toEqual(ERROR_STATUS);
    expect(rows.length).toBe(Object.keys(ERROR_STATUS).length);
  });
});

// ─── Routes and pages ──────────────────────────────────────────────────────────────────────────

/** app/api/events/[id]/route.ts → /api/events/:id; route groups such as (dashboard) drop out. */
function urlOf(file: string): string {
  const segments = file
    .split('/')
    .slice(1, -1)
    .filter((segment) => !/^\(.*\)$/.test(segment))
    .map((segment) => segment.replace(/^\[(.+)\]$/, ':$1'));
  return `/${segments.join('/')}`;
}

const normalise = (url: string) => (url.length > 1 ? url.replace(/\/$/, '') : url);

function urlsInCode(): { routes: string[]; pages: string[]; rewritten: string[] } {
  const routes = filesUnder('app', /^route\.ts$/).map(urlOf);
  const pages = filesUnder('app', /^page\.tsx$/).map(urlOf);
  // The ingest URLs proxy.ts sends to the falcosidekick-ui route.
  const proxy = read('proxy.ts');
  const condition = /const ingestUrl = ([^;]+);/.exec(proxy)?.[1] ?? '';
  const rewritten = [...condition.matchAll(/pathname === '([^']+)'/g)].map((match) => match[1] ?? '');
  return { routes: sorted(routes), pages: sorted(pages), rewritten: sorted(rewritten.map(normalise)) };
}

describe('routes', () => {
  const code = urlsInCode();
  const api = read('docs/api.md');
  const routeRows = firstColumn(api, 'Routes').filter((cell) => cell.startsWith('/'));

  it('finds routes, pages and the rewritten ingest URLs in the code', () => {
    expect(code.routes).toContain('/api/events');
    expect(code.pages).toContain('/events/:id');
    expect(code.rewritten).toEqual(['/', '/api/v1']);
  });

  it('docs/api.md lists every route, page and ingest URL, and no other', () => {
    const inCode = sorted([...code.routes, ...code.pages, ...code.rewritten].map(normalise));
    expect(sorted(routeRows.map(normalise))).toEqual(inCode);
  });

  it('every verb and path the docs quote is a route or page that exists', () => {
    const shape = (url: string) => normalise(url).replace(/\/(?::\w+|<[^>]+>|\d+)(?=\/|$)/g, '/:_');
    const known = new Set([...code.routes, ...code.pages, ...code.rewritten].map(shape));
    const quoted = REFERENCE.flatMap((path) =>
      [...read(path).matchAll(/`(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) ([^`\s?]+)/g)].map(
        (match) => `${path}: ${match[1] ?? ''}`,
      ),
    );
    expect(quoted.length).toBeGreaterThan(10);
    const unknown = quoted.filter((entry) => !known.has(shape(entry.split(': ')[1] ?? '')));
    expect(unknown).toEqual([]);
  });
});

// ─── Metrics ───────────────────────────────────────────────────────────────────────────────────

const METRIC = /\b(?:perch|process|nodejs)_[a-z0-9_]*[a-z0-9]\b/g;

// Perch's own metrics are named in lib/metrics; the process ones are prom-client's defaults, so
// they are read from a registry of its own rather than from Perch's source.
async function metricsInCode(): Promise<string[]> {
  const own = filesUnder('lib/metrics', SOURCE)
    .filter((path) => !isTest(path))
    .flatMap((path) => read(path).match(METRIC) ?? [])
    .filter((name) => name.startsWith('perch_'));
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const defaults = (await registry.getMetricsAsJSON()).map((metric) => metric.name);
  return sorted([...own, ...defaults]);
}

describe('metrics', () => {
  const documented = sorted(
    firstColumn(read('docs/metrics.md'), 'Metrics').flatMap((cell) => cell.match(METRIC) ?? []),
  );

  it('finds metrics in lib/metrics and prom-client', async () => {
    const inCode = await metricsInCode();
    expect(inCode).toContain('perch_alerts_stored_total');
    expect(inCode).toContain('process_resident_memory_bytes');
  });

  it('docs/metrics.md has a row for every metric, and no other', async () => {
    expect(documented).toEqual(await metricsInCode());
  });
});

// ─── Decisions ─────────────────────────────────────────────────────────────────────────────────

describe('decisions', () => {
  const files = filesUnder('docs/decisions', /^\d{4}-.+\.md$/).map((path) => path.replace(/^docs\//, ''));
  const linked = sorted(
    [...read('docs/benchmarks.md').matchAll(/\]\((decisions\/\d{4}-[^)#]+\.md)\)/g)].map((match) => match[1] ?? ''),
  );

  it('docs/benchmarks.md indexes every decision, and links to none that is missing', () => {
    expect(files.length).toBeGreaterThan(4);
    expect(linked).toEqual(sorted(files));
  });

  it('numbers each decision once', () => {
    const numbers = files.map((file) => file.slice('decisions/'.length, 'decisions/'.length + 4));
    expect(new Set(numbers).size).toBe(numbers.length);
  });
});
