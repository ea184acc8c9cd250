//! Emails, in French and English. Rendered by the use cases, queued, and
//! delivered by the mail sender (SES on AWS, `.eml` files in the outbox locally).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::account::Language;
use crate::domain::contact::Email;
use crate::domain::notification::NotificationKind;

/// One email ready to send. `id` makes delivery idempotent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutgoingMail {
    pub id: Uuid,
    pub to: Email,
    pub subject: String,
    /// Plain-text body.
    pub body: String,
}

/// What an email says, before rendering in the recipient's language.
pub enum Template<'a> {
    /// Confirm an address: `link` holds the single-use token.
    VerifyEmail {
        name: &'a str,
        link: &'a str,
    },
    ResetPassword {
        name: &'a str,
        link: &'a str,
    },
    /// A reset was asked for an address no account uses: say so, and how to
    /// get an account (the caller was told nothing either way).
    ResetNoAccount {
        activate_url: &'a str,
    },
    /// Someone tried to activate an account with an address that already
    /// has one: tell its owner, with a way back in.
    AddressInUse {
        name: &'a str,
        login_url: &'a str,
        reset_link: &'a str,
    },
    /// Something happened in the account: "log in to see it" (F6).
    Notification {
        name: &'a str,
        kind: NotificationKind,
        login_url: &'a str,
    },
}

impl Template<'_> {
    pub fn render(&self, id: Uuid, to: &Email, language: Language) -> OutgoingMail {
        let (subject, body) = match (self, language) {
            (Template::VerifyEmail { name, link }, Language::Fr) => (
                "Confirmez votre adresse électronique".to_string(),
                format!(
                    "Bonjour {name},\n\nPour confirmer votre adresse électronique, ouvrez ce lien (valable 48 heures) :\n{link}\n\nSi vous n'êtes pas à l'origine de cette demande, ignorez ce message.\n\n{SIGNATURE_FR}"
                ),
            ),
            (Template::VerifyEmail { name, link }, Language::En) => (
                "Confirm your email address".to_string(),
                format!(
                    "Hello {name},\n\nTo confirm your email address, open this link (valid for 48 hours):\n{link}\n\nIf you did not ask for this, ignore this message.\n\n{SIGNATURE_EN}"
                ),
            ),
            (Template::ResetPassword { name, link }, Language::Fr) => (
                "Réinitialisation de votre mot de passe".to_string(),
                format!(
                    "Bonjour {name},\n\nPour choisir un nouveau mot de passe, ouvrez ce lien (valable une heure, une seule fois) :\n{link}\n\nSi vous n'avez rien demandé, ignorez ce message : votre mot de passe reste inchangé.\n\n{SIGNATURE_FR}"
                ),
            ),
            (Template::ResetPassword { name, link }, Language::En) => (
                "Resetting your password".to_string(),
                format!(
                    "Hello {name},\n\nTo choose a new password, open this link (valid for one hour, once):\n{link}\n\nIf you did not ask for this, ignore this message: your password is unchanged.\n\n{SIGNATURE_EN}"
                ),
            ),
            (Template::ResetNoAccount { activate_url }, Language::Fr) => (
                "Réinitialisation de mot de passe demandée".to_string(),
                format!(
                    "Bonjour,\n\nUne réinitialisation de mot de passe a été demandée pour cette adresse, mais aucun compte Séjour ne l'utilise. Vous avez peut-être créé votre compte avec une autre adresse.\n\nPour créer un compte avec votre titre de séjour ou votre visa :\n{activate_url}\n\nSi vous n'avez rien demandé, ignorez ce message.\n\n{SIGNATURE_FR}"
                ),
            ),
            (Template::ResetNoAccount { activate_url }, Language::En) => (
                "Password reset requested".to_string(),
                format!(
                    "Hello,\n\nA password reset was requested for this address, but no Séjour account uses it. You may have created your account with another address.\n\nTo create an account with your residence permit or visa:\n{activate_url}\n\nIf you did not ask for this, ignore this message.\n\n{SIGNATURE_EN}"
                ),
            ),
            (
                Template::AddressInUse {
                    name,
                    login_url,
                    reset_link,
                },
                Language::Fr,
            ) => (
                "Vous avez déjà un compte Séjour".to_string(),
                format!(
                    "Bonjour {name},\n\nQuelqu'un (peut-être vous) a voulu créer un compte Séjour avec cette adresse, qui en a déjà un. Aucun nouveau compte n'a été créé.\n\nPour vous connecter :\n{login_url}\n\nMot de passe oublié ? Choisissez-en un nouveau avec ce lien (valable une heure, une seule fois) :\n{reset_link}\n\nSi vous n'avez rien demandé, ignorez ce message : votre compte est inchangé.\n\n{SIGNATURE_FR}"
                ),
            ),
            (
                Template::AddressInUse {
                    name,
                    login_url,
                    reset_link,
                },
                Language::En,
            ) => (
                "You already have a Séjour account".to_string(),
                format!(
                    "Hello {name},\n\nSomeone (maybe you) tried to create a Séjour account with this address, which already has one. No new account was created.\n\nTo log in:\n{login_url}\n\nForgot your password? Choose a new one with this link (valid for one hour, once):\n{reset_link}\n\nIf you did not ask for this, ignore this message: your account is unchanged.\n\n{SIGNATURE_EN}"
                ),
            ),
            (Template::Notification { name, kind, login_url }, Language::Fr) => (
                format!("Séjour : {}", notification_title(*kind, Language::Fr)),
                format!(
                    "Bonjour {name},\n\nUne nouvelle notification vous attend dans votre compte. Connectez-vous pour la consulter :\n{login_url}\n\n{SIGNATURE_FR}"
                ),
            ),
            (Template::Notification { name, kind, login_url }, Language::En) => (
                format!("Séjour: {}", notification_title(*kind, Language::En)),
                format!(
                    "Hello {name},\n\nA new notification is waiting in your account. Log in to see it:\n{login_url}\n\n{SIGNATURE_EN}"
                ),
            ),
        };
        OutgoingMail {
            id,
            to: to.clone(),
            subject,
            body,
        }
    }
}

