// The documents the service issued for the case (receipt, decision,
// extension certificate), each in French and in English: the API answers
// the PDF itself (`Content-Disposition: attachment`) to the session's
// cookie, so a plain link downloads it.
import { Download } from "@codegouvfr/react-dsfr/Download";
import { formatDate, useLang, useT, type Lang, type Text } from "../../i18n";
import { Link } from "../../router";
import type { ApplicationView } from "./shared";

const messages = {
  heading: { fr: "Vos documents", en: "Your documents" },
  receipt: { fr: "Attestation de dépôt", en: "Submission receipt" },
  receiptHint: {
    fr: "Elle prouve que vous avez déposé votre demande. Elle ne donne pas, à elle seule, de droit au séjour.",
    en: "It proves that you filed your application. On its own, it gives no right of stay.",
  },
  favourable: { fr: "Attestation de décision favorable", en: "Favourable decision certificate" },
  favourableHint: {
    fr: "Elle atteste que la préfecture a accepté votre demande, en attendant la remise de votre titre.",
    en: "It certifies that the préfecture granted your application, until your card is handed over.",
  },
  refusal: { fr: "Décision de refus signée par la préfecture", en: "Refusal decision signed by the préfecture" },
  refusalHint: {
    fr: "La décision indique ses motifs et les voies et délais de recours.",
    en: "The decision gives its grounds and how and when you may appeal.",
  },
  refusalLink: { fr: "Télécharger la décision de refus", en: "Download the refusal decision" },
  extension: { fr: "Attestation de prolongation d’instruction", en: "Extension certificate (review in progress)" },
  extensionHint: {
    fr: "Votre demande a été déposée à temps et elle est toujours en cours d’examen : cette attestation prolonge les droits de votre titre précédent (séjour, travail, études). Présentez-la avec votre titre expiré.",
    en: "Your application was filed on time and is still being examined: this certificate extends the rights of your previous permit (stay, work, studies). Show it with your expired permit.",
  },
  validUntil: { fr: "Valable jusqu’au", en: "Valid until" },
  issuedOn: { fr: "Délivrée le", en: "Issued on" },
  code: { fr: "Code de vérification :", en: "Verification code:" },
  verify: { fr: "Vérifier ce document", en: "Check this document" },
  inFr: { fr: "en français", en: "in French" },
  inEn: { fr: "en anglais", en: "in English" },
  pdf: { fr: "PDF", en: "PDF" },
  none: { fr: "Aucun document pour l’instant.", en: "No document yet." },
};

type Issued = NonNullable<ApplicationView["receipt"]>;

/** The site's public check (`/verify/CODE`), from the API's `/api/verify/CODE`. */
function verifyPath(issued: Issued): string {
  return `/verify/${issued.verify_url.split("/").pop() ?? ""}`;
}

function withLanguage(url: string, lang: Lang): string {
  return `${url}${url.includes("?") ? "&" : "?"}language=${lang}`;
}

function IssuedBlock({ title, hint, issued, extra }: { title: Text; hint: Text; issued: Issued | null; extra?: string }) {
  const t = useT(messages);
  const { lang } = useLang();
  return (
    <div className="fr-mb-4w">
      <h3 className="fr-h6 fr-mb-1w">{title[lang]}</h3>
      <p className="fr-mb-1w">{hint[lang]}</p>
      {extra ? <p className="fr-mb-1w fr-text--bold">{extra}</p> : null}
      {issued ? (
        <>
          {(["fr", "en"] as Lang[]).map((l) => (
            <Download
              key={l}
              className="fr-mb-1w"
              label={`${title[lang]} ${l === "fr" ? t("inFr") : t("inEn")}`}
              details={`${t("pdf")} – ${t("issuedOn")} ${formatDate(issued.issued_at, lang)}`}
              linkProps={{ href: withLanguage(issued.download_url, l), hrefLang: l, type: "application/pdf" }}
            />
          ))}
          <p className="fr-text--sm fr-mb-0">
            {t("code")} <span className="fr-text--bold">{issued.verification_code}</span> –{" "}
            <Link className="fr-link fr-text--sm" to={verifyPath(issued)}>
              {t("verify")}
            </Link>
          </p>
        </>
      ) : null}
    </div>
  );
}

/**
 * `extendedUntil`: the certificate's last day (the timeline's
 * `extended_until`). The certificate's own `valid_until` is that day's end in
 * UTC, which falls on the next day in Paris: only its date part is used.
 */
export function IssuedDocuments({ view, extendedUntil }: { view: ApplicationView; extendedUntil?: string | null }) {
  const t = useT(messages);
  const { lang } = useLang();
  const { receipt, decision, extension } = view;
  const refused = decision?.outcome === "refused";
  const lastDay = extendedUntil ?? extension?.valid_until?.slice(0, 10);
  return (
    <section className="fr-mb-6w" aria-labelledby="issued-heading">
      <h2 id="issued-heading">{t("heading")}</h2>
      {!receipt && !decision && !extension ? <p>{t("none")}</p> : null}
      {decision && refused ? (
        <div className="fr-mb-4w">
          <h3 className="fr-h6 fr-mb-1w">{t("refusal")}</h3>
          <p className="fr-mb-1w">{t("refusalHint")}</p>
          <Download
            label={t("refusalLink")}
            details={`${t("pdf")} – ${formatDate(decision.decided_at, lang)}`}
            linkProps={{ href: decision.download_url, type: "application/pdf" }}
          />
        </div>
      ) : null}
      {decision && !refused ? <IssuedBlock title={messages.favourable} hint={messages.favourableHint} issued={decision.certificate} /> : null}
      {extension ? (
        <IssuedBlock
          title={messages.extension}
          hint={messages.extensionHint}
          issued={extension}
          extra={lastDay ? `${t("validUntil")} ${formatDate(lastDay, lang)}` : undefined}
        />
      ) : null}
      {receipt ? <IssuedBlock title={messages.receipt} hint={messages.receiptHint} issued={receipt} /> : null}
    </section>
  );
}
