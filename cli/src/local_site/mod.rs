//! Pages that only the embedded local mode serves, beside the API: a home
//! page, the local mailbox (the outbox's emails, so that a person can
//! follow the verification and reset links), the two pages those links
//! open, and the public check of an issued document (`/verify/{code}`, where
//! the QR code of a receipt points, B1). In French and English (`?lang=en`, else the browser's language),
//! accessible and usable on a 360 px wide screen.

mod outbox;

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Utc};
use sejour::domain::account::Language;
use sejour::domain::state_record::RecordKind;
use serde::Deserialize;

use crate::demo::{self, DemoRecord};

/// What the pages need.
pub struct Site {
    pub data_dir: PathBuf,
    /// The demonstration records, when the demo data is loaded.
    pub demo: Option<Vec<DemoRecord>>,
}

pub fn router(site: Site) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/mailbox", get(mailbox))
        .route("/mailbox/{id}", get(mail))
        .route("/login", get(login))
        .route("/forgot-password", get(forgot_password))
        .route("/verify-email", get(verify_email))
        .route("/reset-password", get(reset_password))
        .route("/verify", get(verify_document))
        .route("/verify/{code}", get(verify_document_code))
        .fallback(not_found)
        .with_state(Arc::new(site))
}

#[derive(Debug, Default, Deserialize)]
struct PageQuery {
    lang: Option<String>,
    token: Option<String>,
    /// A verification code typed in the form of `/verify` (sent without JavaScript).
    code: Option<String>,
}

/// `?lang=` first, then `Accept-Language`, French by default.
fn language(query: &PageQuery, headers: &HeaderMap) -> Language {
    query
        .lang
        .as_deref()
        .and_then(|l| Language::parse(l).ok())
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|h| h.to_str().ok())
                .map(Language::from_accept_language)
        })
        .unwrap_or_default()
}

fn tr(lang: Language, fr: &'static str, en: &'static str) -> &'static str {
    match lang {
        Language::Fr => fr,
        Language::En => en,
    }
}

/// A link to `path` in `lang`, keeping the token if any.
fn href(path: &str, lang: Language, token: Option<&str>) -> String {
    let mut url = format!("{path}?lang={}", lang.as_str());
    if let Some(token) = token {
        url.push_str("&token=");
        url.push_str(&percent_encode(token));
    }
    url
}

async fn home(State(site): State<Arc<Site>>, Query(q): Query<PageQuery>, headers: HeaderMap) -> Response {
    let lang = language(&q, &headers);
    let mut body = String::new();
    body.push_str(&format!(
        "<p>{}</p>\n<h2>{}</h2>\n<ul>\n<li><a href=\"{}\">{}</a></li>\n<li><a href=\"{}\">{}</a></li>\n<li><a href=\"{}\">{}</a></li>\n<li><a href=\"/api/health\">{}</a> (<code>/api/health</code>)</li>\n<li><a href=\"/api/openapi.json\">{}</a> (<code>/api/openapi.json</code>)</li>\n</ul>\n",
        tr(
            lang,
            "Ce serveur fait tourner tout le service Séjour sur cette machine : l’API, une boîte aux lettres locale qui reçoit les courriels envoyés, et des données de démonstration.",
            "This server runs the whole Séjour service on this machine: the API, a local mailbox that receives the emails sent, and demonstration data."
        ),
        tr(lang, "Liens utiles", "Useful links"),
        href("/login", lang, None),
        tr(lang, "Se connecter (et voir ses notifications)", "Log in (and see your notifications)"),
        href("/mailbox", lang, None),
        tr(lang, "Boîte aux lettres locale", "Local mailbox"),
        href("/verify", lang, None),
        tr(lang, "Vérifier un document délivré (code ou QR code)", "Check an issued document (code or QR code)"),
        tr(lang, "État du service", "Service health"),
        tr(lang, "Description de l’API (OpenAPI)", "API description (OpenAPI)"),
    ));
    match &site.demo {
        None => body.push_str(&format!(
            "<h2>{}</h2>\n<p>{}</p>\n",
            tr(lang, "Données de démonstration", "Demonstration data"),
            tr(
                lang,
                "Aucune donnée de démonstration n’est chargée (option --no-demo).",
                "No demonstration data is loaded (option --no-demo)."
            )
        )),
        Some(records) => body.push_str(&demo_section(lang, records)),
    }
    page(
        lang,
        tr(lang, "Séjour en mode local", "Séjour in local mode"),
        &body,
        &href("/", other(lang), None),
    )
}

