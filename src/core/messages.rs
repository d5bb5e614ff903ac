//! Messages between the extension's contexts, named by direction. Anything that comes
//! from a page is untrusted: it is parsed into these types and nothing else.

use serde::{Deserialize, Serialize};

use chrono::{DateTime, Utc};

use super::catalog::Said;
use super::checklist::{Remembered, ShiftHistoryEvent, ShiftLogChange};
use super::history::HistoryCounts;
use super::leaving::MissedShift;
use super::snapshot::{Snapshot, Status};

/// What the page check says of one locator on the current page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LocatorState {
    Found,
    /// An optional part (the login dialog, the auto-logout popup, a tab not selected)
    /// that is not on the page now, or a part inside one.
    NotShownNow,
    /// Not looked up in this view (nothing needed it): neither found nor missing.
    NotChecked,
    /// Should be on the page now and is not: the locator needs a fix.
    NotFound,
}

/// One locator on the current page, for the popup's page check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocatorHealth {
    pub id: String,
    pub purpose: String,
    pub state: LocatorState,
    /// How many elements it found.
    pub matches: u32,
    /// It finds by page structure (a CSS selector), which a page update may break.
    pub fragile: bool,
    /// A configured override replaces the default.
    pub overridden: bool,
}

/// `FeatureFault::feature` when the page loop itself failed, not one feature.
pub const PAGE_LOOP: &str = "page";

/// `FeatureFault::feature` when the page runs on the defaults: the settings could not be had.
pub const SETTINGS_FAULT: &str = "settings";

/// A feature that failed on this page, and why (one feature's failure never stops another).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeatureFault {
    pub feature: String,
    pub message: String,
}

/// How much a notice matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeLevel {
    Info,
    Warning,
    /// Something the procedure forbids or that leaves the service on.
    Alert,
}

impl NoticeLevel {
    /// Its name in the `data-level` attribute of what shows it (as in JSON).
    pub fn name(self) -> &'static str {
        match self {
            NoticeLevel::Info => "info",
            NoticeLevel::Warning => "warning",
            NoticeLevel::Alert => "alert",
        }
    }
}

/// A warning a feature shows in the page, repeated in the popup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub feature: String,
    /// Stable id (e.g. `login.timer_never`), for tests and de-duplication.
    pub id: String,
    pub level: NoticeLevel,
    pub text: Said,
}

/// What the content script saw on the web client, sent after every flush that changed it.
/// No patron data: guest ids are removed from the snapshot before it leaves the page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageReport {
    /// "wasm" or "wasm2js": how the core runs on this page.
    pub engine: String,
    pub history: Option<HistoryCounts>,
    pub status: Option<Status>,
    pub locators: Vec<LocatorHealth>,
    pub faults: Vec<FeatureFault>,
    /// What the page shows (without guest ids), for the popup's checklist.
    pub snapshot: Snapshot,
    /// Facts remembered during this shift (hello said, history viewed, timer chosen).
    pub remembered: Remembered,
    /// Which shift `remembered` belongs to (`checklist::shift_key_for`).
    pub shift_key: String,
    /// When the auto-logout timer will fire, if known.
    #[serde(default, deserialize_with = "crate::core::rfc3339::optional_instant")]
    pub autologout_deadline: Option<DateTime<Utc>>,
    pub notices: Vec<Notice>,
    /// The shift is over and a replacement is missing: the missed-shift steps and
    /// emails (operators' names only, no patron data).
    #[serde(default)]
    pub missed_shift: Option<MissedShift>,
}

impl PageReport {
    /// Removes what identifies a patron before the report leaves the page.
    pub fn without_patron_data(mut self) -> Self {
        for chat in &mut self.snapshot.chats {
            chat.guest = None;
        }
        self.snapshot.history = None;
        self
    }
}

// Each message is built once and serialised at once: boxing the report buys nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ContentToBackground {
    PageReport {
        report: PageReport,
    },
    /// Only the Chat History counts changed since the last `PageReport`: the worker
    /// updates that tab's stored report and the badge (and answers an error when it has
    /// no report of the tab, so the page sends it whole).
    HistoryCounts {
        history: Option<HistoryCounts>,
    },
    /// The page loop itself failed (outside any feature): nothing on this page is
    /// checked any more. The worker adds it to the tab's report, for the popup.
    PageStopped {
        message: String,
    },
    /// A system notification (the page itself shows the same alert).
    Notify {
        id: String,
        title: String,
        message: String,
    },
    /// Takes down a notification raised earlier: the moment it was about has passed
    /// (the auto-logout popup was answered).
    ClearNotification {
        id: String,
    },
    /// The settings in force. The worker is the one reader of settings storage (it
    /// migrates, repairs and applies the consortium's policy), so the page's module
    /// carries none of that code.
    Settings,
    /// The text catalog in a language (`core::catalog`), answered with it: the worker
    /// reads it, so the page's module carries no text table.
    Catalog {
        language: crate::core::settings::Language,
    },
    /// The options page's "Check now": one service-on check at once, even during
    /// service hours; answered with the check (`watchdog::WatchdogCheck`) or null. The
    /// worker runs it, so its state and notification are the alarm's own.
    WatchdogCheckNow,
    /// Something that happened this shift, for the shift log (the worker is its only
    /// writer: see `checklist::ShiftLogChange`).
    LogShiftEvent {
        event: ShiftHistoryEvent,
    },
    /// A locator repaired with the element picker: saved in the settings'
    /// `locator_overrides` (replacing an earlier fix for the same id), unless the
    /// consortium's policy locks them.
    SaveLocatorOverride {
        locator: crate::core::locators::Locator,
    },
}

