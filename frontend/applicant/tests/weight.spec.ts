// Must show 4, measured in the browser: the JavaScript a first visit of `/`
// really loads (an empty cache), gzipped at level 9 as
// scripts/build-report.mjs counts it, stays under the budget; and when the
// build report of the same build is there, both count the same files.
import { test, expect } from "@playwright/test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { inflight, settled, watchOrigin } from "./support/browser";

const BUDGET_KB = 150;
const root = join(dirname(fileURLToPath(import.meta.url)), "..");

test("the first load of / weighs less than 150 kB of gzipped JavaScript", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
  const page = await context.newPage();
  const foreign = watchOrigin(page);
  const pending = inflight(page);
  const scripts: { url: string; raw: number; gzip: number }[] = [];
  const reading: Promise<void>[] = [];
  page.on("response", (response) => {
    if (response.request().resourceType() !== "script") return;
    reading.push(
      response.body().then((body) => {
        scripts.push({ url: new URL(response.url()).pathname, raw: body.length, gzip: gzipSync(body, { level: 9 }).length });
      }),
    );
  });
  await page.goto("/");
  await settled(page, pending);
  await Promise.all(reading);
  await context.close();

  const total = scripts.reduce((t, s) => ({ raw: t.raw + s.raw, gzip: t.gzip + s.gzip }), { raw: 0, gzip: 0 });
  mkdirSync(join(root, "test-results"), { recursive: true });
  writeFileSync(join(root, "test-results/first-load-browser.json"), JSON.stringify({ ...total, scripts }, null, 2) + "\n");
  test.info().annotations.push({ type: "first load", description: `${(total.gzip / 1000).toFixed(1)} kB gzip, ${(total.raw / 1000).toFixed(1)} kB raw, ${scripts.length} scripts` });

  expect(foreign, "requests outside the site's origin").toEqual([]);
  expect(scripts.length).toBeGreaterThan(0);
  expect(total.gzip, `first-load JavaScript: ${scripts.map((s) => `${s.url} ${s.gzip} B`).join(", ")}`).toBeLessThan(BUDGET_KB * 1000);

  // The build report of this build counts the same files (the one the server serves).
  const reportFile = join(resolve(root, process.env.E2E_SITE ?? "dist"), "build-report.json");
  if (!existsSync(reportFile)) return;
  const report = JSON.parse(readFileSync(reportFile, "utf8")) as { first_load: { files: { file: string }[] } };
  const counted = report.first_load.files.map((f) => `/${f.file}`).sort();
  const loaded = scripts.map((s) => s.url).sort();
  if (!counted.some((f) => loaded.includes(f))) return; // A report of another build.
  expect(loaded, "the scripts the browser loaded are those the build report counts").toEqual(counted);
});
