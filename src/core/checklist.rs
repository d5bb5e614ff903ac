//! The shift procedure as a checklist: the steps are data (a procedure document, see
//! `core::procedure`), each tied to the phases of a shift, ticked by hand or done
//! automatically when the page shows the evidence (queues staffed, status, backchat
//! hello, …).
//!
//! The automatic checks reuse the rules the guards and the logout gate apply, so the
//! checklist and the warnings never disagree: staffing is `guards::check_staffing`,
//! the timer is `timer::check_timer`, replacements, chats and offline texts come from
//! `leaving::logout_gate`.

use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use super::catalog::{Catalog, Said};
use super::guards::{check_staffing, same_name};
use super::leaving::{logout_gate, LeavingFacts};
use super::settings::{LocalText, Settings};
use super::shift::{Phase, ShiftContext};
use super::snapshot::{Snapshot, Status, TimerChoice};
use super::timer::{check_timer, duration_text, recommended_timer_minutes};

/// Which shifts a step is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Applies {
    Always,
    /// The day's first shift (offline texts).
    FirstShift,
    /// The day's last shift (closing the service).
    LastShift,
    /// Every shift but the last (someone takes over).
    NotLastShift,
    /// Once a shift that is not the last has ended and the replacements are not in.
    ReplacementMissing,
}

/// How a step gets done: ticked by hand, or seen on the page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    #[default]
    Manual,
    QueuesStaffed,
    TimerSet,
    HistoryReviewed,
    BackchatHello,
    StatusAvailable,
    OfflineTextsAnswered,
    ReplacementLoggedIn,
    NoNewChats,
    ActiveChatsTransferred,
    BackchatSignOff,
    StatusLogout,
}

/// One step of the procedure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// Stable id, e.g. `login.queues` (ticks are stored by it).
    pub id: String,
    pub phases: Vec<Phase>,
    pub applies: Applies,
    /// The automatic check that proves the step done; none (`manual`): ticked by hand.
    #[serde(default, skip_serializing_if = "is_manual")]
    pub check: CheckKind,
    pub text: LocalText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<LocalText>,
    /// The step this one is a sub-step of (shown indented under it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// The consortium's documents for this step.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
}

/// A link a step shows (the consortium's written procedure, a form).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub text: LocalText,
    pub url: String,
}

fn is_manual(check: &CheckKind) -> bool {
    *check == CheckKind::Manual
}

// ---- evidence -------------------------------------------------------------------------

/// What the page layer remembers across snapshots (nothing about patrons).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remembered {
    /// The operator's name and whether they signed off in backchat.
    pub leaving: LeavingFacts,
    /// The operator said hello in backchat this shift.
    pub said_hello: bool,
    /// The Chat History tab was opened this shift.
    pub history_viewed: bool,
    /// The auto-logout choice made when connecting, and when.
    pub timer: Option<TimerSetting>,
}

/// `Remembered` as stored between page loads, with the shift it belongs to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredRemembered {
    pub shift_key: String,
    pub remembered: Remembered,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimerSetting {
    pub choice: TimerChoice,
    #[serde(deserialize_with = "crate::core::rfc3339::instant")]
    pub at: DateTime<Utc>,
}

/// The facts the automatic checks look at. `None` = could not be read / not known yet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub status: Option<Status>,
    /// Queues under "I'm Staffing".
    pub queues_staffed: Option<Vec<String>>,
    /// Expected queues not staffed.
    pub queues_missing: Option<Vec<String>>,
    /// The auto-logout timer as set, in words ("1 h 15 min"), when it follows the
    /// procedure (not "Never", not shorter than the shift).
    pub timer_ok: Option<String>,
    pub history_viewed: bool,
    pub said_hello: bool,
    pub said_sign_off: bool,
    /// First shift: offline texts not answered yet.
    pub offline_texts_unanswered: Option<u32>,
    /// The replacements are logged in (as the logout gate judges it).
    pub replacements_in: Option<bool>,
    /// Other operators online, for the evidence text.
    pub others_online: Vec<String>,
    /// "New" chats nobody has picked up.
    pub new_chats: Option<u32>,
    /// Our chats still open, transfers not yet accepted included.
    pub active_chats: Option<u32>,
}

impl Evidence {
    /// Gathers the evidence from one snapshot plus what was remembered.
    /// `local_offset` is the browser's UTC offset (a "specific time" timer is on it).
    pub fn from_snapshot(
        snapshot: &Snapshot,
        settings: &Settings,
        ctx: &ShiftContext,
        remembered: &Remembered,
        local_offset: FixedOffset,
    ) -> Evidence {
        let gate = logout_gate(snapshot, ctx, settings, &remembered.leaving);
        let has = |id: &str| gate.outstanding.iter().any(|o| o.id() == id);
        let count_of = |id: &str| {
            gate.outstanding
                .iter()
                .find(|o| o.id() == id)
                .map_or(0, |o| match o {
                    super::leaving::Outstanding::ActiveChats { count }
                    | super::leaving::Outstanding::TransfersInProgress { count }
                    | super::leaving::Outstanding::NewChats { count }
                    | super::leaving::Outstanding::OfflineTextsUnanswered { count } => *count,
                    _ => 0,
                })
        };
        let started = ctx.shift.as_ref().is_some_and(|s| s.start <= ctx.now);
        let staffing = snapshot.staffing.as_ref();
        let me = remembered.leaving.me.trim();
        Evidence {
            status: snapshot.status.clone(),
            queues_staffed: staffing.cloned(),
            queues_missing: staffing.map(|s| check_staffing(s, &settings.queues).missing),
            timer_ok: timer_evidence(snapshot, ctx, settings, remembered, local_offset),
            history_viewed: remembered.history_viewed || snapshot.history.is_some(),
            said_hello: remembered.said_hello,
            said_sign_off: remembered.leaving.said_sign_off,
            offline_texts_unanswered: (started && ctx.first_of_day)
                .then(|| count_of("leaving.offline_texts")),
            replacements_in: (started
                && ctx.replacements_needed > 0
                && !has("leaving.contacts_unreadable"))
            .then(|| !has("leaving.replacements_not_in") && !has("leaving.too_few_operators")),
            others_online: snapshot
                .operators_online
                .iter()
                .flatten()
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty() && !same_name(n, me))
                .collect(),
            new_chats: started.then(|| count_of("leaving.new_chats")),
            active_chats: Some(
                count_of("leaving.active_chats") + count_of("leaving.transfers_in_progress"),
            ),
        }
    }
}