/// The popup → background: what only the worker may write.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PopupToBackground {
    /// A hand tick, or steps seen done, for the shift log.
    ShiftLog { change: ShiftLogChange },
}

/// Background → the web client's content script.
/// Read through `core::flat` (smaller code than the derive's buffering).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "snake_case",
    from = "super::flat::BackgroundToContentFields"
)]
pub enum BackgroundToContent {
    /// The keyboard shortcut: put the top suggestion into the chat being typed in.
    /// Answered with the name of the message put in, or none.
    InsertTopSuggestion,
}

/// The popup → the web client's content script.
/// Read through `core::flat` (smaller code than the derive's buffering).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "snake_case",
    try_from = "super::flat::PopupToContentFields"
)]
pub enum PopupToContent {
    /// "Copy page skeleton": the page's structure without its text (`page::skeleton`).
    PageSkeleton,
    /// The page check: every locator looked up now, in this view (answered with the
    /// `LocatorHealth` of each).
    CheckPage,
    /// **Fix…** on a locator: the element picker opens on the web client for it.
    PickLocator { id: String },
}

/// Every answer to a message, whichever way it goes: what was asked for, or why not.
/// Both ends decode it in Rust (`ext::ask`); no answer at all (the other end is gone,
/// or its module could not load) is an error there too, never a default.
///
/// What each message is answered with: `ContentToBackground::Settings` → `Settings`;
/// `WatchdogCheckNow` → the check or none; `LogShiftEvent` and
/// `PopupToBackground::ShiftLog` → whether the log changed; the others → `()`.
/// `BackgroundToContent::InsertTopSuggestion` → the name put in or none;
/// `PopupToContent::PageSkeleton` → the skeleton; `CheckPage` → the locators' health;
/// `PickLocator` and `ContentToBackground::SaveLocatorOverride` → `()`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reply<T> {
    Ok(T),
    Error { message: String },
}

impl<T> Reply<T> {
    pub fn into_result(self) -> Result<T, String> {
        match self {
            Reply::Ok(v) => Ok(v),
            Reply::Error { message } => Err(message),
        }
    }
}

impl<T, E: std::fmt::Display> From<Result<T, E>> for Reply<T> {
    fn from(r: Result<T, E>) -> Self {
        match r {
            Ok(v) => Reply::Ok(v),
            Err(e) => Reply::Error {
                message: e.to_string(),
            },
        }
    }
}

