import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkedAlert, FalcoAlert, toStoredAlert, type StoredAlert } from './alert';
import { parseJson, stringifyJson } from './json';
import { parseTimeNs } from './time';

const CORPUS = fileURLToPath(new URL('../../e2e/fixtures/falco/real-events.ndjson', import.meta.url));
const corpusLines = readFileSync(CORPUS, 'utf8')
  .split('\n')
  .filter((line) => line !== '');

type Input = Record<string, unknown>;

/** What prepareEntries does: validate, then normalise with the original output_fields object. */
function store(raw: string): StoredAlert {
  const value = parseJson(raw) as Input;
  const fields = (value.output_fields ?? {}) as Input;
  return toStoredAlert(FalcoAlert.parse(value), fields, raw);
}
const storeLine = (n: number) => store(corpusLines[n - 1]!);
const storeObject = (value: Input) => store(stringifyJson(value));

const minimal = { time: '2023-05-25T13:44:05.478445995Z', rule: 'Some rule', priority: 'Warning' };

describe('FalcoAlert', () => {
  it('accepts every corpus line', () => {
    expect(corpusLines).toHaveLength(87);
    corpusLines.forEach((line, i) => {
      expect(FalcoAlert.safeParse(parseJson(line)).success, `line ${i + 1}`).toBe(true);
    });
  });

  it('accepts priorities in any case, `info`, and without source, hostname, tags or output_fields', () => {
    for (const priority of ['warning', 'WARNING', 'Info', 'info', 'informational', 'Debug', 'emergency']) {
      expect(FalcoAlert.safeParse({ ...minimal, priority }).success, priority).toBe(true);
    }
    expect(FalcoAlert.safeParse(minimal).success).toBe(true);
  });

  it('accepts null for the optional fields', () => {
    const parsed = FalcoAlert.safeParse({
      ...minimal,
      output: null,
      source: null,
      hostname: null,
      tags: null,
      output_fields: null,
      uuid: null,
      message: null,
    });
    expect(parsed.success).toBe(true);
  });

  it('rejects unknown priorities, bad times, an empty rule and wrong types', () => {
    const failures: [Input, string][] = [
      [{ ...minimal, priority: 'loud' }, 'priority'],
      [{ ...minimal, priority: 4 }, 'priority'],
      [{ ...minimal, time: '2023-02-30T00:00:00Z' }, 'time'],
      [{ ...minimal, time: 'yesterday' }, 'time'],
      [{ ...minimal, time: 1685022245478445995n }, 'time'],
      [{ ...minimal, rule: '' }, 'rule'],
      [{ ...minimal, rule: 42 }, 'rule'],
      [{ ...minimal, tags: 'container' }, 'tags'],
      [{ ...minimal, tags: [1] }, 'tags.0'],
      [{ ...minimal, output_fields: [] }, 'output_fields'],
      [{ ...minimal, hostname: 5 }, 'hostname'],
    ];
    for (const [input, field] of failures) {
      const parsed = FalcoAlert.safeParse(input);
      expect(parsed.success, field).toBe(false);
      expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toContain(field);
    }
    const { rule: _rule, ...withoutRule } = minimal;
    expect(FalcoAlert.safeParse(withoutRule).success).toBe(false);
  });
});

