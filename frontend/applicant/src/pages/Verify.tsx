// The public check of an issued document (B1), where the QR code of the
// PDFs points: a landlord, an employer or a bank types the code and reads
// whether the document is authentic, what it is and whether it still holds.
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { api, ApiFailure, must, type Schemas } from "../api/client";
import { formatDate, formatDateTime, useLang, useT, type Text } from "../i18n";
import { useNavigate, useParams } from "../router";
import { Page } from "../ui/Page";
import { failureText } from "./account/form";

type Verification = Schemas["Verification"];

const KINDS: Record<Schemas["IssuedKind"], { name: Text; about: Text }> = {
  submission_receipt: {
    name: { fr: "Attestation de dépôt d’une demande de titre de séjour", en: "Receipt for a residence-permit application" },
    about: {
      fr: "Elle prouve que la demande a été déposée en ligne. Elle ne donne, à elle seule, aucun droit au séjour.",
      en: "It proves that the application was filed online. On its own, it gives no right of stay.",
    },
  },
  favourable_decision: {
    name: { fr: "Attestation de décision favorable", en: "Favourable decision certificate" },
    about: {
      fr: "Elle atteste que la préfecture a accepté la demande de titre de séjour. Le droit au séjour est ensuite donné par la carte de séjour remise à son titulaire.",
      en: "It certifies that the préfecture granted the residence-permit application. The right of stay is then given by the residence card handed to its holder.",
    },
  },
  extension_certificate: {
    name: { fr: "Attestation de prolongation d’instruction", en: "Extension certificate (review in progress)" },
    about: {
      fr: "Pendant l’examen d’une demande déposée à temps, elle prolonge les droits du titre de séjour précédent jusqu’à sa fin de validité.",
      en: "While an application filed on time is being reviewed, it extends the rights of the previous residence permit until its end of validity.",
    },
  },
};

const messages = {
  title: { fr: "Vérifier un document", en: "Check a document" },
  lead: {
    fr: "Les attestations délivrées par le service Séjour portent un code de vérification et un QR code. Saisissez le code pour savoir si le document est authentique et s’il est toujours valable.",
    en: "The certificates issued by the Séjour service carry a verification code and a QR code. Type the code to learn whether the document is authentic and still valid.",
  },
  code: { fr: "Code de vérification", en: "Verification code" },
  codeHint: {
    fr: "12 lettres et chiffres, imprimés sous le QR code. Exemple : 7F3K-9Q2M-X4B8 (majuscules, espaces et tirets indifférents)",
    en: "12 letters and digits, printed under the QR code. Example: 7F3K-9Q2M-X4B8 (capitals, spaces and dashes do not matter)",
  },
  codeRequired: { fr: "Saisissez le code imprimé sur le document.", en: "Type the code printed on the document." },
  codeInvalid: {
    fr: "Ce n’est pas un code de vérification : il compte 12 lettres et chiffres, par exemple 7F3K-9Q2M-X4B8.",
    en: "This is not a verification code: it has 12 letters and digits, for example 7F3K-9Q2M-X4B8.",
  },
  submit: { fr: "Vérifier", en: "Check" },
  checking: { fr: "Vérification…", en: "Checking…" },
  result: { fr: "Résultat de la vérification", en: "Result of the check" },
  authentic: { fr: "Document authentique", en: "Authentic document" },
  authenticValid: { fr: "Ce document a bien été délivré par le service Séjour et il est valable aujourd’hui.", en: "This document was issued by the Séjour service and it is valid today." },
  authenticInvalid: { fr: "Ce document a bien été délivré par le service Séjour, mais il n’est plus valable.", en: "This document was issued by the Séjour service, but it is no longer valid." },
  unknown: { fr: "Aucun document ne correspond à ce code", en: "No document matches this code" },
  unknownText: {
    fr: "Aucun document n’a été délivré avec ce code : soit le code est mal recopié (vérifiez chaque caractère, le 0 et le O, le 1 et le I), soit le document n’est pas authentique.",
    en: "No document was issued with this code: either the code was mistyped (check each character, 0 and O, 1 and I), or the document is not authentic.",
  },
  problem: { fr: "Vérification impossible pour le moment", en: "Cannot check for now" },
  details: { fr: "Ce que dit le document", en: "What the document says" },
  kind: { fr: "Document", en: "Document" },
  holder: { fr: "Titulaire", en: "Holder" },
  reference: { fr: "Numéro de la demande", en: "Application number" },
  issuedAt: { fr: "Délivré le", en: "Issued on" },
  validUntil: { fr: "Fin de validité", en: "End of validity" },
  noEnd: { fr: "Sans date de fin (ce document ne donne pas de droit au séjour)", en: "No end date (this document gives no right of stay)" },
  state: { fr: "État", en: "State" },
  valid: { fr: "Valable", en: "Valid" },
  notValid: { fr: "Plus valable", en: "No longer valid" },
  withdrawn: { fr: "La demande qu’il atteste a été retirée par son auteur le {date}.", en: "The application it attests was withdrawn by its author on {date}." },
  superseded: { fr: "Une attestation plus récente l’a remplacé le {date}.", en: "A newer certificate replaced it on {date}." },
  expired: { fr: "Sa période de validité est terminée.", en: "Its period of validity has ended." },
  right: { fr: "Droit au séjour", en: "Right of stay" },
  rightYes: { fr: "Oui : ce document donne à son titulaire le droit de séjourner en France pendant sa période de validité.", en: "Yes: this document gives its holder the right to stay in France during its period of validity." },
  rightNo: { fr: "Non : ce document ne donne pas, à lui seul, de droit au séjour.", en: "No: this document does not give, on its own, a right of stay." },
  codeShown: { fr: "Code vérifié", en: "Code checked" },
};

