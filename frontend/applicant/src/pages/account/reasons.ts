// Why a situation is not covered online (F1), as /api/eligibility and the
// activation's `not_covered` problem say it.
import type { Schemas } from "../../api/client";
import type { Text } from "../../i18n";

export const REASONS: Record<Schemas["NotCoveredReason"], Text> = {
  short_stay_visa_concours: {
    fr: "Un visa court séjour « concours » ne permet pas de demander un titre de séjour étudiant en ligne.",
    en: "A short-stay “concours” visa does not allow applying online for a student residence permit.",
  },
  no_visa_nor_permit: {
    fr: "Sans visa long séjour ni titre de séjour, la démarche ne peut pas se faire en ligne.",
    en: "Without a long-stay visa or a residence permit, the procedure cannot be done online.",
  },
  eu_long_term_resident: {
    fr: "Les titulaires d’une carte de résident de longue durée – UE font leur démarche auprès de la préfecture.",
    en: "Holders of an EU long-term resident card apply at the préfecture.",
  },
  not_yet_adult: {
    fr: "Avec un VLS-T « mineur scolarisé », la demande en ligne est possible à partir de vos 18 ans.",
    en: "With a VLS-T “schooled minor”, you can apply online from your 18th birthday.",
  },
  expired_too_long_ago: {
    fr: "Votre visa ou titre a expiré depuis plus de 6 mois : la démarche en ligne n’est plus possible.",
    en: "Your visa or permit expired more than 6 months ago: the online procedure is no longer possible.",
  },
};
