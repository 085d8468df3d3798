import { securityHeaders } from "./security-headers.mjs";

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // Native and connection-holding modules stay in node_modules; server.ts loads the same copies.
  // pdfkit reads its font metrics from its own folder (lib/orders/invoice-pdf.ts).
  serverExternalPackages: ["better-sqlite3", "pg", "ioredis", "kysely", "pdfkit", "pino", "prom-client"],
  typedRoutes: false,
  // Every answer of Next's (security-headers.mjs): pages get proxy.ts's nonce'd CSP over this one;
  // server.ts sets the same on the answers it writes.
  async headers() {
    const dev = process.env.NODE_ENV === "development";
    return [
      {
        source: "/:path*",
        headers: Object.entries(securityHeaders({ dev })).map(([key, value]) => ({ key, value })),
      },
    ];
  },
};

export default nextConfig;
