import { describe, expect, it } from "vitest";
import { ApiFailure, type Problem } from "../../api/client";
import { colon, failureText, fieldCodes, otherErrors, plural, safeNext, summaryItems } from "./form";

describe("safeNext", () => {
  it("keeps a path of this site", () => {
    expect(safeNext("/applications/1/steps/personal")).toBe("/applications/1/steps/personal");
    expect(safeNext("/notifications?lang=en")).toBe("/notifications?lang=en");
  });

  it("never sends to another site", () => {
    for (const next of ["https://evil.example", "//evil.example", "/\\evil.example", "javascript:alert(1)", "evil", ""])
      expect(safeNext(next), next).toBeNull();
    expect(safeNext(null)).toBeNull();
  });
});

describe("plural and colon", () => {
  it("chooses by the number", () => {
    expect(plural(1, "{n} notification", "{n} notifications")).toBe("1 notification");
    expect(plural(0, "{n} notification", "{n} notifications")).toBe("0 notifications");
    expect(plural(3, "{n} notification", "{n} notifications")).toBe("3 notifications");
  });

  it("follows each language's typography", () => {
    expect(colon("fr")).toBe("\u00a0: ");
    expect(colon("en")).toBe(": ");
  });
});

describe("the API's field errors", () => {
  const failure = new ApiFailure(422, {
    code: "validation_failed",
    detail: "Des champs sont invalides.",
    errors: [
      { field: "email", code: "invalid_email", message: "Adresse invalide" },
      { field: "email", code: "required", message: "Obligatoire" },
      { field: "password", code: "too_short", message: "Trop court" },
    ],
  } as unknown as Problem);

  it("gives the first code of each field", () => {
    expect(fieldCodes(failure)).toEqual({ email: "invalid_email", password: "too_short" });
  });

  it("lists the summary in the form's order, labelled", () => {
    const errors = { password: "Trop court", email: "Adresse invalide" };
    expect(
      summaryItems(errors, [["email", "login-email", "Adresse électronique"], ["password", "login-password", "Mot de passe"], ["other", "x", "Autre"]], "en"),
    ).toEqual([
      { target: "login-email", text: "Adresse électronique: Adresse invalide" },
      { target: "login-password", text: "Mot de passe: Trop court" },
    ]);
  });

  it("keeps the errors the form has no field for", () => {
    expect(otherErrors({ email: "a", language: "b" }, ["email"])).toEqual(["b"]);
  });

  it("words a failure: the API's detail, the network, or something else", () => {
    expect(failureText(failure, "fr")).toBe("Des champs sont invalides.");
    expect(failureText(new ApiFailure(0, null), "en")).toMatch(/does not answer/);
    expect(failureText(new Error("boom"), "fr")).toMatch(/Une erreur est survenue/);
  });
});
