import { afterEach, describe, expect, it, vi } from "vitest";
import { formatDate, formatDateTime, formatEuros, initialLang, isLang } from "./i18n";

// Intl puts (narrow) no-break spaces in numbers and currencies.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

describe("formatDate", () => {
  it("writes a date in full, in each language", () => {
    expect(formatDate("2026-12-01", "fr")).toBe("1 décembre 2026");
    expect(formatDate("2026-12-01", "en")).toBe("1 December 2026");
  });

  it("keeps the day of a date whatever the time zone (noon UTC)", () => {
    expect(formatDate("2026-03-29", "fr")).toBe("29 mars 2026");
    expect(formatDate("2027-01-01", "en")).toBe("1 January 2027");
  });

  it("takes the day in Paris of a date-time", () => {
    // 23:30 UTC on 31 December is already 1 January in Paris.
    expect(formatDate("2026-12-31T23:30:00Z", "fr")).toBe("1 janvier 2027");
  });
});

describe("formatDateTime", () => {
  it("shows Paris time", () => {
    expect(plain(formatDateTime("2026-09-01T09:00:00Z", "fr"))).toMatch(/^1 septembre 2026 .*11:00$/);
    expect(plain(formatDateTime("2026-12-01T09:05:00Z", "en"))).toMatch(/^1 December 2026.*10:05$/);
  });
});

describe("formatEuros", () => {
  it("puts the sign where each language does", () => {
    expect(plain(formatEuros(615, "fr"))).toMatch(/^615(,00)? €$/);
    expect(plain(formatEuros(615, "en"))).toMatch(/^€615(\.00)?$/);
    expect(plain(formatEuros(1234.5, "fr"))).toBe("1 234,50 €");
    expect(plain(formatEuros(1234.5, "en"))).toBe("€1,234.50");
  });
});

describe("isLang", () => {
  it("knows French and English only", () => {
    expect(isLang("fr")).toBe(true);
    expect(isLang("en")).toBe(true);
    expect(isLang("de")).toBe(false);
    expect(isLang(null)).toBe(false);
    expect(isLang("FR")).toBe(false);
  });
});

describe("initialLang", () => {
  afterEach(() => {
    window.history.replaceState(null, "", "/");
    window.localStorage.clear();
    vi.restoreAllMocks();
  });
  const browser = (language: string) => vi.spyOn(window.navigator, "language", "get").mockReturnValue(language);

  it("takes ?lang= of the address first", () => {
    window.localStorage.setItem("sejour.lang", "fr");
    browser("fr-FR");
    window.history.replaceState(null, "", "/login?lang=en");
    expect(initialLang()).toBe("en");
  });

  it("ignores an unknown ?lang=", () => {
    browser("fr-FR");
    window.history.replaceState(null, "", "/login?lang=de");
    expect(initialLang()).toBe("fr");
  });

  it("then the language remembered in this browser", () => {
    browser("fr-FR");
    window.localStorage.setItem("sejour.lang", "en");
    expect(initialLang()).toBe("en");
  });

  it("then the browser's own", () => {
    browser("en-US");
    expect(initialLang()).toBe("en");
    browser("fr-CA");
    expect(initialLang()).toBe("fr");
  });

  it("then French", () => {
    browser("de-DE");
    expect(initialLang()).toBe("fr");
  });

  it("survives a storage that refuses access", () => {
    browser("en-GB");
    vi.spyOn(window.localStorage, "getItem").mockImplementation(() => {
      throw new Error("denied");
    });
    expect(initialLang()).toBe("en");
  });
});