fn demo_section(lang: Language, records: &[DemoRecord]) -> String {
    let mut s = format!(
        "<h2>{}</h2>\n<dl>\n<dt>{}</dt><dd><code>{}</code> / <code>{}</code></dd>\n<dt>{}</dt><dd><code>agent.&lt;{}&gt;@{}</code> / <code>{}</code><br>{}</dd>\n</dl>\n",
        tr(lang, "Comptes de démonstration", "Demonstration accounts"),
        tr(lang, "Usager (compte activé)", "Applicant (activated account)"),
        demo::APPLICANT_EMAIL,
        demo::APPLICANT_PASSWORD,
        tr(lang, "Agents", "Agents"),
        tr(lang, "code", "code"),
        demo::AGENT_DOMAIN,
        demo::AGENT_PASSWORD,
        tr(
            lang,
            "un par préfecture, par exemple agent.75@demo.sejour.localhost ou agent.2a@demo.sejour.localhost",
            "one per préfecture, for example agent.75@demo.sejour.localhost or agent.2a@demo.sejour.localhost"
        ),
    );
    let (valid, expired) = demo::ephoto_codes();
    s.push_str(&format!(
        "<h2>{}</h2>\n<dl>\n<dt>{}</dt><dd><code>{}</code></dd>\n<dt>{}</dt><dd><code>{}</code></dd>\n</dl>\n",
        tr(
            lang,
            "Codes e-photo de démonstration (étape 4)",
            "Demonstration e-photo codes (step 4)"
        ),
        tr(lang, "Valable", "Valid"),
        escape(valid),
        tr(lang, "Trop ancien (plus de 6 mois)", "Too old (more than 6 months)"),
        escape(expired),
    ));
    // A list rather than a table: it reads well on a 360 px screen.
    s.push_str(&format!(
        "<h2>{}</h2>\n<p>{}</p>\n<ul class=\"records\">\n",
        tr(lang, "Titres et visas de démonstration", "Demonstration permits and visas"),
        tr(
            lang,
            "Pour activer un compte (POST /api/accounts/activate), donnez le type (kind : permit ou visa), le numéro et les dates de validité ; les dates sont calculées à partir d’aujourd’hui.",
            "To activate an account (POST /api/accounts/activate), give the kind (permit or visa), the number and the validity dates; the dates are computed from today."
        ),
    ));
    for d in records {
        let r = &d.record;
        s.push_str(&format!(
            "<li><span class=\"case\">{case}</span><br>{kind_label} <code>{kind}</code>, {number_label} <code>{number}</code>, {from_label} {from} {until_label} {until}</li>\n",
            case = escape(tr(lang, d.case_fr, d.case_en)),
            kind_label = kind_label(r.kind, lang),
            kind = r.kind.as_str(),
            number_label = tr(lang, "numéro", "number"),
            number = r.number.as_str(),
            from_label = tr(lang, "valable du", "valid from"),
            from = r.valid_from,
            until_label = tr(lang, "au", "to"),
            until = r.valid_until,
        ));
    }
    s.push_str("</ul>\n");
    s
}

async fn mailbox(State(site): State<Arc<Site>>, Query(q): Query<PageQuery>, headers: HeaderMap) -> Response {
    let lang = language(&q, &headers);
    let emails = match outbox::list(&site.data_dir).await {
        Ok(emails) => emails,
        Err(e) => {
            tracing::error!(error = %e, "cannot read the outbox");
            return error_page(lang, StatusCode::INTERNAL_SERVER_ERROR);
        }
    };
    let mut body = format!(
        "<p>{}</p>\n",
        tr(
            lang,
            "Les courriels envoyés par le service en mode local arrivent ici (fichiers .eml du dossier outbox), du plus récent au plus ancien.",
            "The emails the service sends in local mode arrive here (the .eml files of the outbox folder), newest first."
        )
    );
    if emails.is_empty() {
        body.push_str(&format!(
            "<p class=\"notice\">{}</p>\n",
            tr(lang, "Aucun courriel pour l’instant.", "No email yet.")
        ));
    } else {
        body.push_str(&format!(
            "<p>{} {}</p>\n<ol class=\"mails\">\n",
            emails.len(),
            tr(lang, "courriel(s).", "email(s).")
        ));
        for email in &emails {
            let subject = if email.subject.is_empty() {
                tr(lang, "(sans objet)", "(no subject)")
            } else {
                &email.subject
            };
            body.push_str(&format!(
                "<li><a href=\"{}\">{}</a><br><span class=\"meta\">{} {} · {}</span></li>\n",
                href(&format!("/mailbox/{}", email.id), lang, None),
                escape(subject),
                tr(lang, "À :", "To:"),
                escape(&email.to),
                time(email.date),
            ));
        }
        body.push_str("</ol>\n");
    }
    page(
        lang,
        tr(lang, "Boîte aux lettres locale", "Local mailbox"),
        &body,
        &href("/mailbox", other(lang), None),
    )
}

async fn mail(
    State(site): State<Arc<Site>>,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    let lang = language(&q, &headers);
    let email = match outbox::get(&site.data_dir, &id).await {
        Ok(Some(email)) => email,
        Ok(None) => return error_page(lang, StatusCode::NOT_FOUND),
        Err(e) => {
            tracing::error!(error = %e, "cannot read an outbox email");
            return error_page(lang, StatusCode::INTERNAL_SERVER_ERROR);
        }
    };
    let body = format!(
        "<p><a href=\"{}\">{}</a></p>\n<dl>\n<dt>{}</dt><dd>{}</dd>\n<dt>{}</dt><dd>{}</dd>\n<dt>{}</dt><dd>{}</dd>\n</dl>\n<h2>{}</h2>\n<pre class=\"mail\">{}</pre>\n",
        href("/mailbox", lang, None),
        tr(lang, "← Retour à la boîte aux lettres", "← Back to the mailbox"),
        tr(lang, "De", "From"),
        escape(&email.from),
        tr(lang, "À", "To"),
        escape(&email.to),
        tr(lang, "Date", "Date"),
        time(email.date),
        tr(lang, "Message", "Message"),
        linkify(&email.body),
    );
    let title = if email.subject.is_empty() {
        tr(lang, "(sans objet)", "(no subject)").to_string()
    } else {
        email.subject
    };
    page(lang, &title, &body, &href(&format!("/mailbox/{id}"), other(lang), None))
}

async fn verify_email(Query(q): Query<PageQuery>, headers: HeaderMap) -> Response {
    let lang = language(&q, &headers);
    let token = q.token.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let title = tr(
        lang,
        "Confirmer votre adresse électronique",
        "Confirm your email address",
    );
    let switch = href("/verify-email", other(lang), token);
    let Some(token) = token else {
        return page(lang, title, &missing_token(lang), &switch);
    };
    let body = format!(
        "<p>{}</p>\n<form id=\"form\" novalidate>\n<input type=\"hidden\" name=\"token\" value=\"{}\">\n<button type=\"submit\">{}</button>\n</form>\n{}",
        tr(
            lang,
            "Pour terminer, confirmez que cette adresse électronique est bien la vôtre.",
            "To finish, confirm that this email address is yours."
        ),
        escape(token),
        tr(lang, "Confirmer mon adresse", "Confirm my address"),
        form_script(lang, "/api/accounts/verify-email", "verify"),
    );
    page(lang, title, &body, &switch)
}

