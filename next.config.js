// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  // Parallel work trees (several developers or agents on one checkout) build into their own folder.
  distDir: process.env.PERCH_DIST_DIR || '.next',
  // better-sqlite3 is a native addon: it must be required at run time, never bundled.
  serverExternalPackages: ['better-sqlite3'],
  poweredByHeader: false,
  // falcosidekick-ui took `POST /api/v1/`; a redirect to `/api/v1` would make senders drop the body.
  skipTrailingSlashRedirect: true,
  reactStrictMode: true,
  // `npm test` type-checks the whole project (tsc --noEmit) before it builds; the build need not repeat it.
  typescript: { ignoreBuildErrors: true },
};

module.exports = nextConfig;
