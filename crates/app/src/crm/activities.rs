//! Activities: `POST /activities`, `PUT|PATCH /activities/:id`,
//! `DELETE /activities/:id`, the panel's form and "Concluir", and the
//! scheduler's due-soon and overdue reminders.

use vitrine_auto_wire::ActivityOut;
use vitrine_core::activity::{Activity, ActivityStatus, Reminder};
use vitrine_core::ids::{AccountId, ActivityId};
use vitrine_core::records::ActivityRecord;
use vitrine_core::webhook;
use vitrine_store::{Store, Tx};

use crate::{events, refs, Draft, Locked, Result};

/// Creates an activity (`completed_at` stamped when created completed),
/// with its `activity.created` event.
pub async fn create(
    tx: &mut Tx,
    account: AccountId,
    draft: Draft<Activity>,
) -> Result<ActivityRecord> {
    let mut activity = draft.value;
    activity.settle(None, vitrine_store::now());
    refs::verify(tx, account, &draft.references).await?;
    let saved = tx
        .activities()
        .insert(account, ActivityId::new(), &activity)
        .await?;
    let out = ActivityOut::from(saved.clone());
    events::emit(tx, account, &["activity.created"], &out).await?;
    Ok(saved)
}

/// The activity, locked for a change in `tx`.
pub async fn lock(
    tx: &mut Tx,
    account: AccountId,
    id: ActivityId,
) -> Result<Locked<ActivityRecord>> {
    Ok(Locked(tx.activities().get_for_update(account, id).await?))
}

/// Saves the activity as `draft` has it, with `activity.updated` (and
/// `activity.completed`). Moving the due date re-arms its reminders.
pub async fn update(
    tx: &mut Tx,
    account: AccountId,
    current: Locked<ActivityRecord>,
    draft: Draft<Activity>,
) -> Result<ActivityRecord> {
    refs::verify(tx, account, &draft.references).await?;
    save(tx, account, current, draft.value).await
}

/// Marks the activity completed (`completed_at` stamped; its reminders end).
pub async fn complete(tx: &mut Tx, account: AccountId, id: ActivityId) -> Result<ActivityRecord> {
    let current = lock(tx, account, id).await?;
    let mut activity = current.activity.clone();
    activity.status = ActivityStatus::Completed;
    save(tx, account, current, activity).await
}

/// Deletes the activity for good (§3.13), with `activity.deleted`
/// carrying its last state.
pub async fn delete(tx: &mut Tx, account: AccountId, id: ActivityId) -> Result<()> {
    let last = lock(tx, account, id).await?.0;
    tx.activities().delete(account, id).await?;
    let out = ActivityOut::from(last);
    events::emit(tx, account, &["activity.deleted"], &out).await?;
    Ok(())
}

async fn save(
    tx: &mut Tx,
    account: AccountId,
    current: Locked<ActivityRecord>,
    mut activity: Activity,
) -> Result<ActivityRecord> {
    let Locked(ActivityRecord {
        id,
        activity: before,
        ..
    }) = current;
    activity.settle(Some(before.status), vitrine_store::now());
    let rearm = activity.rescheduled(&before);
    let saved = tx
        .activities()
        .update(account, id, &activity, rearm)
        .await?;
    let names = webhook::activity_update_events(&before, &activity);
    events::emit(tx, account, &names, &ActivityOut::from(saved.clone())).await?;
    Ok(saved)
}

/// Most reminders one scheduler round announces (the rest wait for the
/// next round).
const REMINDERS_PER_ROUND: i64 = 500;

/// One scheduler round: claims the activities that reached a reminder by
/// `now` (due soon: within `window`) and queues `activity.due_soon` or
/// `activity.overdue` for each in the same transaction, so each is
/// announced once. Returns how many.
pub async fn announce_reminders(
    store: &Store,
    now: chrono::DateTime<chrono::Utc>,
    window: chrono::Duration,
) -> Result<usize> {
    let mut tx = store.begin().await?;
    let due = tx
        .activities()
        .claim_reminders(now, now + window, REMINDERS_PER_ROUND)
        .await?;
    let n = due.len();
    for d in due {
        let name = match d.reminder {
            Reminder::DueSoon => "activity.due_soon",
            Reminder::Overdue => "activity.overdue",
        };
        let out = ActivityOut::from(d.record);
        events::emit(&mut tx, d.account, &[name], &out).await?;
    }
    tx.commit().await?;
    Ok(n)
}
