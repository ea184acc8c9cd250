//! Getting in (F2–F5): activation by permit or visa, email verification,
//! login and sessions, password reset, the profile; plus agent accounts and
//! demo applicants for the command line.
//!
//! Rules kept here: the same answer whatever is wrong in an activation; no
//! account enumeration (login answers alike and takes as long for unknown
//! emails, reset requests always answer the same); growing delays then a
//! time-limited lock per login identifier, lifted by a password reset; a
//! password reset ends every older session; a new email is used only once
//! verified.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Deserializer, Serialize};

use crate::domain::Invalid;
use crate::domain::account::{Account, AccountId, Language, Role};
use crate::domain::civil_status::CivilStatus;
use crate::domain::contact::{Address, AddressInput, Email, PhoneNumber};
use crate::domain::eligibility;
use crate::domain::notification::{Notification, NotificationId, NotificationKind};
use crate::domain::password::NewPassword;
use crate::domain::prefecture::PrefectureCode;
use crate::domain::session::{Session, TokenHash};
use crate::domain::state_record::{DocumentNumber, ForeignerNumber, RecordKey, RecordKind, StateRecord};
use crate::domain::throttle::{ACTIVATION, LOGIN, RESET_EMAIL, Throttled};
use crate::domain::token::{OneTimeToken, Purpose};
use crate::domain::validation::{date, text};
use crate::mail::Template;
use crate::ports::StoreError;

use super::links::SitePage;
use super::{App, ServiceError, ServiceResult, credentials, notifications, throttle};
use crate::domain::FieldCode;
use crate::service::ProblemCode;

// ---------------------------------------------------------------------------
// Inputs and outputs
// ---------------------------------------------------------------------------

/// Activation of an account with a residence permit or a visa (F2b, F2c).
/// No `Debug`: it holds a password.
#[derive(Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ActivateRequest {
    /// `permit` or `visa`.
    #[schema(required = true, value_type = RecordKind, example = "permit")]
    pub kind: String,
    /// The number printed on the permit or visa.
    #[schema(required = true, example = "AB1234567")]
    pub number: String,
    /// Start of validity (YYYY-MM-DD), as printed.
    #[schema(required = true, example = "2025-10-01")]
    pub valid_from: String,
    /// End of validity (YYYY-MM-DD), as printed.
    #[schema(required = true, example = "2026-09-30")]
    pub valid_until: String,
    #[schema(required = true, example = "awa.diallo@example.org")]
    pub email: String,
    /// At least 12 characters, not a common password.
    #[schema(required = true)]
    pub password: String,
    /// `fr` or `en`; by default the language of the request.
    #[schema(value_type = Option<Language>)]
    pub language: Option<String>,
}

/// The same answer whether the account was created or the address already
/// had one (its owner is told by email): the caller learns nothing of
/// other people's accounts.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Activated {
    /// Activated with a visa: provisional until the application is decided.
    pub provisional: bool,
    /// Where the next step was emailed: follow the link received there.
    #[schema(value_type = String)]
    pub email: Email,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct TokenRequest {
    /// The token from the emailed link.
    #[schema(required = true)]
    pub token: String,
}

/// No `Debug`: it holds a password.
#[derive(Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct LoginRequest {
    #[schema(required = true, example = "awa.diallo@example.org")]
    pub email: String,
    #[schema(required = true)]
    pub password: String,
}

/// A new session. The token is also set as the `sejour_session` cookie.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LoggedIn {
    /// Opaque session token, for `Authorization: Bearer`.
    pub token: String,
    /// When the session ends if left unused.
    pub expires_at: DateTime<Utc>,
    pub account: Profile,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PasswordResetRequest {
    #[schema(required = true, example = "awa.diallo@example.org")]
    pub email: String,
}

/// No `Debug`: it holds a password.
#[derive(Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PasswordResetConfirm {
    /// The token from the emailed link.
    #[schema(required = true)]
    pub token: String,
    /// The new password.
    #[schema(required = true)]
    pub password: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RoleName {
    Applicant,
    Agent,
}

