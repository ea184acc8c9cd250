// "Find an approved booth near you" (F11): by the browser's position (asked
// only on a click) or by postcode, GET /api/photo-booths. It sits inside the
// step's <form>: no nested form, so the postcode search is a button, and
// Enter in the postcode field searches instead of saving the step.
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Notice } from "@codegouvfr/react-dsfr/Notice";
import { useState, type KeyboardEvent } from "react";
import { api, ApiFailure, must, type Schemas } from "../../api/client";
import type { paths } from "../../api/schema";
import { useLang, useT, type Text } from "../../i18n";

type Booth = Schemas["NearbyBooth"];
type Query = NonNullable<paths["/api/photo-booths"]["get"]["parameters"]["query"]>;

const KIND_LABELS: Record<Schemas["BoothKind"], Text> = {
  booth: { fr: "Cabine photo agréée", en: "Approved photo booth" },
  photographer: { fr: "Photographe agréé", en: "Approved photographer" },
};

const messages = {
  title: { fr: "Trouver une cabine ou un photographe agréé", en: "Find an approved booth or photographer" },
  intro: {
    fr: "Le code e-photo est imprimé sur la planche photo remise par une cabine ou un photographe agréé « ANTS ».",
    en: "The e-photo code is printed on the photo board from an approved (“ANTS”) booth or photographer.",
  },
  locate: { fr: "Utiliser ma position", en: "Use my location" },
  locating: { fr: "Recherche de votre position…", en: "Finding your location…" },
  or: { fr: "ou", en: "or" },
  postcode: { fr: "Code postal", en: "Postcode" },
  postcodeHint: { fr: "5 chiffres, par exemple 69003", en: "5 digits, for instance 69003" },
  search: { fr: "Rechercher près de ce code postal", en: "Search near this postcode" },
  searching: { fr: "Recherche en cours…", en: "Searching…" },
  badPostcode: { fr: "Saisissez un code postal de 5 chiffres, par exemple 69003.", en: "Enter a 5-digit postcode, for instance 69003." },
  denied: {
    fr: "Vous n’avez pas autorisé l’accès à votre position. Saisissez plutôt votre code postal.",
    en: "You did not allow access to your location. Enter your postcode instead.",
  },
  unavailable: {
    fr: "Votre position n’a pas pu être déterminée. Saisissez plutôt votre code postal.",
    en: "Your location could not be found. Enter your postcode instead.",
  },
  noGeo: {
    fr: "Votre navigateur ne permet pas la localisation. Saisissez votre code postal.",
    en: "Your browser cannot give your location. Enter your postcode.",
  },
  failed: { fr: "La recherche n’a pas abouti. Réessayez dans quelques instants.", en: "The search failed. Try again in a moment." },
  results: { fr: "{n} lieux agréés trouvés, du plus proche au plus éloigné.", en: "{n} approved places found, nearest first." },
  one: { fr: "1 lieu agréé trouvé.", en: "1 approved place found." },
  none: { fr: "Aucun lieu agréé trouvé près de cet endroit.", en: "No approved place found near there." },
  nearPosition: { fr: "Près de votre position", en: "Near your location" },
  nearPostcode: { fr: "Près du code postal {code}", en: "Near postcode {code}" },
  distance: { fr: "à {km} km", en: "{km} km away" },
  demo: {
    fr: "Données fictives de démonstration : ces lieux n’existent pas.",
    en: "Synthetic demonstration data: these places do not exist.",
  },
};

type Found = { booths: Booth[]; demo: boolean; near: string };

