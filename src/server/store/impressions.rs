//! Impressions ("the offer was shown") are analytics, not money, so an offer page does not wait
//! for one to reach the disk. Each is queued for one writer task, which commits everything
//! queued so far in one transaction: a burst of views costs one disk flush, not one per view.
//! Readers that count impressions first wait for the queue ([`Store::impressions_written`]),
//! so the dashboard sees every view this instance has served. A process killed outright loses
//! at most the views of its last few milliseconds.

use super::{Store, StoreError, new_id, now_millis};
use sqlx::AnyPool;
use tokio::sync::{mpsc, oneshot};

/// Views queued beyond this (the disk far behind) are dropped with a warning, never waited for.
const QUEUE_CAPACITY: usize = 10_000;
/// At most this many rows per transaction, so one commit never holds the writer long.
const MAX_BATCH: usize = 500;

#[derive(Clone, Debug)]
pub(super) struct ImpressionQueue {
    sender: mpsc::Sender<Queued>,
}

#[derive(Debug)]
enum Queued {
    Shown(NewImpression),
    /// Answered once everything queued before it is committed (or failed).
    Written(oneshot::Sender<()>),
}

#[derive(Debug)]
struct NewImpression {
    offer_id: String,
    embedded: bool,
    locale: String,
    shown_at: i64,
}

impl ImpressionQueue {
    /// Starts the writer task on `pool`; it ends when the last queue handle is dropped.
    pub(super) fn start(pool: AnyPool) -> ImpressionQueue {
        let (sender, receiver) = mpsc::channel(QUEUE_CAPACITY);
        tokio::spawn(write_queued(pool, receiver));
        ImpressionQueue { sender }
    }
}

impl Store {
    /// Records that the offer was shown, in the language of the request being served (the
    /// request context is there for pages and server functions alike; `en` outside one), for
    /// the dashboard's locale filter. Returns at once; the row is written shortly after.
    pub fn record_impression(&self, offer_id: &str, embedded: bool) {
        let locale = crate::context::current_locale().tag();
        self.record_impression_in(offer_id, embedded, locale);
    }

    /// [`Store::record_impression`] with the locale given.
    pub fn record_impression_in(&self, offer_id: &str, embedded: bool, locale: &str) {
        let shown = NewImpression {
            offer_id: offer_id.to_string(),
            embedded,
            locale: locale.to_string(),
            shown_at: now_millis(),
        };
        if let Err(e) = self.impressions.sender.try_send(Queued::Shown(shown)) {
            tracing::warn!(offer_id, error = %e, "impression not recorded: the queue is full");
        }
    }

    /// Waits until every impression queued before this call is committed.
    pub async fn impressions_written(&self) {
        let (done, written) = oneshot::channel();
        if self
            .impressions
            .sender
            .send(Queued::Written(done))
            .await
            .is_ok()
        {
            let _ = written.await;
        }
    }
}

async fn write_queued(pool: AnyPool, mut receiver: mpsc::Receiver<Queued>) {
    let mut batch = Vec::new();
    let mut waiting = Vec::new();
    while let Some(first) = receiver.recv().await {
        let mut next = Some(first);
        while let Some(queued) = next {
            match queued {
                Queued::Shown(shown) => batch.push(shown),
                Queued::Written(done) => waiting.push(done),
            }
            next = if batch.len() < MAX_BATCH {
                receiver.try_recv().ok()
            } else {
                None
            };
        }
        if !batch.is_empty() {
            if let Err(e) = insert_all(&pool, &batch).await {
                tracing::warn!(count = batch.len(), error = %e, "impressions not recorded");
            }
            batch.clear();
        }
        for done in waiting.drain(..) {
            let _ = done.send(());
        }
    }
}

async fn insert_all(pool: &AnyPool, batch: &[NewImpression]) -> Result<(), StoreError> {
    let mut tx = pool.begin().await?;
    for shown in batch {
        sqlx::query(
            "INSERT INTO impressions (id, offer_id, shown_at, embedded, locale) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(new_id("imp"))
        .bind(&shown.offer_id)
        .bind(shown.shown_at)
        .bind(i64::from(shown.embedded))
        .bind(&shown.locale)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
