//! The contract every pair of adapters honours. Each function takes a fresh
//! `Harness` and must pass on both runtimes.

use chrono::{Duration, NaiveDate};
use uuid::Uuid;

use sejour::domain::account::{Account, AccountId, Language, Role};
use sejour::domain::civil_status::{CivilStatus, CountryCode, Sex};
use sejour::domain::contact::{Address, Email, PhoneNumber};
use sejour::domain::notification::{Notification, NotificationId, NotificationKind};
use sejour::domain::prefecture::Postcode;
use sejour::domain::session::{Session, TokenHash};
use sejour::domain::state_record::{DocumentNumber, DocumentType, ForeignerNumber, RecordKey, RecordKind, StateRecord};
use sejour::domain::throttle::{ACTIVATION, Attempts, LOGIN, RESET_EMAIL};
use sejour::domain::token::{OneTimeToken, Purpose};
use sejour::mail::OutgoingMail;
use sejour::ports::StoreError;
use sejour::ports::{DocumentChange, StoredResponse, Writes};
use sejour::service::accounts::{self, ActivateRequest, LoginRequest, PasswordResetRequest};
use sejour::service::{ProblemCode, ServiceError};

use sejour::domain::application::documents::{DocumentKind, EphotoCode, FileType, RejectionReason};
use sejour::domain::application::lifecycle::{Action, Status};
use sejour::domain::application::personal::FamilyTiesInput;
use sejour::domain::application::resources::{Cents, ResourceKind, ResourceLine, Resources};
use sejour::domain::application::{
    Actor, AddressDraft, Application, ApplicationId, AuditEvent, DocumentId, DocumentStatus, PersonalStep,
    ReasonForStay, Reference, Section, SupportingDocument,
};
use sejour::domain::eligibility::Procedure;
use sejour::domain::issued_document::{IssuedDocument, IssuedKind, VerificationCode};
use sejour::domain::prefecture::PrefectureCode;
use sejour::domain::reasons::studies::StudiesInput;

use super::harness::{Harness, t0};
// Document storage and e-photo (issue 3), in their own file.
pub use super::storage::*;

fn email(tag: &str) -> Email {
    Email::parse(&format!("{tag}.{}@example.org", Uuid::new_v4().simple())).unwrap()
}

fn record(number: &str) -> StateRecord {
    StateRecord {
        kind: RecordKind::Permit,
        number: DocumentNumber::parse(number).unwrap(),
        document_type: DocumentType::PermitStudent,
        valid_from: NaiveDate::from_ymd_opt(2025, 10, 1).unwrap(),
        valid_until: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        foreigner_number: Some(ForeignerNumber::parse("7501234567").unwrap()),
        civil_status: CivilStatus {
            surname: "Diallo".into(),
            given_names: "Awa".into(),
            sex: Sex::F,
            birth_date: NaiveDate::from_ymd_opt(2003, 4, 5).unwrap(),
            birth_place: "Dakar".into(),
            birth_country: CountryCode::parse("SEN").unwrap(),
            nationality: CountryCode::parse("SEN").unwrap(),
        },
    }
}

fn unique_number() -> String {
    format!("P{}", &Uuid::new_v4().simple().to_string()[..12]).to_uppercase()
}

fn applicant(email: Email, record: Option<&StateRecord>) -> Account {
    Account {
        id: AccountId(Uuid::now_v7()),
        role: Role::Applicant,
        email,
        email_verified: false,
        pending_email: None,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA".into(),
        record: record.map(StateRecord::key),
        civil_status: record.map(|r| r.civil_status.clone()),
        foreigner_number: record.and_then(|r| r.foreigner_number.clone()),
        provisional: false,
        display_name: "Awa DIALLO".into(),
        address: None,
        phone: None,
        language: Language::Fr,
        created_at: t0(),
        sessions_valid_after: t0(),
        version: 1,
    }
}

fn notification(account: &Account, kind: NotificationKind, minutes: i64) -> Notification {
    Notification::new(
        NotificationId(Uuid::now_v7()),
        account.id,
        kind,
        t0() + Duration::minutes(minutes),
    )
}

pub async fn accounts_are_created_and_found_by_email(h: &Harness) {
    let accounts = &h.ports().accounts;
    let mut account = applicant(email("awa"), None);
    account.address = Some(Address {
        line1: "12 rue de l'Université".into(),
        line2: None,
        postcode: Postcode::parse("75007").unwrap(),
        city: "Paris".into(),
    });
    account.phone = Some(PhoneNumber::parse("0612345678").unwrap());
    accounts.create(&account, None).await.unwrap();
    assert_eq!(accounts.get(account.id).await.unwrap(), Some(account.clone()));
    assert_eq!(
        accounts.find_by_email(&account.email).await.unwrap(),
        Some(account.clone())
    );
    assert_eq!(accounts.get(AccountId(Uuid::now_v7())).await.unwrap(), None);
    assert_eq!(accounts.find_by_email(&email("nobody")).await.unwrap(), None);

    let agent = Account {
        role: Role::Agent {
            prefecture: sejour::domain::prefecture::PrefectureCode::parse("2A").unwrap(),
        },
        ..applicant(email("agent"), None)
    };
    accounts.create(&agent, None).await.unwrap();
    assert_eq!(accounts.get(agent.id).await.unwrap().unwrap().role, agent.role);
}

