/**
 * The container files (docs/deploy.md), checked without Docker: the Dockerfile's stages and
 * runtime (non-root, DATA_DIR volume, what server.mjs needs at run time), and deploy/compose.yaml
 * against deploy/nginx.conf (the nginx service mounts that very file; its upstream names the
 * compose nodes on the port the image listens on). nginx itself parses the file in the e2e tests.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const read = (file: string) => fs.readFileSync(path.join(root, file), "utf8");

/** The Dockerfile as stages: name → its instructions (continuation lines joined). */
function stages(text: string): Map<string, string[]> {
  const lines = text
    .replace(/\\\n\s*/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  const out = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const line of lines) {
    const from = /^FROM\s+\S+\s+AS\s+(\S+)$/i.exec(line);
    if (from) out.set(from[1]!, (current = []));
    else current?.push(line);
  }
  return out;
}

describe("Dockerfile", () => {
  const text = read("Dockerfile");
  const byName = stages(text);

  it("is multi-stage and its last stage — the default target — is the runtime", () => {
    expect([...byName.keys()]).toEqual(["deps", "build", "nginx", "runtime"]);
    for (const line of text.matchAll(/--from=(\S+)/g)) expect(byName.has(line[1]!), line[0]).toBe(true);
  });

  it("runs as a non-root user with DATA_DIR on a volume", () => {
    const runtime = byName.get("runtime")!;
    const user = runtime.find((l) => l.startsWith("USER "));
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^USER\s+(root|0)(:|$)/);
    expect(runtime.join("\n")).toMatch(/DATA_DIR=\/data/);
    expect(runtime).toContain('VOLUME ["/data"]');
    expect(runtime.join("\n")).toMatch(/chown node:node \/data/);
    expect(runtime.at(-1)).toBe('CMD ["node", "dist/server.mjs"]');
  });

  it("copies what the server needs at run time, and the build installs from the lockfile", () => {
    const copied = byName
      .get("runtime")!
      .filter((l) => l.startsWith("COPY --from=build"))
      .flatMap((l) => l.split(/\s+/).slice(2, -1))
      .map((p) => p.replace(/^\/app\//, ""));
    for (const needed of ["package.json", "next.config.mjs", "node_modules", ".next", "dist", "public"]) {
      expect(copied, needed).toContain(needed);
    }
    // next.config.mjs's own relative imports come along too.
    for (const m of read("next.config.mjs").matchAll(/from "\.\/([^"]+)"/g)) expect(copied, m[1]).toContain(m[1]);
    expect(byName.get("deps")!.join("\n")).toMatch(/npm ci/);
    expect(byName.get("build")!.join("\n")).toMatch(/npm run build && npm prune --omit=dev/);
  });

  it("nginx is Debian's, with deploy/nginx.conf as its one site", () => {
    const nginx = byName.get("nginx")!.join("\n");
    expect(text).toMatch(/FROM debian:\S+ AS nginx/);
    expect(nginx).toMatch(/apt-get install .*nginx/);
    expect(nginx).toMatch(/COPY deploy\/nginx\.conf \/etc\/nginx\/conf\.d\/pass\.conf/);
    expect(fs.statSync(path.join(root, "deploy/nginx-entrypoint.sh")).mode & 0o111).not.toBe(0);
  });
});

describe("deploy/compose.yaml", () => {
  const compose = read("deploy/compose.yaml");
  const site = read("deploy/nginx.conf");
  const servicesBlock = /^services:\n([\s\S]*?)(?=^\S)/m.exec(compose)![1]!;
  const services = [...servicesBlock.matchAll(/^ {2}([a-z][\w-]*):$/gm)].map((m) => m[1]);

  it("runs two nodes, PostgreSQL, Redis and nginx", () => {
    expect(services).toEqual(["postgres", "redis", "pass-a", "pass-b", "nginx"]);
  });

  it("mounts deploy/nginx.conf — the file the nginx tests run — as nginx's site", () => {
    expect(compose).toMatch(/^\s+- \.\/nginx\.conf:\/etc\/nginx\/conf\.d\/pass\.conf:ro$/m);
  });

  it("nginx's upstream is the compose nodes, on the port the image listens on", () => {
    const upstream = /upstream pass \{([\s\S]*?)\}/.exec(site)![1]!;
    const servers = [...upstream.matchAll(/^\s*server ([\w.-]+):(\d+)/gm)].map((m) => `${m[1]}:${m[2]}`);
    const port = /PORT=(\d+)/.exec(read("Dockerfile"))![1];
    expect(servers).toEqual([`pass-a:${port}`, `pass-b:${port}`]);
  });

  it("every node has its own DATA_DIR volume and the shared secrets", () => {
    for (const node of ["pass-a", "pass-b"]) {
      const block = new RegExp(`^ {2}${node}:\\n([\\s\\S]*?)(?=^ {2}\\S|^\\S)`, "m").exec(compose)![1]!;
      expect(block).toMatch(/<<: \*node/);
      expect(block).toMatch(new RegExp(`- ${node}-data:/data`));
    }
    const node = /^x-node: &node\n([\s\S]*?)(?=^\S)/m.exec(compose)![1]!;
    for (const name of ["DATABASE_URL", "REDIS_URL", "SESSION_SECRET", "TRUST_PROXY"]) expect(node).toMatch(new RegExp(`${name}:`));
    expect(node).toMatch(/target: runtime/);
  });
});
