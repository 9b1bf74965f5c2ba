import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CHAIN_SEPARATOR,
  PID_SEPARATOR,
  UNKNOWN_PROCESS,
  chainKey,
  extractAncestry,
  splitChainKey,
  type AncestryLevel,
} from './ancestry';
import { parseJson } from './json';

const CORPUS = fileURLToPath(new URL('../../e2e/fixtures/falco/real-events.ndjson', import.meta.url));
const corpusLines = readFileSync(CORPUS, 'utf8')
  .split('\n')
  .filter((line) => line !== '');
const fieldsOfLine = (n: number) =>
  (parseJson(corpusLines[n - 1]!) as { output_fields?: Record<string, unknown> }).output_fields ?? {};

/** Levels, process first: a name, `[name, pid]`, or null for an unknown level. */
const chain = (...levels: (string | [string | null, number] | null)[]): AncestryLevel[] =>
  levels.map((level, i) => {
    const [name, pid] = level === null ? [null, null] : typeof level === 'string' ? [level, null] : level;
    return { level: i, name, exepath: null, cmdline: null, pid };
  });
const joined = (...parts: string[]) => parts.join(CHAIN_SEPARATOR);
const withPid = (name: string, pid: number) => `${name}${PID_SEPARATOR}${pid}`;

describe('chainKey', () => {
  it('puts the root ancestor first and the process last', () => {
    expect(chainKey(chain('cat', 'sudo', 'sudo', 'bash', 'tmux'))).toBe(joined('tmux', 'bash', 'sudo', 'sudo', 'cat'));
    expect(chainKey(chain('cat'))).toBe('cat');
  });

  it('reads corpus line 16 as kitty › zsh › sudo › sudo › cat', () => {
    expect(chainKey(extractAncestry(fieldsOfLine(16)))).toBe(joined('kitty', 'zsh', 'sudo', 'sudo', 'cat'));
  });

  it('writes a pid after its name with the pid separator', () => {
    expect(chainKey(chain(['cat', 4242], ['sudo', 4241], 'bash'))).toBe(
      joined('bash', withPid('sudo', 4241), withPid('cat', 4242)),
    );
  });

  it('drops unknown levels above the oldest known ancestor (corpus line 37)', () => {
    expect(chainKey(chain('sh', 'httpd', null, null))).toBe(joined('httpd', 'sh'));
    expect(chainKey(extractAncestry(fieldsOfLine(37)))).toBe(
      joined('containerd-shim', 'event-generator', 'httpd', 'sh'),
    );
  });

  it('keeps unknown levels inside the chain as `?`, including an unknown process (corpus line 31)', () => {
    expect(chainKey(chain('cat', null, 'bash'))).toBe(joined('bash', UNKNOWN_PROCESS, 'cat'));
    expect(chainKey(chain(null, 'containerd-shim', null, null, null))).toBe(joined('containerd-shim', '?'));
    expect(chainKey(extractAncestry(fieldsOfLine(31)))).toBe(joined('containerd-shim', '?'));
  });

  it('keeps an unnamed level whose pid is known', () => {
    expect(chainKey(chain('cat', [null, 77]))).toBe(joined(withPid('?', 77), 'cat'));
  });

  it('is null without a known process', () => {
    expect(chainKey([])).toBeNull();
    expect(chainKey(chain(null))).toBeNull();
    expect(chainKey(chain(null, null, null))).toBeNull();
    expect(chainKey(extractAncestry(fieldsOfLine(84)))).toBeNull();
  });

  it('tells apart chains that differ only in pids', () => {
    expect(chainKey(chain(['bash', 1]))).not.toBe(chainKey(chain(['bash', 2])));
    expect(chainKey(chain('bash'))).not.toBe(chainKey(chain(['bash', 2])));
  });
});

describe('splitChainKey', () => {
  it('returns the levels root first with name and pid', () => {
    expect(splitChainKey(joined('systemd', withPid('sshd', 812), '?', withPid('cat', 4242)))).toEqual([
      { name: 'systemd', pid: null },
      { name: 'sshd', pid: 812 },
      { name: '?', pid: null },
      { name: 'cat', pid: 4242 },
    ]);
  });

  it('inverts chainKey', () => {
    const levels = chain(['cat', 4242], 'sudo', null, ['bash', 1], 'tmux', null);
    const key = chainKey(levels)!;
    expect(splitChainKey(key)).toEqual([
      { name: 'tmux', pid: null },
      { name: 'bash', pid: 1 },
      { name: '?', pid: null },
      { name: 'sudo', pid: null },
      { name: 'cat', pid: 4242 },
    ]);
  });

  it('keeps names with spaces, slashes and dots whole', () => {
    expect(splitChainKey(joined('kworker/0:1', 'my app.bin'))).toEqual([
      { name: 'kworker/0:1', pid: null },
      { name: 'my app.bin', pid: null },
    ]);
  });
});