pub async fn an_email_or_a_state_record_belongs_to_one_account(h: &Harness) {
    let accounts = &h.ports().accounts;
    let rec = record(&unique_number());
    let first = applicant(email("first"), Some(&rec));
    accounts.create(&first, None).await.unwrap();

    let same_email = applicant(first.email.clone(), None);
    assert!(matches!(
        accounts.create(&same_email, None).await,
        Err(StoreError::EmailTaken)
    ));

    let same_record = applicant(email("second"), Some(&rec));
    assert!(matches!(
        accounts.create(&same_record, None).await,
        Err(StoreError::RecordLinked)
    ));
}

pub async fn a_failed_create_leaves_nothing_behind(h: &Harness) {
    let accounts = &h.ports().accounts;
    let rec = record(&unique_number());
    let first = applicant(email("first"), Some(&rec));
    accounts.create(&first, None).await.unwrap();

    // Refused for its record: neither its email nor its notification may remain.
    let refused = applicant(email("refused"), Some(&rec));
    let note = notification(&refused, NotificationKind::AccountActivated, 0);
    assert!(accounts.create(&refused, Some(&note)).await.is_err());
    assert_eq!(accounts.get(refused.id).await.unwrap(), None);
    assert_eq!(accounts.find_by_email(&refused.email).await.unwrap(), None);
    assert!(h.ports().notifications.list(refused.id).await.unwrap().is_empty());
    let retry = applicant(refused.email.clone(), None);
    accounts.create(&retry, None).await.unwrap();
}

pub async fn updates_are_conditional_on_the_version(h: &Harness) {
    let accounts = &h.ports().accounts;
    let account = applicant(email("versioned"), None);
    accounts.create(&account, None).await.unwrap();

    let mut changed = account.clone();
    changed.email_verified = true;
    changed.version = 2;
    accounts.update(&changed, 1, None).await.unwrap();
    assert_eq!(accounts.get(account.id).await.unwrap(), Some(changed.clone()));

    // A stale writer loses and changes nothing.
    let mut stale = account.clone();
    stale.display_name = "Stale".into();
    stale.version = 2;
    assert!(matches!(
        accounts.update(&stale, 1, None).await,
        Err(StoreError::VersionConflict)
    ));
    assert_eq!(accounts.get(account.id).await.unwrap(), Some(changed));
}

pub async fn concurrent_updates_have_one_winner(h: &Harness) {
    let accounts = h.ports().accounts.clone();
    let account = applicant(email("race"), None);
    accounts.create(&account, None).await.unwrap();
    let mut tasks = Vec::new();
    for i in 0..10 {
        let accounts = accounts.clone();
        let mut mine = account.clone();
        mine.display_name = format!("Writer {i}");
        mine.version = 2;
        tasks.push(tokio::spawn(async move { accounts.update(&mine, 1, None).await }));
    }
    let mut won = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(()) => won += 1,
            Err(StoreError::VersionConflict) => {}
            Err(e) => panic!("unexpected {e}"),
        }
    }
    assert_eq!(won, 1);
    assert_eq!(accounts.get(account.id).await.unwrap().unwrap().version, 2);
}

pub async fn changing_email_moves_the_reservation(h: &Harness) {
    let accounts = &h.ports().accounts;
    let account = applicant(email("old"), None);
    accounts.create(&account, None).await.unwrap();
    let other = applicant(email("other"), None);
    accounts.create(&other, None).await.unwrap();

    // Taking another account's email is refused, and nothing changes.
    let mut grab = account.clone();
    grab.email = other.email.clone();
    grab.version = 2;
    assert!(matches!(
        accounts.update(&grab, 1, None).await,
        Err(StoreError::EmailTaken)
    ));
    assert_eq!(accounts.get(account.id).await.unwrap(), Some(account.clone()));

    let mut moved = account.clone();
    moved.email = email("new");
    moved.version = 2;
    accounts.update(&moved, 1, None).await.unwrap();
    assert_eq!(
        accounts.find_by_email(&moved.email).await.unwrap().map(|a| a.id),
        Some(account.id)
    );
    assert_eq!(accounts.find_by_email(&account.email).await.unwrap(), None);
    // The old address is free again.
    accounts
        .create(&applicant(account.email.clone(), None), None)
        .await
        .unwrap();
}

pub async fn notifications_are_written_with_the_account_change(h: &Harness) {
    let ports = h.ports();
    let account = applicant(email("notified"), None);
    let created = notification(&account, NotificationKind::AccountActivated, 0);
    ports.accounts.create(&account, Some(&created)).await.unwrap();

    let mut changed = account.clone();
    changed.version = 2;
    let password = notification(&account, NotificationKind::PasswordChanged, 5);
    ports.accounts.update(&changed, 1, Some(&password)).await.unwrap();

    // A losing update writes no notification.
    let lost = notification(&account, NotificationKind::EmailChanged, 10);
    assert!(ports.accounts.update(&changed, 1, Some(&lost)).await.is_err());

    let listed = ports.notifications.list(account.id).await.unwrap();
    assert_eq!(listed, vec![password, created], "newest first, the lost one absent");
}

