/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // Native and connection-holding modules stay in node_modules; server.ts loads the same copies.
  serverExternalPackages: ["better-sqlite3", "pg", "ioredis", "kysely"],
  typedRoutes: false,
};

export default nextConfig;