/// The timer in words when it follows the procedure: the choice in the open login
/// dialog, else the one remembered from connecting, judged at the time it was set.
fn timer_evidence(
    snapshot: &Snapshot,
    ctx: &ShiftContext,
    settings: &Settings,
    remembered: &Remembered,
    local_offset: FixedOffset,
) -> Option<String> {
    let (choice, at) = match (&snapshot.login_dialog, &remembered.timer) {
        (Some(dialog), _) => (&dialog.timer, ctx.now),
        (None, Some(set)) => (&set.choice, set.at),
        (None, None) => return None,
    };
    let words = match choice {
        TimerChoice::Countdown { minutes } => duration_text(*minutes),
        TimerChoice::At { time } => time.trim().to_string(),
        TimerChoice::Never | TimerChoice::Unreadable => return None,
    };
    let mut then = ctx.clone();
    then.now = at;
    check_timer(choice, &then, &settings.timing, local_offset)
        .is_empty()
        .then_some(words)
}

// ---- ticks and the shift log --------------------------------------------------------

/// Something that happened on the checklist (no patron data: step ids and evidence).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEvent {
    #[serde(deserialize_with = "crate::core::rfc3339::instant")]
    pub at: DateTime<Utc>,
    pub what: String,
}

/// The hand ticks and events of one shift.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShiftTicks {
    /// Which shift: see `shift_key_for`.
    pub shift_key: String,
    pub ticked: Vec<String>,
    pub events: Vec<HistoryEvent>,
}

/// Events kept per shift (a shift has a few dozen at most; this bounds storage).
pub const MAX_EVENTS: usize = 200;

impl ShiftTicks {
    pub fn new(shift_key: String) -> ShiftTicks {
        ShiftTicks {
            shift_key,
            ..ShiftTicks::default()
        }
    }

    pub fn is_ticked(&self, id: &str) -> bool {
        self.ticked.iter().any(|t| t == id)
    }

    /// Ticks a step by hand (again is a no-op).
    pub fn tick(&mut self, id: &str, now: DateTime<Utc>) {
        if !self.is_ticked(id) {
            self.ticked.push(id.to_string());
            self.event(now, format!("ticked {id}"));
        }
    }

    pub fn untick(&mut self, id: &str, now: DateTime<Utc>) {
        if self.is_ticked(id) {
            self.ticked.retain(|t| t != id);
            self.event(now, format!("unticked {id}"));
        }
    }

    /// Records steps the checklist shows done automatically, once each, so the log
    /// says when they got done. Returns whether anything was added.
    pub fn note_auto_done(&mut self, done: &[AutoDone], now: DateTime<Utc>) -> bool {
        let mut added = false;
        for AutoDone { step, evidence } in done {
            let prefix = format!("auto {step}:");
            if !self.events.iter().any(|e| e.what.starts_with(&prefix)) {
                self.event(now, format!("{prefix} {evidence}"));
                added = true;
            }
        }
        added
    }

    /// Records something else that happened this shift (e.g. a choice at the logout
    /// gate), bounded like the rest.
    pub fn note(&mut self, at: DateTime<Utc>, what: String) {
        self.event(at, what);
    }

    fn event(&mut self, at: DateTime<Utc>, what: String) {
        self.events.push(HistoryEvent { at, what });
        if self.events.len() > MAX_EVENTS {
            let extra = self.events.len() - MAX_EVENTS;
            self.events.drain(..extra);
        }
    }
}

/// The key of the shift the context is about: its start as ISO-8601 UTC
/// ("2026-03-09T14:00:00Z"); outside any shift, "off-hours:" and the UTC date.
pub fn shift_key_for(ctx: &ShiftContext) -> String {
    match &ctx.shift {
        Some(s) => s.start.to_rfc3339_opts(SecondsFormat::Secs, true),
        None => format!("off-hours:{}", crate::core::settings::format_date(&ctx.now)),
    }
}

/// The last shifts' ticks, newest last.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShiftLog {
    pub shifts: Vec<ShiftTicks>,
}

/// Shifts kept in the log.
pub const SHIFT_LOG_LEN: usize = 30;

/// Stores a shift's ticks (replacing an older copy of the same shift) and keeps the
/// last `SHIFT_LOG_LEN` shifts.
pub fn record(log: &mut ShiftLog, ticks: ShiftTicks) {
    log.shifts.retain(|s| s.shift_key != ticks.shift_key);
    log.shifts.push(ticks);
    if log.shifts.len() > SHIFT_LOG_LEN {
        let extra = log.shifts.len() - SHIFT_LOG_LEN;
        log.shifts.drain(..extra);
    }
}

/// A step the checklist shows done automatically, and what was seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoDone {
    pub step: String,
    pub evidence: String,
}

/// The steps a checklist view shows done automatically.
pub fn auto_done(view: &ChecklistView) -> Vec<AutoDone> {
    view.items
        .iter()
        .filter_map(|item| match &item.state {
            ItemState::Done {
                by: DoneBy::Auto { evidence },
            } => Some(AutoDone {
                step: item.id.clone(),
                evidence: evidence.clone(),
            }),
            _ => None,
        })
        .collect()
}