export function PhotoBooths() {
  const t = useT(messages);
  const { lang } = useLang();
  const [postcode, setPostcode] = useState("");
  const [postcodeError, setPostcodeError] = useState<string | null>(null);
  const [busy, setBusy] = useState<"locating" | "searching" | null>(null);
  const [problem, setProblem] = useState<keyof typeof messages | null>(null);
  const [found, setFound] = useState<Found | null>(null);

  const run = async (query: Query, near: string) => {
    setBusy("searching");
    setProblem(null);
    try {
      const data = await must(api.GET("/api/photo-booths", { params: { query } }));
      setFound({ booths: data.booths, demo: data.synthetic_demo_data, near });
    } catch (e) {
      if (e instanceof ApiFailure && e.status === 422 && e.fieldErrors().postcode) setPostcodeError(e.fieldErrors().postcode);
      else setProblem("failed");
      setFound(null);
    } finally {
      setBusy(null);
    }
  };

  const locate = () => {
    setPostcodeError(null);
    if (!("geolocation" in navigator)) {
      setProblem("noGeo");
      return;
    }
    setBusy("locating");
    setProblem(null);
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const lat = Math.round(position.coords.latitude * 1e4) / 1e4;
        const lon = Math.round(position.coords.longitude * 1e4) / 1e4;
        void run({ lat, lon, limit: 5 }, t("nearPosition"));
      },
      (error) => {
        setBusy(null);
        setProblem(error.code === error.PERMISSION_DENIED ? "denied" : "unavailable");
      },
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 },
    );
  };

  const searchPostcode = () => {
    const code = postcode.replace(/\s/g, "");
    if (!/^\d{5}$/.test(code)) {
      setPostcodeError(t("badPostcode"));
      return;
    }
    setPostcodeError(null);
    void run({ postcode: code, limit: 5 }, messages.nearPostcode[lang].replace("{code}", code));
  };

  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Enter") {
      e.preventDefault();
      searchPostcode();
    }
  };

  const count = found?.booths.length ?? 0;
  const summary = found ? (count === 0 ? t("none") : count === 1 ? t("one") : t("results").replace("{n}", String(count))) : "";
  const km = (d: number) => d.toLocaleString(lang === "fr" ? "fr-FR" : "en-GB", { maximumFractionDigits: 1 });

  return (
    <section className="fr-mt-4w" aria-labelledby="booths-title">
      <h4 id="booths-title" className="fr-h6">
        {t("title")}
      </h4>
      <p className="fr-text--sm">{t("intro")}</p>
      <Button type="button" priority="secondary" iconId="fr-icon-map-pin-2-line" onClick={locate} disabled={busy !== null}>
        {t("locate")}
      </Button>
      <p className="fr-my-2w">{t("or")}</p>
      <div className="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
        <div className="fr-col-12 fr-col-sm-6 fr-col-md-4">
          <Input
            label={t("postcode")}
            hintText={t("postcodeHint")}
            state={postcodeError ? "error" : "default"}
            stateRelatedMessage={postcodeError ?? undefined}
            nativeInputProps={{
              id: "booths-postcode",
              value: postcode,
              inputMode: "numeric",
              autoComplete: "postal-code",
              maxLength: 6,
              onChange: (e) => setPostcode(e.currentTarget.value),
              onKeyDown: onKey,
            }}
          />
        </div>
        <div className="fr-col-12 fr-col-sm-6 fr-col-md-8">
          <Button type="button" priority="secondary" iconId="fr-icon-search-line" onClick={searchPostcode} disabled={busy !== null} className="fr-mb-3w">
            {t("search")}
          </Button>
        </div>
      </div>

      <div role="status" aria-live="polite">
        {busy ? <p>{busy === "locating" ? t("locating") : t("searching")}</p> : null}
        {problem ? <p className="fr-error-text">{t(problem)}</p> : null}
        {found && !busy ? <p className="fr-sr-only">{summary}</p> : null}
      </div>

      {found && !busy ? (
        <div className="fr-mt-2w">
          <p className="fr-text--bold fr-mb-1w">{found.near}</p>
          {found.demo ? (
            <div className="fr-mb-2w">
              <Notice title={t("demo")} />
            </div>
          ) : null}
          <p>{summary}</p>
          {count > 0 ? (
            <ul className="fr-raw-list">
              {found.booths.map((b, i) => (
                <li key={`${b.name}-${b.address}-${i}`} className="fr-mb-2w fr-p-2w" style={{ border: "1px solid var(--border-default-grey)" }}>
                  <p className="fr-text--bold fr-mb-0">{b.name}</p>
                  <p className="fr-text--sm fr-mb-0">{KIND_LABELS[b.kind][lang]}</p>
                  <p className="fr-mb-0">
                    {b.address}, {b.postcode} {b.city}
                  </p>
                  <p className="fr-text--sm fr-mb-0">{messages.distance[lang].replace("{km}", km(b.distance_km))}</p>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
