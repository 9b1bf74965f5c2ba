// The servers a Playwright run starts, each on its own fresh store under .e2e/. Pure data: the
// config and the tests both read it, and nothing here touches the disk.
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const basePort = Number(process.env.E2E_PORT ?? 3100);

function server(name: string, offset: number, env: Record<string, string> = {}, basePath = '') {
  const dbFile = path.join(root, process.env.E2E_DIR ?? '.e2e', name, 'perch.db');
  const origin = `http://127.0.0.1:${basePort + offset}`;
  return {
    name,
    port: basePort + offset,
    origin,
    url: `${origin}${basePath}`,
    dbFile,
    env: { PERCH_DB: dbFile, ...env },
  };
}

export const INGEST_TOKEN = 'e2e-ingest-token-3f9a';

/** Users, view tokens and the trusted proxy header of the `access` server. */
export const ACCESS = {
  user: 'analyst',
  password: 'e2e-password-123',
  /** `npm run hash-password -- e2e-password-123` */
  passwordHash: 'scrypt$15$8$1$SdKgTGT5DGa9nLhuRPg08A$__4yLIEQYP7Lzy2WCdzFNVhNmf-svE_zPaME-UnetXU',
  viewTokens: { wall: 'e2e-wall-token-0123456789', other: 'e2e-other-token-9876543210' },
  userHeader: 'x-forwarded-user',
} as const;

export const SERVERS = {
  /** Shared by most tests: every test posts its own uniquely named alerts. */
  main: server('main', 0),
  /** Nothing is ever posted here: the empty-store page. */
  empty: server('empty', 1),
  /** Ingest requires a token; small body limit. */
  secured: server('secured', 2, { PERCH_INGEST_TOKEN: INGEST_TOKEN, PERCH_MAX_BODY: '64kb' }),
  /** Keeps only the newest 20 alerts, pruning every second. */
  retention: server('retention', 3, { PERCH_MAX_EVENTS: '20', PERCH_PRUNE_INTERVAL: '1s' }),
  /** Login on: a password user, two view tokens, users from a header set by a proxy on loopback. */
  access: server('access', 4, {
    PERCH_UI_USERS: `${ACCESS.user}:${ACCESS.passwordHash}`,
    PERCH_VIEW_TOKENS: Object.entries(ACCESS.viewTokens)
      .map(([name, token]) => `${name}:${token}`)
      .join(','),
    PERCH_TRUSTED_USER_HEADER: ACCESS.userHeader,
    PERCH_TRUSTED_PROXIES: '127.0.0.1,::1',
    PERCH_INGEST_TOKEN: INGEST_TOKEN,
  }),
  /** Served under /perch, from its own build (scripts/test.mjs). */
  subpath: server(
    'subpath',
    5,
    { PERCH_BASE_PATH: '/perch', PERCH_DIST_DIR: `${process.env.PERCH_DIST_DIR || '.next'}-subpath` },
    '/perch',
  ),
} as const;