pub async fn notifications_are_read_only_by_their_account(h: &Harness) {
    let ports = h.ports();
    let owner = applicant(email("owner"), None);
    let note = notification(&owner, NotificationKind::AccountActivated, 0);
    ports.accounts.create(&owner, Some(&note)).await.unwrap();
    let intruder = applicant(email("intruder"), None);
    ports.accounts.create(&intruder, None).await.unwrap();

    let at = t0() + Duration::hours(1);
    assert!(!ports.notifications.mark_read(intruder.id, note.id, at).await.unwrap());
    assert_eq!(ports.notifications.list(owner.id).await.unwrap()[0].read_at, None);
    assert!(
        !ports
            .notifications
            .mark_read(owner.id, NotificationId(Uuid::now_v7()), at)
            .await
            .unwrap()
    );

    assert!(ports.notifications.mark_read(owner.id, note.id, at).await.unwrap());
    assert_eq!(ports.notifications.list(owner.id).await.unwrap()[0].read_at, Some(at));
    assert!(ports.notifications.list(intruder.id).await.unwrap().is_empty());
}

pub async fn state_records_are_upserted_by_key(h: &Harness) {
    let records = &h.ports().records;
    let mut rec = record(&unique_number());
    records.put_many(std::slice::from_ref(&rec)).await.unwrap();
    assert_eq!(records.get(&rec.key()).await.unwrap(), Some(rec.clone()));

    // Re-importing with new data replaces the record: one record, the new data.
    rec.valid_until = NaiveDate::from_ymd_opt(2027, 6, 30).unwrap();
    rec.foreigner_number = None;
    records.put_many(std::slice::from_ref(&rec)).await.unwrap();
    assert_eq!(records.get(&rec.key()).await.unwrap(), Some(rec.clone()));

    // Same number, other kind: another record.
    let visa_key = RecordKey {
        kind: RecordKind::Visa,
        number: rec.number.clone(),
    };
    assert_eq!(records.get(&visa_key).await.unwrap(), None);
}

pub async fn state_records_import_in_large_batches(h: &Harness) {
    let records = &h.ports().records;
    let batch: Vec<StateRecord> = (0..120).map(|_| record(&unique_number())).collect();
    records.put_many(&batch).await.unwrap();
    records.put_many(&batch).await.unwrap();
    for rec in [&batch[0], &batch[59], &batch[119]] {
        assert_eq!(records.get(&rec.key()).await.unwrap().as_ref(), Some(rec));
    }
}

pub async fn sessions_are_created_touched_and_deleted(h: &Harness) {
    let sessions = &h.ports().sessions;
    let account = AccountId(Uuid::now_v7());
    let session = Session::new(TokenHash::of(&Uuid::new_v4().to_string()), account, t0());
    sessions.create(&session).await.unwrap();
    assert_eq!(sessions.get(&session.token_hash).await.unwrap(), Some(session.clone()));

    let later = t0() + Duration::minutes(10);
    sessions.touch(&session.token_hash, later).await.unwrap();
    let touched = sessions.get(&session.token_hash).await.unwrap().unwrap();
    assert_eq!(touched.last_seen_at, later);
    assert_eq!(touched.created_at, t0());

    sessions.delete(&session.token_hash).await.unwrap();
    assert_eq!(sessions.get(&session.token_hash).await.unwrap(), None);
    assert_eq!(sessions.get(&TokenHash::of("never issued")).await.unwrap(), None);
}

pub async fn one_time_tokens_are_taken_once(h: &Harness) {
    let tokens = h.ports().tokens.clone();
    let token = OneTimeToken::new(
        TokenHash::of(&Uuid::new_v4().to_string()),
        AccountId(Uuid::now_v7()),
        Purpose::VerifyEmail { email: email("verify") },
        t0(),
    );
    tokens.put(&token).await.unwrap();
    let mut takers = Vec::new();
    for _ in 0..8 {
        let tokens = tokens.clone();
        let hash = token.hash.clone();
        takers.push(tokio::spawn(async move { tokens.take(&hash).await.unwrap() }));
    }
    let mut taken = Vec::new();
    for t in takers {
        taken.extend(t.await.unwrap());
    }
    assert_eq!(taken, vec![token.clone()], "exactly one taker gets it");
    assert_eq!(tokens.take(&token.hash).await.unwrap(), None);

    let reset = OneTimeToken::new(
        TokenHash::of("reset"),
        AccountId(Uuid::now_v7()),
        Purpose::ResetPassword,
        t0(),
    );
    tokens.put(&reset).await.unwrap();
    assert_eq!(tokens.take(&reset.hash).await.unwrap(), Some(reset));
}

pub async fn attempts_are_replaced_only_at_the_version_read(h: &Harness) {
    let throttle = &h.ports().throttle;
    let key = format!("login:{}", email("throttled").as_str());
    assert_eq!(throttle.get(&key).await.unwrap(), Attempts::default());
    let (first, _) = Attempts::default().attempt(&LOGIN, t0());
    assert!(throttle.replace(&key, 0, &first).await.unwrap());
    // A second writer that also read "nothing stored" loses.
    assert!(!throttle.replace(&key, 0, &first).await.unwrap());
    let (second, _) = first.attempt(&LOGIN, t0() + Duration::seconds(5));
    assert!(throttle.replace(&key, first.version, &second).await.unwrap());
    // A writer that read the first version loses, and writes nothing.
    let (stale, _) = first.attempt(&LOGIN, t0() + Duration::seconds(9));
    assert!(!throttle.replace(&key, first.version, &stale).await.unwrap());
    assert_eq!(throttle.get(&key).await.unwrap(), second);
    assert_eq!(
        throttle.get("login:someone-else@example.org").await.unwrap(),
        Attempts::default()
    );
    throttle.clear(&key).await.unwrap();
    assert_eq!(throttle.get(&key).await.unwrap(), Attempts::default());
    // After a clear, counting starts again from nothing.
    assert!(throttle.replace(&key, 0, &first).await.unwrap());
}