async fn reset_password(Query(q): Query<PageQuery>, headers: HeaderMap) -> Response {
    let lang = language(&q, &headers);
    let token = q.token.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let title = tr(lang, "Choisir un nouveau mot de passe", "Choose a new password");
    let switch = href("/reset-password", other(lang), token);
    let Some(token) = token else {
        return page(lang, title, &missing_token(lang), &switch);
    };
    let body = format!(
        "<form id=\"form\" novalidate>\n<input type=\"hidden\" name=\"token\" value=\"{token}\">\n\
<label for=\"password\">{label}</label>\n<p class=\"hint\" id=\"password-hint\">{hint}</p>\n\
<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"new-password\" required minlength=\"12\" maxlength=\"128\" aria-describedby=\"password-hint password-error\">\n\
<p class=\"error\" id=\"password-error\"></p>\n\
<label for=\"confirmation\">{confirm}</label>\n\
<input id=\"confirmation\" name=\"confirmation\" type=\"password\" autocomplete=\"new-password\" required aria-describedby=\"confirmation-error\">\n\
<p class=\"error\" id=\"confirmation-error\"></p>\n\
<p><input type=\"checkbox\" id=\"show\" class=\"inline\"> <label for=\"show\" class=\"inline\">{show}</label></p>\n\
<button type=\"submit\">{submit}</button>\n</form>\n{script}",
        token = escape(token),
        label = tr(lang, "Nouveau mot de passe", "New password"),
        hint = tr(
            lang,
            "Au moins 12 caractères. Évitez les mots de passe courants ; une phrase de plusieurs mots convient bien.",
            "At least 12 characters. Avoid common passwords; a phrase of several words works well."
        ),
        confirm = tr(lang, "Confirmez le nouveau mot de passe", "Confirm the new password"),
        show = tr(lang, "Afficher les mots de passe", "Show the passwords"),
        submit = tr(lang, "Changer mon mot de passe", "Change my password"),
        script = form_script(lang, "/api/auth/password-reset/confirm", "reset"),
    );
    page(lang, title, &body, &switch)
}

/// `/login`, where every "log in to see it" email points: log in (the
/// session cookie is set by the API), then the account's notifications,
/// newest first, each marked read once shown. The applicant site replaces
/// it later; until then an email's link must open a real page.
async fn login(Query(q): Query<PageQuery>, headers: HeaderMap) -> Response {
    let lang = language(&q, &headers);
    let title = tr(lang, "Se connecter", "Log in");
    let texts = serde_json::json!({
        "lang": lang.as_str(),
        "sending": tr(lang, "Connexion en cours…", "Logging in…"),
        "failed": tr(lang, "La connexion n’a pas abouti. Réessayez plus tard.", "Logging in failed. Try again later."),
        "network": tr(lang, "Le service ne répond pas. Vérifiez que le serveur tourne, puis réessayez.", "The service does not answer. Check that the server is running, then try again."),
        "required": tr(lang, "Saisissez votre adresse électronique et votre mot de passe.", "Enter your email address and your password."),
        "welcome": tr(lang, "Vous êtes connecté·e :", "You are logged in:"),
        "none": tr(lang, "Aucune notification.", "No notifications."),
        "unread": tr(lang, "non lue", "unread"),
    });
    let json = texts.to_string().replace("</", "<\\/");
    let body = format!(
        "<form id=\"login\" novalidate>\n\
<label for=\"email\">{email}</label>\n<input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"username\" required>\n\
<label for=\"password\">{password}</label>\n<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>\n\
<button type=\"submit\">{submit}</button>\n</form>\n\
<p><a href=\"{forgot}\">{forgot_label}</a></p>\n\
<div id=\"result\" role=\"status\" aria-live=\"polite\" tabindex=\"-1\"></div>\n\
<section id=\"account\" hidden aria-labelledby=\"account-title\">\n<h2 id=\"account-title\">{notifications}</h2>\n<p id=\"who\"></p>\n<ol id=\"notifications\" class=\"mails\"></ol>\n</section>\n\
<noscript><p class=\"error\">{noscript}</p></noscript>\n\
<script type=\"application/json\" id=\"texts\">{json}</script>\n<script>{LOGIN_JS}</script>\n",
        email = tr(lang, "Adresse électronique", "Email address"),
        password = tr(lang, "Mot de passe", "Password"),
        submit = tr(lang, "Se connecter", "Log in"),
        forgot = href("/forgot-password", lang, None),
        forgot_label = tr(lang, "Mot de passe oublié ?", "Forgot your password?"),
        notifications = tr(lang, "Vos notifications", "Your notifications"),
        noscript = tr(
            lang,
            "Cette page a besoin de JavaScript pour vous connecter.",
            "This page needs JavaScript to log you in."
        ),
    );
    page(lang, title, &body, &href("/login", other(lang), None))
}

