//! The tools of the embedded local mode, beside the API and the applicant
//! site: `/local` (what runs here, the demonstration accounts and records)
//! and the local mailbox (the outbox's emails, so that a person can follow
//! the verification and reset links, which open the site). In French and
//! English (`?lang=en`, else the browser's language), accessible and usable
//! on a 360 px wide screen; no script.

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
        .route("/local", get(home))
        .route("/mailbox", get(mailbox))
        .route("/mailbox/{id}", get(mail))
        .with_state(Arc::new(site))
}

#[derive(Debug, Default, Deserialize)]
struct PageQuery {
    lang: Option<String>,
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

/// A link to `path` in `lang`.
fn href(path: &str, lang: Language) -> String {
    format!("{path}?lang={}", lang.as_str())
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
        href("/login", lang),
        tr(lang, "Se connecter (et voir ses notifications)", "Log in (and see your notifications)"),
        href("/mailbox", lang),
        tr(lang, "Boîte aux lettres locale", "Local mailbox"),
        href("/verify", lang),
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
        &href("/local", other(lang)),
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
                href(&format!("/mailbox/{}", email.id), lang),
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
        &href("/mailbox", other(lang)),
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
        href("/mailbox", lang),
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
    page(lang, &title, &body, &href(&format!("/mailbox/{id}"), other(lang)))
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
        href("/local", lang),
        tr(lang, "Accueil", "Home")
    );
    let mut response = page(lang, title, &body, &href("/local", other(lang)));
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
        home = href("/local", lang),
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
        };
        assert_eq!(language(&q, &headers), Language::Fr);
        assert_eq!(language(&PageQuery::default(), &HeaderMap::new()), Language::Fr);
    }
}
