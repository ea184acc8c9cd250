//! The in-process mail queue: what SQS and the `mail-sender` Lambda are on
//! AWS. `enqueue` hands the email, as the same JSON message, to a background
//! task that runs the same `deliver_batch`, retries failures with backoff,
//! and sets aside what still fails (the dead-letter queue's part) in
//! `outbox/failed/<mail id>.json`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use async_trait::async_trait;
use tokio::sync::{mpsc, oneshot};

use super::outbox::write_atomically;
use crate::mail::OutgoingMail;
use crate::ports::{MailQueue, Mailer};
use crate::service::mail_sender::deliver_batch;

/// How often, and how patiently, a failed delivery is tried again.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Tries in all, the first included.
    pub attempts: u32,
    /// Wait before the second try; each later wait is four times longer.
    pub first_delay: Duration,
}

impl Default for RetryPolicy {
    /// Five tries over about 8.5 seconds.
    fn default() -> Self {
        RetryPolicy {
            attempts: 5,
            first_delay: Duration::from_millis(100),
        }
    }
}

enum Job {
    Deliver {
        id: String,
        body: String,
    },
    /// Answered once every job queued before it is handled.
    Flush(oneshot::Sender<()>),
}

/// The sending end of the queue; the worker stops when every clone is dropped.
#[derive(Clone)]
pub struct LocalMailQueue {
    tx: mpsc::UnboundedSender<Job>,
}

impl LocalMailQueue {
    /// Start the worker on the current tokio runtime.
    pub fn start(mailer: Arc<dyn Mailer>, failed_dir: PathBuf, retry: RetryPolicy) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(work(rx, mailer, failed_dir, retry));
        LocalMailQueue { tx }
    }

    /// Wait until every email queued before this call is delivered or set
    /// aside. Jobs are handled in order, so a marker queued now is reached
    /// exactly then.
    pub async fn flush(&self) {
        let (done, reached) = oneshot::channel();
        if self.tx.send(Job::Flush(done)).is_ok() {
            // An error means the worker is gone: nothing is left to wait for.
            let _ = reached.await;
        }
    }
}

#[async_trait]
impl MailQueue for LocalMailQueue {
    async fn enqueue(&self, mail: &OutgoingMail) -> anyhow::Result<()> {
        let body = serde_json::to_string(mail).context("encoding a queued email")?;
        self.tx
            .send(Job::Deliver {
                id: mail.id.to_string(),
                body,
            })
            .map_err(|_| anyhow::anyhow!("the mail queue worker has stopped"))
    }
}

async fn work(mut rx: mpsc::UnboundedReceiver<Job>, mailer: Arc<dyn Mailer>, failed_dir: PathBuf, retry: RetryPolicy) {
    while let Some(job) = rx.recv().await {
        match job {
            Job::Deliver { id, body } => deliver(mailer.as_ref(), &id, &body, &failed_dir, retry).await,
            Job::Flush(done) => {
                let _ = done.send(());
            }
        }
    }
}

async fn deliver(mailer: &dyn Mailer, id: &str, body: &str, failed_dir: &std::path::Path, retry: RetryPolicy) {
    let mut delay = retry.first_delay;
    for attempt in 1..=retry.attempts.max(1) {
        // `deliver_batch` logs each failure with the message id only.
        if deliver_batch(mailer, [(id, body)]).await.is_empty() {
            return;
        }
        if attempt < retry.attempts {
            tokio::time::sleep(delay).await;
            delay *= 4;
        }
    }
    let path = failed_dir.join(format!("{id}.json"));
    let tmp = failed_dir.join(format!(".{id}.json.tmp"));
    let set_aside = std::fs::create_dir_all(failed_dir)
        .context("creating the failed mail folder")
        .and_then(|()| write_atomically(&tmp, &path, body.as_bytes()));
    match set_aside {
        Ok(()) => tracing::error!(
            message_id = id,
            attempts = retry.attempts,
            "mail not sent, set aside in outbox/failed"
        ),
        Err(e) => {
            tracing::error!(message_id = id, attempts = retry.attempts, error = %format!("{e:#}"), "mail not sent, and lost")
        }
    }
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;
    use crate::adapters::ManualClock;
    use crate::adapters::local::OutboxMailer;
    use crate::domain::contact::Email;

    fn mail(to: &str) -> OutgoingMail {
        OutgoingMail {
            id: Uuid::now_v7(),
            to: Email::parse(to).unwrap(),
            subject: "Queued".into(),
            body: "Bonjour".into(),
        }
    }

    fn setup(dir: &std::path::Path) -> LocalMailQueue {
        let clock = Arc::new(ManualClock::new(chrono::DateTime::UNIX_EPOCH));
        let mailer = Arc::new(OutboxMailer::new(dir, "sejour@sejour.localhost", clock).unwrap());
        let fast = RetryPolicy {
            attempts: 3,
            first_delay: Duration::from_millis(1),
        };
        LocalMailQueue::start(mailer, dir.join("failed"), fast)
    }

    #[tokio::test]
    async fn flush_waits_for_everything_queued_before() {
        let dir = std::env::temp_dir().join(format!("sejour-queue-{}", Uuid::new_v4()));
        let queue = setup(&dir);
        let mails: Vec<_> = (0..25).map(|i| mail(&format!("m{i}@example.org"))).collect();
        for m in &mails {
            queue.enqueue(m).await.unwrap();
        }
        queue.flush().await;
        for m in &mails {
            assert!(dir.join(format!("{}.eml", m.id)).exists());
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// The outbox, refusing one mail every time: a permanent failure.
    struct Refusing {
        outbox: OutboxMailer,
        refused: Uuid,
    }

    #[async_trait]
    impl Mailer for Refusing {
        async fn send(&self, mail: &OutgoingMail) -> anyhow::Result<()> {
            anyhow::ensure!(mail.id != self.refused, "mail {} refused", mail.id);
            self.outbox.send(mail).await
        }
    }

    #[tokio::test]
    async fn mail_that_keeps_failing_is_set_aside() {
        let dir = std::env::temp_dir().join(format!("sejour-queue-{}", Uuid::new_v4()));
        let poison = mail("awa.diallo@example.org");
        let good = mail("awa.diallo@example.org");
        let clock = Arc::new(ManualClock::new(chrono::DateTime::UNIX_EPOCH));
        let outbox = OutboxMailer::new(&dir, "sejour@sejour.localhost", clock).unwrap();
        let fast = RetryPolicy {
            attempts: 3,
            first_delay: Duration::from_millis(1),
        };
        let queue = LocalMailQueue::start(
            Arc::new(Refusing {
                outbox,
                refused: poison.id,
            }),
            dir.join("failed"),
            fast,
        );
        queue.enqueue(&poison).await.unwrap();
        queue.enqueue(&good).await.unwrap();
        queue.flush().await;

        assert!(!dir.join(format!("{}.eml", poison.id)).exists());
        let kept = std::fs::read_to_string(dir.join("failed").join(format!("{}.json", poison.id))).unwrap();
        assert_eq!(serde_json::from_str::<OutgoingMail>(&kept).unwrap(), poison);
        assert!(
            dir.join(format!("{}.eml", good.id)).exists(),
            "the next email still goes"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