describe('checkedAlert (the hand-written check before FalcoAlert)', () => {
  // Values as parseJson makes them: what prepareEntries hands to the check.
  const WRONG = [0, -1, 1.5, 1e308, true, false, [], ['x'], {}, { a: 1 }, 1685022245478445995n, '', ' '];
  const CANDIDATES: Record<string, readonly unknown[]> = {
    time: [
      minimal.time,
      '2023-05-25T13:44:05Z',
      '2023-05-25T15:44:05.1+02:00',
      ' 2023-05-25T13:44:05Z ',
      '2023-02-30T00:00:00Z',
      '1969-12-31T23:59:59Z',
      '2262-04-12T00:00:00Z',
      'yesterday',
      null,
      ...WRONG,
    ],
    rule: ['Some rule', 'x', '\u0000', ' ', null, ...WRONG],
    priority: ['Warning', 'warning', ' info ', 'CRIT', 'Loud', 'Informational', null, ...WRONG],
    output: ['text', '', null, ...WRONG],
    source: ['syscall', '', null, ...WRONG],
    hostname: ['host', null, ...WRONG],
    message: ['m', null, ...WRONG],
    uuid: ['0b7e', '', null, ...WRONG],
    tags: [['a', 'b'], ['a', 'a'], [], null, ['a', 1], [null], [['a']], 'a', ...WRONG],
    output_fields: [
      { 'proc.name': 'sh' },
      { n: 1685022245478445995n, deep: { a: [{ b: null }] } },
      parseJson('{"__proto__":1}'),
      { constructor: 'x' },
      { constructor: { prototype: {} } },
      {},
      null,
      [],
      [{}],
      'fields',
      5,
      true,
    ],
  };
  const FIELDS = Object.keys(CANDIDATES);

  /** The two agree on acceptance; when both accept, they give the same stored alert. */
  function expectSame(value: Input, label: string) {
    const checked = checkedAlert(value);
    const parsed = FalcoAlert.safeParse(value);
    expect(checked !== undefined, `${label}: ${stringifyJson(value)}`).toBe(parsed.success);
    if (checked && parsed.success) {
      const fields = (value.output_fields ?? {}) as Input;
      expect(toStoredAlert(checked, fields, label)).toEqual(toStoredAlert(parsed.data, fields, label));
    }
  }

  it('accepts every corpus line, as FalcoAlert does, and stores it the same', () => {
    corpusLines.forEach((line, i) => {
      expect(checkedAlert(parseJson(line) as Input), `line ${i + 1}`).toBeDefined();
      expectSame(parseJson(line) as Input, `line ${i + 1}`);
    });
  });

  it('agrees with FalcoAlert on every value of every field, one field at a time', () => {
    for (const field of FIELDS) {
      for (const candidate of CANDIDATES[field]!) expectSame({ ...minimal, [field]: candidate }, field);
      const { [field]: _missing, ...without } = {
        ...minimal,
        output: 'o',
        tags: ['t'],
        output_fields: { a: 1 },
      } as Input;
      expectSame(without, `without ${field}`);
    }
  });

  it('agrees with FalcoAlert on extra fields, hostile keys and parsed JSON', () => {
    const texts = [
      '{"time":"2023-05-25T13:44:05Z","rule":"r","priority":"Warning","extra":{"deep":[1,2,{"x":null}]},"n":123456789012345678901234567890}',
      '{"time":"2023-05-25T13:44:05Z","rule":"r","priority":"Warning","__proto__":{"rule":""},"constructor":1,"toString":"x"}',
      '{"time":"2023-05-25T13:44:05Z","rule":"r","priority":"Warning","output_fields":{"__proto__":{"polluted":true},"constructor":{"prototype":null}}}',
      '{"time":"2023-05-25T13:44:05Z","rule":"r","priority":"Warning","output_fields":{"evt.time":1685022245478445995,"x":1e999,"y":-0}}',
      '{"time":"2023-05-25T13:44:05Z","priority":"Warning","__proto__":{"rule":"hidden"}}',
      '{"time":"2023-05-25T13:44:05Z","rule":"r","priority":"Warning","tags":["a",123456789012345678901234567890]}',
      '{"time":"2023-05-25T13:44:05Z","rule":"r","priority":"Warning","uuid":99999999999999999999}',
    ];
    for (const text of texts) expectSame(parseJson(text) as Input, text);
    expectSame({ ...minimal, extra: undefined, output: undefined }, 'explicit undefined');
  });

  it('agrees with FalcoAlert on random combinations of fields', () => {
    let state = 42;
    const random = (n: number) => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state % n;
    };
    let accepted = 0;
    for (let i = 0; i < 3_000; i++) {
      const value: Input = {};
      for (const field of FIELDS) {
        const roll = random(10);
        // Mostly valid values (the minimal one or an optional field's first), so that one wrong field decides.
        if (roll < 2) continue;
        const candidates = CANDIDATES[field]!;
        value[field] = roll < 8 ? ((minimal as Input)[field] ?? candidates[0]) : candidates[random(candidates.length)];
      }
      expectSame(value, `combination ${i}`);
      if (checkedAlert(value)) accepted++;
    }
    // Both ways are exercised.
    expect(accepted).toBeGreaterThan(100);
    expect(accepted).toBeLessThan(2_700);
  });
});