/// The account as its holder sees it (F5).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Profile {
    #[schema(value_type = String, format = Uuid)]
    pub id: AccountId,
    pub role: RoleName,
    /// The agent's préfecture (agents only).
    #[schema(value_type = Option<String>, example = "75", required = true)]
    pub prefecture: Option<PrefectureCode>,
    #[schema(value_type = String)]
    pub email: Email,
    pub email_verified: bool,
    /// A new address waiting for its verification link to be followed.
    #[schema(value_type = Option<String>, required = true)]
    pub pending_email: Option<Email>,
    pub display_name: String,
    /// From the state's records; read-only.
    #[schema(required = true)]
    pub civil_status: Option<CivilStatus>,
    #[schema(value_type = Option<String>, required = true)]
    pub foreigner_number: Option<ForeignerNumber>,
    /// Activated with a visa: provisional until the application is decided.
    pub provisional: bool,
    #[schema(required = true)]
    pub address: Option<Address>,
    #[schema(value_type = Option<String>, required = true)]
    pub phone: Option<PhoneNumber>,
    pub language: Language,
    pub unread_notifications: usize,
}

/// A change of the profile: only the fields present change. Civil status
/// fields are refused (`read_only`), unknown fields too (`unknown_field`).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ProfileUpdate {
    /// The postal address; `null` removes it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<AddressInput>)]
    pub address: Option<Option<AddressInput>>,
    /// The mobile phone; `null` removes it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, example = "06 12 34 56 78")]
    pub phone: Option<Option<String>>,
    /// A new email address: used once verified through the link sent to it.
    #[serde(default)]
    pub email: Option<String>,
    /// `fr` or `en`: the language of the emails.
    #[serde(default)]
    #[schema(value_type = Option<Language>)]
    pub language: Option<String>,
    /// Every other field of the request, refused.
    #[serde(flatten)]
    #[schema(ignore)]
    pub other: BTreeMap<String, serde_json::Value>,
}

/// A field that is present, possibly `null`: `Some(None)`.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// Civil-status fields: they come from the state's records and cannot be changed here.
const READ_ONLY_FIELDS: [&str; 9] = [
    "surname",
    "given_names",
    "sex",
    "birth_date",
    "birth_place",
    "birth_country",
    "nationality",
    "civil_status",
    "foreigner_number",
];

/// A valid session and its account, as the API's extractor gives it to handlers.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub account: Account,
    pub session: Session,
}

impl Authenticated {
    pub fn is_agent(&self) -> bool {
        matches!(self.account.role, Role::Agent { .. })
    }
}

// ---------------------------------------------------------------------------
// Activation (F2b, F2c)
// ---------------------------------------------------------------------------

/// Create an applicant account from a permit or visa found in the state's
/// records, and send the link that verifies the email. Whatever does not
/// match (kind, number, either date) gives the same `record_not_found`.
pub async fn activate(app: &App, input: &ActivateRequest, request_language: Language) -> ServiceResult<Activated> {
    let mut e = Invalid::default();
    let kind = e.check("kind", RecordKind::parse(&input.kind));
    let number = e.check("number", DocumentNumber::parse(&input.number));
    let valid_from = e.check("valid_from", date(&input.valid_from));
    let valid_until = e.check("valid_until", date(&input.valid_until));
    if let (Some(from), Some(until)) = (valid_from, valid_until)
        && until < from
    {
        e.push("valid_until", FieldCode::BeforeValidFrom);
    }
    let email = e.check("email", Email::parse(&input.email));
    let password = e.check(
        "password",
        NewPassword::parse(&input.password, Some(input.email.trim())),
    );
    let language = parse_language(&mut e, input.language.as_deref(), request_language);
    e.into_result()?;
    let (Some(kind), Some(number), Some(valid_from), Some(valid_until), Some(email), Some(password), Some(language)) =
        (kind, number, valid_from, valid_until, email, password, language)
    else {
        unreachable!("checked above")
    };

    // Counted per address and per record typed, before any work: guessing
    // record numbers, or flooding an address with mail, soon has to wait.
    let key = RecordKey { kind, number };
    throttle::admit(app, &format!("activate:{}", email.as_str()), &ACTIVATION).await?;
    throttle::admit(
        app,
        &format!("activate-record:{}#{}", key.kind.as_str(), key.number.as_str()),
        &ACTIVATION,
    )
    .await?;

    // Hash before the lookup, so that a wrong record answers as slowly as a right one.
    let password_hash = credentials::hash(password).await?;
    let record = app
        .ports
        .records
        .get(&key)
        .await?
        .filter(|r| r.valid_from == valid_from && r.valid_until == valid_until)
        .ok_or(ServiceError::Rejected(ProblemCode::RecordNotFound))?;
    if eligibility::procedure(record.document_type).is_err() {
        return Err(ServiceError::Rejected(ProblemCode::NotCovered));
    }
    let answer = Activated {
        provisional: record.kind == RecordKind::Visa,
        email: email.clone(),
    };
    match create_applicant(app, &record, email.clone(), password_hash, language, false).await {
        Ok(account) => send_verification(app, &account, &account.email).await?,
        Err(ServiceError::Conflict(ProblemCode::EmailTaken)) => tell_owner_of_address(app, &email).await?,
        Err(e) => return Err(e),
    }
    Ok(answer)
}

