/**
 * Debian's nginx for end-to-end tests: a private instance (never the system service) in a
 * temporary prefix — its own pid file, logs and temp paths — listening on a free loopback port,
 * in front of Pass nodes the spec started. The site config is deploy/nginx.conf — the file the
 * compose setup mounts — with only its node addresses, ports and certificate replaced, so the test
 * runs what docs/deploy.md tells people to run.
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

/** deploy/nginx.conf: the site deploy/compose.yaml mounts (`upstream pass` with two nodes, `listen 80` and `listen 443 ssl http2`). */
export function deployNginxConfig(): string {
  return fs.readFileSync(path.join(ROOT, "deploy", "nginx.conf"), "utf8");
}

/**
 * The site with its nodes on `nodes` (in order; the file names two), its plain listener on
 * 127.0.0.1:`port` and its TLS listener on 127.0.0.1:`tlsPort` with the certificate `tls`.
 * Nothing else changes.
 */
export function siteConfig(
  site: string,
  { port, tlsPort, tls, nodes }: { port: number; tlsPort: number; tls: { cert: string; key: string }; nodes: number[] },
): string {
  const checks: [RegExp, number][] = [
    [/^\s*server [\w.-]+:\d+.*;$/gm, 2],
    [/^\s*listen 80;$/gm, 1],
    [/^\s*listen 443 ssl http2;$/gm, 1],
    [/^\s*ssl_certificate \S+;$/gm, 1],
    [/^\s*ssl_certificate_key \S+;$/gm, 1],
  ];
  for (const [re, count] of checks) {
    if ([...site.matchAll(re)].length !== count) throw new Error(`deploy/nginx.conf no longer has ${count} line(s) matching ${re}`);
  }
  let i = 0;
  let out = site.replace(/^(\s*)server [\w.-]+:\d+(.*);$/gm, (_line, indent: string, rest: string) => {
    const node = nodes[i++];
    // Fewer nodes than the file names: the extra line goes (a single-node deployment).
    return node === undefined ? "" : `${indent}server 127.0.0.1:${node}${rest};`;
  });
  out = out.replace(/^(\s*)listen 80;$/m, `$1listen 127.0.0.1:${port};`);
  out = out.replace(/^(\s*)listen 443 ssl http2;$/m, `$1listen 127.0.0.1:${tlsPort} ssl http2;`);
  out = out.replace(/^(\s*)ssl_certificate \S+;$/m, `$1ssl_certificate ${tls.cert};`);
  out = out.replace(/^(\s*)ssl_certificate_key \S+;$/m, `$1ssl_certificate_key ${tls.key};`);
  return out;
}

/** A self-signed certificate for 127.0.0.1 in `dir` (openssl, as Debian ships it). */
function selfSigned(dir: string): { cert: string; key: string } {
  const cert = path.join(dir, "pass.crt");
  const key = path.join(dir, "pass.key");
  const out = spawnSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "2",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
    ].concat(["-keyout", key, "-out", cert]),
    { encoding: "utf8" },
  );
  if (out.status !== 0) throw new Error(`openssl could not make a test certificate:\n${out.stderr}`);
  fs.chmodSync(key, 0o644);
  return { cert, key };
}

export type Nginx = {
  port: number;
  origin: string;
  /** The TLS listener (HTTP/2), a self-signed certificate for 127.0.0.1. */
  tlsOrigin: string;
  dir: string;
  child: ChildProcess;
  /** nginx's error log and access log (one line per request: upstream address and status). */
  logs: () => string;
  stop: () => Promise<void>;
};

/** Starts nginx (`daemon off`, one worker) with `site` inside `http { }`; resolves once it accepts connections. */
export async function startNginx(
  site: (listen: { port: number; tlsPort: number; tls: { cert: string; key: string } }) => string,
): Promise<Nginx> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pass-nginx-"));
  // Workers of a root master run as nobody: they need to reach the temp paths in here.
  fs.chmodSync(dir, 0o755);
  const port = await freePort();
  const tlsPort = await freePort();
  const tls = selfSigned(dir);
  const file = (name: string) => path.join(dir, name);
  const conf = `
daemon off;
master_process on;
worker_processes 1;
worker_rlimit_nofile 8192;
pid ${file("nginx.pid")};
lock_file ${file("nginx.lock")};
error_log ${file("error.log")} info;
events { worker_connections 4096; }
http {
    log_format upstream '$remote_addr "$request" $status upstream=$upstream_addr/$upstream_status rt=$request_time';
    access_log ${file("access.log")} upstream;
    client_body_temp_path ${file("client_body")};
    proxy_temp_path ${file("proxy")};
    fastcgi_temp_path ${file("fastcgi")};
    uwsgi_temp_path ${file("uwsgi")};
    scgi_temp_path ${file("scgi")};
${site({ port, tlsPort, tls })}
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
  return { port, origin: `http://127.0.0.1:${port}`, tlsOrigin: `https://127.0.0.1:${tlsPort}`, dir, child, logs, stop };
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
