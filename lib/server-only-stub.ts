// Stand-in for the 'server-only' guard outside Next's server bundles (vitest, esbuild).
export {};