/// Something that happened during a shift, for its log (e.g. a choice at the logout
/// gate). No patron data: ids of outstanding items, the operator's own choices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShiftHistoryEvent {
    /// Which shift (`shift_key_for`).
    pub shift_key: String,
    #[serde(deserialize_with = "crate::core::rfc3339::instant")]
    pub at: DateTime<Utc>,
    pub what: String,
}

/// One change to the shift log. The worker is the log's only writer: the popup and
/// the page send these, and the worker applies them one at a time (`apply`), so two
/// contexts writing at once cannot lose each other's events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum ShiftLogChange {
    /// Something that happened (the page's features).
    Event { event: ShiftHistoryEvent },
    /// A step ticked or unticked by hand (the popup).
    Tick {
        shift_key: String,
        step: String,
        on: bool,
        #[serde(deserialize_with = "crate::core::rfc3339::instant")]
        at: DateTime<Utc>,
    },
    /// Steps the popup shows done automatically.
    AutoDone {
        shift_key: String,
        #[serde(deserialize_with = "crate::core::rfc3339::instant")]
        at: DateTime<Utc>,
        done: Vec<AutoDone>,
    },
}

/// Applies a change to the log; false when it changes nothing (a tick of something
/// that is not a step of the procedure, auto-done steps already noted).
pub fn apply(log: &mut ShiftLog, change: ShiftLogChange) -> bool {
    let ticks_of = |log: &ShiftLog, key: &str| {
        log.shifts
            .iter()
            .find(|s| s.shift_key == key)
            .cloned()
            .unwrap_or_else(|| ShiftTicks::new(key.to_string()))
    };
    let ticks = match change {
        ShiftLogChange::Event { event } => {
            let mut ticks = ticks_of(log, &event.shift_key);
            ticks.note(event.at, event.what);
            ticks
        }
        ShiftLogChange::Tick {
            shift_key,
            step,
            on,
            at,
        } => {
            if !is_step(&step) {
                return false;
            }
            let mut ticks = ticks_of(log, &shift_key);
            if on {
                ticks.tick(&step, at);
            } else {
                ticks.untick(&step, at);
            }
            ticks
        }
        ShiftLogChange::AutoDone {
            shift_key,
            at,
            done,
        } => {
            let mut ticks = ticks_of(log, &shift_key);
            if !ticks.note_auto_done(&done, at) {
                return false;
            }
            ticks
        }
    };
    record(log, ticks);
    true
}

/// Whether a tick can name a step: a step id's shape (`login.queues`), as the procedure
/// document's validation requires it. The worker keeps the log without the procedure
/// (loaded at run time by the pages that show it); ticks for ids the procedure in force
/// does not have are never shown.
pub fn is_step(id: &str) -> bool {
    super::procedure::is_step_id(id)
}

/// The ticks of the context's shift from the log, or fresh ones.
pub fn ticks_for(log: &ShiftLog, ctx: &ShiftContext) -> ShiftTicks {
    let key = shift_key_for(ctx);
    log.shifts
        .iter()
        .find(|s| s.shift_key == key)
        .cloned()
        .unwrap_or_else(|| ShiftTicks::new(key))
}

