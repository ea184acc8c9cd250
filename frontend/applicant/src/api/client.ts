// The one way the site talks to the API: openapi-fetch over the types that
// `npm run types` generates from the server's /api/openapi.json. Same origin,
// the session in its HttpOnly cookie, the language in `Accept-Language` (the
// API answers its problems in it).
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";
import { currentLang } from "../i18n";

export type Schemas = components["schemas"];
export type Problem = Schemas["Problem"];
export type FieldCode = Schemas["FieldCode"];
export type ProblemCode = Schemas["ProblemCode"];

const language: Middleware = {
  onRequest({ request }) {
    request.headers.set("Accept-Language", currentLang());
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: window.location.origin, credentials: "same-origin" });
api.use(language);

/** An answer that is not a success: the API's problem, or a network failure. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
  ) {
    super(problem?.detail ?? `HTTP ${status}`);
  }

  /** The message of each invalid field, by field name (`address.postcode`). */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem?.errors ?? []) if (!(e.field in out)) out[e.field] = e.message;
    return out;
  }

  is(code: ProblemCode): boolean {
    return this.problem?.code === code;
  }
}

/**
 * The data of an openapi-fetch answer, or an ApiFailure thrown with the
 * problem. `await must(api.GET("/api/me"))`.
 */
export async function must<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let answer;
  try {
    answer = await call;
  } catch {
    throw new ApiFailure(0, null);
  }
  const { data, error, response } = answer;
  if (response.ok) return data as T;
  const problem = error && typeof error === "object" && "code" in error ? (error as Problem) : null;
  throw new ApiFailure(response.status, problem);
}

/** The strong version of an answer (`ETag: "3"`), sent back as `If-Match`. */
export function etagOf(response: Response): string | null {
  return response.headers.get("ETag");
}

/** A fresh `Idempotency-Key` for a write that must happen once. */
export function idempotencyKey(): string {
  return crypto.randomUUID();
}
