// French first, English too. The language is chosen in this order: `?lang=`
// in the address (every link of an email carries it), the one remembered in
// this browser, the browser's own, then French. It is sent to the API with
// every request (`Accept-Language`), and saved in the account when the user
// switches, so that emails and PDFs follow it.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";

export type Lang = "fr" | "en";
export const LANGS: readonly Lang[] = ["fr", "en"];
const STORAGE_KEY = "sejour.lang";

/** A text in both languages. Every user-facing string of the site is one. */
export type Text = { fr: string; en: string };
/** A table of texts, as each page declares its own. */
export type Messages<K extends string> = Record<K, Text>;

export function isLang(value: unknown): value is Lang {
  return value === "fr" || value === "en";
}

export function initialLang(): Lang {
  const fromUrl = new URLSearchParams(window.location.search).get("lang");
  if (isLang(fromUrl)) return fromUrl;
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (isLang(stored)) return stored;
  } catch {
    // Storage refused (private mode): not remembered, nothing else changes.
  }
  const browser = (navigator.language || "fr").slice(0, 2).toLowerCase();
  return browser === "en" ? "en" : "fr";
}

/** The current language, read by the API client outside React. */
let current: Lang = "fr";
export function currentLang(): Lang {
  return current;
}

type LangContext = { lang: Lang; setLang: (lang: Lang) => void };
const Context = createContext<LangContext>({ lang: "fr", setLang: () => {} });

export function LangProvider({ children, initial }: { children: ReactNode; initial?: Lang }) {
  const [lang, setLangState] = useState<Lang>(() => initial ?? initialLang());
  current = lang;
  useEffect(() => {
    document.documentElement.lang = lang;
    try {
      window.localStorage.setItem(STORAGE_KEY, lang);
    } catch {
      // See initialLang.
    }
  }, [lang]);
  const setLang = useCallback((next: Lang) => {
    current = next;
    setLangState(next);
  }, []);
  const value = useMemo(() => ({ lang, setLang }), [lang, setLang]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useLang(): LangContext {
  return useContext(Context);
}

/** `const t = useT(messages); t("title")`: the text in the current language. */
export function useT<K extends string>(messages: Messages<K>): (key: K) => string {
  const { lang } = useLang();
  return useCallback((key: K) => messages[key][lang], [messages, lang]);
}

/** One text in the current language, for texts that are not in a table. */
export function useText(): (text: Text) => string {
  const { lang } = useLang();
  return useCallback((text: Text) => text[lang], [lang]);
}

const DATE_LOCALE: Record<Lang, string> = { fr: "fr-FR", en: "en-GB" };

/** "1 décembre 2026" / "1 December 2026", from an ISO date or date-time. */
export function formatDate(value: string, lang: Lang): string {
  const date = value.length === 10 ? new Date(`${value}T12:00:00Z`) : new Date(value);
  return new Intl.DateTimeFormat(DATE_LOCALE[lang], { day: "numeric", month: "long", year: "numeric", timeZone: "Europe/Paris" }).format(date);
}

export function formatDateTime(value: string, lang: Lang): string {
  return new Intl.DateTimeFormat(DATE_LOCALE[lang], {
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: "Europe/Paris",
  }).format(new Date(value));
}

/** Amounts in euros, cents shown: "615,00 €" / "€615.00". */
export function formatEuros(amount: number, lang: Lang): string {
  return new Intl.NumberFormat(DATE_LOCALE[lang], { style: "currency", currency: "EUR", maximumFractionDigits: 2 }).format(amount);
}