/// Someone tried to activate an account with an address that has one: its
/// owner gets a way back in (login, or a reset link) instead of the caller
/// being told the address is taken.
async fn tell_owner_of_address(app: &App, email: &Email) -> ServiceResult<()> {
    let Some(owner) = app.ports.accounts.find_by_email(email).await? else {
        // Reserved by an account being created at this very moment.
        return Ok(());
    };
    let reset_link = reset_link(app, owner.id, owner.language).await?;
    let login_url = SitePage::Login.url(&app.config, owner.language);
    let mail = Template::AddressInUse {
        name: &owner.display_name,
        login_url: &login_url,
        reset_link: &reset_link,
    }
    .render(app.ports.random.id(), &owner.email, owner.language);
    app.ports.mail.enqueue(&mail).await?;
    tracing::info!(account_id = %owner.id, mail_id = %mail.id, "activation with an address in use: owner told");
    Ok(())
}

/// A new single-use reset token for `account`, as the emailed link.
async fn reset_link(app: &App, account: AccountId, lang: Language) -> ServiceResult<String> {
    let secret = app.ports.random.secret();
    let token = OneTimeToken::new(
        TokenHash::of(&secret),
        account,
        Purpose::ResetPassword,
        app.ports.clock.now(),
    );
    app.ports.tokens.put(&token).await?;
    Ok(SitePage::ResetPassword { token: &secret }.url(&app.config, lang))
}

/// A verified applicant account for `record` (demo data, `sejour serve`).
pub async fn seed_applicant(
    app: &App,
    record: &RecordKey,
    email: &str,
    password: &str,
    language: Language,
) -> ServiceResult<AccountId> {
    let mut e = Invalid::default();
    let email = e.check("email", Email::parse(email));
    let password = e.check("password", NewPassword::parse(password, Some(email_text(&email, ""))));
    e.into_result()?;
    let (Some(email), Some(password)) = (email, password) else {
        unreachable!("checked above")
    };
    let record = app
        .ports
        .records
        .get(record)
        .await?
        .ok_or(ServiceError::Rejected(ProblemCode::RecordNotFound))?;
    if eligibility::procedure(record.document_type).is_err() {
        return Err(ServiceError::Rejected(ProblemCode::NotCovered));
    }
    let password_hash = credentials::hash(password).await?;
    let account = create_applicant(app, &record, email, password_hash, language, true).await?;
    Ok(account.id)
}

/// An agent account of `prefecture`, with a verified email (`sejour agents add`).
pub async fn create_agent(
    app: &App,
    prefecture: PrefectureCode,
    email: &str,
    password: &str,
    display_name: &str,
) -> ServiceResult<AccountId> {
    let mut e = Invalid::default();
    let parsed = e.check("email", Email::parse(email));
    let password = e.check("password", NewPassword::parse(password, Some(email_text(&parsed, ""))));
    e.check("display_name", text(display_name, 100));
    e.into_result()?;
    let password_hash = credentials::hash(password.expect("checked above")).await?;
    create_agent_hashed(app, prefecture, email, &password_hash, display_name).await
}

/// An agent account whose password is already hashed (`credentials::hash`):
/// the demo agents share one password, hashed once rather than a hundred times.
pub async fn create_agent_hashed(
    app: &App,
    prefecture: PrefectureCode,
    email: &str,
    password_hash: &str,
    display_name: &str,
) -> ServiceResult<AccountId> {
    let mut e = Invalid::default();
    let email = e.check("email", Email::parse(email));
    let display_name = e.check("display_name", text(display_name, 100));
    e.into_result()?;
    let (Some(email), Some(display_name)) = (email, display_name) else {
        unreachable!("checked above")
    };
    let password_hash = password_hash.to_string();
    let now = app.ports.clock.now();
    let account = Account {
        id: AccountId(app.ports.random.id()),
        role: Role::Agent { prefecture },
        email,
        email_verified: true,
        pending_email: None,
        password_hash,
        record: None,
        civil_status: None,
        foreigner_number: None,
        provisional: false,
        display_name,
        address: None,
        phone: None,
        language: Language::Fr,
        created_at: now,
        sessions_valid_after: DateTime::UNIX_EPOCH,
        version: 1,
    };
    app.ports.accounts.create(&account, None).await?;
    tracing::info!(account_id = %account.id, prefecture = account.prefecture().map(|p| p.as_str()), "agent account created");
    Ok(account.id)
}

