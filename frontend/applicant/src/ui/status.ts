// The application's status in words (the account, the case page), with the
// badge's colour: the word always says it, the colour only repeats it.
import type { Schemas } from "../api/client";
import type { Text } from "../i18n";

type Severity = "success" | "error" | "info" | "warning" | "new";

export const STATUS: Record<Schemas["Status"], { label: Text; severity: Severity }> = {
  draft: { label: { fr: "Brouillon", en: "Draft" }, severity: "new" },
  submitted: { label: { fr: "Déposée", en: "Submitted" }, severity: "info" },
  under_review: { label: { fr: "En cours d’examen", en: "Under review" }, severity: "info" },
  complement_requested: { label: { fr: "Compléments demandés", en: "Complement requested" }, severity: "warning" },
  complement_overdue: { label: { fr: "Délai des compléments dépassé", en: "Complement deadline passed" }, severity: "error" },
  approved: { label: { fr: "Décision favorable", en: "Approved" }, severity: "success" },
  refused: { label: { fr: "Refusée", en: "Refused" }, severity: "error" },
  card_in_production: { label: { fr: "Carte en fabrication", en: "Card in production" }, severity: "info" },
  card_ready: { label: { fr: "Carte prête à retirer", en: "Card ready to collect" }, severity: "success" },
  card_delivered: { label: { fr: "Carte remise", en: "Card handed over" }, severity: "success" },
};

/** Statuses after which a new application may be started. */
export const CLOSED: Schemas["Status"][] = ["refused", "card_delivered"];
