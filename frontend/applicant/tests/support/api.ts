// The API from Node, for the tests' setup and checks: typed by the same
// generated schema as the site. No Origin header: the API refuses
// cross-origin writes from browsers only. Bodies as in the Rust journeys
// (tests/src/support/filing.rs).
import createClient from "openapi-fetch";
import type { components, paths } from "../../src/api/schema";
import { emailOf, PASSWORD, type Role, type TestRecord } from "./records";

export type S = components["schemas"];
export type Client = ReturnType<typeof createClient<paths>>;

/** The server of this run (tests/support/server.ts starts it). */
export const BASE = process.env.E2E_BASE_URL ?? "http://e2e-base-url.invalid";

/** What the server's banner said (tests/support/server.ts reads it). */
export type Demo = {
  applicant: { email: string; password: string };
  agentEmail: string;
  agentPassword: string;
  ephotoValid: string;
  ephotoExpired: string;
  records: Record<string, { kind: string; valid_from: string; valid_until: string }>;
};

export function demo(): Demo {
  if (!process.env.E2E_DEMO) throw new Error("E2E_DEMO is not set: run through playwright.config.ts");
  return JSON.parse(process.env.E2E_DEMO) as Demo;
}

export function testRecord(role: Role): TestRecord {
  if (!process.env.E2E_RECORDS) throw new Error("E2E_RECORDS is not set: run through playwright.config.ts");
  return (JSON.parse(process.env.E2E_RECORDS) as Record<Role, TestRecord>)[role];
}

/** The agent of a préfecture: `agent.<code>@…` as the banner says. */
export function agentEmail(prefecture: string): string {
  return demo().agentEmail.replace("<code>", prefecture.toLowerCase());
}

export function client(token?: string, lang: "fr" | "en" = "fr"): Client {
  const headers: Record<string, string> = { "Accept-Language": lang };
  if (token) headers.Authorization = `Bearer ${token}`;
  return createClient<paths>({ baseUrl: BASE, headers });
}

/** The data of a call, or an error that says what the API answered. */
export async function ok<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>, what = "call"): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw new Error(`${what}: ${response.status} ${JSON.stringify(error)}`);
  return data as T;
}

export async function login(email: string, password: string): Promise<{ token: string; api: Client }> {
  const body = await ok(client().POST("/api/auth/login", { body: { email, password } }), `login ${email}`);
  return { token: body.token, api: client(body.token) };
}

// The local mailbox (server-rendered, newest first).

/** The links of the newest email to `to` whose subject matches, read from /mailbox. */
export async function mailLinks(to: string, subject?: RegExp): Promise<string[]> {
  const list = await (await fetch(`${BASE}/mailbox?lang=fr`)).text();
  for (const item of list.split("<li>").slice(1)) {
    const href = /href="([^"]+)"/.exec(item)?.[1];
    const title = />([^<]+)<\/a>/.exec(item)?.[1] ?? "";
    if (!href || !item.includes(to) || (subject && !subject.test(title))) continue;
    const mail = await (await fetch(`${BASE}${href.replace(/&amp;/g, "&")}`)).text();
    return [...mail.matchAll(/href="(https?:[^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, "&"));
  }
  return [];
}

