//! The shift model: from the settings and `now`, where the operator stands in the day.
//!
//! All instants are UTC; the schedule is read in the service's time zone, never the
//! browser's. (Contract used by the guards, suggestions and checklist.)

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::settings::Settings;

/// Where the operator stands, in the procedure's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// The service is closed and the operator has no shift now or soon.
    OffHours,
    /// A shift starts later; too early to log in.
    PreShift,
    /// From shift start minus the lead time to shift start: log in now.
    LoginWindow,
    OnShift,
    /// The last minutes of a shift that is not the day's last: hand over.
    Handover,
    /// The last shift of the day, in the heads-up window before close.
    LastShiftClosing,
    /// The service has closed and the operator's last shift has just ended.
    AfterClose,
}

/// One concrete shift on the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShiftInstance {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// Replacements the schedule names for the end of this shift (may be empty).
    pub replacements: Vec<String>,
}

/// Everything the rules need to know about the day at `now`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShiftContext {
    pub now: DateTime<Utc>,
    pub phase: Phase,
    /// Whether the service is within its hours at `now`.
    pub service_open: bool,
    /// The shift in progress, or the one about to start (login window / pre-shift).
    pub shift: Option<ShiftInstance>,
    /// The next shift after `shift` (or after now when there is none).
    pub next_shift: Option<ShiftInstance>,
    /// `shift` starts at the day's opening (offline texts are its duty).
    pub first_of_day: bool,
    /// `shift` ends at the day's close (closing the service is its duty).
    pub last_of_day: bool,
    /// Minutes until `shift` ends (negative once it has ended).
    pub minutes_to_shift_end: Option<i64>,
    /// Minutes until the service closes today (None when closed).
    pub minutes_to_close: Option<i64>,
    /// Today's opening hours as text in the service's zone, e.g. "10:00–22:00".
    pub hours_today: String,
}

/// Computes the shift context. Never panics, whatever the settings hold.
pub fn context(settings: &Settings, now: DateTime<Utc>) -> ShiftContext {
    let _ = settings;
    ShiftContext {
        now,
        phase: Phase::OffHours,
        service_open: false,
        shift: None,
        next_shift: None,
        first_of_day: false,
        last_of_day: false,
        minutes_to_shift_end: None,
        minutes_to_close: None,
        hours_today: String::new(),
    }
}
