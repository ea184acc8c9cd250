//! Texts of the API's problems and field errors, in French and English.
//! Clients key on the codes, which are stable; these texts are a courtesy
//! for API users and a fallback for the sites.

use crate::domain::FieldCode;
use crate::domain::account::Language;
use crate::service::ProblemCode;

/// Title and detail of a problem code. `retry_after` (seconds) is woven
/// into the texts of throttling problems.
pub fn problem(code: ProblemCode, language: Language, retry_after: Option<i64>) -> (&'static str, String) {
    let minutes = retry_after.map(|s| (s + 59) / 60).unwrap_or(1).max(1);
    let seconds = retry_after.unwrap_or(1).max(1);
    let fr = language == Language::Fr;
    let (title, detail): (&str, String) = match code {
        ProblemCode::ValidationFailed => pick(
            fr,
            (
                "Informations invalides",
                "Certaines informations sont absentes ou invalides : voyez le détail de chaque champ.",
            ),
            (
                "Invalid input",
                "Some fields are missing or invalid: see each field's error.",
            ),
        ),
        ProblemCode::MalformedBody => pick(
            fr,
            (
                "Requête illisible",
                "Le corps de la requête n'est pas un objet JSON du format attendu.",
            ),
            (
                "Malformed request",
                "The request body is not a JSON object of the expected shape.",
            ),
        ),
        ProblemCode::UnsupportedMediaType => pick(
            fr,
            (
                "Format non pris en charge",
                "Envoyez le corps de la requête en JSON (Content-Type: application/json).",
            ),
            (
                "Unsupported media type",
                "Send the request body as JSON (Content-Type: application/json).",
            ),
        ),
        ProblemCode::PayloadTooLarge => pick(
            fr,
            (
                "Requête trop volumineuse",
                "Le corps de la requête dépasse la taille autorisée.",
            ),
            ("Request too large", "The request body exceeds the allowed size."),
        ),
        ProblemCode::InvalidIfMatch => pick(
            fr,
            (
                "En-tête If-Match illisible",
                "L'en-tête If-Match doit reprendre l'ETag lu, par exemple \"3\".",
            ),
            (
                "Unreadable If-Match header",
                "The If-Match header must repeat the ETag read, for example \"3\".",
            ),
        ),
        ProblemCode::RequestTimeout => pick(
            fr,
            (
                "Requête trop lente",
                "La requête n'a pas été reçue entièrement à temps. Vérifiez votre connexion et réessayez.",
            ),
            (
                "Request too slow",
                "The request was not received in full in time. Check your connection and try again.",
            ),
        ),
        ProblemCode::RecordNotFound => pick(
            fr,
            (
                "Titre introuvable",
                "Aucun titre de séjour ou visa ne correspond à ces informations. Vérifiez le type, le numéro et les dates de validité tels qu'ils sont imprimés sur le document.",
            ),
            (
                "Document not found",
                "No residence permit or visa matches these details. Check the type, the number and the validity dates as printed on the document.",
            ),
        ),
        ProblemCode::NotCovered => pick(
            fr,
            (
                "Démarche non disponible en ligne",
                "Votre situation ne permet pas de faire la démarche en ligne (la raison est donnée par « reason ») : adressez-vous à la préfecture de votre domicile.",
            ),
            (
                "Not available online",
                "Your situation does not allow the online procedure (the reason is given by \"reason\"): contact the préfecture of your place of residence.",
            ),
        ),
        ProblemCode::FilingNotOpen => pick(
            fr,
            (
                "Trop tôt pour déposer",
                "Le dépôt de votre demande n'est pas encore ouvert : revenez à partir de la date donnée par « opens_on ».",
            ),
            (
                "Too early to file",
                "Filing your application is not open yet: come back from the date given by \"opens_on\".",
            ),
        ),
        ProblemCode::AccountExists => pick(
            fr,
            (
                "Compte déjà créé",
                "Un compte a déjà été créé avec ce titre. Connectez-vous, ou utilisez « Mot de passe oublié ».",
            ),
            (
                "Account already exists",
                "An account was already created with this document. Log in, or use \"Forgot password\".",
            ),
        ),
        ProblemCode::EmailTaken => pick(
            fr,
            (
                "Adresse déjà utilisée",
                "Cette adresse électronique est déjà utilisée par un autre compte.",
            ),
            (
                "Email already in use",
                "This email address is already used by another account.",
            ),
        ),
        ProblemCode::VersionConflict => pick(
            fr,
            (
                "Modification concurrente",
                "Ces informations ont été modifiées entre-temps, par exemple depuis un autre appareil. Rechargez la page et réessayez.",
            ),
            (
                "Concurrent change",
                "This was changed in the meantime, for instance from another device. Reload and try again.",
            ),
        ),
        ProblemCode::InvalidToken => pick(
            fr,
            (
                "Lien invalide",
                "Ce lien n'est pas valide ou a déjà été utilisé. Demandez-en un nouveau.",
            ),
            (
                "Invalid link",
                "This link is not valid or has already been used. Ask for a new one.",
            ),
        ),
        ProblemCode::ExpiredToken => pick(
            fr,
            ("Lien expiré", "Ce lien a expiré. Demandez-en un nouveau."),
            ("Expired link", "This link has expired. Ask for a new one."),
        ),
        ProblemCode::InvalidCredentials => pick(
            fr,
            (
                "Identifiants incorrects",
                "L'adresse électronique ou le mot de passe est incorrect.",
            ),
            ("Wrong credentials", "The email address or the password is wrong."),
        ),
        ProblemCode::Unauthenticated => pick(
            fr,
            (
                "Connexion requise",
                "Votre session est absente ou a expiré : connectez-vous.",
            ),
            ("Login required", "Your session is missing or has expired: log in."),
        ),
        ProblemCode::EmailNotVerified => pick(
            fr,
            (
                "Adresse non confirmée",
                "Confirmez d'abord votre adresse électronique : un nouveau lien vient de vous être envoyé.",
            ),
            (
                "Email not confirmed",
                "Confirm your email address first: a new link has just been sent to you.",
            ),
        ),
        ProblemCode::Forbidden => pick(
            fr,
            ("Accès refusé", "Vous n'avez pas accès à cette ressource."),
            ("Forbidden", "You may not access this resource."),
        ),
        ProblemCode::CrossOrigin => pick(
            fr,
            (
                "Origine refusée",
                "Les modifications ne sont acceptées que depuis le site du service.",
            ),
            (
                "Origin refused",
                "Changes are only accepted from the service's own site.",
            ),
        ),
        ProblemCode::TooManyAttempts => (
            if fr { "Trop de tentatives" } else { "Too many attempts" },
            if fr {
                format!("Trop de tentatives à la suite : réessayez dans {seconds} seconde(s).")
            } else {
                format!("Too many attempts in a row: try again in {seconds} second(s).")
            },
        ),
        ProblemCode::Busy => (
            if fr { "Service très sollicité" } else { "Service busy" },
            if fr {
                format!(
                    "Le service reçoit beaucoup de demandes en ce moment : réessayez dans {seconds} seconde(s). Rien n'a été modifié."
                )
            } else {
                format!(
                    "The service is receiving many requests right now: try again in {seconds} second(s). Nothing was changed."
                )
            },
        ),
        ProblemCode::AccountLocked => (
            if fr { "Connexion bloquée" } else { "Login locked" },
            if fr {
                format!(
                    "Après trop d'échecs, la connexion est bloquée pendant encore {minutes} minute(s). Attendez la fin du blocage, ou réinitialisez votre mot de passe avec « Mot de passe oublié » : cela débloque la connexion aussitôt."
                )
            } else {
                format!(
                    "After too many failures, login is locked for another {minutes} minute(s). Wait until then, or reset your password with \"Forgot password\": that unlocks it at once."
                )
            },
        ),
        ProblemCode::OpenApplicationExists => pick(
            fr,
            (
                "Demande déjà en cours",
                "Vous avez déjà une demande en cours : reprenez-la plutôt que d'en créer une autre.",
            ),
            (
                "Application already open",
                "You already have an application in progress: resume it instead of creating another.",
            ),
        ),
        ProblemCode::NotEditable => pick(
            fr,
            (
                "Demande non modifiable",
                "Cette demande a été déposée : elle ne peut plus être modifiée.",
            ),
            (
                "Application cannot be changed",
                "This application has been submitted: it can no longer be changed.",
            ),
        ),
        ProblemCode::VersionRequired => pick(
            fr,
            (
                "Version requise",
                "Indiquez la version de la demande que vous avez lue (en-tête If-Match: \"<version>\", donnée par l'ETag).",
            ),
            (
                "Version required",
                "Send the version of the application you read (If-Match: \"<version>\" header, from the ETag).",
            ),
        ),
        ProblemCode::SectionIncomplete => pick(
            fr,
            (
                "Rubrique incomplète",
                "Cette rubrique ne peut pas être validée : des informations manquent (voyez le détail).",
            ),
            (
                "Section incomplete",
                "This section cannot be validated: some information is missing (see the details).",
            ),
        ),
        ProblemCode::NotReady => pick(
            fr,
            (
                "Demande incomplète",
                "La demande ne peut pas encore être déposée : validez les quatre rubriques, joignez les pièces demandées et un code e-photo valide (voyez le détail).",
            ),
            (
                "Application not ready",
                "The application cannot be submitted yet: validate the four sections, attach the required documents and a valid e-photo code (see the details).",
            ),
        ),
        ProblemCode::AlreadySubmitted => pick(
            fr,
            (
                "Demande déjà déposée",
                "Cette demande a déjà été déposée. Votre attestation de dépôt est disponible dans votre compte.",
            ),
            (
                "Already submitted",
                "This application has already been submitted. Your receipt is available in your account.",
            ),
        ),
        ProblemCode::IdempotencyKeyRequired => pick(
            fr,
            (
                "Clé d'idempotence requise",
                "Envoyez un en-tête Idempotency-Key unique (1 à 200 caractères visibles), le même pour chaque nouvel essai.",
            ),
            (
                "Idempotency key required",
                "Send a unique Idempotency-Key header (1 to 200 visible characters), the same one for each retry.",
            ),
        ),
        ProblemCode::IdempotencyKeyReused => pick(
            fr,
            (
                "Clé d'idempotence déjà utilisée",
                "Cette clé Idempotency-Key a déjà servi pour une autre demande : utilisez-en une nouvelle.",
            ),
            (
                "Idempotency key reused",
                "This Idempotency-Key was already used for another application: use a new one.",
            ),
        ),
        ProblemCode::NotUploaded => pick(
            fr,
            (
                "Fichier non reçu",
                "Aucun fichier accepté n'a été reçu pour ce document : envoyez-le avec le lien fourni, puis confirmez.",
            ),
            (
                "File not received",
                "No accepted file has been received for this document: upload it with the link provided, then confirm.",
            ),
        ),
        ProblemCode::InvalidCode => pick(
            fr,
            (
                "Code invalide",
                "Ce n'est pas un code de vérification : il a 12 caractères, par exemple 7F3K-9Q2M-X4B8.",
            ),
            (
                "Invalid code",
                "This is not a verification code: it has 12 characters, e.g. 7F3K-9Q2M-X4B8.",
            ),
        ),
        ProblemCode::UnknownCode => pick(
            fr,
            (
                "Document inconnu",
                "Aucun document n'a été délivré avec ce code : il n'est pas authentique, ou le code est mal recopié.",
            ),
            (
                "Unknown document",
                "No document was issued with this code: it is not authentic, or the code was mistyped.",
            ),
        ),
        ProblemCode::NotFound => pick(
            fr,
            ("Introuvable", "La ressource demandée n'existe pas."),
            ("Not found", "The requested resource does not exist."),
        ),
        ProblemCode::MethodNotAllowed => pick(
            fr,
            (
                "Méthode non autorisée",
                "Cette méthode HTTP n'est pas acceptée à cette adresse.",
            ),
            (
                "Method not allowed",
                "This HTTP method is not accepted at this address.",
            ),
        ),
        ProblemCode::NotSubmitted => pick(
            fr,
            ("Demande non déposée", "Cette demande n'a pas encore été déposée."),
            ("Not submitted", "This application has not been submitted yet."),
        ),
        ProblemCode::ReviewStarted => pick(
            fr,
            (
                "Instruction commencée",
                "La préfecture a commencé l'instruction : la demande ne peut plus être retirée.",
            ),
            (
                "Review started",
                "The préfecture has started the review: the application can no longer be withdrawn.",
            ),
        ),
        ProblemCode::AlreadyDecided => pick(
            fr,
            (
                "Décision déjà prise",
                "Une décision a déjà été prise sur cette demande.",
            ),
            (
                "Already decided",
                "A decision has already been made on this application.",
            ),
        ),
        ProblemCode::NoComplementRequested => pick(
            fr,
            (
                "Aucun complément demandé",
                "La préfecture n'a demandé aucun complément pour cette demande.",
            ),
            (
                "No complement requested",
                "The préfecture has not asked for anything more on this application.",
            ),
        ),
        ProblemCode::NotApproved => pick(
            fr,
            (
                "Demande non acceptée",
                "Le titre de séjour ne peut être préparé qu'après une décision favorable.",
            ),
            (
                "Not approved",
                "The residence permit card can be prepared only after a favourable decision.",
            ),
        ),
        ProblemCode::TransitionNotAllowed => pick(
            fr,
            (
                "Action impossible",
                "Cette action n'est pas possible à ce stade de la demande.",
            ),
            (
                "Action not possible",
                "This action is not possible at this stage of the application.",
            ),
        ),
        ProblemCode::ComplementIncomplete => pick(
            fr,
            (
                "Réponse incomplète",
                "Répondez à chaque document demandé avant d'envoyer : voyez le détail.",
            ),
            (
                "Answer incomplete",
                "Answer every document asked for before sending: see the details.",
            ),
        ),
        ProblemCode::CaseClosed => pick(
            fr,
            (
                "Dossier clos",
                "Ce dossier est clos : il n'est plus possible d'y écrire.",
            ),
            (
                "Case closed",
                "This case is closed: no more messages can be written in it.",
            ),
        ),
        ProblemCode::TooManyMessages => pick(
            fr,
            (
                "Trop de messages",
                "Ce dossier a atteint le nombre maximal de messages. Contactez la préfecture par un autre moyen.",
            ),
            (
                "Too many messages",
                "This case has reached the maximum number of messages. Contact the préfecture another way.",
            ),
        ),
        ProblemCode::Internal => pick(
            fr,
            (
                "Erreur interne",
                "Une erreur inattendue est survenue. Réessayez plus tard.",
            ),
            ("Internal error", "An unexpected error occurred. Try again later."),
        ),
    };
    (title, detail)
}