/// Fifty wrong passwords for one account at once: every one is counted, and
/// only the free attempts of the rules reach the password check.
pub async fn simultaneous_failed_logins_are_all_counted(h: &Harness) {
    let address = email("storm");
    accounts::create_agent(
        &h.app,
        sejour::domain::prefecture::PrefectureCode::parse("75").unwrap(),
        address.as_str(),
        "Un-mot-de-passe-solide",
        "Agent",
    )
    .await
    .unwrap();
    let attempts: Vec<_> = (0..50)
        .map(|i| {
            let app = h.app.clone();
            let input = LoginRequest {
                email: address.as_str().to_string(),
                password: format!("wrong password {i}"),
            };
            tokio::spawn(async move { accounts::login(&app, &input).await.map(|_| ()) })
        })
        .collect();
    let mut checked = 0;
    let mut refused = 0;
    for attempt in attempts {
        match attempt.await.unwrap() {
            Err(ServiceError::Unauthorized(ProblemCode::InvalidCredentials)) => checked += 1,
            Err(ServiceError::Throttled { .. } | ServiceError::Locked { .. }) => refused += 1,
            other => panic!("unexpected answer: {other:?}"),
        }
    }
    assert_eq!((checked, refused), (LOGIN.free, 50 - LOGIN.free));
    let stored = h
        .ports()
        .throttle
        .get(&format!("login:{}", address.as_str()))
        .await
        .unwrap();
    assert_eq!((stored.attempts, stored.failures), (50, LOGIN.free));
    // Too soon after the failures: even the right password waits.
    let right = LoginRequest {
        email: address.as_str().to_string(),
        password: "Un-mot-de-passe-solide".into(),
    };
    assert!(matches!(
        accounts::login(&h.app, &right).await,
        Err(ServiceError::Throttled { .. })
    ));
    assert_eq!(
        h.ports()
            .throttle
            .get(&format!("login:{}", address.as_str()))
            .await
            .unwrap()
            .attempts,
        51
    );
}

/// Twenty reset requests for one address, twenty activations for one
/// record: only what the rules allow goes through, on both runtimes.
pub async fn reset_and_activation_limits_hold(h: &Harness) {
    let address = email("reset");
    let input = PasswordResetRequest {
        email: address.as_str().to_string(),
    };
    let mut sent = 0;
    for _ in 0..20 {
        match accounts::request_password_reset(&h.app, &input, Language::Fr).await {
            Ok(()) => sent += 1,
            Err(ServiceError::Throttled { .. } | ServiceError::Locked { .. }) => {}
            Err(e) => panic!("unexpected: {e:?}"),
        }
    }
    assert_eq!(sent, RESET_EMAIL.free);

    let guesses: Vec<_> = (0..20)
        .map(|i| {
            let app = h.app.clone();
            let input = ActivateRequest {
                kind: "permit".into(),
                number: "GUESSED01".into(),
                valid_from: "2025-01-01".into(),
                valid_until: format!("2026-01-{:02}", i + 1),
                email: format!("guess{i}@example.org"),
                password: "Un-mot-de-passe-solide".into(),
                language: None,
            };
            tokio::spawn(async move { accounts::activate(&app, &input, Language::Fr).await.map(|_| ()) })
        })
        .collect();
    let mut checked = 0;
    for guess in guesses {
        match guess.await.unwrap() {
            Err(ServiceError::Rejected(ProblemCode::RecordNotFound)) => checked += 1,
            Err(ServiceError::Throttled { .. } | ServiceError::Locked { .. }) => {}
            other => panic!("unexpected: {other:?}"),
        }
    }
    assert_eq!(checked, ACTIVATION.free);
}

pub async fn queued_mail_is_delivered_once(h: &Harness) {
    let subject = format!("Contract {}", Uuid::new_v4().simple());
    let mail = OutgoingMail {
        id: Uuid::now_v7(),
        to: email("mailbox"),
        subject: subject.clone(),
        body: "Bonjour,\n\nUne ligne accentuée : é à ç.\n".into(),
    };
    h.ports().mail.enqueue(&mail).await.unwrap();
    h.deliver_queued().await;
    assert_eq!(h.delivered_with_subject(&subject).await, 1);

    // At-least-once delivery upstream: the sender is idempotent by mail id.
    h.mailer.send(&mail).await.unwrap();
    h.ports().mail.enqueue(&mail).await.unwrap();
    h.deliver_queued().await;
    assert_eq!(h.delivered_with_subject(&subject).await, 1);
}

// ---------------------------------------------------------------------------
// Applications (issue 3)
// ---------------------------------------------------------------------------

/// An applicant's account, stored (the local notifications table refers to it).
async fn stored_applicant(h: &Harness, tag: &str) -> Account {
    let rec = record(&unique_number());
    let account = applicant(email(tag), Some(&rec));
    h.ports().accounts.create(&account, None).await.unwrap();
    account
}