// ---- the view ---------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum DoneBy {
    /// Seen on the page; `evidence` says what was seen.
    Auto { evidence: String },
    /// Ticked by the operator.
    Hand,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum ItemState {
    Done {
        by: DoneBy,
    },
    Todo,
    /// Not for this shift (first/last shift only, or no replacement missing).
    NotApplicable,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemView {
    pub id: String,
    pub text: String,
    pub hint: Option<String>,
    pub parent: Option<String>,
    /// The step's links, in the procedure's language: (text, url).
    pub links: Vec<(String, String)>,
    pub check: CheckKind,
    pub state: ItemState,
    /// The step belongs to the phase the operator is in.
    pub current_phase: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub done: u32,
    pub total: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistView {
    pub phase: Phase,
    /// The current phase's steps first, each group in the procedure's order.
    pub items: Vec<ItemView>,
    /// Over the current phase's applicable steps.
    pub progress: Progress,
}

/// The checklist at `ctx.now`. Ticks from another shift are ignored.
pub fn evaluate(
    steps: &[Step],
    ctx: &ShiftContext,
    evidence: &Evidence,
    ticks: &ShiftTicks,
    settings: &Settings,
    words: &Catalog,
) -> ChecklistView {
    let lang = settings.language();
    let same_shift = ticks.shift_key == shift_key_for(ctx);
    let fill = Fill::new(ctx, settings);
    let mut items: Vec<ItemView> = steps
        .iter()
        .map(|step| {
            let state = if !applies(step.applies, ctx, evidence) {
                ItemState::NotApplicable
            } else if let Some(seen) = auto_evidence(step.check, evidence) {
                ItemState::Done {
                    by: DoneBy::Auto {
                        evidence: seen.text(words),
                    },
                }
            } else if same_shift && ticks.is_ticked(&step.id) {
                ItemState::Done { by: DoneBy::Hand }
            } else {
                ItemState::Todo
            };
            ItemView {
                id: step.id.clone(),
                text: fill.apply(step.text.get(lang), words),
                hint: step.hint.as_ref().map(|h| fill.apply(h.get(lang), words)),
                parent: step.parent.clone(),
                links: step
                    .links
                    .iter()
                    .map(|l| (l.text.get(lang).to_string(), l.url.clone()))
                    .collect(),
                check: step.check,
                state,
                current_phase: step.phases.contains(&ctx.phase),
            }
        })
        .collect();
    // Stable: the procedure's order is kept within each group.
    items.sort_by_key(|i| !i.current_phase);
    let mut progress = Progress::default();
    for item in items.iter().filter(|i| i.current_phase) {
        match item.state {
            ItemState::NotApplicable => {}
            ItemState::Done { .. } => {
                progress.done += 1;
                progress.total += 1;
            }
            ItemState::Todo => progress.total += 1,
        }
    }
    ChecklistView {
        phase: ctx.phase,
        items,
        progress,
    }
}

fn applies(applies: Applies, ctx: &ShiftContext, evidence: &Evidence) -> bool {
    match applies {
        Applies::Always => true,
        Applies::FirstShift => ctx.first_of_day,
        Applies::LastShift => ctx.last_of_day,
        Applies::NotLastShift => !ctx.last_of_day,
        Applies::ReplacementMissing => {
            !ctx.last_of_day
                && ctx.minutes_to_shift_end.is_some_and(|m| m <= 0)
                && evidence.replacements_in != Some(true)
        }
    }
}

fn count_is_zero(n: Option<u32>) -> bool {
    n == Some(0)
}

/// What the page shows that makes a step done, in both languages; `None` = not seen.
fn auto_evidence(check: CheckKind, e: &Evidence) -> Option<Said> {
    match check {
        CheckKind::Manual => None,
        CheckKind::QueuesStaffed => match (&e.queues_staffed, &e.queues_missing) {
            (Some(staffed), Some(missing)) if missing.is_empty() => {
                let q = staffed.join(", ");
                Some(Said::new("evidenceStaffing", &[("q", &q)]))
            }
            _ => None,
        },
        CheckKind::TimerSet => e
            .timer_ok
            .as_ref()
            .map(|t| Said::new("evidenceTimer", &[("t", t)])),
        CheckKind::HistoryReviewed => e
            .history_viewed
            .then(|| Said::new("evidenceChatHistoryOpened", &[])),
        CheckKind::BackchatHello => e
            .said_hello
            .then(|| Said::new("evidenceHelloSentInBackchat", &[])),
        CheckKind::StatusAvailable => {
            (e.status == Some(Status::Available)).then(|| Said::new("evidenceStatusAvailable", &[]))
        }
        CheckKind::OfflineTextsAnswered => count_is_zero(e.offline_texts_unanswered)
            .then(|| Said::new("evidenceNoOfflineTextWaiting", &[])),
        CheckKind::ReplacementLoggedIn => match e.replacements_in {
            Some(true) => {
                let names = e.others_online.join(", ");
                Some(Said::new("evidenceOnline", &[("names", &names)]))
            }
            _ => None,
        },
        CheckKind::NoNewChats => {
            count_is_zero(e.new_chats).then(|| Said::new("evidenceNoNewChatsWaiting", &[]))
        }
        CheckKind::ActiveChatsTransferred => {
            count_is_zero(e.active_chats).then(|| Said::new("evidenceNoActiveChatsLeft", &[]))
        }
        CheckKind::BackchatSignOff => e
            .said_sign_off
            .then(|| Said::new("evidenceSignedOffInBackchat", &[])),
        CheckKind::StatusLogout => {
            (e.status == Some(Status::Logout)).then(|| Said::new("evidenceLoggedOut", &[]))
        }
    }
}

/// The values of the placeholders a step's text may use.
pub const PLACEHOLDERS: [&str; 6] = [
    "queues",
    "resources",
    "service_coordinator",
    "hours",
    "timer",
    "pre_shift",
];

struct Fill {
    queues: String,
    resources: String,
    coordinator: Option<String>,
    hours: String,
    timer: Option<String>,
    pre_shift: String,
}

impl Fill {
    fn new(ctx: &ShiftContext, settings: &Settings) -> Fill {
        let names: Vec<String> = settings
            .coordinators
            .service
            .iter()
            .map(|c| {
                let name = c.name.trim();
                if name.is_empty() {
                    c.email.trim().to_string()
                } else {
                    name.to_string()
                }
            })
            .filter(|n| !n.is_empty())
            .collect();
        Fill {
            queues: settings.queues.expected.join(", "),
            resources: settings.coordinators.resources_hint.clone(),
            coordinator: (!names.is_empty()).then(|| names.join(", ")),
            hours: ctx.hours_today.clone(),
            timer: recommended_timer_minutes(ctx, &settings.timing).map(duration_text),
            pre_shift: settings.timing.pre_shift_minutes.to_string(),
        }
    }

    fn apply(&self, text: &str, words: &Catalog) -> String {
        let coordinator = self
            .coordinator
            .clone()
            .unwrap_or_else(|| words.get("stepServiceCoordinator"));
        let timer = self
            .timer
            .clone()
            .unwrap_or_else(|| words.get("stepTimerExample"));
        let hours = if self.hours.is_empty() {
            "—".to_string()
        } else {
            self.hours.clone()
        };
        text.replace("{queues}", &self.queues)
            .replace("{resources}", &self.resources)
            .replace("{service_coordinator}", &coordinator)
            .replace("{hours}", &hours)
            .replace("{timer}", &timer)
            .replace("{pre_shift}", &self.pre_shift)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[allow(unused_imports)]
    use crate::core::catalog::{english, french, shipped};

    /// askON's checklist, said in the settings' language.
    fn checklist_of(
        ctx: &ShiftContext,
        evidence: &Evidence,
        ticks: &ShiftTicks,
        s: &Settings,
    ) -> ChecklistView {
        evaluate(
            askon_steps(),
            ctx,
            evidence,
            ticks,
            s,
            &shipped(s.language()),
        )
    }
    use crate::core::settings::LanguageChoice;
    use crate::core::shift::context;
    use crate::core::snapshot::{ChatPane, LoginDialog};
    use crate::core::test_support::{
        askon_steps, edt as toronto, history_row, monday_shifts, t as utc,
    };
    use std::collections::BTreeSet;

    /// askON hours; Monday shifts 10–11 (first), 14–15 (middle), 21–22 (last).
    fn settings() -> Settings {
        monday_shifts(&[("10:00", "11:00"), ("14:00", "15:00"), ("21:00", "22:00")])
    }

    // Monday 2026-03-09, Toronto on EDT (UTC−4).
    const LOGIN_FIRST: &str = "2026-03-09T13:57:00Z"; // 09:57
    const ON_FIRST: &str = "2026-03-09T14:20:00Z"; // 10:20
    const HANDOVER_MIDDLE: &str = "2026-03-09T18:55:00Z"; // 14:55
    const AFTER_MIDDLE: &str = "2026-03-09T19:10:00Z"; // 15:10
    const CLOSING_LAST: &str = "2026-03-10T01:55:00Z"; // 21:55
    const AFTER_CLOSE: &str = "2026-03-10T02:10:00Z"; // 22:10

    #[test]
    fn the_procedure_data_is_complete_and_consistent() {
        let steps = askon_steps();
        assert!(steps.len() >= 35, "only {} steps parsed", steps.len());
        let mut ids = BTreeSet::new();
        for (i, step) in steps.iter().enumerate() {
            assert!(ids.insert(step.id.as_str()), "duplicate id {}", step.id);
            assert!(!step.phases.is_empty(), "{}: no phase", step.id);
            assert!(
                !step.text.en.trim().is_empty() && !step.text.fr.trim().is_empty(),
                "{}: text in both languages",
                step.id
            );
            if let Some(h) = &step.hint {
                assert!(
                    !h.en.trim().is_empty() && !h.fr.trim().is_empty(),
                    "{}: hint in both languages",
                    step.id
                );
            }
            if let Some(parent) = &step.parent {
                assert!(
                    steps[..i].iter().any(|s| &s.id == parent),
                    "{}: parent {parent} must come first",
                    step.id
                );
            }
            let texts = [Some(&step.text), step.hint.as_ref()];
            for t in texts.into_iter().flatten() {
                for s in [&t.en, &t.fr] {
                    for name in s
                        .split('{')
                        .skip(1)
                        .filter_map(|r| r.split_once('}'))
                        .map(|(n, _)| n)
                    {
                        assert!(
                            PLACEHOLDERS.contains(&name),
                            "{}: unknown placeholder {{{name}}}",
                            step.id
                        );
                    }
                }
            }
        }
        // Every phase has steps, and every automatic check is used by some step.
        for phase in [
            Phase::OffHours,
            Phase::PreShift,
            Phase::LoginWindow,
            Phase::OnShift,
            Phase::Handover,
            Phase::LastShiftClosing,
            Phase::AfterClose,
        ] {
            assert!(
                steps.iter().any(|s| s.phases.contains(&phase)),
                "no step for {phase:?}"
            );
        }
        use CheckKind::*;
        for kind in [
            Manual,
            QueuesStaffed,
            TimerSet,
            HistoryReviewed,
            BackchatHello,
            StatusAvailable,
            OfflineTextsAnswered,
            ReplacementLoggedIn,
            NoNewChats,
            ActiveChatsTransferred,
            BackchatSignOff,
            StatusLogout,
        ] {
            assert!(
                steps.iter().any(|s| s.check == kind),
                "no step checks {kind:?}"
            );
        }
        // The seed's sections are all there.
        for id in [
            "login.queues",
            "login.timer",
            "login.history_now",
            "first.offline_texts",
            "logout.replacement",
            "missing.notify",
            "logout.log_out",
            "last.closing_message",
            "offhours.no_staff_login",
        ] {
            assert!(ids.contains(id), "missing {id}");
        }
    }

    #[test]
    fn each_automatic_check_needs_its_evidence() {
        type Set = fn(&mut Evidence);
        let cases: Vec<(CheckKind, Set, Set, &str)> = vec![
            (
                CheckKind::QueuesStaffed,
                |e| {
                    e.queues_staffed = Some(vec!["all_colleges".into(), "all_backup".into()]);
                    e.queues_missing = Some(vec![]);
                },
                |e| {
                    e.queues_staffed = Some(vec!["all_colleges".into()]);
                    e.queues_missing = Some(vec!["all_backup".into()]);
                },
                "Staffing all_colleges, all_backup",
            ),
            (
                CheckKind::TimerSet,
                |e| e.timer_ok = Some("1 h 15 min".into()),
                |e| e.timer_ok = None,
                "Timer: 1 h 15 min",
            ),
            (
                CheckKind::HistoryReviewed,
                |e| e.history_viewed = true,
                |e| e.history_viewed = false,
                "Chat History opened",
            ),
            (
                CheckKind::BackchatHello,
                |e| e.said_hello = true,
                |e| e.said_hello = false,
                "Hello sent in backchat",
            ),
            (
                CheckKind::StatusAvailable,
                |e| e.status = Some(Status::Available),
                |e| e.status = Some(Status::Away),
                "Status: Available",
            ),
            (
                CheckKind::OfflineTextsAnswered,
                |e| e.offline_texts_unanswered = Some(0),
                |e| e.offline_texts_unanswered = Some(2),
                "No offline text waiting for an answer",
            ),
            (
                CheckKind::ReplacementLoggedIn,
                |e| {
                    e.replacements_in = Some(true);
                    e.others_online = vec!["Ana".into(), "Bo".into()];
                },
                |e| e.replacements_in = Some(false),
                "Online: Ana, Bo",
            ),
            (
                CheckKind::NoNewChats,
                |e| e.new_chats = Some(0),
                |e| e.new_chats = Some(1),
                "No New chats waiting",
            ),
            (
                CheckKind::ActiveChatsTransferred,
                |e| e.active_chats = Some(0),
                |e| e.active_chats = Some(1),
                "No active chats left",
            ),
            (
                CheckKind::BackchatSignOff,
                |e| e.said_sign_off = true,
                |e| e.said_sign_off = false,
                "Signed off in backchat",
            ),
            (
                CheckKind::StatusLogout,
                |e| e.status = Some(Status::Logout),
                |e| e.status = Some(Status::Available),
                "Logged out",
            ),
        ];
        for (kind, done, not_done, words) in cases {
            let mut e = Evidence::default();
            assert_eq!(auto_evidence(kind, &e), None, "{kind:?} with no evidence");
            not_done(&mut e);
            assert_eq!(
                auto_evidence(kind, &e),
                None,
                "{kind:?} with contrary evidence"
            );
            done(&mut e);
            assert_eq!(
                auto_evidence(kind, &e).map(|t| english(&t)),
                Some(words.to_string()),
                "{kind:?}"
            );
        }
        assert_eq!(
            auto_evidence(
                CheckKind::Manual,
                &Evidence {
                    history_viewed: true,
                    said_hello: true,
                    ..Evidence::default()
                }
            ),
            None
        );
    }

    fn pane(f: impl Fn(&mut ChatPane)) -> ChatPane {
        let mut c = ChatPane::default();
        f(&mut c);
        c
    }

    #[test]
    fn evidence_is_read_from_the_page_with_the_shared_rules() {
        let s = settings();
        let on_first = context(&s, utc(ON_FIRST));
        let handover = context(&s, utc(HANDOVER_MIDDLE));
        assert_eq!(handover.phase, Phase::Handover);
        let remembered = Remembered {
            leaving: LeavingFacts {
                said_sign_off: true,
                me: "Me".into(),
            },
            said_hello: true,
            history_viewed: false,
            timer: Some(TimerSetting {
                choice: TimerChoice::Countdown { minutes: 80 },
                at: utc(LOGIN_FIRST),
            }),
        };
        let snap = Snapshot {
            status: Some(Status::Available),
            staffing: Some(vec!["ALL_COLLEGES ".into(), "all_backup".into()]),
            operators_online: Some(vec!["Me".into(), "Ana".into(), "Bo".into()]),
            chats: vec![
                pane(|c| {
                    c.key = "1".into();
                    c.operator_replied = true;
                }),
                pane(|c| {
                    c.key = "2".into();
                    c.is_offline_text = true;
                }),
                pane(|c| {
                    c.key = "3".into();
                    c.is_backchat = true;
                }),
            ],
            history: Some(vec![history_row(Some(""), Some(""))]),
            ..Snapshot::default()
        };
        let e = Evidence::from_snapshot(&snap, &s, &on_first, &remembered, toronto());
        assert_eq!(
            e.queues_missing,
            Some(vec![]),
            "staffing compared case-insensitively"
        );
        assert_eq!(
            e.timer_ok.as_deref(),
            Some("1 h 20 min"),
            "judged when it was set"
        );
        assert!(e.history_viewed, "the history table is on screen");
        assert!(e.said_hello && e.said_sign_off);
        assert_eq!(e.offline_texts_unanswered, Some(1), "first shift");
        assert_eq!(e.active_chats, Some(1));
        assert_eq!(e.others_online, vec!["Ana", "Bo"]);
        assert_eq!(
            e.replacements_in,
            Some(true),
            "two others online, two needed"
        );

        let alone = Snapshot {
            operators_online: Some(vec!["Me".into(), "Ana".into()]),
            ..snap.clone()
        };
        let e = Evidence::from_snapshot(&alone, &s, &handover, &remembered, toronto());
        assert_eq!(e.offline_texts_unanswered, None, "not the first shift");
        assert_eq!(
            e.replacements_in,
            Some(false),
            "one of two replacements online"
        );
        let unreadable = Snapshot {
            operators_online: None,
            ..snap.clone()
        };
        let e = Evidence::from_snapshot(
            &unreadable,
            &s,
            &handover,
            &Remembered::default(),
            toronto(),
        );
        assert_eq!(e.replacements_in, None, "contacts not read: unknown");

        // Timer: "Never" is not evidence, a short one is not, the dialog wins over memory.
        let login = context(&s, utc(LOGIN_FIRST));
        for (choice, want) in [
            (TimerChoice::Never, None),
            (TimerChoice::Unreadable, None),
            (TimerChoice::Countdown { minutes: 30 }, None),
            (TimerChoice::Countdown { minutes: 80 }, Some("1 h 20 min")),
        ] {
            let dialog = Snapshot {
                login_dialog: Some(LoginDialog {
                    queues: vec![],
                    all_queues: None,
                    timer: choice.clone(),
                }),
                ..Snapshot::default()
            };
            let e = Evidence::from_snapshot(&dialog, &s, &login, &remembered, toronto());
            assert_eq!(e.timer_ok.as_deref(), want, "{choice:?}");
        }
    }

    fn view_at(
        now: &str,
        evidence: &Evidence,
        ticks: Option<&ShiftTicks>,
        s: &Settings,
    ) -> ChecklistView {
        let ctx = context(s, utc(now));
        let fresh = ShiftTicks::new(shift_key_for(&ctx));
        checklist_of(&ctx, evidence, ticks.unwrap_or(&fresh), s)
    }

    fn state<'a>(view: &'a ChecklistView, id: &str) -> &'a ItemState {
        &view
            .items
            .iter()
            .find(|i| i.id == id)
            .unwrap_or_else(|| panic!("no {id}"))
            .state
    }

    #[test]
    fn the_current_phase_comes_first_in_procedure_order() {
        let s = settings();
        for (now, phase, first_ids) in [
            (
                LOGIN_FIRST,
                Phase::LoginWindow,
                vec!["login.on_time", "login.queues", "login.timer"],
            ),
            (
                HANDOVER_MIDDLE,
                Phase::Handover,
                vec!["logout.replacement", "logout.stay", "missing.schedule"],
            ),
            (
                CLOSING_LAST,
                Phase::LastShiftClosing,
                vec!["logout.new_chats", "logout.timer", "last.help"],
            ),
            (
                AFTER_CLOSE,
                Phase::AfterClose,
                vec!["logout.sign_off", "last.closing_message", "last.contacts"],
            ),
            (
                "2026-03-10T12:00:00Z",
                Phase::OffHours,
                vec![
                    "offhours.no_staff_login",
                    "offhours.white_button",
                    "login.on_time",
                ],
            ),
        ] {
            let v = view_at(now, &Evidence::default(), None, &s);
            assert_eq!(v.phase, phase, "{now}");
            let ids: Vec<&str> = v.items.iter().take(3).map(|i| i.id.as_str()).collect();
            assert_eq!(ids, first_ids, "{now}");
            let boundary = v
                .items
                .iter()
                .position(|i| !i.current_phase)
                .unwrap_or(v.items.len());
            assert!(
                v.items[boundary..].iter().all(|i| !i.current_phase),
                "{now}: current phase items are together at the top"
            );
            assert_eq!(
                v.items.len(),
                askon_steps().len(),
                "{now}: every step is listed"
            );
        }
    }

    #[test]
    fn first_and_last_shift_steps_apply_only_to_those_shifts() {
        let s = settings();
        let first = view_at(ON_FIRST, &Evidence::default(), None, &s);
        assert_eq!(state(&first, "first.offline_texts"), &ItemState::Todo);
        assert_eq!(state(&first, "last.help"), &ItemState::NotApplicable);
        let middle = view_at(HANDOVER_MIDDLE, &Evidence::default(), None, &s);
        assert_eq!(
            state(&middle, "first.offline_texts"),
            &ItemState::NotApplicable
        );
        assert_eq!(state(&middle, "logout.replacement"), &ItemState::Todo);
        assert_eq!(
            state(&middle, "missing.schedule"),
            &ItemState::NotApplicable,
            "the shift has not ended yet"
        );
        let last = view_at(CLOSING_LAST, &Evidence::default(), None, &s);
        assert_eq!(state(&last, "last.help"), &ItemState::Todo);
        assert_eq!(
            state(&last, "logout.replacement"),
            &ItemState::NotApplicable,
            "nobody replaces the last shift"
        );
    }

    #[test]
    fn replacement_missing_steps_appear_once_the_shift_ends_without_them() {
        let s = settings();
        for (evidence, want) in [
            (
                Evidence {
                    replacements_in: Some(false),
                    ..Evidence::default()
                },
                ItemState::Todo,
            ),
            (
                Evidence {
                    replacements_in: None,
                    ..Evidence::default()
                },
                ItemState::Todo,
            ),
            (
                Evidence {
                    replacements_in: Some(true),
                    others_online: vec!["Ana".into()],
                    ..Evidence::default()
                },
                ItemState::NotApplicable,
            ),
        ] {
            let v = view_at(AFTER_MIDDLE, &evidence, None, &s);
            assert_eq!(v.phase, Phase::Handover);
            assert_eq!(state(&v, "missing.notify"), &want, "{evidence:?}");
        }
    }

    #[test]
    fn hand_ticks_count_for_their_own_shift_only_and_auto_wins() {
        let s = settings();
        let ctx = context(&s, utc(ON_FIRST));
        let mut ticks = ShiftTicks::new(shift_key_for(&ctx));
        assert_eq!(ticks.shift_key, "2026-03-09T14:00:00Z");
        ticks.tick("login.buddy_list", utc(ON_FIRST));
        ticks.tick("login.history", utc(ON_FIRST));
        let evidence = Evidence {
            history_viewed: true,
            ..Evidence::default()
        };
        let v = checklist_of(&ctx, &evidence, &ticks, &s);
        assert_eq!(
            state(&v, "login.buddy_list"),
            &ItemState::Done { by: DoneBy::Hand }
        );
        assert_eq!(
            state(&v, "login.history"),
            &ItemState::Done {
                by: DoneBy::Auto {
                    evidence: "Chat History opened".into()
                }
            }
        );
        assert_eq!(state(&v, "login.transfers"), &ItemState::Todo);
        let login_steps = askon_steps()
            .iter()
            .filter(|st| st.phases.contains(&Phase::OnShift))
            .count() as u32;
        assert_eq!(
            v.progress,
            Progress {
                done: 2,
                total: login_steps
            }
        );

        let other_shift = ShiftTicks {
            shift_key: "2026-03-02T15:00:00Z".into(),
            ..ticks.clone()
        };
        let v = checklist_of(&ctx, &Evidence::default(), &other_shift, &s);
        assert_eq!(
            state(&v, "login.buddy_list"),
            &ItemState::Todo,
            "last week's ticks do not count"
        );

        ticks.untick("login.buddy_list", utc(ON_FIRST));
        let v = checklist_of(&ctx, &Evidence::default(), &ticks, &s);
        assert_eq!(state(&v, "login.buddy_list"), &ItemState::Todo);
        let whats: Vec<&str> = ticks.events.iter().map(|e| e.what.as_str()).collect();
        assert_eq!(
            whats,
            vec![
                "ticked login.buddy_list",
                "ticked login.history",
                "unticked login.buddy_list"
            ]
        );
    }

    #[test]
    fn texts_are_filled_in_the_operators_language() {
        let mut s = settings();
        let v = view_at(LOGIN_FIRST, &Evidence::default(), None, &s);
        let item =
            |v: &ChecklistView, id: &str| v.items.iter().find(|i| i.id == id).cloned().unwrap();
        assert!(item(&v, "login.queues")
            .text
            .contains("(all_colleges, all_backup)"));
        assert_eq!(item(&v, "login.queues").hint.as_deref(), Some("Can't log in with your own account? Use the emergency logins in Profiles > askON Tools."));
        assert!(
            item(&v, "login.timer").text.contains("(1 h 20 min)"),
            "{}",
            item(&v, "login.timer").text
        );
        assert!(item(&v, "login.on_time")
            .text
            .starts_with("Log in 5 minutes before"));
        assert!(item(&v, "first.hours").text.contains("(10:00–22:00)"));
        assert!(item(&v, "missing.notify")
            .text
            .contains("copy Lauren Rupert"));
        s.language = LanguageChoice::Fr;
        let v = view_at(
            LOGIN_FIRST,
            &Evidence {
                status: Some(Status::Available),
                ..Evidence::default()
            },
            None,
            &s,
        );
        assert!(item(&v, "login.queues")
            .text
            .starts_with("Connectez-vous à LibraryH3lp"));
        assert_eq!(
            item(&v, "login.connect_now").state,
            ItemState::Done {
                by: DoneBy::Auto {
                    evidence: "Statut\u{202f}: disponible".into()
                }
            }
        );
        s.coordinators.service.clear();
        s.language = LanguageChoice::En;
        let v = view_at(LOGIN_FIRST, &Evidence::default(), None, &s);
        assert!(item(&v, "offhours.white_button")
            .text
            .contains("contact the service coordinator right away"));
        assert!(
            v.items.iter().all(|i| !i.text.contains('{')),
            "every placeholder filled"
        );
    }

    #[test]
    fn the_log_keeps_the_last_thirty_shifts() {
        let mut log = ShiftLog::default();
        for day in 1..=40 {
            let mut t = ShiftTicks::new(format!("2026-01-{day:02}T15:00:00Z"));
            t.tick("login.buddy_list", utc("2026-01-01T15:00:00Z"));
            record(&mut log, t);
        }
        assert_eq!(log.shifts.len(), SHIFT_LOG_LEN);
        assert_eq!(log.shifts[0].shift_key, "2026-01-11T15:00:00Z");
        // Recording the same shift again replaces it, newest last.
        let again = ShiftTicks::new("2026-01-20T15:00:00Z".into());
        record(&mut log, again.clone());
        assert_eq!(log.shifts.len(), SHIFT_LOG_LEN);
        assert_eq!(log.shifts.last(), Some(&again));
        assert_eq!(
            log.shifts
                .iter()
                .filter(|s| s.shift_key == again.shift_key)
                .count(),
            1
        );

        let s = settings();
        let ctx = context(&s, utc(ON_FIRST));
        let mut mine = ShiftTicks::new(shift_key_for(&ctx));
        mine.tick("login.transfers", utc(ON_FIRST));
        record(&mut log, mine.clone());
        assert_eq!(ticks_for(&log, &ctx), mine);
        let later = context(&s, utc(HANDOVER_MIDDLE));
        assert_eq!(
            ticks_for(&log, &later),
            ShiftTicks::new("2026-03-09T18:00:00Z".into())
        );
        let off = context(&s, utc("2026-03-10T12:00:00Z"));
        assert_eq!(shift_key_for(&off), "off-hours:2026-03-10");
    }

    #[test]
    fn events_are_bounded_and_auto_done_is_noted_once() {
        let mut t = ShiftTicks::new("k".into());
        for i in 0..(MAX_EVENTS + 50) {
            t.tick(&format!("step.{i}"), utc(ON_FIRST));
        }
        assert_eq!(t.events.len(), MAX_EVENTS);
        assert_eq!(t.events[0].what, "ticked step.50");

        let s = settings();
        let ctx = context(&s, utc(ON_FIRST));
        let mut ticks = ShiftTicks::new(shift_key_for(&ctx));
        let e = Evidence {
            status: Some(Status::Available),
            ..Evidence::default()
        };
        let v = checklist_of(&ctx, &e, &ticks, &s);
        assert!(ticks.note_auto_done(&auto_done(&v), utc(ON_FIRST)));
        assert!(
            !ticks.note_auto_done(&auto_done(&v), utc(HANDOVER_MIDDLE)),
            "already noted"
        );
        let whats: Vec<&str> = ticks.events.iter().map(|e| e.what.as_str()).collect();
        assert_eq!(
            whats,
            vec![
                "auto login.connect_now: Status: Available",
                "auto login.on_time: Status: Available"
            ],
            "current phase first"
        );
    }

    #[test]
    fn every_change_goes_to_its_own_shift_in_the_log() {
        let at = utc("2025-06-04T13:05:00Z");
        let event = |key: &str, what: &str| ShiftLogChange::Event {
            event: ShiftHistoryEvent {
                shift_key: key.into(),
                at,
                what: what.into(),
            },
        };
        let tick = |step: &str, on: bool| ShiftLogChange::Tick {
            shift_key: "a".into(),
            step: step.into(),
            on,
            at,
        };
        let mut log = ShiftLog::default();
        assert!(apply(&mut log, tick("logout.replacement", true)));
        assert!(!apply(&mut log, tick("Not a step!", true)), "only step ids");
        assert!(apply(&mut log, event("a", "logout gate: went back")));
        assert!(apply(&mut log, event("b", "logout gate: logged out")));
        assert!(apply(
            &mut log,
            event("a", "logout gate: logged out anyway")
        ));
        let done = vec![AutoDone {
            step: "login.queues".into(),
            evidence: "Staffing all_colleges".into(),
        }];
        let auto = ShiftLogChange::AutoDone {
            shift_key: "a".into(),
            at,
            done,
        };
        assert!(apply(&mut log, auto.clone()));
        assert!(!apply(&mut log, auto), "noted once");
        let a = log.shifts.iter().find(|s| s.shift_key == "a").expect("a");
        assert!(a.is_ticked("logout.replacement"), "ticks are kept");
        let whats: Vec<&str> = a.events.iter().map(|e| e.what.as_str()).collect();
        assert_eq!(
            whats,
            vec![
                "ticked logout.replacement",
                "logout gate: went back",
                "logout gate: logged out anyway",
                "auto login.queues: Staffing all_colleges"
            ]
        );
        let b = log.shifts.iter().find(|s| s.shift_key == "b").expect("b");
        assert_eq!(b.events.len(), 1);
        assert_eq!(b.events[0].at, at);
        assert_eq!(log.shifts.len(), 2);
        assert!(apply(&mut log, tick("logout.replacement", false)));
        assert!(!log.shifts.iter().any(|s| s.is_ticked("logout.replacement")));
    }

    #[test]
    fn a_shift_log_change_names_its_kind() {
        let json = serde_json::to_value(ShiftLogChange::Tick {
            shift_key: "k".into(),
            step: "login.queues".into(),
            on: true,
            at: utc("2025-06-04T13:05:00Z"),
        })
        .unwrap();
        assert_eq!(json["change"], "tick");
    }
}