describe('toStoredAlert', () => {
  it('normalises corpus line 1 (Falco before 0.41, syscall in a container)', () => {
    const alert = storeLine(1);
    expect(alert).toMatchObject({
      uuid: null,
      timeNs: 1685022245478445995n,
      priority: 'Critical',
      priorityRank: 2,
      rule: 'Terminal shell in container',
      source: 'syscall',
      hostname: 'falco-xczjd',
      internal: false,
      containerId: 'ee97d9c4186f',
      containerName: null,
      imageRepository: 'docker.io/library/alpine',
      imageTag: null,
      k8sNamespace: 'default',
      k8sPod: 'kubecon',
      userName: 'root',
      evtType: null,
      fdName: null,
      tags: ['container', 'mitre_execution', 'shell'],
      raw: corpusLines[0],
    });
    expect(alert.ancestry.map((l) => l.name)).toEqual(['sh', 'runc']);
    expect(alert.dedupKey).toHaveLength(16);
  });

  it('stores the canonical priority name and rank whatever the spelling', () => {
    expect(storeObject({ ...minimal, priority: 'info' })).toMatchObject({ priority: 'Informational', priorityRank: 6 });
    expect(storeObject({ ...minimal, priority: 'CRITICAL' })).toMatchObject({ priority: 'Critical', priorityRank: 2 });
    expect(storeObject({ ...minimal, priority: 'debug' })).toMatchObject({ priority: 'Debug', priorityRank: 7 });
  });

  it('marks internal events by source or by rule prefix', () => {
    expect(storeLine(15).internal).toBe(true); // source internal
    expect(storeLine(24).internal).toBe(true); // no source, rule "Falco internal: syscall event drop"
    expect(storeLine(78).internal).toBe(true);
    expect(storeLine(87).internal).toBe(true);
    expect(storeLine(16).internal).toBe(false);
    expect(storeObject({ ...minimal, rule: 'Not a Falco internal: thing' }).internal).toBe(false);
    const internalCount = corpusLines.filter((_, i) => storeLine(i + 1).internal).length;
    expect(internalCount).toBe(4);
  });

  it('keeps the source and hostname null when missing (legacy alerts, line 22)', () => {
    expect(storeLine(22)).toMatchObject({ source: null, hostname: null, tags: [] });
  });

  it('splits a full image into repository and tag', () => {
    const fromField = storeObject({ ...minimal, output_fields: { 'container.image': 'docker.io/library/nginx:1.25' } });
    expect(fromField).toMatchObject({ imageRepository: 'docker.io/library/nginx', imageTag: '1.25' });

    const fromText = storeObject({
      ...minimal,
      output: '13:44:05: Warning x (container_id=abcdefabcdef image=ghcr.io/org/app:v2)',
    });
    expect(fromText).toMatchObject({ imageRepository: 'ghcr.io/org/app', imageTag: 'v2', containerId: 'abcdefabcdef' });

    // A registry port is not a tag.
    const withPort = storeObject({ ...minimal, output_fields: { 'container.image': 'registry.local:5000/team/app' } });
    expect(withPort).toMatchObject({ imageRepository: 'registry.local:5000/team/app', imageTag: null });
    const withPortAndTag = storeObject({
      ...minimal,
      output_fields: { 'container.image': 'registry.local:5000/team/app:1.0' },
    });
    expect(withPortAndTag).toMatchObject({ imageRepository: 'registry.local:5000/team/app', imageTag: '1.0' });

    // A repository field is never split again; the tag comes from its own field.
    expect(storeLine(26)).toMatchObject({ imageRepository: 'k8s.gcr.io/pause', imageTag: '3.6' });
  });

  // In a digest reference the last ':' after the last '/' is the one of `sha256:…`: cutting there would
  // make the repository `…/nginx@sha256` and the tag the digest hex.
  it('does not mistake an image digest for a tag', () => {
    const digest = 'a'.repeat(64);
    const alert = storeObject({
      ...minimal,
      output_fields: { 'container.image': `docker.io/library/nginx@sha256:${digest}` },
    });
    expect(alert.imageRepository).toBe('docker.io/library/nginx');
    expect(alert.imageTag).not.toBe(digest);
  });

  it('prefers output_fields over the output text, and uses the text for pre-0.41 alerts', () => {
    const alert = storeObject({
      ...minimal,
      output: 'x (container_id=abcdefabcdef container_name=fromtext k8s.ns=textns k8s.pod=textpod image=textimage)',
      output_fields: { 'container.id': '123456123456', 'k8s.ns.name': 'fieldns' },
    });
    expect(alert).toMatchObject({
      containerId: '123456123456',
      containerName: 'fromtext',
      k8sNamespace: 'fieldns',
      k8sPod: 'textpod',
      imageRepository: 'textimage',
      imageTag: null,
    });
  });

  it('treats `<NA>`, empty strings and null fields as unknown', () => {
    expect(storeLine(31)).toMatchObject({
      userName: null,
      containerId: 'host',
      imageRepository: null,
      imageTag: null,
      k8sNamespace: null,
    });
    expect(storeLine(85)).toMatchObject({ userName: null });
  });

  it('takes the namespace from ka.target.namespace and the user from the audit actor', () => {
    expect(storeLine(84)).toMatchObject({
      source: 'k8s_audit',
      k8sNamespace: 'prod',
      userName: 'system:serviceaccount:insecure:react2shell',
      containerId: null,
    });
    expect(storeLine(86)).toMatchObject({
      k8sNamespace: 'falco-event-generator',
      userName: 'system:serviceaccount:kube-system:replicaset-controller',
    });
    expect(storeLine(28)).toMatchObject({ userName: 'system:anonymous' });
    expect(storeLine(30)).toMatchObject({ source: 'aws_cloudtrail', userName: 'ADMIN_OKTA_TEST' });
    expect(storeLine(17)).toMatchObject({ source: 'gcp_auditlog', userName: 'ahmed.amin@test.com' });
    expect(storeObject({ ...minimal, output_fields: { 'okta.actor.name': 'alice' } }).userName).toBe('alice');
    expect(storeObject({ ...minimal, output_fields: { 'github.user': 'bob' } }).userName).toBe('bob');
    // user.name wins over the audit keys when both are present.
    expect(storeObject({ ...minimal, output_fields: { 'ka.user.name': 'k', 'user.name': 'u' } }).userName).toBe('u');
  });

  it('reads evt.type and fd.name', () => {
    expect(storeLine(16)).toMatchObject({ evtType: 'openat', fdName: '/etc/shadow' });
  });

  it('builds a lower-cased search text from rule, output, hostname, tags and field values', () => {
    const alert = storeObject({
      ...minimal,
      rule: 'Some RULE',
      hostname: 'Node-A',
      output: 'Output TEXT',
      tags: ['T1059'],
      output_fields: {
        'proc.cmdline': 'NC -e /bin/sh',
        'evt.time': 1685022245478445995n,
        flag: true,
        list: ['A', 1],
        nested: { hidden: 'X' },
      },
    });
    const parts = alert.searchText.split('\n');
    expect(parts).toEqual(
      expect.arrayContaining([
        'some rule',
        'output text',
        'node-a',
        't1059',
        'nc -e /bin/sh',
        '1685022245478445995',
        'true',
        'a',
      ]),
    );
    expect(alert.searchText).toBe(alert.searchText.toLowerCase());
    expect(alert.searchText).not.toContain('hidden');
  });

  it('keeps big integers in output_fields exact through the stored raw text', () => {
    const alert = storeLine(16);
    expect(alert.raw).toBe(corpusLines[15]);
    expect(alert.searchText).toContain('1746622234502309868');
  });

  it('removes duplicate tags', () => {
    expect(storeObject({ ...minimal, tags: ['a', 'b', 'a'] }).tags).toEqual(['a', 'b']);
  });

  it('keeps `__proto__` in output_fields an ordinary key', () => {
    const raw =
      '{"time":"2023-05-25T13:44:05Z","rule":"r","priority":"Warning","output_fields":{"__proto__":{"user.name":"mallory","proc.name":"evil"},"proc.pname":"bash"}}';
    const alert = store(raw);
    expect(alert.userName).toBeNull();
    expect(alert.ancestry).toEqual([
      { level: 0, name: null, exepath: null, cmdline: null, pid: null },
      { level: 1, name: 'bash', exepath: null, cmdline: null, pid: null },
    ]);
  });

  describe('dedup key', () => {
    const key = (value: Input) => storeObject(value).dedupKey.toString('hex');

    it('is the same for the same uuid, whatever the content', () => {
      const a = key({ ...minimal, uuid: '0d4e7ba8-4a1c-4a4b-9d5c-2c3b6e8f0a11', output: 'one' });
      const b = key({
        ...minimal,
        uuid: '0d4e7ba8-4a1c-4a4b-9d5c-2c3b6e8f0a11',
        output: 'two',
        rule: 'other',
        time: '2024-01-01T00:00:00Z',
      });
      expect(a).toBe(b);
      expect(key({ ...minimal, uuid: 'another-uuid', output: 'one' })).not.toBe(a);
      // A uuid alert and the same content without a uuid are different deliveries.
      expect(key({ ...minimal, output: 'one' })).not.toBe(a);
    });

    it('without a uuid, is the same for the same time, rule, hostname and output', () => {
      const base = { ...minimal, hostname: 'node-1', output: 'the output' };
      expect(key(base)).toBe(key({ ...base, tags: ['extra'], output_fields: { other: 1 }, source: 'syscall' }));
      // The same instant written with trailing zeros trimmed (falcosidekick) is the same alert.
      expect(key({ ...base, time: '2023-05-25T13:44:05.47Z' })).toBe(
        key({ ...base, time: '2023-05-25T13:44:05.470000000Z' }),
      );
      expect(key({ ...base, time: '2023-05-25T15:44:05.478445995+02:00' })).toBe(key(base));
    });

    it('without a uuid, changes when the time, rule, hostname or output changes', () => {
      const base = { ...minimal, hostname: 'node-1', output: 'the output' };
      const original = key(base);
      expect(key({ ...base, time: '2023-05-25T13:44:05.478445996Z' })).not.toBe(original);
      expect(key({ ...base, rule: 'Other rule' })).not.toBe(original);
      expect(key({ ...base, hostname: 'node-2' })).not.toBe(original);
      expect(key({ ...base, output: 'the output!' })).not.toBe(original);
    });

    it('is the first 16 bytes of sha256 over the uuid, or over time, rule, hostname and output', () => {
      const withUuid = storeObject({ ...minimal, uuid: 'abc' });
      expect(withUuid.dedupKey.equals(createHash('sha256').update('uuid\u0000abc').digest().subarray(0, 16))).toBe(
        true,
      );
      // Lone surrogates are hashed as their UTF-8 replacement, as before.
      const alert = storeObject({ ...minimal, hostname: 'h', output: 'out \ud800 é' });
      const text = `${alert.timeNs}\u0000Some rule\u0000h\u0000out \ud800 é`;
      expect(alert.dedupKey.equals(createHash('sha256').update(text).digest().subarray(0, 16))).toBe(true);
    });

    it('gives every corpus line its own key', () => {
      const keys = new Set(corpusLines.map((_, i) => storeLine(i + 1).dedupKey.toString('hex')));
      expect(keys.size).toBe(87);
    });
  });
});