fn pick(
    fr: bool,
    french: (&'static str, &'static str),
    english: (&'static str, &'static str),
) -> (&'static str, String) {
    let (title, detail) = if fr { french } else { english };
    (title, detail.to_string())
}

/// The message of a field error code.
pub fn field(code: FieldCode, language: Language) -> &'static str {
    let (fr, en) = match code {
        FieldCode::Required => ("Ce champ est obligatoire.", "This field is required."),
        FieldCode::TooLong => ("Ce champ est trop long.", "This field is too long."),
        FieldCode::TooShort => ("Au moins 12 caractères.", "At least 12 characters."),
        FieldCode::TooCommon => (
            "Ce mot de passe est trop courant ou trop facile à deviner.",
            "This password is too common or too easy to guess.",
        ),
        FieldCode::InvalidCharacters => (
            "Ce champ contient des caractères non autorisés.",
            "This field contains characters that are not allowed.",
        ),
        FieldCode::InvisibleCharacters => (
            "Ce champ contient des caractères invisibles (souvent venus d'un copier-coller) : retapez-le.",
            "This field contains invisible characters (often from copying and pasting): type it again.",
        ),
        FieldCode::InvalidDate => (
            "Date invalide : format AAAA-MM-JJ.",
            "Invalid date: use the YYYY-MM-DD format.",
        ),
        FieldCode::BeforeValidFrom => (
            "La fin de validité précède le début.",
            "The end of validity is before its start.",
        ),
        FieldCode::InvalidEmail => ("Adresse électronique invalide.", "Invalid email address."),
        FieldCode::InvalidPhone => ("Numéro de téléphone invalide.", "Invalid phone number."),
        FieldCode::NotMobile => (
            "Indiquez un numéro de téléphone mobile (06 ou 07).",
            "Give a mobile phone number (06 or 07).",
        ),
        FieldCode::InvalidPostcode => (
            "Code postal invalide : cinq chiffres.",
            "Invalid postcode: five digits.",
        ),
        FieldCode::NoPrefecture => (
            "Ce code postal ne correspond à aucun département.",
            "This postcode matches no département.",
        ),
        FieldCode::UnknownPrefecture => ("Préfecture inconnue.", "Unknown préfecture."),
        FieldCode::InvalidLanguage => ("Langue invalide : fr ou en.", "Invalid language: fr or en."),
        FieldCode::InvalidKind => (
            "Type invalide : titre de séjour (permit) ou visa (visa).",
            "Invalid kind: permit or visa.",
        ),
        FieldCode::InvalidDocumentType => ("Type de document inconnu.", "Unknown document type."),
        FieldCode::InvalidDocumentNumber => (
            "Numéro invalide : 6 à 20 lettres ou chiffres.",
            "Invalid number: 6 to 20 letters or digits.",
        ),
        FieldCode::InvalidForeignerNumber => (
            "Numéro étranger invalide : 10 chiffres.",
            "Invalid foreigner number: 10 digits.",
        ),
        FieldCode::InvalidSex => ("Sexe invalide.", "Invalid sex."),
        FieldCode::InvalidCountry => (
            "Code pays invalide (ISO 3166, 3 lettres).",
            "Invalid country code (ISO 3166, 3 letters).",
        ),
        FieldCode::KindMismatch => (
            "Ce type de document ne correspond pas à ce type de titre.",
            "This document type does not match the kind.",
        ),
        FieldCode::ReadOnly => (
            "Ce champ vient des données de l'État et ne peut pas être modifié ici.",
            "This field comes from the state's records and cannot be changed here.",
        ),
        FieldCode::UnknownField => ("Champ inconnu.", "Unknown field."),
        FieldCode::NotInList => ("Choisissez une valeur de la liste.", "Choose a value from the list."),
        FieldCode::NotApplicable => (
            "Ce champ ne s'applique pas à votre situation.",
            "This field does not apply to your situation.",
        ),
        FieldCode::OutOfRange => ("Valeur hors des limites permises.", "Value out of range."),
        FieldCode::MustBePositive => (
            "Indiquez un nombre supérieur à zéro.",
            "Give a number greater than zero.",
        ),
        FieldCode::TooLarge => (
            "Trop grand : le fichier dépasse la taille permise, ou le montant est trop élevé.",
            "Too large: the file exceeds the allowed size, or the amount is too high.",
        ),
        FieldCode::TooMany => ("Trop d'éléments.", "Too many items."),
        FieldCode::InvalidAcademicYear => (
            "Année universitaire invalide : deux années qui se suivent, par exemple 2026-2027.",
            "Invalid academic year: two consecutive years, e.g. 2026-2027.",
        ),
        FieldCode::NotRequired => (
            "Ce document n'est pas demandé pour votre dossier.",
            "This document is not required for your application.",
        ),
        FieldCode::UnsupportedType => (
            "Format non accepté : PDF, JPEG ou PNG uniquement.",
            "Format not accepted: PDF, JPEG or PNG only.",
        ),
        FieldCode::InvalidLength => (
            "Le code e-photo a 22 lettres et chiffres.",
            "The e-photo code has 22 letters and digits.",
        ),
        FieldCode::EphotoUnknown => (
            "Ce code e-photo est inconnu : vérifiez-le sur la planche photo.",
            "This e-photo code is unknown: check it on the photo board.",
        ),
        FieldCode::EphotoExpired => (
            "Cette photo a plus de 6 mois : faites-en une nouvelle dans une cabine ou chez un photographe agréé.",
            "This photo is more than 6 months old: get a new one from an approved booth or photographer.",
        ),
        FieldCode::NotValidated => (
            "Relisez et validez cette rubrique.",
            "Review and validate this section.",
        ),
        FieldCode::InvalidCode => (
            "Code de vérification invalide : 12 lettres et chiffres, par exemple ABCD-EFGH-JKMN.",
            "Invalid verification code: 12 letters and digits, e.g. ABCD-EFGH-JKMN.",
        ),
        FieldCode::InvalidNumber => ("Indiquez un nombre.", "Give a number."),
        FieldCode::InvalidCursor => (
            "Lien de page invalide : revenez à la première page de la liste.",
            "Invalid page link: go back to the first page of the list.",
        ),
        FieldCode::NotUploaded => (
            "Ce fichier n'a pas été reçu ou a été refusé : envoyez-le de nouveau.",
            "This file was not received or was refused: upload it again.",
        ),
        FieldCode::InvalidType => (
            "Type de valeur inattendu (texte, nombre…).",
            "Unexpected type of value (text, number…).",
        ),
        FieldCode::InvalidJson => ("Ligne JSON illisible.", "Unreadable JSON line."),
        FieldCode::NotAnObject => (
            "Chaque ligne doit être un objet JSON.",
            "Each line must be a JSON object.",
        ),
        FieldCode::MalformedLine => ("Ligne illisible.", "Unreadable line."),
        FieldCode::WrongFieldCount => (
            "Nombre de colonnes différent de l'en-tête.",
            "Number of columns differs from the header.",
        ),
        FieldCode::InvalidUtf8 => ("Texte mal encodé : utilisez UTF-8.", "Badly encoded text: use UTF-8."),
    };
    if language == Language::Fr { fr } else { en }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_its_own_text() {
        for language in [Language::Fr, Language::En] {
            let mut seen = std::collections::HashSet::new();
            for code in ProblemCode::ALL {
                assert!(seen.insert(problem(*code, language, None).1), "{code}");
            }
            let mut seen = std::collections::HashSet::new();
            for code in FieldCode::ALL {
                // Two codes may share a text only if they mean the same to a user.
                assert!(
                    seen.insert((field(*code, language), *code == FieldCode::TooLarge)),
                    "{code}"
                );
            }
        }
    }

    #[test]
    fn lock_detail_says_how_to_get_back_in() {
        let (_, detail) = problem(ProblemCode::AccountLocked, Language::En, Some(600));
        assert!(detail.contains("10 minute") && detail.contains("Forgot password"));
    }
}
