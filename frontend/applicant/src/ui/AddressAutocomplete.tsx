// The street field of a French postal address, with suggestions from the
// national address base (Base Adresse Nationale, `addressApi` in
// /config.json) as an ARIA 1.2 combobox: the list opens after 3 characters
// (300 ms after the last key), ↑/↓ move, Enter chooses, Escape closes, and a
// status line says how many suggestions there are. Choosing one fills the
// street, postcode and city (`onSelect`). Typing by hand always works: when
// `addressApi` is null, or the base fails or finds nothing, this is a plain
// text field (the failure is silent).
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { useConfig } from "../config";
import { useT } from "../i18n";

export type AddressSuggestion = {
  /** "8 Boulevard du Port 80000 Amiens", as shown. */
  label: string;
  /** "8 Boulevard du Port". */
  line1: string;
  postcode: string;
  city: string;
  /** The INSEE code of the commune. */
  citycode: string | null;
};

type Props = {
  /** The input's id (the error summary links to it). */
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  value: string;
  onChange: (value: string) => void;
  onSelect: (suggestion: AddressSuggestion) => void;
  error?: string;
  required?: boolean;
};

const messages = {
  count: { fr: "{n} suggestions d’adresse : flèches haut et bas pour choisir, Entrée pour valider.", en: "{n} address suggestions: use the up and down arrows, then Enter." },
  one: { fr: "1 suggestion d’adresse : flèche bas puis Entrée pour la choisir.", en: "1 address suggestion: down arrow, then Enter to choose it." },
  none: { fr: "Aucune adresse trouvée : saisissez-la à la main.", en: "No address found: type it in by hand." },
  help: { fr: "Des adresses vous sont proposées pendant la saisie.", en: "Addresses are suggested as you type." },
};

const MIN_CHARS = 3;
const DEBOUNCE_MS = 300;

type Feature = { properties?: Record<string, unknown> };

function str(value: unknown): string {
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : "";
}

/** The base's GeoJSON answer as suggestions; anything odd is dropped. */
function parse(json: unknown): AddressSuggestion[] {
  const features = json && typeof json === "object" && Array.isArray((json as { features?: unknown }).features) ? ((json as { features: Feature[] }).features) : [];
  const out: AddressSuggestion[] = [];
  for (const f of features) {
    const p = f?.properties ?? {};
    const name = str(p.name) || [str(p.housenumber), str(p.street)].filter(Boolean).join(" ");
    const postcode = str(p.postcode);
    const city = str(p.city);
    if (!name || !/^\d{5}$/.test(postcode) || !city) continue;
    out.push({ label: str(p.label) || `${name} ${postcode} ${city}`, line1: name, postcode, city, citycode: str(p.citycode) || null });
  }
  return out;
}