async fn create_applicant(
    app: &App,
    record: &StateRecord,
    email: Email,
    password_hash: String,
    language: Language,
    email_verified: bool,
) -> ServiceResult<Account> {
    let now = app.ports.clock.now();
    let account = Account {
        id: AccountId(app.ports.random.id()),
        role: Role::Applicant,
        email,
        email_verified,
        pending_email: None,
        password_hash,
        record: Some(record.key()),
        civil_status: Some(record.civil_status.clone()),
        foreigner_number: record.foreigner_number.clone(),
        provisional: record.kind == RecordKind::Visa,
        display_name: record.civil_status.display_name(),
        address: None,
        phone: None,
        language,
        created_at: now,
        // No session can be older than the account: nothing to end yet.
        sessions_valid_after: DateTime::UNIX_EPOCH,
        version: 1,
    };
    let notification = new_notification(app, account.id, NotificationKind::AccountActivated, now);
    app.ports.accounts.create(&account, Some(&notification)).await?;
    tracing::info!(
        account_id = %account.id,
        notification_id = %notification.id.0,
        kind = record.kind.as_str(),
        provisional = account.provisional,
        "applicant account activated"
    );
    Ok(account)
}

// ---------------------------------------------------------------------------
// Email verification
// ---------------------------------------------------------------------------