/// `/forgot-password`: ask for a reset link (the answer is the same whether
/// or not an account uses the address).
async fn forgot_password(Query(q): Query<PageQuery>, headers: HeaderMap) -> Response {
    let lang = language(&q, &headers);
    let title = tr(lang, "Mot de passe oublié", "Forgot your password");
    let texts = serde_json::json!({
        "lang": lang.as_str(),
        "sending": tr(lang, "Envoi en cours…", "Sending…"),
        "failed": tr(lang, "La demande n’a pas abouti. Réessayez plus tard.", "The request failed. Try again later."),
        "network": tr(lang, "Le service ne répond pas. Vérifiez que le serveur tourne, puis réessayez.", "The service does not answer. Check that the server is running, then try again."),
        "required": tr(lang, "Saisissez votre adresse électronique.", "Enter your email address."),
    });
    let json = texts.to_string().replace("</", "<\\/");
    let body = format!(
        "<form id=\"forgot\" novalidate>\n<label for=\"email\">{email}</label>\n\
<input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"username\" required>\n\
<button type=\"submit\">{submit}</button>\n</form>\n\
<div id=\"result\" role=\"status\" aria-live=\"polite\" tabindex=\"-1\"></div>\n\
<script type=\"application/json\" id=\"texts\">{json}</script>\n<script>{FORGOT_JS}</script>\n",
        email = tr(lang, "Adresse électronique", "Email address"),
        submit = tr(lang, "Recevoir un lien", "Send me a link"),
    );
    page(lang, title, &body, &href("/forgot-password", other(lang), None))
}

const LOGIN_JS: &str = r#"
(function () {
  var T = JSON.parse(document.getElementById('texts').textContent);
  var form = document.getElementById('login');
  var result = document.getElementById('result');
  function say(kind, text) { result.className = kind; result.textContent = text; if (kind) result.focus(); }
  function api(method, path, body) {
    return fetch(path, {
      method: method, credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'Accept-Language': T.lang },
      body: body ? JSON.stringify(body) : undefined
    });
  }
  function show(profile) {
    form.hidden = true;
    document.getElementById('account').hidden = false;
    document.getElementById('who').textContent = T.welcome + ' ' + profile.display_name + ' (' + profile.email + ')';
    api('GET', '/api/me/notifications').then(function (r) { return r.json(); }).then(function (list) {
      var ol = document.getElementById('notifications');
      if (!list.notifications.length) { ol.outerHTML = '<p>' + T.none + '</p>'; return; }
      list.notifications.forEach(function (n) {
        var li = document.createElement('li');
        var when = new Date(n.created_at).toLocaleString(T.lang === 'fr' ? 'fr-FR' : 'en-GB', { timeZone: 'Europe/Paris' });
        li.textContent = n.title + ' — ' + when + (n.read_at ? '' : ' (' + T.unread + ')');
        ol.appendChild(li);
        if (!n.read_at) api('POST', '/api/me/notifications/' + n.id + '/read', {});
      });
    });
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var email = form.elements.email.value.trim(), password = form.elements.password.value;
    if (!email || !password) { say('error', T.required); return; }
    say('', T.sending);
    api('POST', '/api/auth/login', { email: email, password: password }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (body) {
        if (response.ok) { say('', ''); show(body.account); return; }
        say('error', (body && body.detail) || T.failed);
      });
    }).catch(function () { say('error', T.network); });
  });
  api('GET', '/api/me').then(function (r) { if (r.ok) return r.json().then(show); });
})();
"#;

const FORGOT_JS: &str = r#"
(function () {
  var T = JSON.parse(document.getElementById('texts').textContent);
  var form = document.getElementById('forgot');
  var result = document.getElementById('result');
  function say(kind, text) { result.className = kind; result.textContent = text; if (kind) result.focus(); }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var email = form.elements.email.value.trim();
    if (!email) { say('error', T.required); return; }
    say('', T.sending);
    fetch('/api/auth/password-reset', {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'Accept-Language': T.lang },
      body: JSON.stringify({ email: email })
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (body) {
        say(response.ok ? 'success' : 'error', (body && body.detail) || T.failed);
      });
    }).catch(function () { say('error', T.network); });
  });
})();
"#;

async fn verify_document(Query(q): Query<PageQuery>, headers: HeaderMap) -> Response {
    let code = q.code.clone();
    verify_page(&q, &headers, code)
}

async fn verify_document_code(Path(code): Path<String>, Query(q): Query<PageQuery>, headers: HeaderMap) -> Response {
    verify_page(&q, &headers, Some(code))
}