describe('toStoredAlert with an arrival (PERCH_MAX_CLOCK_SKEW)', () => {
  const arrivedMs = Date.parse('2026-04-06T12:00:00Z');
  const arrival = { nowNs: BigInt(arrivedMs) * 1_000_000n, maxSkewNs: 3_600_000n * 1_000_000n };
  const at = (time: string, extra: Input = {}) => {
    const value = { ...minimal, hostname: 'node-1', output: 'the output', ...extra, time };
    return toStoredAlert(FalcoAlert.parse(value), {}, stringifyJson(value), arrival);
  };

  it('stores an alert dated beyond the skew at its arrival, and keeps the time Falco gave', () => {
    const alert = at('2262-01-01T00:00:00Z');
    expect(alert.timeNs).toBe(arrival.nowNs);
    expect(alert.claimedTimeNs).toBe(BigInt(Date.parse('2262-01-01T00:00:00Z')) * 1_000_000n);
    expect(alert.raw).toContain('"time":"2262-01-01T00:00:00Z"');
    const justBeyond = at('2026-04-06T13:00:00.000000001Z');
    expect([justBeyond.timeNs, justBeyond.claimedTimeNs]).toEqual([
      arrival.nowNs,
      arrival.nowNs + arrival.maxSkewNs + 1n,
    ]);
  });

  it('leaves alerts within the skew and alerts in the past as they are', () => {
    for (const time of [
      '2026-04-06T13:00:00Z',
      '2026-04-06T12:30:00.5Z',
      '2026-04-06T11:59:59.999999999Z',
      '2017-01-01T00:00:00Z',
    ]) {
      const alert = at(time);
      expect([alert.timeNs, alert.claimedTimeNs], time).toEqual([parseTimeNs(time), null]);
    }
    expect(storeObject({ ...minimal, time: '2262-01-01T00:00:00Z' }).claimedTimeNs).toBeNull();
  });

  it('keys a clamped alert by the time Falco gave, so a redelivery later on is the same alert', () => {
    const first = at('2262-01-01T00:00:00Z');
    const later = toStoredAlert(
      FalcoAlert.parse({ ...minimal, hostname: 'node-1', output: 'the output', time: '2262-01-01T00:00:00Z' }),
      {},
      '{}',
      {
        ...arrival,
        nowNs: arrival.nowNs + 5_000_000_000n,
      },
    );
    expect(later.timeNs).not.toBe(first.timeNs);
    expect(later.dedupKey.equals(first.dedupKey)).toBe(true);
    expect(at('2262-01-01T00:00:01Z').dedupKey.equals(first.dedupKey)).toBe(false);
  });
});
