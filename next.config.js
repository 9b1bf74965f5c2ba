// @ts-check

// PERCH_BASE_PATH (e.g. /perch) serves Perch under a sub-path behind an ingress. Next bakes it into
// the build; `npm start` rebuilds when it changes (scripts/lib/prepare.mjs).
const basePath = (process.env.PERCH_BASE_PATH ?? '').trim().replace(/\/+$/, '');
if (basePath !== '' && !/^\/[\w.~/-]+$/.test(basePath)) {
  throw new Error(`PERCH_BASE_PATH=${basePath} is not a path such as /perch`);
}

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Parallel work trees (several developers or agents on one checkout) build into their own folder.
  distDir: process.env.PERCH_DIST_DIR || '.next',
  basePath,
  // The browser code needs the base path for its own fetches (Link and the router add it themselves).
  env: { NEXT_PUBLIC_PERCH_BASE_PATH: basePath },
  // better-sqlite3 is a native addon: it must be required at run time, never bundled.
  serverExternalPackages: ['better-sqlite3'],
  poweredByHeader: false,
  // falcosidekick-ui took `POST /api/v1/`; a redirect to `/api/v1` would make senders drop the body.
  skipTrailingSlashRedirect: true,
  reactStrictMode: true,
  // `npm test` type-checks the whole project (tsc --noEmit) before it builds; the build need not repeat it.
  typescript: { ignoreBuildErrors: true },
  // On every response, API and assets included (pages also get a CSP from proxy.ts).
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'same-origin' },
        ],
      },
    ];
  },
};

module.exports = nextConfig;
