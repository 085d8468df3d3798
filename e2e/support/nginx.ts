/**
 * Debian's nginx for end-to-end tests: a private instance (never the system service) in a
 * temporary prefix — its own pid file, logs and temp paths — listening on a free loopback port,
 * in front of Pass nodes the spec started. The site config is the README's "Behind nginx"
 * snippet, with only its ports replaced, so the test runs what the README tells people to run.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { freePort, ROOT } from "./processes";

export const NGINX = process.env.NGINX_PATH ?? (fs.existsSync("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx");

export function nginxAvailable(): boolean {
  return spawnSync(NGINX, ["-v"], { stdio: "ignore" }).status === 0;
}

/** The README's ```nginx block under "## Behind nginx": an `upstream pass` (ports 3001, 3002) and a `server` on port 80. */
export function readmeNginxSnippet(): string {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const section = readme.split(/^## Behind nginx$/m)[1];
  const block = section?.match(/```nginx\n([\s\S]*?)\n```/)?.[1];
  if (!block) throw new Error('README.md has no ```nginx block under "## Behind nginx"');
  return block;
}

/** The snippet with its nodes on `nodes` (in order; it names two) and its listener on 127.0.0.1:`port`. */
export function siteConfig(snippet: string, { port, nodes }: { port: number; nodes: number[] }): string {
  if ([...snippet.matchAll(/^\s*server 127\.0\.0\.1:\d+.*;$/gm)].length !== 2 || !/^\s*listen 80;$/m.test(snippet)) {
    throw new Error("the README's nginx snippet no longer has two `server 127.0.0.1:PORT …;` lines and `listen 80;`");
  }
  let i = 0;
  let out = snippet.replace(/^(\s*)server 127\.0\.0\.1:\d+(.*);$/gm, (_line, indent: string, rest: string) => {
    const node = nodes[i++];
    // Fewer nodes than the snippet names: the extra line goes (a single-node deployment).
    return node === undefined ? "" : `${indent}server 127.0.0.1:${node}${rest};`;
  });
  out = out.replace(/^(\s*)listen 80;$/m, `$1listen 127.0.0.1:${port};`);
  return out;
}

export type Nginx = {
  port: number;
  origin: string;
  dir: string;
  child: ChildProcess;
  /** nginx's error log and access log (one line per request: upstream address and status). */
  logs: () => string;
  stop: () => Promise<void>;
};

/** Starts nginx (`daemon off`, one worker) with `site` inside `http { }`; resolves once it accepts connections. */
export async function startNginx(site: (port: number) => string): Promise<Nginx> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pass-nginx-"));
  // Workers of a root master run as nobody: they need to reach the temp paths in here.
  fs.chmodSync(dir, 0o755);
  const port = await freePort();
  const file = (name: string) => path.join(dir, name);
  const conf = `
daemon off;
master_process on;
worker_processes 1;
pid ${file("nginx.pid")};
lock_file ${file("nginx.lock")};
error_log ${file("error.log")} info;
events { worker_connections 512; }
http {
    log_format upstream '$remote_addr "$request" $status upstream=$upstream_addr/$upstream_status rt=$request_time';
    access_log ${file("access.log")} upstream;
    client_body_temp_path ${file("client_body")};
    proxy_temp_path ${file("proxy")};
    fastcgi_temp_path ${file("fastcgi")};
    uwsgi_temp_path ${file("uwsgi")};
    scgi_temp_path ${file("scgi")};
${site(port)}
}
`;
  fs.writeFileSync(file("nginx.conf"), conf);
  const child = spawn(NGINX, ["-p", dir, "-c", file("nginx.conf"), "-e", file("error.log")], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  const read = (name: string) => (fs.existsSync(file(name)) ? fs.readFileSync(file(name), "utf8") : "");
  const logs = () => `${out}--- error.log\n${read("error.log")}--- access.log\n${read("access.log")}`;
  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`nginx did not start:\n${logs()}\n--- nginx.conf\n${conf}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    // Fast shutdown (SIGTERM) closes open streams; the master then stops its worker and exits.
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
    await exited;
    clearTimeout(timer);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { port, origin: `http://127.0.0.1:${port}`, dir, child, logs, stop };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
