//! The adapter contract suite: the same test functions run against the local
//! adapters (SQLite, outbox, in-process queue) and against the AWS adapters
//! (DynamoDB, SQS, SES) on a moto server started by the tests on 127.0.0.1.

pub mod harness;
pub mod storage;
pub mod suite;

macro_rules! contract_tests {
    ($($name:ident),* $(,)?) => {
        mod local {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let h = crate::contract::harness::Harness::local().await;
                    crate::contract::suite::$name(&h).await;
                }
            )*
        }
        mod aws {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let h = crate::contract::harness::Harness::aws().await;
                    crate::contract::suite::$name(&h).await;
                }
            )*
        }
    };
}

contract_tests!(
    accounts_are_created_and_found_by_email,
    an_email_or_a_state_record_belongs_to_one_account,
    a_failed_create_leaves_nothing_behind,
    updates_are_conditional_on_the_version,
    concurrent_updates_have_one_winner,
    changing_email_moves_the_reservation,
    notifications_are_written_with_the_account_change,
    notifications_are_read_only_by_their_account,
    state_records_are_upserted_by_key,
    state_records_import_in_large_batches,
    sessions_are_created_touched_and_deleted,
    one_time_tokens_are_taken_once,
    attempts_are_replaced_only_at_the_version_read,
    simultaneous_failed_logins_are_all_counted,
    reset_and_activation_limits_hold,
    queued_mail_is_delivered_once,
    applications_are_created_and_read_back,
    applications_are_listed_newest_first_per_applicant,
    one_open_application_per_applicant,
    saves_are_conditional_on_the_version,
    concurrent_saves_have_one_winner,
    documents_are_put_replaced_and_deleted_with_saves,
    events_are_listed_oldest_first,
    stored_responses_are_kept_by_key,
    issued_documents_are_found_by_code_and_by_application,
    presigned_uploads_are_inspected,
    small_files_are_inspected_whole,
    documents_are_put_read_and_deleted,
    presigned_downloads_return_the_bytes,
    signed_urls_live_fifteen_minutes_at_most,
    keys_and_sizes_outside_the_rules_are_refused,
    the_demo_ephoto_service_answers,
);
