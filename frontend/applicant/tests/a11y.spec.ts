// Must show 2: axe (WCAG 2.1 A and AA) finds no violation on any page of
// src/routes.tsx, at 360 and 1280 px, in French and in English; and no page
// scrolls sideways at 360 px or calls anything outside the site's origin.
// The states the pages need (a draft, a submitted case, a case with a
// complement request and messages) are made through the API first.
import { test, expect, type Browser, type BrowserContext } from "@playwright/test";
import * as A from "./support/api";
import { PASSWORD } from "./support/records";
import {
  axeViolations,
  describeViolations,
  horizontalOverflow,
  inflight,
  LANGS,
  sessionOf,
  settled,
  watchOrigin,
  WIDTHS,
  withLang,
} from "./support/browser";

type Who = "anonymous" | "draft" | "submitted" | "case";
type Target = { name: string; path: string; who: Who };

let targets: Target[] = [];
const sessions = new Map<Who, Awaited<ReturnType<typeof sessionOf>>>();

async function prepare(browser: Browser): Promise<void> {
  // Idempotent: a worker restarted after a failure prepares again.
  // A draft, every step filled and every document accepted (steps 1–4, review).
  const draft = await A.account("a11y-draft");
  const d = await A.draft(draft.api);
  if (d.missing.length) await A.fillIn(draft.api, d.id);

  // A submitted case (confirmation, the public check of its receipt).
  const submitted = await A.account("a11y-submitted");
  const s = await A.filed(submitted.api);

  // A case under review with a complement request and a conversation.
  const kase = await A.account("a11y-case");
  const c = await A.filed(kase.api);
  if (c.status === "submitted") {
    const agent = await A.agentOf(c);
    await A.requestComplement(agent, c.id, "passport", "La page d’identité est illisible.");
    const message = (text: string) => ({ params: { path: { id: c.id } }, body: { text, attachments: [] } });
    await A.ok(kase.api.POST("/api/applications/{id}/messages", message("Bonjour, je vous envoie mon passeport demain.")), "message");
    await A.ok(agent.POST("/api/agent/applications/{id}/messages", message("Merci, nous attendons le document.")), "agent message");
  }
  const code = s.receipt?.verification_code;
  if (!code) throw new Error("the submitted case has no receipt");

  sessions.set("draft", await sessionOf(browser, draft.email, PASSWORD));
  sessions.set("submitted", await sessionOf(browser, submitted.email, PASSWORD));
  sessions.set("case", await sessionOf(browser, kase.email, PASSWORD));

  targets = [
    { name: "home", path: "/", who: "anonymous" },
    { name: "login", path: "/login", who: "anonymous" },
    { name: "activate-permit", path: "/activate/permit", who: "anonymous" },
    { name: "activate-visa", path: "/activate/visa", who: "anonymous" },
    { name: "verify-email (bad token)", path: "/verify-email?token=not-a-token", who: "anonymous" },
    { name: "forgot-password", path: "/forgot-password", who: "anonymous" },
    { name: "reset-password", path: "/reset-password?token=not-a-token", who: "anonymous" },
    { name: "verify", path: "/verify", who: "anonymous" },
    { name: "verify with a code", path: `/verify/${encodeURIComponent(code)}`, who: "anonymous" },
    { name: "verify an unknown code", path: "/verify/ABCD-EFGH-JKMN", who: "anonymous" },
    { name: "not-found", path: "/nowhere", who: "anonymous" },
    { name: "account (draft)", path: "/account", who: "draft" },
    { name: "account (case)", path: "/account", who: "case" },
    { name: "profile", path: "/profile", who: "case" },
    { name: "notifications", path: "/notifications", who: "case" },
    ...A.SECTIONS.map((s, i) => ({ name: `step ${i + 1} ${s}`, path: `/applications/${d.id}/steps/${s}`, who: "draft" as const })),
    { name: "review", path: `/applications/${d.id}/review`, who: "draft" },
    { name: "confirmation", path: `/applications/${s.id}/confirmation`, who: "submitted" },
    { name: "case (submitted)", path: `/applications/${s.id}`, who: "submitted" },
    { name: "case (complement requested)", path: `/applications/${c.id}`, who: "case" },
    { name: "complement", path: `/applications/${c.id}/complement`, who: "case" },
    { name: "messages", path: `/applications/${c.id}/messages`, who: "case" },
  ];
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(60_000);
  await prepare(browser);
});

/** Pages checked at once: the test runner mostly waits, the two cores do not. */
const AT_ONCE = 2;

for (const width of WIDTHS) {
  for (const lang of LANGS) {
    test(`axe: every page at ${width} px in ${lang === "fr" ? "French" : "English"}`, async ({ browser }) => {
      test.setTimeout(180_000);
      const problems: string[] = [];
      // One browser context per account (its session), opened once.
      const contexts = new Map<Who, Promise<BrowserContext>>();
      const contextOf = (who: Who) => {
        if (!contexts.has(who))
          contexts.set(
            who,
            browser.newContext({
              baseURL: A.BASE,
              viewport: { width, height: 800 },
              locale: lang === "fr" ? "fr-FR" : "en-GB",
              storageState: sessions.get(who),
            }),
          );
        return contexts.get(who)!;
      };

      const check = async (target: Target) => {
        const page = await (await contextOf(target.who)).newPage();
        const foreign = watchOrigin(page);
        const pending = inflight(page);
        const where = `${target.name} (${target.path}, ${width} px, ${lang})`;
        const t0 = Date.now();
        try {
          await page.goto(withLang(target.path, lang));
          try {
            await settled(page, pending);
          } catch (e) {
            problems.push(`${where} did not settle: ${String(e).split("\n")[0]}`);
            return;
          }
          const htmlLang = await page.locator("html").getAttribute("lang");
          if (htmlLang !== lang) problems.push(`${where}: <html lang="${htmlLang}">`);
          const t1 = Date.now();
          const violations = await axeViolations(page);
          if (process.env.E2E_TIMING) console.log(`${t1 - t0} + ${Date.now() - t1} ms ${where}`);
          if (violations.length) problems.push(describeViolations(where, violations));
          if (width === 360) {
            const overflow = await horizontalOverflow(page);
            if (overflow > 0) problems.push(`${where} scrolls sideways by ${overflow} px`);
          }
          if (foreign.length) problems.push(`${where} called outside the site: ${foreign.join(", ")}`);
        } finally {
          await page.close();
        }
      };

      const queue = [...targets];
      await Promise.all(
        Array.from({ length: AT_ONCE }, async () => {
          for (let target; (target = queue.shift()); ) await check(target);
        }),
      );
      for (const context of contexts.values()) await (await context).close();
      expect(problems, problems.join("\n\n")).toEqual([]);
    });
  }
}
