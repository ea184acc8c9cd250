// What the forms of the account pages share: the API's field errors put
// next to their fields and in the summary, the texts of the problems every
// form may meet, and times said the way people read them.
import { ApiFailure, type FieldCode } from "../../api/client";
import type { SummaryItem } from "../../ui/ErrorSummary";
import type { Lang, Text } from "../../i18n";

/** The message of each invalid field, by the API's field name. */
export type Errors = Record<string, string>;

/** The code of each invalid field (the first one), by the API's field name. */
export function fieldCodes(error: ApiFailure): Record<string, FieldCode> {
  const out: Record<string, FieldCode> = {};
  for (const e of error.problem?.errors ?? []) if (!(e.field in out)) out[e.field] = e.code;
  return out;
}

/** The DSFR props of a field in error (Input, Select, RadioButtons). */
export function errorProps(errors: Errors, field: string): { state?: "error"; stateRelatedMessage?: string } {
  const message = errors[field];
  return message ? { state: "error", stateRelatedMessage: message } : {};
}

/** The summary's items, in the order of the form: `fields` is [API field, input id, label]. */
export function summaryItems(errors: Errors, fields: [field: string, id: string, label: string][], lang: Lang): SummaryItem[] {
  return fields
    .filter(([field]) => errors[field])
    .map(([field, id, label]) => ({ target: id, text: `${label}${colon(lang)}${errors[field]}` }));
}

/** " : " in French typography, ": " in English. */
export function colon(lang: Lang): string {
  return lang === "fr" ? "\u00a0: " : ": ";
}

/** The field errors the form has no field for (they go to the summary's text). */
export function otherErrors(errors: Errors, known: string[]): string[] {
  return Object.entries(errors)
    .filter(([field]) => !known.includes(field))
    .map(([, message]) => message);
}

const COMMON: Record<"network" | "unknown", Text> = {
  network: {
    fr: "Le service ne répond pas. Vérifiez votre connexion à Internet, puis réessayez.",
    en: "The service does not answer. Check your Internet connection, then try again.",
  },
  unknown: {
    fr: "Une erreur est survenue. Réessayez dans quelques instants.",
    en: "Something went wrong. Try again in a moment.",
  },
};

/** A failure in words: the API's own detail (in the page's language), or ours. */
export function failureText(error: unknown, lang: Lang): string {
  if (error instanceof ApiFailure) {
    if (error.status === 0) return COMMON.network[lang];
    if (error.problem?.detail) return error.problem.detail;
  }
  return COMMON.unknown[lang];
}

/** `one` or `many` by `n`, with "{n}" replaced: "1 notification", "2 notifications". */
export function plural(n: number, one: string, many: string): string {
  return (n === 1 ? one : many).replace("{n}", String(n));
}

const LOCALE: Record<Lang, string> = { fr: "fr-FR", en: "en-GB" };

/** "14:35" (Paris time), with the day too when it is not today. */
export function formatTime(value: string, lang: Lang): string {
  const date = new Date(value);
  const day = (d: Date) => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(d);
  const time = new Intl.DateTimeFormat(LOCALE[lang], { hour: "2-digit", minute: "2-digit", timeZone: "Europe/Paris" }).format(date);
  if (day(date) === day(new Date())) return time;
  const on = new Intl.DateTimeFormat(LOCALE[lang], { day: "numeric", month: "long", timeZone: "Europe/Paris" }).format(date);
  return lang === "fr" ? `${on} à ${time}` : `${on} at ${time}`;
}

/** `?next=` if it is a path of this site (never another site's address). */
export function safeNext(next: string | null): string | null {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return null;
  return next;
}

/** The local mode runs on this machine: its mailbox is worth a mention there only. */
export function isLocalMode(): boolean {
  return ["127.0.0.1", "localhost", "[::1]"].includes(window.location.hostname);
}