export function AddressAutocomplete({ id, label, hint, value, onChange, onSelect, error, required }: Props) {
  const t = useT(messages);
  const config = useConfig();
  const base = config?.addressApi ?? null;
  const uid = useId();
  const listId = `${uid}-listbox`;
  const statusId = `${uid}-status`;
  const hintId = `${uid}-hint`;
  const errorId = `${id}-desc-error`;
  const [suggestions, setSuggestions] = useState<AddressSuggestion[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [status, setStatus] = useState("");
  // The text for which the list was last fetched, or chosen: no new search for it.
  const settled = useRef(value);
  const typed = useRef(false);

  useEffect(() => {
    if (!base || !typed.current) return;
    const q = value.trim();
    if (q.length < MIN_CHARS || q === settled.current) {
      setOpen(false);
      setSuggestions([]);
      if (q.length < MIN_CHARS) setStatus("");
      return;
    }
    const abort = new AbortController();
    const timer = window.setTimeout(async () => {
      try {
        const url = new URL(base);
        url.searchParams.set("q", q);
        url.searchParams.set("limit", "5");
        url.searchParams.set("type", "housenumber");
        // No cookie, no referrer: the base only needs the text typed.
        const r = await fetch(url, { signal: abort.signal, credentials: "omit", referrerPolicy: "no-referrer" });
        if (!r.ok) throw new Error(String(r.status));
        const found = parse(await r.json());
        settled.current = q;
        setSuggestions(found);
        setActive(-1);
        setOpen(found.length > 0);
        setStatus(found.length === 0 ? t("none") : found.length === 1 ? t("one") : t("count").replace("{n}", String(found.length)));
      } catch {
        // Silent: the field stays a plain text field.
        if (!abort.signal.aborted) {
          setSuggestions([]);
          setOpen(false);
        }
      }
    }, DEBOUNCE_MS);
    return () => {
      abort.abort();
      window.clearTimeout(timer);
    };
  }, [base, value, t]);

  const choose = (s: AddressSuggestion) => {
    settled.current = s.line1;
    typed.current = false;
    setOpen(false);
    setActive(-1);
    setStatus("");
    onSelect(s);
  };

  const keyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (!base) return;
    if (e.key === "ArrowDown") {
      if (suggestions.length === 0) return;
      e.preventDefault();
      setOpen(true);
      setActive((i) => (i + 1) % suggestions.length);
    } else if (e.key === "ArrowUp") {
      if (suggestions.length === 0) return;
      e.preventDefault();
      setOpen(true);
      setActive((i) => (i <= 0 ? suggestions.length - 1 : i - 1));
    } else if (e.key === "Enter") {
      if (open && active >= 0 && suggestions[active]) {
        e.preventDefault();
        choose(suggestions[active]);
      }
    } else if (e.key === "Escape") {
      if (open) {
        e.preventDefault();
        setOpen(false);
        setActive(-1);
      }
    }
  };

  const combobox = base
    ? {
        role: "combobox" as const,
        "aria-autocomplete": "list" as const,
        "aria-expanded": open,
        "aria-controls": listId,
        "aria-activedescendant": open && active >= 0 ? `${listId}-${active}` : undefined,
      }
    : {};
  const describedBy = [hint || base ? hintId : undefined, error ? errorId : undefined].filter(Boolean).join(" ") || undefined;

  return (
    <div className={`fr-input-group${error ? " fr-input-group--error" : ""}`}>
      <label className="fr-label" htmlFor={id}>
        {label}
        {hint || base ? (
          <span className="fr-hint-text" id={hintId}>
            {hint}
            {hint && base ? " " : null}
            {base ? t("help") : null}
          </span>
        ) : null}
      </label>
      <div style={{ position: "relative" }}>
        <input
          id={id}
          className={`fr-input${error ? " fr-input--error" : ""}`}
          type="text"
          autoComplete="address-line1"
          spellCheck={false}
          value={value}
          required={required}
          aria-describedby={describedBy}
          onChange={(e) => {
            typed.current = true;
            onChange(e.target.value);
          }}
          onKeyDown={keyDown}
          onBlur={() => setOpen(false)}
          {...combobox}
        />
        {base ? (
          <ul
            id={listId}
            role="listbox"
            aria-label={typeof label === "string" ? label : undefined}
            hidden={!open}
            style={{
              position: "absolute",
              zIndex: 10,
              left: 0,
              right: 0,
              top: "100%",
              margin: 0,
              padding: 0,
              listStyle: "none",
              background: "var(--background-default-grey)",
              border: "1px solid var(--border-default-grey)",
              boxShadow: "0 4px 8px rgba(0,0,0,.15)",
            }}
          >
            {suggestions.map((s, i) => (
              <li
                key={`${s.label}-${i}`}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                // Keep the focus in the field: the choice happens on click.
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => choose(s)}
                style={{
                  padding: ".75rem 1rem",
                  cursor: "pointer",
                  borderLeft: i === active ? "4px solid var(--border-active-blue-france)" : "4px solid transparent",
                  background: i === active ? "var(--background-contrast-grey)" : undefined,
                  textDecoration: i === active ? "underline" : undefined,
                }}
              >
                {s.label}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      <div className="fr-messages-group" aria-live="polite">
        {error ? (
          <p id={errorId} className="fr-message fr-message--error">
            {error}
          </p>
        ) : null}
      </div>
      {base ? (
        <p id={statusId} role="status" className="fr-sr-only">
          {status}
        </p>
      ) : null}
    </div>
  );
}