/** The 12 characters of a code, whatever the case, spaces and dashes typed. */
function normalise(code: string): string {
  return code.replace(/[\s-]/g, "").toUpperCase();
}

/** As printed: XXXX-XXXX-XXXX. */
function printed(code: string): string {
  const c = normalise(code);
  return c.length === 12 ? `${c.slice(0, 4)}-${c.slice(4, 8)}-${c.slice(8)}` : c;
}

type State = { kind: "idle" } | { kind: "busy" } | { kind: "found"; verification: Verification } | { kind: "unknown" } | { kind: "failed"; text: string };

export default function Verify() {
  const t = useT(messages);
  const { lang } = useLang();
  const navigate = useNavigate();
  const param = useParams().code ?? "";
  const [code, setCode] = useState(param ? printed(param) : "");
  const [error, setError] = useState<"codeRequired" | "codeInvalid" | null>(null);
  const [state, setState] = useState<State>({ kind: "idle" });
  const heading = useRef<HTMLHeadingElement>(null);

  // The code in the address (the QR code's link, or after the form): check it.
  useEffect(() => {
    const wanted = normalise(param);
    if (!wanted) {
      setState({ kind: "idle" });
      return;
    }
    let live = true;
    setCode(printed(wanted));
    setState({ kind: "busy" });
    setError(null);
    must(api.GET("/api/verify/{code}", { params: { path: { code: wanted } } }))
      .then((verification) => live && setState({ kind: "found", verification }))
      .catch((failure: unknown) => {
        if (!live) return;
        if (failure instanceof ApiFailure && failure.is("unknown_code")) setState({ kind: "unknown" });
        else if (failure instanceof ApiFailure && failure.is("invalid_code")) {
          setState({ kind: "idle" });
          setError("codeInvalid");
        } else setState({ kind: "failed", text: failureText(failure, lang) });
      });
    return () => {
      live = false;
    };
    // Only a new code asks again: a change of language keeps the answer.
  }, [param]);

  useEffect(() => {
    if (state.kind === "found" || state.kind === "unknown" || state.kind === "failed") heading.current?.focus();
  }, [state.kind]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const wanted = normalise(code);
    if (!wanted) {
      setError("codeRequired");
      document.getElementById("verify-code")?.focus();
      return;
    }
    if (!/^[0-9A-Z]{12}$/.test(wanted)) {
      setError("codeInvalid");
      document.getElementById("verify-code")?.focus();
      return;
    }
    setError(null);
    if (wanted === normalise(param)) return;
    navigate(`/verify/${wanted}`);
  };

  return (
    <Page title={t("title")} lead={t("lead")}>
      <div className="fr-grid-row">
        <div className="fr-col-12 fr-col-md-8 fr-col-lg-7">
          <form onSubmit={submit} noValidate className="sj-form" role="search" aria-label={t("title")}>
            <Input
              label={t("code")}
              hintText={t("codeHint")}
              state={error ? "error" : "default"}
              stateRelatedMessage={error ? t(error) : undefined}
              nativeInputProps={{
                id: "verify-code",
                value: code,
                autoComplete: "off",
                spellCheck: false,
                autoCapitalize: "characters",
                maxLength: 40,
                className: "sj-code",
                onChange: (e) => setCode(e.target.value),
              }}
            />
            <Button type="submit" disabled={state.kind === "busy"}>
              {state.kind === "busy" ? t("checking") : t("submit")}
            </Button>
          </form>
          <div aria-live="polite">{state.kind === "busy" ? <p className="fr-mt-2w">{t("checking")}</p> : null}</div>
          {state.kind === "found" || state.kind === "unknown" || state.kind === "failed" ? (
            <section className="fr-mt-6w" aria-labelledby="verify-result">
              <h2 id="verify-result" ref={heading} tabIndex={-1}>
                {t("result")}
              </h2>
              {state.kind === "found" ? <Found verification={state.verification} /> : null}
              {state.kind === "unknown" ? <Alert severity="error" as="h3" title={t("unknown")} description={t("unknownText")} /> : null}
              {state.kind === "failed" ? <Alert severity="error" as="h3" title={t("problem")} description={state.text} /> : null}
            </section>
          ) : null}
        </div>
      </div>
    </Page>
  );
}