/// `/verify` and `/verify/{code}`: anyone (a landlord, an employer, a bank)
/// types the code printed on a PDF, or opens its QR code, and the page asks
/// `GET /api/verify/{code}` whether the document is authentic.
fn verify_page(q: &PageQuery, headers: &HeaderMap, code: Option<String>) -> Response {
    let lang = language(q, headers);
    let code = code.as_deref().map(str::trim).filter(|c| !c.is_empty());
    let title = tr(lang, "Vérifier un document", "Check a document");
    let switch = match code {
        Some(code) => href(&format!("/verify/{}", percent_encode(code)), other(lang), None),
        None => href("/verify", other(lang), None),
    };
    let texts = serde_json::json!({
        "lang": lang.as_str(),
        "required": tr(lang, "Saisissez le code imprimé sur le document.", "Type the code printed on the document."),
        "checking": tr(lang, "Vérification en cours…", "Checking…"),
        "authentic": tr(lang, "Document authentique", "Authentic document"),
        "authentic_text": tr(
            lang,
            "Ce document a bien été délivré par le service Séjour. Comparez ces informations avec celles du document que l’on vous présente.",
            "This document was issued by the Séjour service. Compare these details with the document you are shown."
        ),
        "kind": tr(lang, "Type de document", "Kind of document"),
        "kinds": {
            "submission_receipt": tr(lang, "Attestation de dépôt d’une demande de titre de séjour", "Receipt for a residence permit application"),
            "favourable_decision": tr(lang, "Attestation de décision favorable", "Certificate of a favourable decision"),
        },
        "kind_notes": {
            "submission_receipt": tr(
                lang,
                "Elle prouve que la demande a été déposée ; elle ne donne pas, à elle seule, de droit au séjour.",
                "It proves that the application was filed; on its own, it gives no right of stay."
            ),
            "favourable_decision": tr(
                lang,
                "Elle prouve que la préfecture a accordé le titre ; c’est la carte, remise ensuite, qui vaut titre de séjour.",
                "It proves that the préfecture granted the permit; the card, handed over later, is the residence permit."
            ),
        },
        "withdrawn": tr(lang, "Document retiré", "Document withdrawn"),
        "withdrawn_text": tr(
            lang,
            "Ce document a bien été délivré, mais la demande qu’il atteste a été retirée : il n’atteste plus rien.",
            "This document was issued, but the application it attests was withdrawn: it no longer attests anything."
        ),
        "withdrawn_at": tr(lang, "Retiré le", "Withdrawn on"),
        "reference": tr(lang, "Référence de la demande", "Application reference"),
        "holder": tr(lang, "Titulaire", "Holder"),
        "issued_at": tr(lang, "Délivré le", "Issued on"),
        "validity": tr(lang, "Validité", "Validity"),
        "valid_until": tr(lang, "Valable jusqu’au", "Valid until"),
        "no_end": tr(lang, "Sans date de fin de validité", "No end of validity"),
        "expired": tr(lang, "N’est plus valable depuis le", "No longer valid since"),
        "code": tr(lang, "Code vérifié", "Code checked"),
        "unknown": tr(lang, "Code inconnu", "Unknown code"),
        "unknown_text": tr(
            lang,
            "Aucun document n’a été délivré avec ce code. Vérifiez la saisie ; si le code est exact, le document n’est pas authentique.",
            "No document was issued with this code. Check what you typed; if the code is right, the document is not authentic."
        ),
        "invalid": tr(lang, "Code invalide", "Invalid code"),
        "invalid_text": tr(
            lang,
            "Ce n’est pas un code de vérification : il compte 12 lettres et chiffres, par exemple 7F3K-9Q2M-X4B8.",
            "This is not a verification code: it has 12 letters and digits, for example 7F3K-9Q2M-X4B8."
        ),
        "failed": tr(lang, "La vérification n’a pas abouti. Réessayez plus tard.", "The check failed. Try again later."),
        "network": tr(
            lang,
            "Le service ne répond pas. Vérifiez que le serveur tourne, puis réessayez.",
            "The service does not answer. Check that the server is running, then try again."
        ),
    });
    let json = texts.to_string().replace("</", "<\\/");
    let body = format!(
        "<p>{intro}</p>\n\
<form id=\"verify\" method=\"get\" action=\"/verify\" novalidate>\n\
<input type=\"hidden\" name=\"lang\" value=\"{lang}\">\n\
<label for=\"code\">{label}</label>\n<p class=\"hint\" id=\"code-hint\">{hint}</p>\n\
<input id=\"code\" name=\"code\" type=\"text\" value=\"{value}\" required maxlength=\"32\" autocomplete=\"off\" autocapitalize=\"characters\" spellcheck=\"false\" class=\"code\" aria-describedby=\"code-hint code-error\">\n\
<p class=\"error\" id=\"code-error\"></p>\n\
<button type=\"submit\">{submit}</button>\n</form>\n\
<div id=\"result\" role=\"status\" aria-live=\"polite\" tabindex=\"-1\"></div>\n\
<noscript><p class=\"error\">{noscript}</p></noscript>\n\
<script type=\"application/json\" id=\"texts\">{json}</script>\n<script>{VERIFY_JS}</script>\n",
        intro = tr(
            lang,
            "Un document délivré par Séjour (attestation de dépôt, attestations, décision) porte un QR code et un code de vérification. Scannez le QR code ou saisissez le code pour savoir si le document est authentique.",
            "A document issued by Séjour (filing receipt, attestations, decision) carries a QR code and a verification code. Scan the QR code or type the code to find out whether the document is authentic."
        ),
        lang = lang.as_str(),
        label = tr(lang, "Code de vérification", "Verification code"),
        hint = tr(
            lang,
            "12 caractères imprimés sous le QR code, par exemple 7F3K-9Q2M-X4B8 ; les tirets et les majuscules sont facultatifs.",
            "12 characters printed under the QR code, for example 7F3K-9Q2M-X4B8; dashes and capitals are optional."
        ),
        value = escape(code.unwrap_or_default()),
        submit = tr(lang, "Vérifier", "Check"),
        noscript = tr(
            lang,
            "Cette page a besoin de JavaScript pour interroger le service.",
            "This page needs JavaScript to ask the service."
        ),
    );
    page(lang, title, &body, &switch)
}