const SIGNATURE_FR: &str = "Le service Séjour — ce message est envoyé automatiquement, merci de ne pas y répondre.";
const SIGNATURE_EN: &str = "The Séjour service — this message is sent automatically, please do not reply.";

/// A notification's title, as the account and the email show it.
pub fn notification_title(kind: NotificationKind, language: Language) -> &'static str {
    use NotificationKind::*;
    match (kind, language) {
        (AccountActivated, Language::Fr) => "votre compte est créé",
        (AccountActivated, Language::En) => "your account is ready",
        (EmailChanged, Language::Fr) => "votre adresse électronique a changé",
        (EmailChanged, Language::En) => "your email address has changed",
        (PasswordChanged, Language::Fr) => "votre mot de passe a changé",
        (PasswordChanged, Language::En) => "your password has changed",
        (ApplicationSubmitted, Language::Fr) => "votre demande est déposée",
        (ApplicationSubmitted, Language::En) => "your application has been submitted",
        (ApplicationWithdrawn, Language::Fr) => "votre demande est retirée pour correction",
        (ApplicationWithdrawn, Language::En) => "your application was withdrawn for correction",
        (ComplementRequested, Language::Fr) => "la préfecture vous demande des compléments",
        (ComplementRequested, Language::En) => "the préfecture asks you for more documents",
        (ComplementSent, Language::Fr) => "vos compléments sont envoyés",
        (ComplementSent, Language::En) => "your documents have been sent",
        (ComplementReminder, Language::Fr) => "plus que 7 jours pour envoyer vos compléments",
        (ComplementReminder, Language::En) => "7 days left to send the documents asked for",
        (ComplementOverdue, Language::Fr) => "le délai pour envoyer vos compléments est dépassé",
        (ComplementOverdue, Language::En) => "the time to send the documents asked for has passed",
        (DecisionMade, Language::Fr) => "la préfecture a pris une décision sur votre demande",
        (DecisionMade, Language::En) => "the préfecture has decided on your application",
        (CardInProduction, Language::Fr) => "votre titre de séjour est en fabrication",
        (CardInProduction, Language::En) => "your residence permit card is being produced",
        (CardReady, Language::Fr) => "votre titre de séjour est prêt à être retiré",
        (CardReady, Language::En) => "your residence permit card is ready to collect",
        (CardHandedOver, Language::Fr) => "votre titre de séjour vous a été remis",
        (CardHandedOver, Language::En) => "your residence permit card was handed over",
        (MessageReceived, Language::Fr) => "vous avez un nouveau message dans votre dossier",
        (MessageReceived, Language::En) => "you have a new message in your case",
        (ExtensionIssued, Language::Fr) => "votre attestation de prolongation d'instruction est disponible",
        (ExtensionIssued, Language::En) => "your extended review certificate is available",
        (CaseOverdue, Language::Fr) => "un dossier de votre préfecture a dépassé son délai de compléments",
        (CaseOverdue, Language::En) => "a case of your préfecture has passed its deadline for documents",
    }
}