/// A draft created `day` days after t0 with every field filled, as far as a draft goes.
fn sample_application(account: &Account, day: i64) -> Application {
    let created_at = t0() + Duration::days(day);
    let number = &Uuid::new_v4().simple().to_string()[..8];
    Application {
        id: ApplicationId(Uuid::now_v7()),
        reference: Reference(format!("SEJ-2026-{}", number.to_uppercase())),
        applicant: account.id,
        status: Status::Draft,
        version: 1,
        reason: ReasonForStay::Studies,
        procedure: Procedure::Renewal,
        late_fee_eur: None,
        record: account.record.clone().expect("an applicant with a state record"),
        civil_status: account.civil_status.clone().expect("a civil status"),
        foreigner_number: account.foreigner_number.clone(),
        personal: PersonalStep {
            family: FamilyTiesInput {
                usage_name: Some("Diallo-Sow".into()),
                family_situation: Some("married".into()),
                spouse_in_france: Some(true),
                spouse_nationality: Some("SEN".into()),
                children_in_france: Some(2),
            },
            address: AddressDraft {
                line1: Some("12 rue de l'Université".into()),
                line2: Some("Bâtiment B, 3e étage".into()),
                postcode: Some("75007".into()),
                city: Some("Paris".into()),
            },
            phone: Some("+33612345678".into()),
        },
        studies: StudiesInput {
            institution_type: Some("university".into()),
            cycle: Some("master".into()),
            level: Some("m1".into()),
            discipline: Some("law".into()),
            institution_name: Some("Université Paris Cité".into()),
            academic_year: Some("2026-2027".into()),
        },
        resources: Resources {
            lines: vec![
                ResourceLine {
                    kind: ResourceKind::FamilySupport,
                    monthly_amount: Cents::euros(400),
                },
                ResourceLine {
                    kind: ResourceKind::Scholarship,
                    monthly_amount: Cents(25_050),
                },
            ],
            explanation: Some("Bourse du gouvernement sénégalais".into()),
            housed_free_of_charge: Some(true),
        },
        ephoto_code: Some(EphotoCode::parse("AB12-CD34-EF56-GH78-IJ90KL").unwrap()),
        validated: vec![Section::Personal, Section::Resources],
        comment: Some("Merci — é à ç".into()),
        prefecture: Some(PrefectureCode::parse("75").unwrap()),
        assigned_agent: None,
        complements: Vec::new(),
        card: None,
        messages: Vec::new(),
        decision: None,
        current_title: None,
        extended_until: None,
        created_at,
        updated_at: created_at + Duration::minutes(30),
        submitted_at: None,
    }
}

/// `application` moved on by `action`, one version later, `minutes` after its creation.
fn moved(application: &Application, action: Action, minutes: i64) -> Application {
    let mut next = application.clone();
    next.status = application.status.next(action).unwrap();
    next.version += 1;
    next.updated_at = application.created_at + Duration::minutes(minutes);
    if action == Action::Submit {
        next.submitted_at = Some(next.updated_at);
    }
    next
}

/// The audit event of the move from `before` to `after`.
fn event_of(before: &Application, after: &Application, action: Action) -> AuditEvent {
    AuditEvent {
        id: Uuid::now_v7(),
        application: after.id,
        at: after.updated_at,
        actor: Actor::Applicant { id: after.applicant },
        action,
        from: before.status,
        to: after.status,
    }
}

fn document(application: &Application, kind: DocumentKind, minutes: i64) -> SupportingDocument {
    SupportingDocument {
        id: DocumentId(Uuid::now_v7()),
        application: application.id,
        kind,
        file_name: "passeport scanné.pdf".into(),
        file_type: FileType::Pdf,
        size: 123_456,
        storage_key: format!("applications/{}/{}", application.id, Uuid::new_v4().simple()),
        status: DocumentStatus::AwaitingUpload,
        created_at: application.created_at + Duration::minutes(minutes),
        uploaded_by: Some(application.applicant),
    }
}

fn stored_response(account: &Account, application: &Application, minutes: i64) -> StoredResponse {
    StoredResponse {
        key: format!("{}:{}", account.id, Uuid::new_v4()),
        application: application.id,
        status: 201,
        body: r#"{"reference":"SEJ-2026-7F3K9Q2M","status":"submitted"}"#.into(),
        created_at: t0() + Duration::minutes(minutes),
    }
}

fn receipt(application: &Application, minutes: i64) -> IssuedDocument {
    IssuedDocument {
        code: VerificationCode::from_random(rand_bits()),
        kind: IssuedKind::SubmissionReceipt,
        application: application.id,
        reference: application.reference.clone(),
        holder_name: "Awa DIALLO".into(),
        issued_at: application.created_at + Duration::minutes(minutes),
        valid_until: Some(application.created_at + Duration::days(365)),
        language: Language::En,
        storage_key: format!("receipts/{}/{}.pdf", application.id, Uuid::new_v4().simple()),
        withdrawn_at: None,
        superseded_at: None,
    }
}

/// 60 random bits for a verification code.
fn rand_bits() -> u64 {
    Uuid::new_v4().as_u64_pair().0 >> 4
}

fn is_version_conflict<T: std::fmt::Debug>(result: Result<T, StoreError>) -> bool {
    matches!(result, Err(StoreError::VersionConflict))
}

