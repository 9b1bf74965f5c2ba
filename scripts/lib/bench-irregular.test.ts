import { beforeAll, describe, expect, it } from 'vitest';
import type { StoredAlert } from '../../lib/falco/alert';
import { containerHintsFromOutput } from '../../lib/falco/output-text';
import { prepareEntries } from '../../lib/ingest/prepare';
import { splitBody } from '../../lib/ingest/split-body';
import { demoAlerts } from '../demo/generate';
import { benchAlerts, benchPlan, markerIndexes, PART_ALERTS } from './bench-alerts';
import {
  BENCH_ABSENT,
  BENCH_RARE,
  BUSY_RULES,
  irregularPart,
  MAX_DEPTH,
  parseAlert,
  RARE_MARKERS,
  renderAlert,
  wordAt,
} from './bench-irregular';

const NOW = Date.UTC(2025, 4, 14, 10, 17, 33);
// Four parts, so that each rare value is in four alerts.
const OPTIONS = { alerts: 40_000, days: 4, nowMs: NOW, partAlerts: 10_000 };
const PARTS = 4;
const SLOW = 120_000;

const prepare = (lines: readonly string[]) => {
  const { valid, issues } = prepareEntries(lines.map((line) => splitBody(line).entries[0]!));
  expect(issues).toEqual([]);
  return valid.map((v) => v.alert);
};

const counts = <T>(values: Iterable<T>) => {
  const out = new Map<T, number>();
  for (const value of values) out.set(value, (out.get(value) ?? 0) + 1);
  return out;
};

let lines: string[] = [];
let alerts: StoredAlert[] = [];
beforeAll(() => {
  lines = [...benchAlerts(OPTIONS)];
  alerts = prepare(lines);
}, SLOW);

const root = (chain: string) => chain.split('\u001f')[0]!.split('\u001e')[0]!;
const words = (alert: StoredAlert) => new Set(alert.searchText.match(/[\p{L}\p{N}]+/gu));

