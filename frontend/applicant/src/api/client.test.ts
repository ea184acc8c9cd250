import { describe, expect, it } from "vitest";
import { ApiFailure, etagOf, idempotencyKey, must, type Problem } from "./client";

const problem = (errors: Problem["errors"]): Problem =>
  ({ type: "about:blank", title: "Invalid", status: 422, code: "validation_failed", detail: "Some fields are invalid.", errors }) as Problem;

describe("ApiFailure.fieldErrors", () => {
  it("gives each field's message, by its JSON path", () => {
    const failure = new ApiFailure(
      422,
      problem([
        { field: "address.postcode", code: "invalid_postcode", message: "Code postal invalide" },
        { field: "resources[1].amount", code: "must_be_positive", message: "Montant positif" },
      ] as Problem["errors"]),
    );
    expect(failure.fieldErrors()).toEqual({ "address.postcode": "Code postal invalide", "resources[1].amount": "Montant positif" });
  });

  it("keeps the first message of a field named twice", () => {
    const failure = new ApiFailure(
      422,
      problem([
        { field: "phone", code: "required", message: "first" },
        { field: "phone", code: "invalid_phone", message: "second" },
      ] as Problem["errors"]),
    );
    expect(failure.fieldErrors()).toEqual({ phone: "first" });
  });

  it("is empty without a problem or without errors", () => {
    expect(new ApiFailure(0, null).fieldErrors()).toEqual({});
    expect(new ApiFailure(409, { ...problem([]), errors: undefined } as unknown as Problem).fieldErrors()).toEqual({});
  });

  it("carries the status, the detail and the code", () => {
    const failure = new ApiFailure(422, problem([]));
    expect(failure.status).toBe(422);
    expect(failure.message).toBe("Some fields are invalid.");
    expect(failure.is("validation_failed")).toBe(true);
    expect(failure.is("version_conflict")).toBe(false);
    expect(new ApiFailure(503, null).message).toBe("HTTP 503");
  });
});

describe("must", () => {
  const answer = (status: number, body?: unknown) => ({
    data: status < 300 ? body : undefined,
    error: status >= 300 ? body : undefined,
    response: new Response(null, { status }),
  });

  it("returns the data of a success", async () => {
    await expect(must(Promise.resolve(answer(200, { id: 1 })))).resolves.toEqual({ id: 1 });
  });

  it("throws the problem of a failure", async () => {
    const p = problem([]);
    const failure = await must(Promise.resolve(answer(422, p))).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiFailure);
    expect((failure as ApiFailure).status).toBe(422);
    expect((failure as ApiFailure).problem).toEqual(p);
  });

  it("throws a status-only failure for a body that is not a problem", async () => {
    const failure = (await must(Promise.resolve(answer(502, "Bad gateway"))).catch((e: unknown) => e)) as ApiFailure;
    expect(failure.status).toBe(502);
    expect(failure.problem).toBeNull();
  });

  it("throws status 0 when the network fails", async () => {
    const failure = (await must(Promise.reject(new TypeError("offline"))).catch((e: unknown) => e)) as ApiFailure;
    expect(failure.status).toBe(0);
  });
});

describe("etagOf and idempotencyKey", () => {
  it("reads the ETag", () => {
    expect(etagOf(new Response(null, { headers: { ETag: '"3"' } }))).toBe('"3"');
    expect(etagOf(new Response(null))).toBeNull();
  });

  it("makes a new key each time", () => {
    const a = idempotencyKey();
    expect(a).toMatch(/^[0-9a-f-]{36}$/);
    expect(idempotencyKey()).not.toBe(a);
  });
});
