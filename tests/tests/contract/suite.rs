//! The contract every pair of adapters honours. Each function takes a fresh
//! `Harness` and must pass on both runtimes.

use chrono::{Duration, NaiveDate};
use uuid::Uuid;

use sejour::domain::account::{Account, AccountId, Language, Role};
use sejour::domain::civil_status::{CivilStatus, CountryCode, Sex};
use sejour::domain::contact::{Address, Email, PhoneNumber};
use sejour::domain::login_attempts::LoginAttempts;
use sejour::domain::notification::{Notification, NotificationId, NotificationKind};
use sejour::domain::prefecture::Postcode;
use sejour::domain::session::{Session, TokenHash};
use sejour::domain::state_record::{DocumentNumber, DocumentType, ForeignerNumber, RecordKey, RecordKind, StateRecord};
use sejour::domain::token::{OneTimeToken, Purpose};
use sejour::mail::OutgoingMail;
use sejour::ports::StoreError;

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

pub async fn login_attempts_are_kept_and_cleared(h: &Harness) {
    let throttle = &h.ports().throttle;
    let key = email("throttled").as_str().to_string();
    assert_eq!(throttle.get(&key).await.unwrap(), LoginAttempts::default());
    let mut attempts = LoginAttempts::default();
    for i in 0..10 {
        attempts = attempts.after_failure(t0() + Duration::seconds(i * 100));
    }
    throttle.put(&key, &attempts).await.unwrap();
    assert_eq!(throttle.get(&key).await.unwrap(), attempts);
    assert_eq!(
        throttle.get("someone-else@example.org").await.unwrap(),
        LoginAttempts::default()
    );
    throttle.clear(&key).await.unwrap();
    assert_eq!(throttle.get(&key).await.unwrap(), LoginAttempts::default());
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