/// Checks the code typed (or given in the address) with `GET /api/verify/{code}`
/// and says the answer; the address becomes `/verify/{code}`, to share.
const VERIFY_JS: &str = r#"
(function () {
  var T = JSON.parse(document.getElementById('texts').textContent);
  var form = document.getElementById('verify');
  var input = document.getElementById('code');
  var error = document.getElementById('code-error');
  var result = document.getElementById('result');
  var button = form.querySelector('button');
  // The answer takes the focus after a check the person asked for, not
  // when the page opens on a code (it is announced all the same).
  var asked = false;
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }
  function fieldError(text) {
    error.textContent = text || '';
    if (text) input.setAttribute('aria-invalid', 'true'); else input.removeAttribute('aria-invalid');
  }
  function when(iso) {
    var d = new Date(iso);
    var shown = d.toLocaleString(T.lang === 'en' ? 'en-GB' : 'fr-FR', {
      year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit',
      timeZone: 'Europe/Paris', timeZoneName: 'short'
    });
    var t = el('time', '', shown);
    t.setAttribute('datetime', iso);
    return t;
  }
  function show(kind, title, text, rows) {
    result.textContent = '';
    result.className = 'outcome ' + kind;
    if (title) result.appendChild(el('h2', '', title));
    if (text) result.appendChild(el('p', '', text));
    if (rows) {
      var dl = el('dl');
      rows.forEach(function (r) {
        dl.appendChild(el('dt', '', r[0]));
        var dd = el('dd');
        if (typeof r[1] === 'string') dd.textContent = r[1]; else dd.appendChild(r[1]);
        dl.appendChild(dd);
      });
      result.appendChild(dl);
    }
    if (kind && asked) result.focus();
  }
  function authentic(v) {
    var validity;
    if (!v.valid_until) validity = document.createTextNode(T.no_end);
    else {
      validity = el('span', '', (v.valid ? T.valid_until : T.expired) + ' ');
      validity.appendChild(when(v.valid_until));
    }
    var rows = [
      [T.kind, T.kinds[v.kind] || v.kind],
      [T.reference, v.reference],
      [T.holder, v.holder_name],
      [T.issued_at, when(v.issued_at)],
      [T.validity, validity],
      [T.code, v.code]
    ];
    if (v.withdrawn_at) {
      rows.splice(4, 1, [T.withdrawn_at, when(v.withdrawn_at)]);
      show('error', T.withdrawn, T.withdrawn_text, rows);
      return;
    }
    show('success', T.authentic, T.authentic_text, rows);
    if (T.kind_notes[v.kind]) result.appendChild(el('p', 'hint', T.kind_notes[v.kind]));
  }
  function check(code) {
    fieldError('');
    if (!code) { fieldError(T.required); input.focus(); return; }
    button.disabled = true;
    show('', '', T.checking);
    fetch('/api/verify/' + encodeURIComponent(code), {
      headers: { 'Accept': 'application/json', 'Accept-Language': T.lang }
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (body) {
        var address = '/verify/' + encodeURIComponent(code) + '?lang=' + T.lang;
        if (window.history && history.replaceState) history.replaceState(null, '', address);
        if (response.ok && body && body.authentic) return authentic(body);
        var problem = body && body.code;
        if (problem === 'unknown_code') return show('error', T.unknown, T.unknown_text);
        if (problem === 'invalid_code') {
          // The explanation goes with the field; the answer says what happened.
          fieldError(T.invalid_text);
          return show('error', T.invalid);
        }
        show('error', '', (body && (body.detail || body.title)) || T.failed);
      });
    }).catch(function () {
      show('error', '', T.network);
    }).then(function () {
      button.disabled = false;
    });
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    asked = true;
    check(input.value.trim());
  });
  if (input.value.trim()) check(input.value.trim());
})();
"#;

fn missing_token(lang: Language) -> String {
    format!(
        "<p class=\"error\" role=\"alert\">{}</p>\n<p><a href=\"{}\">{}</a></p>\n",
        tr(
            lang,
            "Ce lien est incomplet : ouvrez le lien reçu par courriel tel quel.",
            "This link is incomplete: open the link you received by email as it is."
        ),
        href("/mailbox", lang, None),
        tr(lang, "Boîte aux lettres locale", "Local mailbox"),
    )
}

/// The result area and the script that posts the form to the API and shows
/// the outcome (texts in the page's language, error codes translated).
fn form_script(lang: Language, endpoint: &str, kind: &str) -> String {
    let texts = serde_json::json!({
        "endpoint": endpoint,
        "lang": lang.as_str(),
        "kind": kind,
        "done": match kind {
            "verify" => tr(lang, "Votre adresse électronique est confirmée. Vous pouvez vous connecter.", "Your email address is confirmed. You can log in."),
            _ => tr(lang, "Votre mot de passe a été changé. Vous pouvez vous connecter avec le nouveau mot de passe.", "Your password has been changed. You can log in with the new password."),
        },
        "sending": tr(lang, "Envoi en cours…", "Sending…"),
        "failed": tr(lang, "La demande n’a pas abouti. Réessayez plus tard.", "The request failed. Try again later."),
        "network": tr(lang, "Le service ne répond pas. Vérifiez que le serveur tourne, puis réessayez.", "The service does not answer. Check that the server is running, then try again."),
        "mismatch": tr(lang, "Les deux mots de passe ne sont pas identiques.", "The two passwords are not the same."),
        "codes": {
            "invalid_token": tr(lang, "Ce lien n’est pas valable ou a déjà servi. Demandez-en un nouveau.", "This link is not valid or has already been used. Ask for a new one."),
            "expired_token": tr(lang, "Ce lien a expiré. Demandez-en un nouveau.", "This link has expired. Ask for a new one."),
            "required": tr(lang, "Ce champ est obligatoire.", "This field is required."),
            "too_short": tr(lang, "Le mot de passe doit compter au moins 12 caractères.", "The password must have at least 12 characters."),
            "too_long": tr(lang, "Le mot de passe est trop long (128 caractères au plus).", "The password is too long (128 characters at most)."),
            "too_common": tr(lang, "Ce mot de passe est trop courant ou trop facile à deviner.", "This password is too common or too easy to guess."),
            "email_taken": tr(lang, "Cette adresse est déjà utilisée par un autre compte.", "This address is already used by another account."),
            "cross_origin": tr(lang, "Ouvrez cette page à l’adresse affichée au démarrage du serveur.", "Open this page at the address shown when the server started."),
        },
    });
    let json = texts.to_string().replace("</", "<\\/");
    format!(
        "<div id=\"result\" role=\"status\" aria-live=\"polite\" tabindex=\"-1\"></div>\n\
<noscript><p class=\"error\">{}</p></noscript>\n\
<script type=\"application/json\" id=\"texts\">{json}</script>\n<script>{FORM_JS}</script>\n",
        tr(
            lang,
            "Cette page a besoin de JavaScript pour envoyer le formulaire.",
            "This page needs JavaScript to send the form."
        ),
    )
}

