// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  // better-sqlite3 is a native addon: it must be required at run time, never bundled.
  serverExternalPackages: ['better-sqlite3'],
  poweredByHeader: false,
  // falcosidekick-ui took `POST /api/v1/`; a redirect to `/api/v1` would make senders drop the body.
  skipTrailingSlashRedirect: true,
  reactStrictMode: true,
};

module.exports = nextConfig;
