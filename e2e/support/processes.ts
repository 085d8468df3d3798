/** Real Pass server processes for end-to-end tests (the built dist/server.mjs). */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const SERVER = path.join(ROOT, "dist", "server.mjs");
export const CLI = path.join(ROOT, "dist", "pass.mjs");

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export type Started = { child: ChildProcess; port: number; dataDir: string; output: () => string; exited: Promise<number | null> };

/** `npm start`'s script: it builds when the build is older than the sources, then runs the server bundle. */
export const NPM_START = path.join(ROOT, "scripts", "start.mjs");

/** `entry`: the server bundle (default), or NPM_START for a spec that starts Pass as a newcomer does. */
export async function startServer(env: Record<string, string> = {}, { entry = SERVER }: { entry?: string } = {}): Promise<Started> {
  // A restart passes the previous DATA_DIR and PORT back in.
  const dataDir = env.DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), "pass-e2e-"));
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const child = spawn(process.execPath, [entry], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      DATA_DIR: dataDir,
      DATABASE_URL: "",
      REDIS_URL: "",
      PASS_ADMIN_PASSWORD: "",
      // The suite reconnects and orders faster than a restaurant; the limits themselves are tested in vitest.
      RATE_LIMIT_SCALE: "10",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  while (!out.includes("pass: ready on")) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, port, dataDir, output: () => out, exited };
}

export function cli(dataDir: string, args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "", REDIS_URL: "", ...env },
    encoding: "utf8",
  });
}
