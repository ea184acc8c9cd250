// The account's frequently asked questions (F4).
import { Accordion } from "@codegouvfr/react-dsfr/Accordion";
import { useLang, type Text } from "../../i18n";

const QUESTIONS: { q: Text; a: Text[] }[] = [
  {
    q: { fr: "Quels documents dois-je préparer ?", en: "Which documents should I prepare?" },
    a: [
      {
        fr: "En général : les pages d’identité de votre passeport, votre visa ou titre de séjour actuel, un justificatif de domicile de moins de 6 mois (ou, si vous êtes hébergé gratuitement, l’attestation de votre hébergeant et sa pièce d’identité), votre certificat d’inscription, des justificatifs de ressources, vos relevés de notes pour un renouvellement et l’engagement signé à respecter les principes de la République.",
        en: "Usually: the identity pages of your passport, your current visa or residence permit, a proof of address less than 6 months old (or, if you are housed free of charge, your host’s certificate and identity document), your enrolment certificate, proofs of resources, your transcripts for a renewal and the signed commitment to respect the principles of the Republic.",
      },
      {
        fr: "Il vous faut aussi un code e-photo, imprimé sur la planche de photos d’une cabine ou d’un photographe agréé. La liste exacte dépend de votre situation : elle s’affiche à l’étape 4 de votre demande. Fichiers acceptés : PDF, JPEG ou PNG.",
        en: "You also need an e-photo code, printed on the photo board of an approved booth or photographer. The exact list depends on your situation: it is shown at step 4 of your application. Files accepted: PDF, JPEG or PNG.",
      },
    ],
  },
  {
    q: { fr: "La préfecture me demande des compléments : combien de temps ai-je ?", en: "The préfecture asks for complements: how long do I have?" },
    a: [
      {
        fr: "Vous avez 30 jours à partir de la demande pour répondre depuis votre espace : pour chaque pièce, envoyez un nouveau document ou gardez celui déjà envoyé en expliquant pourquoi. Un rappel vous est envoyé avant la fin du délai. Passé ce délai, la préfecture examine votre demande avec ce qu’elle a.",
        en: "You have 30 days from the request to answer from your account: for each item, send a new document or keep the one already sent, explaining why. A reminder is sent to you before the deadline. After it, the préfecture reviews your application with what it has.",
      },
    ],
  },
  {
    q: { fr: "Quand déposer ma demande, et qu’est-ce que la taxe pour dépôt tardif ?", en: "When should I file, and what is the late-filing fee?" },
    a: [
      {
        fr: "Un renouvellement se dépose entre le 120e et le 60e jour avant la fin de validité de votre titre. Après, et jusqu’à 6 mois après son expiration, la demande est encore acceptée, mais une taxe de 180 € s’ajoute pour dépôt tardif. Une première demande après un visa se dépose dans les 2 mois suivant votre arrivée en France (ou vos 18 ans).",
        en: "A renewal is filed between the 120th and the 60th day before your permit’s end of validity. Later, and up to 6 months after it expires, the application is still accepted, but a late-filing fee of 180 € is added. A first application after a visa is filed within 2 months of your arrival in France (or of turning 18).",
      },
    ],
  },
  {
    q: { fr: "À quoi sert l’attestation de dépôt ?", en: "What is the submission receipt for?" },
    a: [
      {
        fr: "Elle prouve que vous avez déposé votre demande, et quand. Elle ne donne pas, à elle seule, de droit au séjour. Si votre demande complète a été déposée à temps, une attestation de prolongation d’instruction vous est délivrée automatiquement : valable 3 mois et renouvelée jusqu’à la décision, elle prolonge les droits de votre titre précédent.",
        en: "It proves that you filed your application, and when. On its own, it gives no right of stay. If your complete application was filed on time, an extension certificate is issued to you automatically: valid 3 months and renewed until the decision, it extends the rights of your previous permit.",
      },
      {
        fr: "Chaque attestation porte un code et un QR code : un propriétaire, un employeur ou une banque peut vérifier qu’elle est authentique sur la page « Vérifier un document ».",
        en: "Each certificate carries a code and a QR code: a landlord, an employer or a bank can check that it is authentic on the “Check a document” page.",
      },
    ],
  },
  {
    q: { fr: "Mon compte est provisoire : qu’est-ce que cela veut dire ?", en: "My account is provisional: what does that mean?" },
    a: [
      {
        fr: "Un compte créé avec un visa est provisoire, car vous n’avez pas encore de numéro étranger. Vous pouvez faire et suivre votre demande comme avec un autre compte. Il devient définitif lors de la décision sur votre demande, sans rien à faire de votre part.",
        en: "An account created with a visa is provisional, because you have no foreigner number yet. You can file and follow your application as with any account. It becomes permanent at the decision on your application, with nothing for you to do.",
      },
    ],
  },
  {
    q: { fr: "Comment se passe la remise de ma carte ?", en: "How do I collect my card?" },
    a: [
      {
        fr: "Après une décision favorable, votre carte est fabriquée. Quand elle est prête, votre espace vous indique où et à partir de quand la retirer en préfecture, avec le timbre fiscal à apporter.",
        en: "After a favourable decision, your card is produced. When it is ready, your account tells you where and from when to collect it at the préfecture, with the tax stamp to bring.",
      },
    ],
  },
];

export function Faq() {
  const { lang } = useLang();
  return (
    <div className="fr-accordions-group">
      {QUESTIONS.map(({ q, a }) => (
        <Accordion key={q.en} label={q[lang]} titleAs="h3">
          {a.map((p) => (
            <p key={p.en}>{p[lang]}</p>
          ))}
        </Accordion>
      ))}
    </div>
  );
}