/** The newest link to `path` emailed to `to`, as soon as the outbox has delivered it. */
export async function mailedLink(to: string, path: string, timeout = 15_000): Promise<string> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const link = (await mailLinks(to)).find((l) => new URL(l).pathname === path);
    if (link) return link;
    if (Date.now() > deadline) throw new Error(`no link to ${path} emailed to ${to} within ${timeout / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function verificationToken(email: string): Promise<string> {
  const link = await mailedLink(email, "/verify-email");
  return new URL(link).searchParams.get("token")!;
}

/**
 * An account activated with the role's test record, its address verified
 * through the emailed link: logged in. A second call logs in again.
 */
export async function account(role: Role): Promise<{ email: string; token: string; api: Client }> {
  const email = emailOf(role);
  const attempt = await client().POST("/api/auth/login", { body: { email, password: PASSWORD } });
  if (attempt.response.ok && attempt.data) return { email, token: attempt.data.token, api: client(attempt.data.token) };
  const r = testRecord(role);
  await ok(
    client().POST("/api/accounts/activate", {
      body: { kind: r.kind, number: r.number, valid_from: r.valid_from, valid_until: r.valid_until, email, password: PASSWORD, language: "fr" },
    }),
    `activate ${role}`,
  );
  const token = await verificationToken(email);
  const verified = await client().POST("/api/accounts/verify-email", { body: { token } });
  if (!verified.response.ok) throw new Error(`verify-email: ${verified.response.status}`);
  return { email, ...(await login(email, PASSWORD)) };
}

// Filing, as the Rust journeys do.

export const PERSONAL: S["PersonalInput"] = {
  usage_name: null,
  family_situation: "single",
  spouse_in_france: false,
  spouse_nationality: null,
  children_in_france: 0,
  address: { line1: "12 rue de la République", line2: "Bâtiment B", postcode: "69003", city: "Lyon" },
  phone: "06 12 34 56 78",
};

export const STUDIES: S["StudiesStepInput"] = {
  institution_type: "university",
  cycle: "master",
  level: "m1",
  discipline: "computer_science",
  institution_name: "Université Lumière Lyon 2",
  academic_year: "2026-2027",
};

export const RESOURCES: S["ResourcesInput"] = {
  lines: [
    { kind: "scholarship", monthly_amount: 45000 },
    { kind: "family_support", monthly_amount: 25000 },
  ],
  explanation: "Bourse du gouvernement et aide de mes parents",
  housed_free_of_charge: false,
};

export const SECTIONS: S["Section"][] = ["personal", "studies", "resources", "documents"];

export async function application(api: Client, id: string): Promise<S["ApplicationView"]> {
  return ok(api.GET("/api/applications/{id}", { params: { path: { id } } }), "application");
}

export async function saveStep(api: Client, id: string, step: S["Section"], body: S["StepBody"]): Promise<S["ApplicationView"]> {
  const { version } = await application(api, id);
  return ok(
    api.PUT("/api/applications/{id}/steps/{step}", { params: { path: { id, step }, header: { "If-Match": `"${version}"` } }, body }),
    `save ${step}`,
  );
}

/** A small but real PDF header: storage and confirm look at the first bytes. */
export function pdfBytes(label: string): Buffer {
  return Buffer.from(`%PDF-1.4\n% ${label}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`);
}

/** Ask for the signed URL, PUT the bytes with its signed headers, confirm. */
export async function attach(
  api: Client,
  id: string,
  kind: S["DocumentKind"],
  bytes: Buffer = pdfBytes(kind),
  contentType: S["FileType"] = "application/pdf",
  fileName = `${kind}.pdf`,
  base: "applicant" | "agent" = "applicant",
): Promise<S["DocumentView"]> {
  const body = { kind, file_name: fileName, content_type: contentType, size: bytes.length };
  const ticket =
    base === "applicant"
      ? await ok(api.POST("/api/applications/{id}/documents", { params: { path: { id } }, body }), `upload ${kind}`)
      : await ok(api.POST("/api/agent/applications/{id}/documents", { params: { path: { id } }, body }), `upload ${kind}`);
  const headers = new Headers();
  for (const [name, value] of ticket.upload.headers) if (name.toLowerCase() !== "content-length") headers.set(name, value);
  const put = await fetch(new URL(ticket.upload.url, BASE), { method: ticket.upload.method, headers, body: new Uint8Array(bytes) });
  if (!put.ok) throw new Error(`PUT ${kind}: ${put.status} ${await put.text()}`);
  const doc = ticket.document.id;
  const confirmed =
    base === "applicant"
      ? await ok(api.POST("/api/applications/{id}/documents/{doc}/confirm", { params: { path: { id, doc } } }), `confirm ${kind}`)
      : await ok(api.POST("/api/agent/applications/{id}/documents/{doc}/confirm", { params: { path: { id, doc } } }), `confirm ${kind}`);
  return confirmed.document;
}

/** The draft of the account (the existing one, or a new one). */
export async function draft(api: Client): Promise<S["ApplicationView"]> {
  const list = await ok(api.GET("/api/applications"), "applications");
  const current = list.applications[0];
  if (current) return application(api, current.id);
  return ok(api.POST("/api/applications"), "create");
}

/** Every step saved and every required document accepted. */
export async function fillIn(api: Client, id: string): Promise<S["ApplicationView"]> {
  await saveStep(api, id, "personal", PERSONAL);
  await saveStep(api, id, "studies", STUDIES);
  await saveStep(api, id, "resources", RESOURCES);
  await saveStep(api, id, "documents", { ephoto_code: demo().ephotoValid });
  const view = await application(api, id);
  for (const kind of view.documents.required) await attach(api, id, kind);
  return application(api, id);
}

export async function validateAll(api: Client, id: string): Promise<S["ApplicationView"]> {
  let view: S["ApplicationView"] | undefined;
  for (const section of SECTIONS)
    view = await ok(api.POST("/api/applications/{id}/review/{section}", { params: { path: { id, section } } }), `validate ${section}`);
  return view!;
}

export async function submit(api: Client, id: string): Promise<S["Submitted"]> {
  return ok(
    api.POST("/api/applications/{id}/submit", {
      params: { path: { id }, header: { "Idempotency-Key": `e2e-${id}` } },
      body: { comment: null },
    }),
    "submit",
  );
}

/** The demo agent of the case's préfecture, logged in. */
export async function agentOf(view: S["ApplicationView"]): Promise<Client> {
  const code = view.prefecture?.code;
  if (!code) throw new Error("the application has no préfecture yet");
  return (await login(agentEmail(code), demo().agentPassword)).api;
}

/** The agent starts the review and asks to replace one document. */
export async function requestComplement(agent: Client, id: string, kind: S["DocumentKind"], reason: string): Promise<S["CaseView"]> {
  await ok(agent.POST("/api/agent/applications/{id}/review", { params: { path: { id } } }), "start review");
  const before = await ok(agent.GET("/api/agent/applications/{id}", { params: { path: { id } } }), "case");
  const doc = before.documents.find((d) => d.kind === kind && d.status === "accepted");
  return ok(
    agent.POST("/api/agent/applications/{id}/complement-request", {
      params: { path: { id } },
      body: { message: "Merci de compléter votre dossier.", items: [{ kind, document_id: doc?.id ?? null, reason }] },
    }),
    "complement request",
  );
}

/** The account's application, filled, validated and submitted (as it is if it already was). */
export async function filed(api: Client): Promise<S["ApplicationView"]> {
  const view = await draft(api);
  if (view.status !== "draft") return view;
  if (view.missing.length) await fillIn(api, view.id);
  await validateAll(api, view.id);
  return (await submit(api, view.id)).application;
}