const FORM_JS: &str = r#"
(function () {
  var T = JSON.parse(document.getElementById('texts').textContent);
  var form = document.getElementById('form');
  var result = document.getElementById('result');
  var button = form.querySelector('button');
  var password = document.getElementById('password');
  var confirmation = document.getElementById('confirmation');
  var show = document.getElementById('show');
  if (show) show.addEventListener('change', function () {
    password.type = confirmation.type = show.checked ? 'text' : 'password';
  });
  function say(kind, text) {
    result.className = kind;
    result.textContent = text;
    if (kind) result.focus();
  }
  function fieldError(input, text) {
    var box = document.getElementById(input.id + '-error');
    box.textContent = text || '';
    if (text) input.setAttribute('aria-invalid', 'true'); else input.removeAttribute('aria-invalid');
  }
  function codesOf(problem) {
    var codes = [];
    if (!problem) return codes;
    (problem.errors || []).forEach(function (e) {
      codes.push({ field: e.field || '', code: e.code, message: e.message });
    });
    if (!codes.length && problem.code) {
      codes.push({ field: '', code: problem.code, message: T.codes[problem.code] ? null : problem.detail });
    }
    return codes;
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var body = { token: form.elements.token.value };
    if (password) {
      fieldError(password, '');
      fieldError(confirmation, '');
      if (!password.value) { fieldError(password, T.codes.required); password.focus(); return; }
      if (password.value !== confirmation.value) { fieldError(confirmation, T.mismatch); confirmation.focus(); return; }
      body.password = password.value;
    }
    button.disabled = true;
    say('', T.sending);
    fetch(T.endpoint, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'Accept-Language': T.lang },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (response.ok) {
        form.hidden = true;
        say('success', T.done);
        return;
      }
      return response.json().catch(function () { return null; }).then(function (problem) {
        var messages = [];
        codesOf(problem).forEach(function (c) {
          var text = c.message || T.codes[c.code] || T.failed;
          if (password && c.field === 'password') { fieldError(password, text); password.focus(); }
          else if (messages.indexOf(text) < 0) messages.push(text);
        });
        if (!messages.length && !(password && password.getAttribute('aria-invalid'))) {
          messages.push((problem && (problem.detail || problem.title)) || T.failed);
        }
        say(messages.length ? 'error' : '', messages.join(' '));
        if (password && password.getAttribute('aria-invalid')) password.focus();
      });
    }).catch(function () {
      say('error', T.network);
    }).then(function () {
      button.disabled = false;
    });
  });
})();
"#;

/// Unknown paths: a problem document under `/api/`, a page elsewhere.
async fn not_found(uri: axum::http::Uri, Query(q): Query<PageQuery>, headers: HeaderMap) -> Response {
    let lang = language(&q, &headers);
    if uri.path() == "/api" || uri.path().starts_with("/api/") {
        return sejour::api::ApiError::not_found().render(lang);
    }
    let body = format!(
        "<p>{}</p>\n<p><a href=\"{}\">{}</a></p>\n",
        tr(
            lang,
            "Cette page n’existe pas en mode local. Les sites de l’usager et des agents n’en font pas encore partie : utilisez l’API (voir la page d’accueil).",
            "This page does not exist in local mode. The applicant and agent sites are not part of it yet: use the API (see the home page)."
        ),
        href("/", lang, None),
        tr(lang, "Accueil", "Home")
    );
    let mut response = page(
        lang,
        tr(lang, "Page introuvable", "Page not found"),
        &body,
        &href("/", other(lang), None),
    );
    *response.status_mut() = StatusCode::NOT_FOUND;
    response
}

fn error_page(lang: Language, status: StatusCode) -> Response {
    let (title, text) = if status == StatusCode::NOT_FOUND {
        (
            tr(lang, "Page introuvable", "Page not found"),
            tr(
                lang,
                "Ce courriel ou cette page n’existe pas.",
                "This email or page does not exist.",
            ),
        )
    } else {
        (
            tr(lang, "Erreur", "Error"),
            tr(
                lang,
                "La page ne peut pas être affichée. Consultez les journaux du serveur.",
                "The page cannot be shown. See the server's logs.",
            ),
        )
    };
    let body = format!(
        "<p>{text}</p>\n<p><a href=\"{}\">{}</a></p>\n",
        href("/", lang, None),
        tr(lang, "Accueil", "Home")
    );
    let mut response = page(lang, title, &body, &href("/", other(lang), None));
    *response.status_mut() = status;
    response
}

fn other(lang: Language) -> Language {
    match lang {
        Language::Fr => Language::En,
        Language::En => Language::Fr,
    }
}

/// The common frame of every page: language, title, skip link, language switch.
fn page(lang: Language, title: &str, body: &str, switch_href: &str) -> Response {
    let (switch_label, switch_lang) = match lang {
        Language::Fr => ("English", "en"),
        Language::En => ("Français", "fr"),
    };
    let html = format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title} — Séjour</title>\n<style>{CSS}</style>\n</head>\n<body>\n\
<a class=\"skip\" href=\"#main\">{skip}</a>\n\
<header>\n<p class=\"brand\"><a href=\"{home}\">Séjour</a> <span>{mode}</span></p>\n\
<nav aria-label=\"{nav}\"><a href=\"{switch_href}\" lang=\"{switch_lang}\" hreflang=\"{switch_lang}\">{switch_label}</a></nav>\n</header>\n\
<main id=\"main\" tabindex=\"-1\">\n<h1>{title}</h1>\n{body}</main>\n\
<footer><p>{footer}</p></footer>\n</body>\n</html>\n",
        lang = lang.as_str(),
        title = escape(title),
        skip = tr(lang, "Aller au contenu", "Skip to content"),
        home = href("/", lang, None),
        mode = tr(lang, "mode local", "local mode"),
        nav = tr(lang, "Langue", "Language"),
        footer = tr(
            lang,
            "Mode local de démonstration : les courriels ne quittent pas cette machine.",
            "Local demonstration mode: emails never leave this machine."
        ),
    );
    (
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::HeaderName::from_static("referrer-policy"), "no-referrer"),
        ],
        Html(html),
    )
        .into_response()
}

