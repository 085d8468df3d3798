/**
 * Import rules checked by `npm test` (`npm run check:imports`). Layers point one way
 * (docs/architecture.md): app → lib/<domain> → lib/events → lib/db; realtime consumes events
 * and projections and is never imported by the domain.
 */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "An import cycle: layers must point one way.",
      from: {},
      to: { circular: true },
    },
    {
      name: "db-is-the-bottom",
      severity: "error",
      comment: "lib/db knows no domain, no event log and no transport.",
      from: { path: "^lib/db/" },
      to: { path: "^lib/(events|orders|menu|auth|realtime|projections|http|client)/|^app/" },
    },
    {
      name: "events-below-domain",
      severity: "error",
      comment: "lib/events is the log, commit notification and mutate: it knows no domain and no transport.",
      from: { path: "^lib/events/" },
      to: { path: "^lib/(orders|menu|auth|realtime|projections|http|client)/|^app/" },
    },
    {
      name: "domain-not-on-transport",
      severity: "error",
      comment: "Domain code (orders, auth) never imports realtime, projections or HTTP helpers.",
      from: { path: "^lib/(orders|menu|auth)/", pathNot: "\\.test\\.ts$" },
      to: { path: "^lib/(realtime|projections|http|client)/|^app/" },
    },
    {
      name: "projections-are-pure",
      severity: "error",
      comment: "Projections map a logged event to a frame: no transport, no database access.",
      from: { path: "^lib/projections/", pathNot: "\\.test\\.ts$" },
      to: { path: "^lib/(realtime|http|client|db/connection)|^app/" },
    },
    {
      name: "lib-not-on-app",
      severity: "error",
      comment: "lib/ never imports from app/.",
      from: { path: "^lib/", pathNot: "\\.test\\.ts$" },
      to: { path: "^app/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".tsx", ".mjs", ".js"] },
  },
};