pub async fn applications_are_created_and_read_back(h: &Harness) {
    let applications = &h.ports().applications;
    let account = stored_applicant(h, "roundtrip").await;
    let mut app = sample_application(&account, 0);
    // Every field set, even those a draft leaves empty.
    app.status = Status::Submitted;
    app.submitted_at = Some(app.created_at + Duration::hours(2));
    applications.create(&app).await.unwrap();
    assert_eq!(applications.get(app.id).await.unwrap(), Some(app.clone()));
    assert_eq!(
        applications.list_for_applicant(account.id).await.unwrap(),
        vec![app.clone()]
    );

    // And with the optional fields empty.
    let mut bare = sample_application(&stored_applicant(h, "bare").await, 0);
    bare.foreigner_number = None;
    bare.personal = PersonalStep::default();
    bare.studies = StudiesInput::default();
    bare.resources = Resources::default();
    bare.ephoto_code = None;
    bare.validated = Vec::new();
    bare.comment = None;
    bare.prefecture = None;
    applications.create(&bare).await.unwrap();
    assert_eq!(applications.get(bare.id).await.unwrap(), Some(bare));

    assert_eq!(applications.get(ApplicationId(Uuid::now_v7())).await.unwrap(), None);
    let unknown = ApplicationId(Uuid::now_v7());
    assert!(applications.documents(unknown).await.unwrap().is_empty());
    assert!(applications.events(unknown).await.unwrap().is_empty());
    assert!(applications.issued_for(unknown).await.unwrap().is_empty());
}

