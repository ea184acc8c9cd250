// Global setup: a fresh `sejour serve` for the whole run (demo data loaded on
// its first start, plus the test records), ready when /api/health answers;
// the function returned stops it and keeps its log in test-results/.
import { spawn, execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, createWriteStream, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { testRecords } from "./records";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");

export default async function globalSetup(): Promise<() => Promise<void>> {
  const bin = resolve(root, process.env.SEJOUR_BIN ?? "../../target/debug/sejour");
  // Port 0: any free port (the banner says which), so that runs never collide.
  const addr = `127.0.0.1:${process.env.E2E_PORT ?? 0}`;
  const site = resolve(root, process.env.E2E_SITE ?? "dist");
  // Playwright has just emptied test-results/: the build report goes back in
  // (tests/weight.spec.ts checks the budget; its exit status is not ours).
  spawnSync(process.execPath, [join(root, "scripts/build-report.mjs"), site], { stdio: "ignore" });

  const dataDir = mkdtempSync(join(tmpdir(), "sejour-e2e-"));
  const log = join(dataDir, "..", `${dataDir.split("/").pop()}.log`);

  // The test records first: the demo data still loads on the first `serve`.
  const records = testRecords();
  const file = join(dataDir, "..", `${dataDir.split("/").pop()}-records.jsonl`);
  writeFileSync(file, Object.values(records).map((r) => JSON.stringify(r)).join("\n") + "\n");
  execFileSync(bin, ["import", "--data-dir", dataDir, file], { stdio: "pipe" });
  rmSync(file);
  process.env.E2E_RECORDS = JSON.stringify(records);
  process.env.E2E_DATA_DIR = dataDir;

  const out = createWriteStream(log);
  const server = spawn(bin, ["serve", "--addr", addr, "--data-dir", dataDir, "--site", site], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout.pipe(out);
  server.stderr.pipe(out);
  let banner = "";
  server.stdout.on("data", (chunk: Buffer) => (banner += chunk.toString()));
  let exited: number | null | undefined;
  const gone = new Promise<void>((done) =>
    server.on("exit", (code) => {
      exited = code;
      done();
    }),
  );

  // Ready when the banner has said where (the demo's agents take a few
  // seconds) and /api/health answers 200 there.
  const deadline = Date.now() + 90_000;
  let base = "";
  for (;;) {
    if (exited !== undefined) throw new Error(`sejour serve exited (${exited}); see ${log}`);
    if (Date.now() > deadline) {
      server.kill("SIGTERM");
      throw new Error(`sejour serve was not ready within 90 s; see ${log}`);
    }
    base = /Site and API\s+(http:\/\/\S+?)\/?\s/.exec(banner)?.[1] ?? "";
    const ok = base !== "" && banner.includes("E-photo") && (await fetch(`${base}/api/health`).then((r) => r.status === 200, () => false));
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }

  process.env.E2E_DEMO = JSON.stringify(readBanner(banner));
  process.env.E2E_BASE_URL = base;

  return async () => {
    if (exited === undefined) {
      server.kill("SIGTERM");
      await Promise.race([gone, new Promise((r) => setTimeout(r, 5_000))]);
      if (exited === undefined) server.kill("SIGKILL");
    }
    await new Promise<void>((done) => out.end(done));
    const results = resolve(root, "test-results");
    mkdirSync(results, { recursive: true });
    copyFileSync(log, join(results, "server.log"));
    rmSync(log, { force: true });
    rmSync(dataDir, { recursive: true, force: true });
  };
}

/** The demo logins, records and e-photo codes the banner prints. */
function readBanner(text: string) {
  const need = (re: RegExp) => {
    const m = re.exec(text);
    if (!m) throw new Error(`the banner of sejour serve has no ${re}:\n${text}`);
    return m;
  };
  const applicant = need(/Applicant\s+(\S+) \/ (\S+)/);
  const agents = need(/Agents\s+(\S+) \/ (\S+)/);
  const ephoto = need(/E-photo codes[^:]*:\s*(\S+) \(valid\),\s*(\S+)/);
  const records: Record<string, { kind: string; valid_from: string; valid_until: string }> = {};
  for (const m of text.matchAll(/^\s+(permit|visa)\s+(\S+)\s+(\d{4}-\d\d-\d\d)\s+(\d{4}-\d\d-\d\d)/gm))
    records[m[2]] = { kind: m[1], valid_from: m[3], valid_until: m[4] };
  return {
    applicant: { email: applicant[1], password: applicant[2] },
    agentEmail: agents[1],
    agentPassword: agents[2],
    ephotoValid: ephoto[1],
    ephotoExpired: ephoto[2],
    records,
  };
}