function Found({ verification: v }: { verification: Verification }) {
  const t = useT(messages);
  const { lang } = useLang();
  const kind = KINDS[v.kind];
  const expired = !v.valid && !v.withdrawn_at && !v.superseded_at;
  const why = [
    v.withdrawn_at ? t("withdrawn").replace("{date}", formatDate(v.withdrawn_at, lang)) : null,
    v.superseded_at ? t("superseded").replace("{date}", formatDate(v.superseded_at, lang)) : null,
    expired ? t("expired") : null,
  ].filter((x): x is string => x !== null);
  return (
    <>
      <Alert
        severity={v.valid ? "success" : "warning"}
        as="h3"
        title={t("authentic")}
        description={v.valid ? t("authenticValid") : `${t("authenticInvalid")} ${why.join(" ")}`}
        className="fr-mb-4w"
      />
      <h3>{t("details")}</h3>
      <dl className="sj-facts">
        <dt>{t("kind")}</dt>
        <dd>
          {kind.name[lang]}
          <span className="sj-block fr-text--sm fr-mb-0">{kind.about[lang]}</span>
        </dd>
        <dt>{t("holder")}</dt>
        <dd>{v.holder_name}</dd>
        <dt>{t("reference")}</dt>
        <dd>{v.reference}</dd>
        <dt>{t("issuedAt")}</dt>
        <dd>{formatDateTime(v.issued_at, lang)}</dd>
        <dt>{t("validUntil")}</dt>
        <dd>{v.valid_until ? formatDate(v.valid_until, lang) : t("noEnd")}</dd>
        <dt>{t("state")}</dt>
        <dd>
          <Badge severity={v.valid ? "success" : "warning"} as="span" small>
            {v.valid ? t("valid") : t("notValid")}
          </Badge>
          {why.length ? <span className="sj-block">{why.join(" ")}</span> : null}
        </dd>
        <dt>{t("right")}</dt>
        <dd>{v.confers_right_of_stay ? t("rightYes") : t("rightNo")}</dd>
        <dt>{t("codeShown")}</dt>
        <dd className="sj-code">{v.code}</dd>
      </dl>
    </>
  );
}
