// The home page before login (F1, F2): what the service is, the eligibility
// check, and the three ways in. Logged in, it leads to the account first.
import { Button } from "@codegouvfr/react-dsfr/Button";
import { CallOut } from "@codegouvfr/react-dsfr/CallOut";
import { Tile } from "@codegouvfr/react-dsfr/Tile";
import { useEffect } from "react";
import { useT } from "../i18n";
import { useLocation } from "../router";
import { useSession } from "../session";
import { Page } from "../ui/Page";
import { Eligibility } from "./home/Eligibility";

const messages = {
  title: { fr: "Votre titre de séjour étudiant, en ligne", en: "Your student residence permit, online" },
  lead: {
    fr: "Séjour est le service en ligne de l’État pour les étudiants étrangers en France : première demande de titre de séjour après votre visa long séjour, ou renouvellement de votre titre. Tout se fait en ligne, du dépôt de la demande à la décision de la préfecture.",
    en: "Séjour is the French state’s online service for foreign students in France: your first residence permit after your long-stay visa, or the renewal of your permit. Everything is done online, from filing the application to the préfecture’s decision.",
  },
  steps: {
    fr: "Vous remplissez votre demande en six étapes (informations personnelles, études, ressources, pièces justificatives et e-photo, récapitulatif, confirmation), vous pouvez l’enregistrer et la reprendre à tout moment, sur téléphone comme sur ordinateur. Une attestation de dépôt vous est remise dès l’envoi.",
    en: "You fill in your application in six steps (personal information, studies, resources, supporting documents and e-photo, review, confirmation); you can save it and resume at any time, on a phone as on a computer. A submission receipt is given to you as soon as you send it.",
  },
  loggedIn: { fr: "Vous êtes connecté", en: "You are logged in" },
  loggedInText: { fr: "Retrouvez votre demande, vos notifications et vos documents dans votre espace.", en: "Find your application, your notifications and your documents in your account." },
  toAccount: { fr: "Aller à mon espace", en: "Go to my account" },
  ways: { fr: "Accéder au service", en: "Getting in" },
  waysIntro: { fr: "Choisissez l’accès qui correspond à votre situation.", en: "Choose the way in that matches your situation." },
  login: { fr: "J’ai déjà un compte", en: "I already have an account" },
  loginDesc: { fr: "Connectez-vous avec votre adresse électronique et votre mot de passe.", en: "Log in with your email address and your password." },
  permit: { fr: "J’ai un titre de séjour", en: "I have a residence permit" },
  permitDesc: {
    fr: "Pour un renouvellement : créez votre compte avec le numéro de votre titre et ses dates de validité.",
    en: "For a renewal: create your account with your permit’s number and its validity dates.",
  },
  visa: { fr: "J’ai un visa long séjour", en: "I have a long-stay visa" },
  visaDesc: {
    fr: "Pour une première demande : créez votre compte avec le numéro de votre visa et ses dates de validité. Ce compte est provisoire jusqu’à la décision.",
    en: "For a first application: create your account with your visa’s number and its validity dates. This account is provisional until the decision.",
  },
};

export default function Home() {
  const t = useT(messages);
  const { profile } = useSession();
  const { hash } = useLocation();
  // A link to a part of this page ("/#eligibility-title"): go there once the heading has had its focus.
  useEffect(() => {
    if (hash) document.getElementById(decodeURIComponent(hash.slice(1)))?.focus();
  }, [hash]);
  return (
    <Page title={t("title")} lead={t("lead")}>
      <p>{t("steps")}</p>
      {profile ? (
        <CallOut title={t("loggedIn")} titleAs="h2" iconId="fr-icon-account-circle-line" className="fr-my-4w">
          {t("loggedInText")}
          <span className="fr-mt-2w sj-block">
            <Button linkProps={{ to: "/account" }}>{t("toAccount")}</Button>
          </span>
        </CallOut>
      ) : null}
      <Eligibility />
      <section aria-labelledby="ways-title">
        <h2 id="ways-title">{t("ways")}</h2>
        <p>{t("waysIntro")}</p>
        <div className="fr-grid-row fr-grid-row--gutters">
          <div className="fr-col-12 fr-col-md-4">
            <Tile title={t("login")} titleAs="h3" desc={t("loginDesc")} linkProps={{ to: "/login" }} enlargeLinkOrButton />
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <Tile title={t("permit")} titleAs="h3" desc={t("permitDesc")} linkProps={{ to: "/activate/permit" }} enlargeLinkOrButton />
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <Tile title={t("visa")} titleAs="h3" desc={t("visaDesc")} linkProps={{ to: "/activate/visa" }} enlargeLinkOrButton />
          </div>
        </div>
      </section>
    </Page>
  );
}