pub async fn applications_are_listed_newest_first_per_applicant(h: &Harness) {
    let applications = &h.ports().applications;
    let account = stored_applicant(h, "lister").await;
    let other = stored_applicant(h, "neighbour").await;
    // Final applications hold no lock: several can exist beside the open one.
    let mut first = sample_application(&account, 0);
    first.status = Status::Refused;
    let mut second = sample_application(&account, 3);
    second.status = Status::CardDelivered;
    let third = sample_application(&account, 7);
    let theirs = sample_application(&other, 5);
    for app in [&second, &theirs, &third, &first] {
        applications.create(app).await.unwrap();
    }
    assert_eq!(
        applications.list_for_applicant(account.id).await.unwrap(),
        vec![third, second, first]
    );
    assert_eq!(applications.list_for_applicant(other.id).await.unwrap(), vec![theirs]);
    assert!(
        applications
            .list_for_applicant(AccountId(Uuid::now_v7()))
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn one_open_application_per_applicant(h: &Harness) {
    let applications = &h.ports().applications;
    let account = stored_applicant(h, "single").await;
    let first = sample_application(&account, 0);
    applications.create(&first).await.unwrap();

    let second = sample_application(&account, 1);
    assert!(matches!(
        applications.create(&second).await,
        Err(StoreError::OpenApplicationExists)
    ));
    assert_eq!(applications.get(second.id).await.unwrap(), None);
    assert_eq!(
        applications.list_for_applicant(account.id).await.unwrap(),
        vec![first.clone()]
    );

    // Another applicant is not concerned.
    applications
        .create(&sample_application(&stored_applicant(h, "other").await, 0))
        .await
        .unwrap();

    // Submitted, then under review: still open.
    let submitted = moved(&first, Action::Submit, 10);
    applications.save(&submitted, &first, Writes::default()).await.unwrap();
    let reviewed = moved(&submitted, Action::StartReview, 20);
    applications
        .save(&reviewed, &submitted, Writes::default())
        .await
        .unwrap();
    assert!(matches!(
        applications.create(&second).await,
        Err(StoreError::OpenApplicationExists)
    ));

    // Refused: final, the applicant may file again, once.
    let refused = moved(&reviewed, Action::Refuse, 30);
    applications.save(&refused, &reviewed, Writes::default()).await.unwrap();
    applications.create(&second).await.unwrap();
    assert!(matches!(
        applications.create(&sample_application(&account, 2)).await,
        Err(StoreError::OpenApplicationExists)
    ));
    // Saving the final application again does not free the new one's place.
    let mut annotated = refused.clone();
    annotated.version = 5;
    annotated.comment = Some("Archivé".into());
    applications
        .save(&annotated, &refused, Writes::default())
        .await
        .unwrap();
    assert!(matches!(
        applications.create(&sample_application(&account, 3)).await,
        Err(StoreError::OpenApplicationExists)
    ));
    assert_eq!(
        applications.list_for_applicant(account.id).await.unwrap(),
        vec![second, annotated]
    );
}

pub async fn saves_are_conditional_on_the_version(h: &Harness) {
    let ports = h.ports();
    let applications = &ports.applications;
    let account = stored_applicant(h, "conditional").await;
    let draft = sample_application(&account, 0);
    applications.create(&draft).await.unwrap();

    let submitted = moved(&draft, Action::Submit, 10);
    let event = event_of(&draft, &submitted, Action::Submit);
    let note = notification(&account, NotificationKind::AccountActivated, 10);
    let response = stored_response(&account, &draft, 10);
    let issued = receipt(&submitted, 10);
    let doc = document(&submitted, DocumentKind::Passport, 10);
    applications
        .save(
            &submitted,
            &draft,
            Writes {
                documents: &[DocumentChange::Put(doc.clone())],
                events: std::slice::from_ref(&event),
                notifications: std::slice::from_ref(&note),
                idempotency: Some(&response),
                issued: Some(&issued),
                reissued: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(applications.get(draft.id).await.unwrap(), Some(submitted.clone()));

    // A stale save (from version 1 again) is refused and writes nothing at all.
    let mut stale = submitted.clone();
    stale.comment = Some("Stale".into());
    let stale_event = event_of(&draft, &stale, Action::Submit);
    let stale_note = notification(&account, NotificationKind::PasswordChanged, 20);
    let stale_response = stored_response(&account, &draft, 20);
    let stale_issued = receipt(&stale, 20);
    let stale_doc = document(&stale, DocumentKind::HostId, 20);
    let stale_writes = Writes {
        documents: &[DocumentChange::Put(stale_doc.clone()), DocumentChange::Delete(doc.id)],
        events: std::slice::from_ref(&stale_event),
        notifications: std::slice::from_ref(&stale_note),
        idempotency: Some(&stale_response),
        issued: Some(&stale_issued),
        reissued: None,
    };
    assert!(is_version_conflict(
        applications.save(&stale, &draft, stale_writes.clone()).await
    ));
    // So is a save claiming a version that was never stored.
    assert!(is_version_conflict(
        applications
            .save(
                &stale,
                &Application {
                    version: 7,
                    ..draft.clone()
                },
                stale_writes
            )
            .await
    ));
    // And a save of an application that does not exist.
    let ghost = sample_application(&account, 9);
    assert!(is_version_conflict(
        applications.save(&ghost, &ghost, Writes::default()).await
    ));

    assert_eq!(applications.get(draft.id).await.unwrap(), Some(submitted.clone()));
    assert_eq!(applications.documents(draft.id).await.unwrap(), vec![doc]);
    assert_eq!(applications.events(draft.id).await.unwrap(), vec![event]);
    assert_eq!(ports.notifications.list(account.id).await.unwrap(), vec![note]);
    assert_eq!(applications.stored_response(&stale_response.key).await.unwrap(), None);
    assert_eq!(applications.issued(&stale_issued.code).await.unwrap(), None);
    assert_eq!(applications.issued_for(draft.id).await.unwrap(), vec![issued]);

    // An idempotency key already answered: the later save loses, whole.
    let mut later = submitted.clone();
    later.version = 3;
    later.comment = Some("Later".into());
    let later_event = event_of(&submitted, &later, Action::Submit);
    let reused = StoredResponse {
        body: "{}".into(),
        ..response.clone()
    };
    assert!(is_version_conflict(
        applications
            .save(
                &later,
                &submitted,
                Writes {
                    events: std::slice::from_ref(&later_event),
                    idempotency: Some(&reused),
                    ..Writes::default()
                },
            )
            .await
    ));
    assert_eq!(applications.get(draft.id).await.unwrap(), Some(submitted));
    assert_eq!(applications.events(draft.id).await.unwrap().len(), 1);
    assert_eq!(
        applications.stored_response(&response.key).await.unwrap(),
        Some(response)
    );
}

pub async fn concurrent_saves_have_one_winner(h: &Harness) {
    let applications = h.ports().applications.clone();
    let account = stored_applicant(h, "devices").await;
    let draft = sample_application(&account, 0);
    applications.create(&draft).await.unwrap();
    let mut tasks = Vec::new();
    for i in 0..20 {
        let applications = applications.clone();
        let read = draft.clone();
        let mut mine = moved(&draft, Action::Submit, 10);
        mine.comment = Some(format!("Device {i}"));
        let event = event_of(&draft, &mine, Action::Submit);
        let note = notification(&account, NotificationKind::AccountActivated, 10);
        let response = stored_response(&account, &draft, 10);
        tasks.push(tokio::spawn(async move {
            let writes = Writes {
                events: std::slice::from_ref(&event),
                notifications: std::slice::from_ref(&note),
                idempotency: Some(&response),
                ..Writes::default()
            };
            applications.save(&mine, &read, writes).await.map(|()| (mine, event))
        }));
    }
    let mut winners = Vec::new();
    for task in tasks {
        match task.await.unwrap() {
            Ok(won) => winners.push(won),
            Err(StoreError::VersionConflict) => {}
            Err(e) => panic!("unexpected {e}"),
        }
    }
    assert_eq!(winners.len(), 1, "exactly one save wins");
    let (winner, event) = winners.pop().unwrap();
    assert_eq!(applications.get(draft.id).await.unwrap(), Some(winner));
    assert_eq!(applications.events(draft.id).await.unwrap(), vec![event]);
    assert_eq!(h.ports().notifications.list(account.id).await.unwrap().len(), 1);
}

pub async fn documents_are_put_replaced_and_deleted_with_saves(h: &Harness) {
    let applications = &h.ports().applications;
    let account = stored_applicant(h, "documents").await;
    let mut app = sample_application(&account, 0);
    applications.create(&app).await.unwrap();
    let save = async |app: &mut Application, documents: &[DocumentChange]| {
        let read = app.clone();
        app.version += 1;
        let writes = Writes {
            documents,
            ..Writes::default()
        };
        applications.save(app, &read, writes).await.unwrap();
    };

    let passport = document(&app, DocumentKind::Passport, 1);
    let permit = document(&app, DocumentKind::CurrentVisaOrPermit, 2);
    save(
        &mut app,
        &[
            DocumentChange::Put(permit.clone()),
            DocumentChange::Put(passport.clone()),
        ],
    )
    .await;
    assert_eq!(
        applications.documents(app.id).await.unwrap(),
        vec![passport.clone(), permit.clone()]
    );

    // The same id put again replaces the document.
    let accepted = SupportingDocument {
        status: DocumentStatus::Accepted,
        ..passport.clone()
    };
    let rejected = SupportingDocument {
        status: DocumentStatus::Rejected {
            reason: RejectionReason::UnsupportedContent,
        },
        ..permit.clone()
    };
    save(
        &mut app,
        &[
            DocumentChange::Put(accepted.clone()),
            DocumentChange::Put(rejected.clone()),
        ],
    )
    .await;
    assert_eq!(
        applications.documents(app.id).await.unwrap(),
        vec![accepted.clone(), rejected.clone()]
    );

    // Deleted; within one save the last change of a document counts; deleting
    // what is not there is no error.
    let host = document(&app, DocumentKind::HostCertificate, 3);
    let replacement = document(&app, DocumentKind::CurrentVisaOrPermit, 4);
    save(
        &mut app,
        &[
            DocumentChange::Delete(rejected.id),
            DocumentChange::Put(host.clone()),
            DocumentChange::Delete(host.id),
            DocumentChange::Put(replacement.clone()),
            DocumentChange::Delete(DocumentId(Uuid::now_v7())),
        ],
    )
    .await;
    assert_eq!(
        applications.documents(app.id).await.unwrap(),
        vec![accepted, replacement]
    );
    assert_eq!(applications.get(app.id).await.unwrap().unwrap().version, 4);

    // Documents are the application's own.
    let other = sample_application(&stored_applicant(h, "other").await, 0);
    applications.create(&other).await.unwrap();
    assert!(applications.documents(other.id).await.unwrap().is_empty());
}

pub async fn events_are_listed_oldest_first(h: &Harness) {
    let applications = &h.ports().applications;
    let account = stored_applicant(h, "history").await;
    let draft = sample_application(&account, 0);
    applications.create(&draft).await.unwrap();
    let submitted = moved(&draft, Action::Submit, 10);
    let reviewed = moved(&submitted, Action::StartReview, 20);
    let requested = moved(&reviewed, Action::RequestComplement, 30);
    let submit = event_of(&draft, &submitted, Action::Submit);
    let review = event_of(&submitted, &reviewed, Action::StartReview);
    let request = AuditEvent {
        actor: Actor::Agent {
            id: AccountId(Uuid::now_v7()),
        },
        ..event_of(&reviewed, &requested, Action::RequestComplement)
    };
    // Written in another order than they happened, two in one save.
    applications
        .save(
            &submitted,
            &draft,
            Writes {
                events: &[request.clone(), submit.clone()],
                ..Writes::default()
            },
        )
        .await
        .unwrap();
    let system = AuditEvent {
        actor: Actor::System,
        ..review.clone()
    };
    let mut again = submitted.clone();
    again.version = 3;
    applications
        .save(
            &again,
            &submitted,
            Writes {
                events: std::slice::from_ref(&system),
                ..Writes::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        applications.events(draft.id).await.unwrap(),
        vec![submit, system, request]
    );
}

pub async fn stored_responses_are_kept_by_key(h: &Harness) {
    let applications = &h.ports().applications;
    let account = stored_applicant(h, "idempotent").await;
    let draft = sample_application(&account, 0);
    applications.create(&draft).await.unwrap();
    let response = stored_response(&account, &draft, 10);
    assert_eq!(applications.stored_response(&response.key).await.unwrap(), None);
    let submitted = moved(&draft, Action::Submit, 10);
    applications
        .save(
            &submitted,
            &draft,
            Writes {
                idempotency: Some(&response),
                ..Writes::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        applications.stored_response(&response.key).await.unwrap(),
        Some(response.clone())
    );
    // Keys are whole: another caller's key with the same Idempotency-Key is another key.
    let (_, idempotency_key) = response.key.split_once(':').unwrap();
    let foreign = format!("{}:{idempotency_key}", AccountId(Uuid::now_v7()));
    assert_eq!(applications.stored_response(&foreign).await.unwrap(), None);
}

pub async fn issued_documents_are_found_by_code_and_by_application(h: &Harness) {
    let applications = &h.ports().applications;
    let account = stored_applicant(h, "issued").await;
    let draft = sample_application(&account, 0);
    applications.create(&draft).await.unwrap();
    let submitted = moved(&draft, Action::Submit, 10);
    let mut first = receipt(&submitted, 10);
    first.valid_until = None;
    first.language = Language::Fr;
    applications
        .save(
            &submitted,
            &draft,
            Writes {
                issued: Some(&first),
                ..Writes::default()
            },
        )
        .await
        .unwrap();
    let mut again = submitted.clone();
    again.version = 3;
    let second = receipt(&again, 70);
    applications
        .save(
            &again,
            &submitted,
            Writes {
                issued: Some(&second),
                ..Writes::default()
            },
        )
        .await
        .unwrap();

    assert_eq!(applications.issued(&first.code).await.unwrap(), Some(first.clone()));
    assert_eq!(applications.issued(&second.code).await.unwrap(), Some(second.clone()));
    let unknown = VerificationCode::from_random(rand_bits());
    assert_eq!(applications.issued(&unknown).await.unwrap(), None);
    assert_eq!(applications.issued_for(draft.id).await.unwrap(), vec![first, second]);

    let other = sample_application(&stored_applicant(h, "other").await, 0);
    applications.create(&other).await.unwrap();
    assert!(applications.issued_for(other.id).await.unwrap().is_empty());
}
