// What the browser tests share: sessions made through the API, waiting for
// a page to be settled, the axe check and its readable report.
import AxeBuilder from "@axe-core/playwright";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "@playwright/test";
import { expect } from "@playwright/test";
import { BASE } from "./api";

export type Lang = "fr" | "en";
export const WIDTHS = [360, 1280] as const;
export const LANGS: Lang[] = ["fr", "en"];

type StorageState = Awaited<ReturnType<BrowserContext["storageState"]>>;

/** A browser session of `email` (the API's cookie), to open contexts with. */
export async function sessionOf(browser: Browser, email: string, password: string): Promise<StorageState> {
  const context = await browser.newContext({ baseURL: BASE });
  const response = await context.request.post("/api/auth/login", { data: { email, password } });
  expect(response.status(), `login of ${email}: ${await response.text()}`).toBe(200);
  const state = await context.storageState();
  await context.close();
  if (!state.cookies.some((c) => c.name === "sejour_session")) throw new Error("the login set no session cookie");
  return state;
}

/** `path` with `lang=` added to its query. */
export function withLang(path: string, lang: Lang): string {
  return `${path}${path.includes("?") ? "&" : "?"}lang=${lang}`;
}

/** Counts the page's requests in flight, from now on. */
export function inflight(page: Page): () => number {
  let n = 0;
  page.on("request", () => n++);
  page.on("requestfinished", () => n--);
  page.on("requestfailed", () => n--);
  return () => n;
}

/**
 * Wait until the page is settled: its h1 shown, the loading statuses gone,
 * the DSFR's script started, no request in flight across two frames (as
 * "networkidle" does, without its half second per page).
 */
export async function settled(page: Page, pending: () => number): Promise<void> {
  // One check in the page at each frame (faster than polling from here).
  await page.waitForFunction(
    () => {
      const h1 = document.querySelector("main h1");
      if (!h1 || !(h1 as HTMLElement).offsetParent || !h1.textContent?.trim()) return false;
      if (!document.documentElement.hasAttribute("data-fr-js")) return false;
      const loading = [...document.querySelectorAll('[role="status"]')].some((el) => /^(Chargement|Loading)|^…$/.test(el.textContent?.trim() ?? ""));
      return !loading;
    },
    undefined,
    { polling: "raf", timeout: 15_000 },
  );
  const frames = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  for (let quiet = 0; quiet < 2; ) {
    await frames();
    quiet = pending() === 0 ? quiet + 1 : 0;
  }
}

/** The WCAG 2.1 A and AA rules, as RGAA asks. */
export const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

export type Violation = { id: string; impact: string; help: string; targets: string[] };

export async function axeViolations(page: Page): Promise<Violation[]> {
  // Violations only: collecting the passes' details doubles the time.
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).options({ resultTypes: ["violations"] }).analyze();
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact ?? "",
    help: v.help,
    targets: v.nodes.map((n) => `${n.target.join(" ")}${n.failureSummary ? ` (${n.failureSummary.replace(/\s+/g, " ").trim()})` : ""}`),
  }));
}

export function describeViolations(where: string, violations: Violation[]): string {
  return [
    `${violations.length} axe violation(s) on ${where}:`,
    ...violations.map((v) => `  - ${v.id} [${v.impact}] ${v.help}\n${v.targets.map((t) => `      at ${t}`).join("\n")}`),
  ].join("\n");
}

/** Whether the page scrolls sideways (it must not, at 360 px). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** Requests that left the site's origin (CSP would block them; none may be tried). */
export function watchOrigin(page: Page): string[] {
  const foreign: string[] = [];
  const origin = new URL(BASE).origin;
  page.on("request", (r) => {
    const url = r.url();
    if (/^(data|blob):/.test(url)) return;
    if (new URL(url).origin !== origin) foreign.push(url);
  });
  return foreign;
}

const here = dirname(fileURLToPath(import.meta.url));
export const SCREENS = join(here, "../../test-results/screens");

/** A full-page screenshot, `test-results/screens/NN-name.png`. */
export async function screen(page: Page, n: number, name: string): Promise<void> {
  mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: join(SCREENS, `${String(n).padStart(2, "0")}-${name}.png`), fullPage: true });
}