describe('irregular bench alerts', () => {
  it(
    'renders a demo alert it leaves alone exactly as the demo wrote it',
    () => {
      let syscall = 0;
      for (const { line } of demoAlerts({ seed: 3, alerts: 3_000, days: 1, nowMs: NOW })) {
        const parsed = parseAlert(line);
        if (parsed === null) continue;
        syscall++;
        expect(renderAlert(parsed)).toBe(line);
      }
      expect(syscall).toBeGreaterThan(1_000);
    },
    SLOW,
  );

  it(
    'is deterministic, and gives exactly the number asked',
    () => {
      expect(lines).toHaveLength(OPTIONS.alerts);
      expect(alerts).toHaveLength(OPTIONS.alerts);
      const small = { ...OPTIONS, alerts: 3_000, partAlerts: 1_000 };
      expect([...benchAlerts(small)]).toEqual([...benchAlerts(small)]);
      // Seeded by the part and the index; a share of the syscall alerts passes unchanged.
      const line = lines.find((l) => parseAlert(l) !== null)!;
      const rewritten = (part: number) => Array.from({ length: 40 }, (_, i) => irregularPart(7, part)(line, i).line);
      expect(rewritten(2)).toEqual(rewritten(2));
      expect(rewritten(2)).not.toEqual(rewritten(3));
      const unchanged = rewritten(2).filter((l) => l === line).length;
      expect(unchanged).toBeGreaterThan(10);
      expect(unchanged).toBeLessThan(35);
    },
    SLOW,
  );

  it(
    'says the same values in the output text as in the fields',
    () => {
      // Mismatches are collected and compared once: an expect per alert would take longer than the rest.
      const mismatches: string[] = [];
      let checked = 0;
      for (const alert of alerts) {
        if (alert.source !== 'syscall') continue;
        const { output, time } = JSON.parse(alert.raw) as { output: string; time: string };
        const hints = containerHintsFromOutput(output);
        const [leaf, parent] = alert.ancestry;
        const shown: [string, boolean][] = [
          ['container id', hints.containerId === alert.containerId],
          ['container name', hints.containerName === alert.containerName],
          ['image', hints.image === (alert.imageRepository || null)],
          ['namespace', hints.k8sNamespace === alert.k8sNamespace],
          ['pod', hints.k8sPod === alert.k8sPod],
          ['user', output.includes(` user=${alert.userName} `)],
          ['process', output.includes(` process=${leaf!.name} `)],
          ['parent', output.includes(` parent=${parent?.name ?? '<NA>'} `)],
          ['command', output.includes(` command=${leaf!.cmdline} terminal=`)],
          [
            'file',
            alert.fdName === null ||
              output.includes(`file=${alert.fdName} `) ||
              output.includes(`connection=${alert.fdName} `),
          ],
          ['priority', output.startsWith(`${time.slice(11, 29)}: ${alert.priority} `)],
        ];
        for (const [what, same] of shown) if (!same) mismatches.push(`${what}: ${output}`);
        checked++;
      }
      expect(mismatches.slice(0, 3)).toEqual([]);
      expect(checked).toBeGreaterThan(OPTIONS.alerts / 2);
    },
    SLOW,
  );

  it(
    'gives process chains of every depth from 1 to 8, in roughly even shares',
    () => {
      const depths = counts(
        alerts.filter((a) => a.source === 'syscall').map((a) => a.processChain!.split('\u001f').length),
      );
      const total = [...depths.values()].reduce((a, b) => a + b, 0);
      expect([...depths.keys()].sort()).toEqual(Array.from({ length: MAX_DEPTH }, (_, i) => i + 1));
      for (const n of depths.values()) {
        expect(n / total).toBeGreaterThan(0.06);
        expect(n / total).toBeLessThan(0.25);
      }
    },
    SLOW,
  );

  it(
    'gives long-tailed values: a few very common, many in one alert only',
    () => {
      const tails = {
        container: counts(alerts.map((a) => a.containerId)),
        pod: counts(alerts.map((a) => a.k8sPod)),
        image: counts(alerts.map((a) => a.imageRepository)),
        user: counts(alerts.map((a) => a.userName)),
        proc: counts(alerts.flatMap((a) => [...new Set(a.ancestry.map((l) => l.name))])),
        root: counts(alerts.flatMap((a) => (a.processChain ? [root(a.processChain)] : []))),
        word: counts(
          alerts.filter((a) => a.source === 'syscall').flatMap((a) => [...words(a)].filter((w) => /^[a-z]+$/.test(w))),
        ),
      };
      for (const [name, tail] of Object.entries(tails)) {
        const sorted = [...tail.values()].sort((a, b) => b - a);
        const once = sorted.filter((n) => n === 1).length;
        expect({ name, once: once > 200 }).toEqual({ name, once: true });
        expect({ name, top: sorted[0]! > 400 }).toEqual({ name, top: true });
      }
      expect(tails.word.size).toBeGreaterThan(20_000);
    },
    SLOW,
  );

  it(
    'puts each rare value in exactly one alert of each part, and never an absent value',
    () => {
      const found = {
        rule: alerts.filter((a) => a.rule === BENCH_RARE.rule),
        tag: alerts.filter((a) => a.tags.includes(BENCH_RARE.tag)),
        hostname: alerts.filter((a) => a.hostname === BENCH_RARE.hostname),
        container: alerts.filter((a) => a.containerId === BENCH_RARE.containerId),
        containerName: alerts.filter((a) => a.containerName === BENCH_RARE.containerName),
        image: alerts.filter((a) => a.imageRepository === BENCH_RARE.image),
        namespace: alerts.filter((a) => a.k8sNamespace === BENCH_RARE.namespace),
        pod: alerts.filter((a) => a.k8sPod === BENCH_RARE.pod),
        user: alerts.filter((a) => a.userName === BENCH_RARE.user),
        proc: alerts.filter((a) => a.ancestry.some((l) => l.name === BENCH_RARE.proc)),
        chain: alerts.filter(
          (a) =>
            a.processChain !== null &&
            root(a.processChain) === BENCH_RARE.chain &&
            !a.processChain.startsWith(`${BENCH_RARE.chain}\u001e`),
        ),
        q: alerts.filter((a) => words(a).has(BENCH_RARE.q)),
      };
      for (const [name, list] of Object.entries(found)) expect({ name, n: list.length }).toEqual({ name, n: PARTS });
      // Spread over the window: one in each part.
      const times = found.user.map((a) => Number(a.timeNs / 1_000_000n)).sort((a, b) => a - b);
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThan(6 * 3_600_000);

      const present: string[] = [];
      const absent = new Set<string | null>([
        BENCH_ABSENT.rule,
        BENCH_ABSENT.hostname,
        BENCH_ABSENT.containerId,
        BENCH_ABSENT.containerName,
        BENCH_ABSENT.image,
        BENCH_ABSENT.namespace,
        BENCH_ABSENT.pod,
        BENCH_ABSENT.user,
        BENCH_ABSENT.tag,
        BENCH_ABSENT.proc,
      ]);
      for (const alert of alerts) {
        const values = [
          alert.rule,
          alert.hostname,
          alert.containerId,
          alert.containerName,
          alert.imageRepository,
          alert.k8sNamespace,
          alert.k8sPod,
          alert.userName,
          ...alert.tags,
          ...alert.ancestry.map((l) => l.name),
        ];
        for (const value of values) if (absent.has(value)) present.push(value!);
        if (alert.processChain !== null && root(alert.processChain) === BENCH_ABSENT.chain)
          present.push(alert.processChain);
        if (alert.searchText.includes(BENCH_ABSENT.q)) present.push(BENCH_ABSENT.q);
      }
      expect(present).toEqual([]);
    },
    SLOW,
  );

  it('makes generated words of consonant-vowel syllables only, so no rare or absent word is ever drawn', () => {
    const seen = new Set<string>();
    for (const n of [0, 1, 6_399, 6_400, 6_401, 250_000, 300_000, 410_000, 518_399]) {
      const word = wordAt(n);
      expect(word).toMatch(/^([bdfghjklmnprstvz][aeiou]){2,3}$/);
      seen.add(word);
    }
    expect(seen.size).toBe(9);
    for (const value of [BENCH_RARE.q, BENCH_ABSENT.q, BENCH_RARE.user, BENCH_ABSENT.user])
      expect(value).not.toMatch(/^([bdfghjklmnprstvz][aeiou])+$/);
  });

  it(
    'has a few very busy rules, nearly 40% of all alerts together, each shaped as its rule says',
    () => {
      const rules = counts(alerts.map((a) => a.rule));
      const busy = BUSY_RULES.reduce((sum, rule) => sum + (rules.get(rule) ?? 0), 0) / alerts.length;
      expect(busy).toBeGreaterThan(0.33);
      expect(busy).toBeLessThan(0.45);
      const sorted = [...rules.entries()].sort((a, b) => b[1] - a[1]).map(([rule]) => rule);
      expect(new Set(sorted.slice(0, 3))).toEqual(new Set(BUSY_RULES));
      const api = alerts.find(
        (a) => a.rule === BUSY_RULES[0] && a.k8sPod?.includes('-') && a.fdName?.endsWith(':443'),
      )!;
      expect(api.priority).toBe('Notice');
      expect(JSON.parse(api.raw).output).toContain(
        `Unexpected connection to K8s API Server from container | connection=${api.fdName} `,
      );
      const packages = alerts.find((a) => a.rule === 'Launch Package Management Process in Container')!;
      expect(packages.priority).toBe('Error');
      expect(packages.tags).toEqual([
        'T1505',
        'container',
        'maturity_incubating',
        'mitre_persistence',
        'process',
        'software_mgmt',
      ]);
    },
    SLOW,
  );

  it(
    'puts the rare values once in every 100,000 alerts of the full-size bench',
    () => {
      const plan = benchPlan({ alerts: 1_000_000, days: 30, nowMs: NOW });
      expect(plan.parts).toBe(1_000_000 / PART_ALERTS);
      const at = markerIndexes(plan);
      expect(at).toHaveLength(RARE_MARKERS.length);
      expect(at[0]).toBe(PART_ALERTS / 2);
      expect(at.at(-1)!).toBeLessThan(PART_ALERTS * 0.6);
    },
    SLOW,
  );
});
