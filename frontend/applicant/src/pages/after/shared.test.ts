import { describe, expect, it } from "vitest";
import { oneLine } from "./shared";

describe("oneLine", () => {
  it("turns line breaks and tabs into spaces (the API refuses control characters)", () => {
    expect(oneLine("Bonjour,\r\nvoici mon passeport.\n\n\tMerci")).toBe("Bonjour, voici mon passeport. Merci");
    expect(oneLine("sans retour")).toBe("sans retour");
  });
});
