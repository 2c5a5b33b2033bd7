//! Activities: tasks, calls, visits and test drives with a due date
//! (ecosys-auto-api.md §4.4), and the rules that decide when the scheduler
//! announces one as due soon or overdue.

use chrono::{DateTime, Duration, Utc};

use crate::client::wire_enum;
use crate::ids::{ClientId, DealId, StoreId, VehicleId};
use crate::text;
use crate::FieldError;

wire_enum! {
    /// Activity status (§4.4); `pending` is the default.
    ActivityStatus {
        /// To do.
        Pending = "pending",
        /// Done.
        Completed = "completed",
        /// Called off.
        Cancelled = "cancelled",
    }
}

impl ActivityStatus {
    /// Parses a status; `done` (the word) is accepted as
    /// `completed`, the spelling §4.4 documents and the API answers with.
    pub fn parse_input(field: &str, s: &str) -> Result<Self, FieldError> {
        if s.trim().eq_ignore_ascii_case("done") {
            return Ok(Self::Completed);
        }
        Self::parse(field, s)
    }
}

/// The suggested activity types (§4.4); any other short text is accepted.
pub const SUGGESTED_TYPES: [&str; 7] = [
    "ligacao",
    "whatsapp",
    "email",
    "reuniao",
    "visita",
    "test_drive",
    "tarefa",
];

/// The type when none is given.
pub const DEFAULT_TYPE: &str = "tarefa";

/// An activity type: trimmed, lowercase, a slug of `[a-z0-9_-]`.
pub fn parse_type(field: &str, s: &str) -> Result<String, FieldError> {
    let v = s.trim().to_lowercase();
    if v.is_empty() {
        return Err(FieldError::required(field));
    }
    if v.chars().count() > text::MAX_SHORT {
        return Err(text::too_long(field, text::MAX_SHORT));
    }
    if !v
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(FieldError::invalid(
            field,
            format!(
                "Campo '{field}' deve ser um identificador simples, por exemplo: {}",
                SUGGESTED_TYPES.join(", ")
            ),
        ));
    }
    Ok(v)
}

/// An RFC 3339 instant (`2026-02-04T10:30:00Z`, any offset).
pub fn parse_instant(field: &str, s: &str) -> Result<DateTime<Utc>, FieldError> {
    DateTime::parse_from_rfc3339(s.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            FieldError::invalid(
                field,
                format!(
                    "Campo '{field}' deve ser uma data e hora RFC 3339, ex.: 2026-02-04T10:30:00Z"
                ),
            )
        })
}

/// Everything an activity holds besides its id and timestamps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    /// Title (required).
    pub title: String,
    /// Type slug, `tarefa` by default.
    pub kind: String,
    /// Description.
    pub description: Option<String>,
    /// When it is due.
    pub due_date: Option<DateTime<Utc>>,
    /// Status.
    pub status: ActivityStatus,
    /// When it was completed.
    pub completed_at: Option<DateTime<Utc>>,
    /// Linked client.
    pub client_id: Option<ClientId>,
    /// Linked vehicle.
    pub vehicle_id: Option<VehicleId>,
    /// Linked deal.
    pub deal_id: Option<DealId>,
    /// Store.
    pub store_id: Option<StoreId>,
    /// Opaque id of the assignee.
    pub responsible_id: Option<String>,
}

impl Activity {
    /// A new pending `tarefa` with only a title.
    pub fn new(title: String) -> Self {
        Self {
            title,
            kind: DEFAULT_TYPE.to_owned(),
            description: None,
            due_date: None,
            status: ActivityStatus::Pending,
            completed_at: None,
            client_id: None,
            vehicle_id: None,
            deal_id: None,
            store_id: None,
            responsible_id: None,
        }
    }

    /// Sets `completed_at` after the status may have changed from `before`
    /// (`None` on creation): becoming `completed` stamps it, leaving
    /// `completed` clears it.
    pub fn settle(&mut self, before: Option<ActivityStatus>, now: DateTime<Utc>) {
        if before == Some(self.status) {
            return;
        }
        self.completed_at = match self.status {
            ActivityStatus::Completed => Some(now),
            _ => None,
        };
    }

