// A new password (activation, reset): the rules shown before typing, each
// turning "valid" as it is met, and the API's refusal in their place.
import { PasswordInput } from "@codegouvfr/react-dsfr/blocks/PasswordInput";
import type { FieldCode } from "../../api/client";
import { useT } from "../../i18n";

const messages = {
  rules: { fr: "Votre mot de passe doit contenir :", en: "Your password must have:" },
  length: { fr: "au moins 12 caractères", en: "at least 12 characters" },
  common: {
    fr: "rien de courant ni de facile à deviner (pas « motdepasse123 », ni votre adresse électronique)",
    en: "nothing common or easy to guess (not “password123”, nor your email address)",
  },
  hint: {
    fr: "Une phrase de plusieurs mots est plus simple à retenir et plus sûre.",
    en: "A sentence of several words is easier to remember and safer.",
  },
};

export const MIN_PASSWORD_LENGTH = 12;

export function NewPassword(props: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** The API's message for this field, if it refused it, and its code. */
  error?: string;
  errorCode?: FieldCode;
  /** The rules are shown once per form: not under the confirmation. */
  showRules?: boolean;
}) {
  const t = useT(messages);
  const { id, label, value, onChange, error, errorCode, showRules = true } = props;
  const long = [...value].length >= MIN_PASSWORD_LENGTH;
  // A refusal that is one of the rules turns that rule red instead of repeating it.
  const ruleBroken = showRules && (errorCode === "too_short" || errorCode === "too_common");
  const rules = showRules
    ? [
        { severity: errorCode === "too_short" ? ("error" as const) : long ? ("valid" as const) : ("info" as const), message: t("length") },
        { severity: errorCode === "too_common" ? ("error" as const) : ("info" as const), message: t("common") },
      ]
    : [];
  return (
    <PasswordInput
      label={label}
      hintText={showRules ? t("hint") : undefined}
      messagesHint={showRules ? t("rules") : ""}
      messages={error && !ruleBroken ? [...rules, { severity: "error", message: error }] : rules}
      nativeInputProps={{
        id,
        name: id,
        value,
        autoComplete: "new-password",
        onChange: (e) => onChange(e.target.value),
        "aria-invalid": error ? true : undefined,
      }}
    />
  );
}