/// Follow an emailed verification link: confirms the account's address, or
/// applies a pending change of address.
pub async fn verify_email(app: &App, input: &TokenRequest) -> ServiceResult<()> {
    let token = take_token(app, &input.token).await?;
    let Purpose::VerifyEmail { email } = token.purpose else {
        return Err(ServiceError::TokenRejected(ProblemCode::InvalidToken));
    };
    let (account, notification) = update_account(app, token.account_id, |account, now| {
        if account.email == email {
            if account.email_verified {
                return Ok(Change::Unchanged);
            }
            account.email_verified = true;
            Ok(Change::Save(None))
        } else if account.pending_email.as_ref() == Some(&email) {
            account.email = email.clone();
            account.email_verified = true;
            account.pending_email = None;
            Ok(Change::Save(Some(new_notification(
                app,
                account.id,
                NotificationKind::EmailChanged,
                now,
            ))))
        } else {
            // A link to an address that is no longer pending (replaced since).
            Err(ServiceError::TokenRejected(ProblemCode::InvalidToken))
        }
    })
    .await
    .map_err(|e| match e {
        // The account is gone: the link is worth nothing.
        ServiceError::NotFound(_) => ServiceError::TokenRejected(ProblemCode::InvalidToken),
        e => e,
    })?;
    tracing::info!(account_id = %account.id, changed = notification.is_some(), "email verified");
    if let Some(notification) = notification {
        notifications::announce(app, &account, &notification).await;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Login, sessions, logout
// ---------------------------------------------------------------------------

/// Check the credentials and open a session. Throttled per normalised email,
/// known or not; the same `invalid_credentials` whether the email or the
/// password is wrong.
pub async fn login(app: &App, input: &LoginRequest) -> ServiceResult<LoggedIn> {
    let mut e = Invalid::default();
    let email = e.check("email", Email::parse(&input.email));
    if input.password.is_empty() {
        e.push("password", FieldCode::Required);
    }
    e.into_result()?;
    let email = email.expect("checked above");
    // Counted before the password is checked: of simultaneous attempts,
    // only those the rules allow reach the check.
    let key = throttle::login_key(&email);
    let attempts = throttle::admit(app, &key, &LOGIN).await.inspect_err(|_| {
        tracing::info!("login refused: throttled");
    })?;

    let account = app.ports.accounts.find_by_email(&email).await?;
    let matches = credentials::verify(&input.password, account.as_ref().map(|a| a.password_hash.as_str())).await?;
    let account = match account {
        Some(account) if matches => account,
        _ => {
            tracing::info!(failures = attempts.failures, "login failed");
            if let Some(until) = attempts.locked_until {
                return Err(throttle::refused(app, Throttled::Locked { until }));
            }
            return Err(ServiceError::Unauthorized(ProblemCode::InvalidCredentials));
        }
    };
    throttle::clear(app, &key).await?;
    let now = app.ports.clock.now();
    if !account.email_verified {
        // The password is right: sending a fresh link reveals nothing, and
        // helps whoever lost the first one.
        send_verification(app, &account, &account.email).await?;
        tracing::info!(account_id = %account.id, "login refused: email not verified");
        return Err(ServiceError::Forbidden(ProblemCode::EmailNotVerified));
    }

    let secret = app.ports.random.secret();
    // A session opened in the same clock tick as a password reset is still
    // newer than the reset (sessions must be strictly newer to be valid).
    let opened_at = now.max(account.sessions_valid_after + Duration::milliseconds(1));
    let session = Session::new(TokenHash::of(&secret), account.id, opened_at);
    app.ports.sessions.create(&session).await?;
    tracing::info!(account_id = %account.id, "logged in");
    Ok(LoggedIn {
        token: secret,
        expires_at: session.expires_at(),
        account: profile_of(app, &account).await?,
    })
}

/// The session of a token (cookie or Bearer) and its account, if the session
/// is still valid: not idle too long, not too old, not opened before the
/// last password reset. Records the activity now and then.
pub async fn authenticate(app: &App, token: &str) -> ServiceResult<Authenticated> {
    let unauthenticated = ServiceError::Unauthorized(ProblemCode::Unauthenticated);
    if token.is_empty() {
        return Err(unauthenticated);
    }
    let hash = TokenHash::of(token);
    let now = app.ports.clock.now();
    let Some(mut session) = app.ports.sessions.get(&hash).await? else {
        return Err(unauthenticated);
    };
    if !session.is_valid(now) {
        app.ports.sessions.delete(&hash).await?;
        return Err(unauthenticated);
    }
    let Some(account) = app.ports.accounts.get(session.account_id).await? else {
        return Err(unauthenticated);
    };
    if session.created_at <= account.sessions_valid_after {
        app.ports.sessions.delete(&hash).await?;
        return Err(unauthenticated);
    }
    if session.needs_touch(now) {
        app.ports.sessions.touch(&hash, now).await?;
        session.last_seen_at = now;
    }
    Ok(Authenticated { account, session })
}

pub async fn logout(app: &App, auth: &Authenticated) -> ServiceResult<()> {
    app.ports.sessions.delete(&auth.session.token_hash).await?;
    tracing::info!(account_id = %auth.account.id, "logged out");
    Ok(())
}

// ---------------------------------------------------------------------------
// Password reset (F3)
// ---------------------------------------------------------------------------

/// Email a reset link if an account has this address, or say to the address
/// that no account uses it. Limited per address (the same for known and
/// unknown ones); both cases do the same work (a lookup, a token written,
/// one email queued), so that neither the answer nor its time tells them apart.
pub async fn request_password_reset(
    app: &App,
    input: &PasswordResetRequest,
    request_language: Language,
) -> ServiceResult<()> {
    let email =
        Email::parse(&input.email).map_err(|code| Invalid::from(crate::domain::FieldError::new("email", code)))?;
    throttle::admit(app, &format!("reset:{}", email.as_str()), &RESET_EMAIL).await?;
    let account = app.ports.accounts.find_by_email(&email).await?;
    // For no account, a token that opens nothing: the same write as a real one.
    let owner = account
        .as_ref()
        .map_or_else(|| AccountId(app.ports.random.id()), |a| a.id);
    let language = account.as_ref().map_or(request_language, |a| a.language);
    let link = reset_link(app, owner, language).await?;
    let mail = match &account {
        Some(account) => Template::ResetPassword {
            name: &account.display_name,
            link: &link,
        }
        .render(app.ports.random.id(), &account.email, account.language),
        None => Template::ResetNoAccount {
            activate_url: &SitePage::Home.url(&app.config, request_language),
        }
        .render(app.ports.random.id(), &email, request_language),
    };
    app.ports.mail.enqueue(&mail).await?;
    tracing::info!(known = account.is_some(), mail_id = %mail.id, "password reset requested");
    Ok(())
}

/// Set a new password from an emailed link: every older session ends, a
/// lock on the login is lifted, and the address is known to work.
pub async fn confirm_password_reset(app: &App, input: &PasswordResetConfirm) -> ServiceResult<()> {
    // Check what can be checked before spending the single-use token.
    let mut e = Invalid::default();
    if input.token.trim().is_empty() {
        e.push("token", FieldCode::Required);
    }
    e.check("password", NewPassword::parse(&input.password, None));
    e.into_result()?;

    let token = take_token(app, &input.token).await?;
    if token.purpose != Purpose::ResetPassword {
        return Err(ServiceError::TokenRejected(ProblemCode::InvalidToken));
    }
    let Some(account) = app.ports.accounts.get(token.account_id).await? else {
        return Err(ServiceError::TokenRejected(ProblemCode::InvalidToken));
    };
    let password = match NewPassword::parse(&input.password, Some(account.email.as_str())) {
        Ok(password) => password,
        Err(code) => {
            // Refused for resembling the address: give the link another chance.
            app.ports.tokens.put(&token).await?;
            return Err(Invalid::from(crate::domain::FieldError::new("password", code)).into());
        }
    };
    let password_hash = credentials::hash(password).await?;
    let (account, notification) = update_account(app, account.id, |account, now| {
        account.password_hash = password_hash.clone();
        account.sessions_valid_after = now;
        account.email_verified = true;
        Ok(Change::Save(Some(new_notification(
            app,
            account.id,
            NotificationKind::PasswordChanged,
            now,
        ))))
    })
    .await?;
    throttle::clear(app, &throttle::login_key(&account.email)).await?;
    tracing::info!(account_id = %account.id, "password reset");
    if let Some(notification) = notification {
        notifications::announce(app, &account, &notification).await;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Profile (F5)
// ---------------------------------------------------------------------------

pub async fn profile(app: &App, auth: &Authenticated) -> ServiceResult<Profile> {
    profile_of(app, &auth.account).await
}

/// Change the address, phone, language or email. Every invalid field is
/// reported and nothing is saved if any is invalid. A new email becomes
/// pending and is verified through a link sent to it; the current one
/// keeps working until then.
pub async fn update_profile(app: &App, auth: &Authenticated, input: &ProfileUpdate) -> ServiceResult<Profile> {
    let mut e = Invalid::default();
    for field in input.other.keys() {
        let code = if READ_ONLY_FIELDS.contains(&field.as_str()) {
            FieldCode::ReadOnly
        } else {
            FieldCode::UnknownField
        };
        e.push(field.clone(), code);
    }
    let address: Option<Option<Address>> = match &input.address {
        None => None,
        Some(None) => Some(None),
        Some(Some(address)) => match address.parse() {
            Ok(address) => Some(Some(address)),
            Err(invalid) => {
                e.0.extend(invalid.0.into_iter().map(|f| f.under("address")));
                None
            }
        },
    };
    let phone: Option<Option<PhoneNumber>> = match &input.phone {
        None => None,
        Some(None) => Some(None),
        Some(Some(phone)) => e.check("phone", PhoneNumber::parse(phone)).map(Some),
    };
    let email = input.email.as_deref().and_then(|v| e.check("email", Email::parse(v)));
    let language = input
        .language
        .as_deref()
        .and_then(|v| e.check("language", Language::parse(v)));
    e.into_result()?;

    let id = auth.account.id;
    if let Some(email) = &email
        && let Some(other) = app.ports.accounts.find_by_email(email).await?
        && other.id != id
    {
        return Err(ServiceError::Conflict(ProblemCode::EmailTaken));
    }
    let (account, _) = update_account(app, id, |account, _now| {
        let before = account.clone();
        if let Some(address) = &address {
            account.address = address.clone();
        }
        if let Some(phone) = &phone {
            account.phone = phone.clone();
        }
        if let Some(language) = language {
            account.language = language;
        }
        if let Some(email) = &email {
            // The current address again cancels a pending change.
            account.pending_email = (email != &account.email).then(|| email.clone());
        }
        Ok(if *account == before {
            Change::Unchanged
        } else {
            Change::Save(None)
        })
    })
    .await?;
    tracing::info!(
        account_id = %id,
        address = address.is_some(),
        phone = phone.is_some(),
        language = language.is_some(),
        email = email.is_some(),
        "profile updated"
    );
    if let Some(pending) = &account.pending_email
        && email.as_ref() == Some(pending)
    {
        send_verification(app, &account, pending).await?;
    }
    profile_of(app, &account).await
}

async fn profile_of(app: &App, account: &Account) -> ServiceResult<Profile> {
    Ok(Profile {
        id: account.id,
        role: match account.role {
            Role::Applicant => RoleName::Applicant,
            Role::Agent { .. } => RoleName::Agent,
        },
        prefecture: account.prefecture().cloned(),
        email: account.email.clone(),
        email_verified: account.email_verified,
        pending_email: account.pending_email.clone(),
        display_name: account.display_name.clone(),
        civil_status: account.civil_status.clone(),
        foreigner_number: account.foreigner_number.clone(),
        provisional: account.provisional,
        address: account.address.clone(),
        phone: account.phone.clone(),
        language: account.language,
        unread_notifications: notifications::unread_count(app, account.id).await?,
    })
}

// ---------------------------------------------------------------------------
// Shared steps
// ---------------------------------------------------------------------------

/// What a read-modify-write decided.
enum Change {
    Unchanged,
    /// Save, with the notification to write in the same atomic write.
    Save(Option<Notification>),
}

/// Read the account, apply `change`, and save it if the stored version did
/// not move meanwhile; on a conflict, read and apply once more.
async fn update_account<F>(app: &App, id: AccountId, change: F) -> ServiceResult<(Account, Option<Notification>)>
where
    F: Fn(&mut Account, DateTime<Utc>) -> ServiceResult<Change>,
{
    let mut retried = false;
    loop {
        let mut account = app
            .ports
            .accounts
            .get(id)
            .await?
            .ok_or(ServiceError::NotFound("account"))?;
        let expected = account.version;
        let notification = match change(&mut account, app.ports.clock.now())? {
            Change::Unchanged => return Ok((account, None)),
            Change::Save(notification) => notification,
        };
        account.version = expected + 1;
        match app
            .ports
            .accounts
            .update(&account, expected, notification.as_ref())
            .await
        {
            Ok(()) => return Ok((account, notification)),
            Err(StoreError::VersionConflict) if !retried => {
                tracing::info!(account_id = %id, "version conflict, retrying once");
                retried = true;
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// Take a single-use token: unknown or used -> `invalid_token`; past its
/// time -> `expired_token` (taken all the same).
async fn take_token(app: &App, secret: &str) -> ServiceResult<OneTimeToken> {
    let secret = secret.trim();
    if secret.is_empty() {
        return Err(Invalid::from(crate::domain::FieldError::new("token", FieldCode::Required)).into());
    }
    let token = app
        .ports
        .tokens
        .take(&TokenHash::of(secret))
        .await?
        .ok_or(ServiceError::TokenRejected(ProblemCode::InvalidToken))?;
    if !token.is_valid(app.ports.clock.now()) {
        return Err(ServiceError::TokenRejected(ProblemCode::ExpiredToken));
    }
    Ok(token)
}

/// Store a verification token for `email` and email its link there.
async fn send_verification(app: &App, account: &Account, email: &Email) -> ServiceResult<()> {
    let now = app.ports.clock.now();
    let secret = app.ports.random.secret();
    let purpose = Purpose::VerifyEmail { email: email.clone() };
    let token = OneTimeToken::new(TokenHash::of(&secret), account.id, purpose, now);
    app.ports.tokens.put(&token).await?;
    let link = SitePage::VerifyEmail { token: &secret }.url(&app.config, account.language);
    let mail = Template::VerifyEmail {
        name: &account.display_name,
        link: &link,
    }
    .render(app.ports.random.id(), email, account.language);
    app.ports.mail.enqueue(&mail).await?;
    tracing::info!(account_id = %account.id, mail_id = %mail.id, "verification link sent");
    Ok(())
}

fn new_notification(app: &App, account: AccountId, kind: NotificationKind, now: DateTime<Utc>) -> Notification {
    Notification::new(NotificationId(app.ports.random.id()), account, kind, now)
}

fn parse_language(e: &mut Invalid, value: Option<&str>, default: Language) -> Option<Language> {
    match value.map(str::trim) {
        None | Some("") => Some(default),
        Some(v) => e.check("language", Language::parse(v)),
    }
}

fn email_text<'a>(email: &'a Option<Email>, fallback: &'a str) -> &'a str {
    email.as_ref().map_or(fallback, Email::as_str)
}