    /// Whether the scheduler's reminders must be re-armed: the due date
    /// moved, so "due soon" and "overdue" refer to a new deadline.
    pub fn rescheduled(&self, before: &Activity) -> bool {
        self.due_date != before.due_date
    }
}

/// Which reminder an activity has reached at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reminder {
    /// Pending and due within `window` (but not yet past due).
    DueSoon,
    /// Pending and past due.
    Overdue,
}

/// The reminder a pending activity due at `due` has reached at `now`, with
/// "soon" meaning within `window`; `None` when neither applies.
pub fn reminder(
    status: ActivityStatus,
    due: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    window: Duration,
) -> Option<Reminder> {
    let due = due?;
    if status != ActivityStatus::Pending {
        return None;
    }
    if due <= now {
        Some(Reminder::Overdue)
    } else if due <= now + window {
        Some(Reminder::DueSoon)
    } else {
        None
    }
}

/// Whether an activity counts as overdue (the `overdue=true` filter).
pub fn is_overdue(status: ActivityStatus, due: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    reminder(status, due, now, Duration::zero()) == Some(Reminder::Overdue)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 2, 4, h, 0, 0)
            .single()
            .expect("valid time")
    }

    #[test]
    fn reminders_follow_the_deadline() {
        let day = Duration::hours(24);
        let p = ActivityStatus::Pending;
        assert_eq!(reminder(p, None, at(10), day), None, "no due date");
        assert_eq!(
            reminder(p, Some(at(20)), at(10), day),
            Some(Reminder::DueSoon)
        );
        assert_eq!(
            reminder(p, Some(at(20)), at(10), Duration::hours(2)),
            None,
            "outside the window"
        );
        assert_eq!(
            reminder(p, Some(at(10)), at(10), day),
            Some(Reminder::Overdue)
        );
        assert_eq!(
            reminder(p, Some(at(9)), at(10), day),
            Some(Reminder::Overdue)
        );
        for s in [ActivityStatus::Completed, ActivityStatus::Cancelled] {
            assert_eq!(reminder(s, Some(at(9)), at(10), day), None, "{s:?}");
        }
        assert!(is_overdue(p, Some(at(9)), at(10)));
        assert!(!is_overdue(p, Some(at(11)), at(10)));
    }

    #[test]
    fn completing_stamps_and_reopening_clears() {
        let mut a = Activity::new("Ligar".into());
        a.settle(None, at(1));
        assert_eq!(a.completed_at, None);
        a.status = ActivityStatus::Completed;
        a.settle(Some(ActivityStatus::Pending), at(2));
        assert_eq!(a.completed_at, Some(at(2)));
        a.settle(Some(ActivityStatus::Completed), at(3));
        assert_eq!(a.completed_at, Some(at(2)), "staying done keeps the time");
        a.status = ActivityStatus::Pending;
        a.settle(Some(ActivityStatus::Completed), at(4));
        assert_eq!(a.completed_at, None);
    }

    #[test]
    fn status_and_type_vocabularies() {
        assert_eq!(
            ActivityStatus::parse_input("status", "done"),
            Ok(ActivityStatus::Completed)
        );
        assert_eq!(
            ActivityStatus::parse_input("status", "Cancelled"),
            Ok(ActivityStatus::Cancelled)
        );
        assert_eq!(
            ActivityStatus::parse_input("status", "feito").map_err(|e| e.kind),
            Err("enum")
        );
        assert_eq!(parse_type("type", " Test_Drive "), Ok("test_drive".into()));
        assert_eq!(
            parse_type("type", "visita técnica").map_err(|e| e.kind),
            Err("invalid")
        );
        assert_eq!(parse_type("type", " ").map_err(|e| e.kind), Err("required"));
        assert!(parse_instant("due_date", "2026-02-04T10:30:00-03:00").is_ok());
        assert!(parse_instant("due_date", "2026-02-04").is_err());
    }
}