/// The keyboard shortcuts (manifest `commands`), by the name the browser reports.
pub const COMMAND_INSERT_TOP_SUGGESTION: &str = "insert-top-suggestion";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_level_is_named_as_in_json() {
        for level in [NoticeLevel::Info, NoticeLevel::Warning, NoticeLevel::Alert] {
            assert_eq!(
                serde_json::to_string(&level).unwrap(),
                format!("\"{}\"", level.name())
            );
        }
    }

    #[test]
    fn the_shortcut_message_is_a_plain_kind() {
        let json = serde_json::to_string(&BackgroundToContent::InsertTopSuggestion).unwrap();
        assert_eq!(json, r#"{"kind":"insert_top_suggestion"}"#);
        let manifest = include_str!("../../manifest.json");
        assert!(
            manifest.contains(&format!("\"{COMMAND_INSERT_TOP_SUGGESTION}\"")),
            "manifest.json has no `{COMMAND_INSERT_TOP_SUGGESTION}` command"
        );
    }

    #[test]
    fn the_settings_request_is_a_plain_kind() {
        let json = serde_json::to_string(&ContentToBackground::Settings).unwrap();
        assert_eq!(json, r#"{"kind":"settings"}"#);
        let json = serde_json::to_string(&ContentToBackground::WatchdogCheckNow).unwrap();
        assert_eq!(json, r#"{"kind":"watchdog_check_now"}"#);
    }

    #[test]
    fn page_report_round_trips_through_json() {
        let msg = ContentToBackground::PageReport {
            report: PageReport {
                engine: "wasm2js".into(),
                history: Some(HistoryCounts {
                    new: 2,
                    ongoing: 1,
                    completed: 7,
                    unreadable: 0,
                }),
                status: Some(Status::Available),
                locators: vec![LocatorHealth {
                    id: "history.table".into(),
                    purpose: "Chat History table".into(),
                    state: LocatorState::Found,
                    matches: 1,
                    fragile: false,
                    overridden: false,
                }],
                faults: vec![],
                ..Default::default()
            },
        };
        let json = serde_json::to_string(&msg).unwrap();
        assert!(json.contains("\"kind\":\"page_report\""), "{json}");
        let back: ContentToBackground = serde_json::from_str(&json).unwrap();
        assert_eq!(back, msg);
    }

    #[test]
    fn guest_ids_never_leave_the_page() {
        let mut report = PageReport::default();
        report.snapshot.chats.push(crate::core::snapshot::ChatPane {
            guest: Some("416-555-0142".into()),
            ..Default::default()
        });
        let json = serde_json::to_string(&report.without_patron_data()).unwrap();
        assert!(!json.contains("416-555-0142"), "{json}");
    }

    #[test]
    fn a_notification_round_trips_and_names_its_kind() {
        let msg = ContentToBackground::Notify {
            id: "leaving.restored_off_hours".into(),
            title: "Logged in outside service hours".into(),
            message: "Log out now".into(),
        };
        let json = serde_json::to_string(&msg).unwrap();
        assert!(json.contains("\"kind\":\"notify\""), "{json}");
        assert_eq!(
            serde_json::from_str::<ContentToBackground>(&json).unwrap(),
            msg
        );
    }

    #[test]
    fn clearing_a_notification_carries_only_its_id() {
        let msg = ContentToBackground::ClearNotification {
            id: "autologout.popup".into(),
        };
        let json = serde_json::to_string(&msg).unwrap();
        assert_eq!(
            json,
            r#"{"kind":"clear_notification","id":"autologout.popup"}"#
        );
        assert_eq!(
            serde_json::from_str::<ContentToBackground>(&json).unwrap(),
            msg
        );
    }

    #[test]
    fn shift_log_messages_carry_the_change_whole() {
        let event = ShiftHistoryEvent {
            shift_key: "2026-03-09T14:00:00Z".into(),
            at: "2026-03-09T14:05:00Z".parse().unwrap(),
            what: "logout gate: went back (status menu; outstanding: new_chats)".into(),
        };
        let msg = ContentToBackground::LogShiftEvent { event };
        let json = serde_json::to_string(&msg).unwrap();
        assert!(
            json.starts_with(r#"{"kind":"log_shift_event","event":{"#),
            "{json}"
        );
        assert_eq!(
            serde_json::from_str::<ContentToBackground>(&json).unwrap(),
            msg
        );
        let tick = PopupToBackground::ShiftLog {
            change: ShiftLogChange::Tick {
                shift_key: "k".into(),
                step: "login.queues".into(),
                on: true,
                at: "2026-03-09T14:05:00Z".parse().unwrap(),
            },
        };
        let json = serde_json::to_string(&tick).unwrap();
        assert!(
            json.starts_with(r#"{"kind":"shift_log","change":{"change":"tick""#),
            "{json}"
        );
        assert_eq!(
            serde_json::from_str::<PopupToBackground>(&json).unwrap(),
            tick
        );
        assert!(serde_json::from_str::<ContentToBackground>(&json).is_err());
    }

    #[test]
    fn an_error_reply_is_never_read_as_the_settings() {
        use crate::core::settings::Settings;
        // The bug this shape fixes: the worker's old `{error}` answer read as settings
        // (every field has a default) silently gave the defaults.
        let old = serde_json::json!({ "error": "the worker could not read storage" });
        assert!(
            serde_json::from_value::<Settings>(old).is_ok(),
            "the old shape"
        );
        let error: Reply<Settings> = Err::<Settings, _>("storage refused").into();
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(
            json,
            serde_json::json!({ "error": { "message": "storage refused" } })
        );
        let back: Reply<Settings> = serde_json::from_value(json).unwrap();
        assert_eq!(back.into_result(), Err("storage refused".to_string()));
        let ok = serde_json::to_value(Reply::Ok(Settings::default())).unwrap();
        let back: Reply<Settings> = serde_json::from_value(ok).unwrap();
        assert_eq!(back.into_result(), Ok(Settings::default()));
        // No answer, or an answer of another shape, is not a reply.
        assert!(serde_json::from_value::<Reply<Settings>>(serde_json::Value::Null).is_err());
        assert!(
            serde_json::from_value::<Reply<()>>(serde_json::json!({ "inserted": "x" })).is_err()
        );
        assert_eq!(
            serde_json::to_value(Reply::Ok(())).unwrap(),
            serde_json::json!({ "ok": null })
        );
    }

    #[test]
    fn the_skeleton_request_is_a_plain_kind() {
        let json = serde_json::to_string(&PopupToContent::PageSkeleton).unwrap();
        assert_eq!(json, r#"{"kind":"page_skeleton"}"#);
    }

    #[test]
    fn a_message_of_unknown_kind_is_rejected() {
        let r: Result<ContentToBackground, _> =
            serde_json::from_str(r#"{"kind":"run_this","code":"alert(1)"}"#);
        assert!(r.is_err());
    }
}
