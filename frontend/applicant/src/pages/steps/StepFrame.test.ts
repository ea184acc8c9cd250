import { describe, expect, it } from "vitest";
import { errorProps, fieldId, SECTIONS, stepNumber, stepPath, STEP_TITLES } from "./StepFrame";

describe("the steps", () => {
  it("are the API's four sections, then the review and the confirmation", () => {
    expect(SECTIONS).toEqual(["personal", "studies", "resources", "documents"]);
    expect(STEP_TITLES).toHaveLength(6);
    expect(SECTIONS.map(stepNumber)).toEqual([1, 2, 3, 4]);
    expect([1, 2, 3, 4, 5, 6].map((n) => stepPath("abc", n))).toEqual([
      "/applications/abc/steps/personal",
      "/applications/abc/steps/studies",
      "/applications/abc/steps/resources",
      "/applications/abc/steps/documents",
      "/applications/abc/review",
      "/applications/abc/confirmation",
    ]);
  });
});

describe("fieldId", () => {
  it("turns an API field into an input id", () => {
    expect(fieldId("phone")).toBe("f-phone");
    expect(fieldId("address.postcode")).toBe("f-address-postcode");
    expect(fieldId("lines[1].monthly_amount")).toBe("f-lines-1-monthly-amount");
    expect(fieldId("lines[1]")).toBe("f-lines-1");
  });

  it("gives distinct ids to distinct fields of a step", () => {
    const fields = ["address.line1", "address.line2", "address.postcode", "address.city", "lines[0].kind", "lines[0].monthly_amount", "lines[1].kind"];
    expect(new Set(fields.map(fieldId)).size).toBe(fields.length);
  });
});

describe("errorProps", () => {
  it("marks a field in error with its message, and only then", () => {
    expect(errorProps({ phone: "Numéro invalide" }, "phone")).toEqual({ state: "error", stateRelatedMessage: "Numéro invalide" });
    expect(errorProps({ phone: "Numéro invalide" }, "address.city")).toEqual({});
  });
});