const CSS: &str = "\
*{box-sizing:border-box}\
body{margin:0;font:1rem/1.5 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#161616;background:#fff}\
header,main,footer{max-width:48rem;margin:0 auto;padding:1rem}\
header{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.5rem;border-bottom:1px solid #ddd}\
.brand{margin:0;font-weight:700;font-size:1.25rem}.brand span{font-weight:400;font-size:1rem;color:#3a3a3a}\
footer{border-top:1px solid #ddd;color:#3a3a3a;font-size:.875rem}\
h1{font-size:1.75rem;line-height:1.25;overflow-wrap:anywhere}h2{font-size:1.25rem;margin-top:2rem}\
a{color:#000091}a:hover{text-decoration-thickness:2px}\
a:focus-visible,button:focus-visible,input:focus-visible,#result:focus-visible,main:focus-visible{outline:3px solid #0a76f6;outline-offset:2px}\
.skip{position:absolute;left:-9999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:1}\
code{font-size:.95em;overflow-wrap:anywhere}\
ul.records{padding-left:1.25rem}ul.records li{margin-bottom:.75rem}.case{font-weight:600}\
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}\
@media (max-width:30rem){dl{grid-template-columns:1fr}dd{margin-bottom:.5rem}}\
ol.mails{padding-left:1.25rem}ol.mails li{margin-bottom:1rem;overflow-wrap:anywhere}.meta{color:#3a3a3a;font-size:.9rem}\
pre.mail{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f6f6;padding:1rem;border-radius:4px;font:inherit}\
label{display:block;font-weight:600;margin-top:1rem}label.inline{display:inline;font-weight:400}\
input{font:inherit;width:100%;padding:.6rem;border:1px solid #666;border-radius:4px;min-height:44px}\
input.inline{width:auto;min-height:auto}\
input[aria-invalid=true]{border:2px solid #ce0500}\
.hint{color:#3a3a3a;font-size:.9rem;margin:.25rem 0}\
button{font:inherit;background:#000091;color:#fff;border:0;padding:.75rem 1.25rem;border-radius:4px;cursor:pointer;min-height:44px;margin-top:1rem}\
button[disabled]{background:#6a6a6a}\
.error{color:#ce0500}.error:empty{display:none}.success{color:#18753c;font-weight:600}\
#result{margin-top:1rem}\
.notice{border-left:4px solid #000091;padding:.5rem 1rem;background:#f5f5fe}\
input.code{font-family:ui-monospace,'DejaVu Sans Mono',Menlo,Consolas,monospace;letter-spacing:.05em;max-width:22rem}\
.outcome.success,.outcome.error{border-left:4px solid currentColor;padding:.25rem 1rem;font-weight:400}\
.outcome h2{margin-top:.5rem}.outcome dl{color:#161616}\
";

fn time(date: Option<DateTime<Utc>>) -> String {
    match date {
        Some(d) => format!(
            "<time datetime=\"{}\">{}</time>",
            d.to_rfc3339(),
            d.format("%Y-%m-%d %H:%M:%S UTC")
        ),
        None => "—".to_string(),
    }
}

/// HTML-escape text for element content and quoted attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escape `text` and make its `http(s)://` addresses clickable.
fn linkify(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while let Some(start) = ["http://", "https://"].iter().filter_map(|p| rest.find(p)).min() {
        out.push_str(&escape(&rest[..start]));
        let url_part = &rest[start..];
        let end = url_part
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\''))
            .unwrap_or(url_part.len());
        // A sentence's final punctuation is not part of the address.
        let url = url_part[..end].trim_end_matches(['.', ',', ';', ':', ')', '!', '?']);
        out.push_str(&format!("<a href=\"{0}\">{0}</a>", escape(url)));
        rest = &url_part[url.len()..];
    }
    out.push_str(&escape(rest));
    out
}

fn percent_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A record kind in words, beside its API value.
fn kind_label(kind: RecordKind, lang: Language) -> &'static str {
    match kind {
        RecordKind::Permit => tr(lang, "Titre de séjour", "Residence permit"),
        RecordKind::Visa => tr(lang, "Visa", "Visa"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_in_emails_become_clickable_and_text_stays_escaped() {
        let body = "Ouvrez ce lien :\nhttp://127.0.0.1:8080/verify-email?token=a_b-c.\n<script>x</script> & fin";
        let html = linkify(body);
        assert!(html.contains(
            "<a href=\"http://127.0.0.1:8080/verify-email?token=a_b-c\">http://127.0.0.1:8080/verify-email?token=a_b-c</a>."
        ));
        assert!(html.contains("&lt;script&gt;x&lt;/script&gt; &amp; fin"));
        assert_eq!(linkify("no link"), "no link");
    }

    #[test]
    fn language_from_query_then_header() {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9".parse().unwrap());
        assert_eq!(language(&PageQuery::default(), &headers), Language::En);
        let q = PageQuery {
            lang: Some("fr".into()),
            ..Default::default()
        };
        assert_eq!(language(&q, &headers), Language::Fr);
        assert_eq!(language(&PageQuery::default(), &HeaderMap::new()), Language::Fr);
    }

    #[test]
    fn switch_links_keep_the_token() {
        assert_eq!(
            href("/reset-password", Language::En, Some("a+b/c")),
            "/reset-password?lang=en&token=a%2Bb%2Fc"
        );
    }
}
