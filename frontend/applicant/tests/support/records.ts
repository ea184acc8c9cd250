// The state records the browser tests activate accounts with, besides the
// demo's: one per test role, so that each test starts from a new account.
// Their dates are relative to today in Paris, as the demo's are: a student
// permit that expires in 90 days is in its renewal window whatever the day.

export type TestRecord = {
  kind: "permit";
  number: string;
  document_type: "permit_student";
  valid_from: string;
  valid_until: string;
  foreigner_number: string;
  surname: string;
  given_names: string;
  sex: "F" | "M";
  birth_date: string;
  birth_place: string;
  birth_country: string;
  nationality: string;
};

/** The roles; each has its record, its email and the shared password. */
export const ROLES = ["a11y-draft", "a11y-submitted", "a11y-case", "resume", "conflict"] as const;
export type Role = (typeof ROLES)[number];

export const PASSWORD = "Une-phrase-de-passe-2026";

/** YYYY-MM-DD of today in Paris (the service's day). */
export function parisToday(now = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(now);
}

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A year back from `until`, plus a day (the demo's one-year permits). */
function yearBefore(until: string): string {
  const d = new Date(`${until}T12:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() - 1);
  return addDays(d.toISOString().slice(0, 10), 1);
}

const NAMES: Record<Role, [string, string]> = {
  "a11y-draft": ["Martin", "Léa"],
  "a11y-submitted": ["Rossi", "Giulia"],
  "a11y-case": ["Okafor", "Chidi"],
  resume: ["Haddad", "Nour"],
  conflict: ["Kowalski", "Ola"],
};

export function testRecords(today = parisToday()): Record<Role, TestRecord> {
  const until = addDays(today, 90);
  const out = {} as Record<Role, TestRecord>;
  ROLES.forEach((role, i) => {
    const [surname, given] = NAMES[role];
    out[role] = {
      kind: "permit",
      number: `E2ETEST${String(i + 1).padStart(3, "0")}`,
      document_type: "permit_student",
      valid_from: yearBefore(until),
      valid_until: until,
      foreigner_number: `75900000${String(i + 10).padStart(2, "0")}`,
      surname,
      given_names: given,
      sex: i % 2 ? "M" : "F",
      birth_date: "2001-06-15",
      birth_place: "Dakar",
      birth_country: "SEN",
      nationality: "SEN",
    };
  });
  return out;
}

export function emailOf(role: string): string {
  return `${role}@e2e.example.org`;
}
