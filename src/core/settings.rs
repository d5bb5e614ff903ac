//! The one settings schema: every fact about the service, with askON's values as the
//! defaults. Nothing askON-specific may appear outside `Default` impls in this file.
//!
//! Times of day are "HH:MM" strings in the service's time zone; dates are "YYYY-MM-DD".

use super::zone::Tz;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::catalog::{Catalog, Said};
use super::locators::Locator;
use super::procedure::ProcedureSettings;

/// The schema version written with every stored document (see migrations).
pub const SETTINGS_VERSION: u32 = 2;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub version: u32,
    pub server: Server,
    pub service: ServiceHours,
    pub shifts: Shifts,
    pub timing: Timing,
    pub queues: Queues,
    pub canned: CannedSettings,
    pub coordinators: Coordinators,
    pub guards: Guards,
    pub features: FeatureToggles,
    /// Replaces entries of the locator table by id (a page-change fix without a release).
    pub locator_overrides: Vec<Locator>,
    /// The one language of everything the extension says: the browser's, or English or
    /// French ("browser", "en", "fr" in storage). Read it with `language()`.
    pub language: LanguageChoice,
    /// The browser's interface language, filled in where the settings are read (never
    /// stored): what `LanguageChoice::Browser` means in this browser.
    #[serde(skip)]
    pub browser_language: BrowserLanguage,
    /// The operator's name as LibraryH3lp shows it ("answered by NAME", contacts list):
    /// how the extension tells the operator's own chats and messages from colleagues'.
    pub operator_name: String,
    /// The shift procedure: a preset's, or the consortium's own (`core::procedure`).
    /// The content script's module never reads it (only the pages show the checklist):
    /// left out of its serde code, which keeps that module small.
    #[cfg_attr(not(feature = "pages"), serde(skip))]
    pub procedure: ProcedureSettings,
}

/// The LibraryH3lp server the consortium uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Server {
    Main,
    Ca,
    Us,
    Eu,
    Sg,
}

impl Server {
    /// Every server, for the options page and the manifest check.
    pub const ALL: [Server; 5] = [Server::Main, Server::Ca, Server::Us, Server::Eu, Server::Sg];

    pub fn host(self) -> &'static str {
        match self {
            Server::Main => "libraryh3lp.com",
            Server::Ca => "ca.libraryh3lp.com",
            Server::Us => "us.libraryh3lp.com",
            Server::Eu => "eu.libraryh3lp.com",
            Server::Sg => "sg.libraryh3lp.com",
        }
    }
}

/// One open span of a day, e.g. 10:00–17:00.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub start: String,
    pub end: String,
}

/// A date whose hours differ from the weekly pattern (empty `spans` = closed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateException {
    pub date: String,
    pub spans: Vec<Span>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceHours {
    /// IANA time zone of the service (the schedule is written in it).
    pub time_zone: String,
    /// Monday first: seven entries, each the day's open spans (empty = closed that day).
    pub weekly: Vec<Vec<Span>>,
    /// Whole days closed (holidays).
    pub closed_days: Vec<String>,
    pub exceptions: Vec<DateException>,
}

/// A shift that repeats every week. `weekday` 0 = Monday … 6 = Sunday.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeeklyShift {
    pub weekday: u8,
    pub start: String,
    pub end: String,
    /// Operators the schedule expects to take over at the end (may be empty).
    #[serde(default)]
    pub replacements: Vec<String>,
    /// First date the shift happens ("YYYY-MM-DD", inclusive); none = always has.
    /// A term's schedule (an .ics repeat with UNTIL/COUNT) keeps its bounds here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<String>,
    /// Last date the shift happens (inclusive); none = no end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
}

/// A single shift on a date (also what an .ics import produces for one-off events).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OneOffShift {
    pub date: String,
    pub start: String,
    pub end: String,
    #[serde(default)]
    pub replacements: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Shifts {
    pub weekly: Vec<WeeklyShift>,
    pub one_off: Vec<OneOffShift>,
    /// Dates on which a weekly shift does not happen ("YYYY-MM-DD").
    pub skipped: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Timing {
    /// Log in this long before the shift (the procedure: five minutes).
    pub pre_shift_minutes: u32,
    /// The auto-logout timer runs this much past the shift end (1 h 15 for 1 h).
    pub autologout_margin_minutes: u32,
    /// Warn this long before the auto-logout timer fires.
    pub autologout_warning_minutes: u32,
    /// Last shift: give visitors a heads-up this long before close.
    pub closing_heads_up_minutes: u32,
    /// Round the recommended timer up to a multiple of this.
    pub timer_rounding_minutes: u32,
    /// Handover starts this long before the end of a shift that is not the day's last.
    pub handover_minutes: u32,
    /// Handover lasts this long past the shift end, while the operator waits for a
    /// replacement ("stay until … both replacement operators have logged in").
    pub handover_grace_minutes: u32,
    /// After close: the last shift's operator still has closing duties this long.
    pub after_close_minutes: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Queues {
    /// Queues a regular shift staffs.
    pub expected: Vec<String>,
    /// Home Team First queues the operator may also staff (not flagged when present).
    pub home_team: Vec<String>,
}

/// The language the operator chose: the browser's (the default), or one of the two the
/// extension ships.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LanguageChoice {
    #[default]
    Browser,
    En,
    Fr,
}

impl LanguageChoice {
    pub const ALL: [LanguageChoice; 3] = [
        LanguageChoice::Browser,
        LanguageChoice::En,
        LanguageChoice::Fr,
    ];

    /// Its code, as stored.
    pub fn code(self) -> &'static str {
        match self {
            LanguageChoice::Browser => "browser",
            LanguageChoice::En => "en",
            LanguageChoice::Fr => "fr",
        }
    }

    /// The language it means in a browser whose interface language is `browser`.
    pub fn resolve(self, browser: Language) -> Language {
        match self {
            LanguageChoice::Browser => browser,
            LanguageChoice::En => Language::En,
            LanguageChoice::Fr => Language::Fr,
        }
    }
}

/// The browser's interface language as the extension can speak it. Not part of the
/// settings' value: two settings that differ only here are equal (the options page
/// compares what it shows with what is stored).
#[derive(Debug, Clone, Copy, Default)]
pub struct BrowserLanguage(pub Language);

impl PartialEq for BrowserLanguage {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for BrowserLanguage {}

/// The two languages the extension ships, stored as "en" and "fr".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    En,
    Fr,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::En, Language::Fr];

    /// Its code, as stored and as in `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Fr => "fr",
        }
    }

    /// Its name in itself ("Français"), the same whatever the language in force.
    pub fn endonym(self) -> &'static str {
        match self {
            Language::En => "English",
            Language::Fr => "Français",
        }
    }

    /// The language a browser's interface language tag ("fr-CA", "en-US", "de") asks
    /// for: French for any French, English for everything else.
    pub fn from_tag(tag: &str) -> Language {
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("fr") {
            Language::Fr
        } else {
            Language::En
        }
    }
}

/// Words a coordinator or an operator writes, in the two languages the extension ships:
/// data that lives in the settings or a procedure document (canned messages, procedure
/// steps and links, a preset's name). The product's own words are not this: they are in
/// the catalog (`_locales`, said through `core::catalog::Said`); `tests/conventions.rs`
/// fails on a `LocalText` of words written in code outside the defaults and presets.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalText {
    pub en: String,
    pub fr: String,
}

impl LocalText {
    pub fn new(en: &str, fr: &str) -> Self {
        LocalText {
            en: en.to_string(),
            fr: fr.to_string(),
        }
    }

    /// The text in `language`, falling back to English when that one is empty.
    pub fn get(&self, language: Language) -> &str {
        if language == Language::Fr && !self.fr.trim().is_empty() {
            &self.fr
        } else {
            &self.en
        }
    }
}

/// The moments of a shift at which the procedure names words to say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Moment {
    TransferAccepted,
    ChatPickedUp,
    OfflineTextFirstShift,
    LeavingWithActiveChats,
    ClosingHeadsUp,
    AtClose,
    WindingDown,
    BackchatHello,
    BackchatSignOff,
}

impl Moment {
    /// The stable id ("backchat_hello"): the serde name, without a serialiser (the
    /// content script's module carries no JSON library).
    pub fn id(self) -> &'static str {
        match self {
            Moment::TransferAccepted => "transfer_accepted",
            Moment::ChatPickedUp => "chat_picked_up",
            Moment::OfflineTextFirstShift => "offline_text_first_shift",
            Moment::LeavingWithActiveChats => "leaving_with_active_chats",
            Moment::ClosingHeadsUp => "closing_heads_up",
            Moment::AtClose => "at_close",
            Moment::WindingDown => "winding_down",
            Moment::BackchatHello => "backchat_hello",
            Moment::BackchatSignOff => "backchat_sign_off",
        }
    }
}

/// One suggestion: the canned message's name (as the web client lists it) and the
/// text to insert when the page does not offer that message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    pub name: String,
    pub text: LocalText,
}

/// A rule: at this moment, suggest these, best first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CannedRule {
    pub moment: Moment,
    pub suggestions: Vec<Suggestion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CannedSettings {
    pub rules: Vec<CannedRule>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub name: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Coordinators {
    /// The operator's own site coordinators.
    pub site: Vec<Contact>,
    /// The service coordinator copied on missed shifts and off-hours reports.
    pub service: Vec<Contact>,
    /// Missed-shift email; `{operator}`, `{date}`, `{shift}`, `{missing}` are filled in.
    pub missed_shift_subject: String,
    pub missed_shift_body: String,
    /// Where staff resources live, as the procedure names it.
    pub resources_hint: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Guards {
    /// Warn when Away or Busy is chosen during a shift.
    pub status_guard: bool,
    /// Blocking notice before connecting outside service hours.
    pub off_hours_guard: bool,
    /// Ask the public presence endpoint whether the service is on during off hours.
    pub watchdog: bool,
    pub watchdog_interval_minutes: u32,
    /// Keep watching this long after close.
    pub watchdog_after_close_minutes: u32,
    /// Replacements to expect when the schedule does not name them.
    pub default_replacements_needed: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FeatureToggles {
    pub disable_all: bool,
    /// Ids of features turned off.
    pub off: Vec<String>,
}

impl FeatureToggles {
    pub fn is_on(&self, feature_id: &str) -> bool {
        !self.disable_all && !self.off.iter().any(|f| f == feature_id)
    }
}

// ---- askON defaults -------------------------------------------------------------

impl Default for Settings {
    fn default() -> Self {
        Settings {
            version: SETTINGS_VERSION,
            server: Server::Ca,
            service: ServiceHours::default(),
            shifts: Shifts::default(),
            timing: Timing::default(),
            queues: Queues::default(),
            canned: CannedSettings::default(),
            coordinators: Coordinators::default(),
            guards: Guards::default(),
            features: FeatureToggles::default(),
            locator_overrides: Vec::new(),
            language: LanguageChoice::Browser,
            browser_language: BrowserLanguage::default(),
            operator_name: String::new(),
            procedure: ProcedureSettings::default(),
        }
    }
}

fn span(start: &str, end: &str) -> Vec<Span> {
    vec![Span {
        start: start.to_string(),
        end: end.to_string(),
    }]
}

impl Default for ServiceHours {
    /// askON's published pattern (about 68 hours a week); a coordinator edits this.
    fn default() -> Self {
        let weekday = span("10:00", "22:00");
        ServiceHours {
            time_zone: "America/Toronto".to_string(),
            weekly: vec![
                weekday.clone(),
                weekday.clone(),
                weekday.clone(),
                weekday,
                span("10:00", "17:00"),
                Vec::new(),
                span("12:00", "17:00"),
            ],
            closed_days: Vec::new(),
            exceptions: Vec::new(),
        }
    }
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            pre_shift_minutes: 5,
            autologout_margin_minutes: 15,
            autologout_warning_minutes: 5,
            closing_heads_up_minutes: 10,
            timer_rounding_minutes: 5,
            handover_minutes: 10,
            handover_grace_minutes: 30,
            after_close_minutes: 60,
        }
    }
}

impl Default for Queues {
    fn default() -> Self {
        Queues {
            expected: vec!["all_colleges".to_string(), "all_backup".to_string()],
            home_team: Vec::new(),
        }
    }
}

fn suggestion(name: &str, en: &str, fr: &str) -> Suggestion {
    Suggestion {
        name: name.to_string(),
        text: LocalText::new(en, fr),
    }
}

impl Default for CannedSettings {
    /// askON's canned messages: the askON preset's (`extension/presets/askon.json`,
    /// `settings.canned`), made into this value by `build.rs`: data, written once.
    fn default() -> Self {
        CannedSettings {
            rules: include!(concat!(env!("OUT_DIR"), "/canned_defaults.rs")),
        }
    }
}

impl Default for Coordinators {
    /// No one by name: people belong to a preset's data (`extension/presets/askon.json`
    /// names askON's service coordinator), chosen at setup.
    fn default() -> Self {
        Coordinators {
            site: Vec::new(),
            service: Vec::new(),
            missed_shift_subject: "askON missed shift: {date} {shift}".to_string(),
            missed_shift_body: "Hello,\n\nThe askON shift on {date} ({shift}) was not picked up: {missing} did not log in to take over from me ({operator}).\n\n{stayed}\n\nThank you.".to_string(),
            resources_hint: "Profiles > askON Tools".to_string(),
        }
    }
}

impl Default for Guards {
    fn default() -> Self {
        Guards {
            status_guard: true,
            off_hours_guard: true,
            watchdog: false,
            watchdog_interval_minutes: 5,
            watchdog_after_close_minutes: 60,
            default_replacements_needed: 2,
        }
    }
}

// ---- reading times, dates and zones ---------------------------------------------

/// Minutes in a day; "24:00" parses to this (it may only end a span).
pub const DAY_MINUTES: u32 = 24 * 60;

/// A span may cross midnight (end before start) for at most this long; a longer
/// crossing is almost surely a typo (10:00–09:00).
pub const MAX_CROSSING_MINUTES: u32 = 12 * 60;

/// Reads "HH:MM" (also "H:MM") into minutes from midnight, 0..=1440 ("24:00" = 1440).
pub fn parse_hhmm(text: &str) -> Result<u32, Said> {
    let t = text.trim();
    let not_a_time = || Said::new("problemTimeFormat", &[("text", t)]);
    let (h, m) = t.split_once(':').ok_or_else(not_a_time)?;
    let digits = |s: &str, max_len: usize| {
        !s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(h, 2) || !digits(m, 2) || m.len() != 2 {
        return Err(not_a_time());
    }
    let (h, m): (u32, u32) = (
        h.parse().map_err(|_| not_a_time())?,
        m.parse().map_err(|_| not_a_time())?,
    );
    if m > 59 {
        return Err(Said::new("problemTimeMinutes", &[("text", t)]));
    }
    match (h, m) {
        (24, 0) => Ok(DAY_MINUTES),
        (0..=23, _) => Ok(h * 60 + m),
        _ => Err(Said::new("problemTimeHours", &[("text", t)])),
    }
}

/// Reads "YYYY-MM-DD".
pub fn parse_date(text: &str) -> Result<NaiveDate, Said> {
    let t = text.trim();
    let b = t.as_bytes();
    let shape_ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape_ok {
        return Err(Said::new("problemDateFormat", &[("text", t)]));
    }
    let num = |r: std::ops::Range<usize>| t[r].parse::<u32>().unwrap_or(0);
    NaiveDate::from_ymd_opt(num(0..4) as i32, num(5..7), num(8..10))
        .ok_or_else(|| Said::new("problemDateCalendar", &[("text", t)]))
}

/// Reads an IANA zone name; the error names the closest known zone when there is one.
pub fn parse_time_zone(text: &str) -> Result<Tz, Said> {
    let t = text.trim();
    if let Ok(tz) = t.parse::<Tz>() {
        return Ok(tz);
    }
    let closest = Tz::names()
        .map(|name| {
            (
                edit_distance(&t.to_ascii_lowercase(), &name.to_ascii_lowercase()),
                name,
            )
        })
        .min();
    match closest {
        Some((d, name)) if d <= 3 => Err(Said::new(
            "problemZoneDidYouMean",
            &[("text", t), ("name", name)],
        )),
        _ => Err(Said::new("problemZoneUnknown", &[("text", t)])),
    }
}

/// Levenshtein distance, for "did you mean" only (inputs are short names).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().take(64).enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (diag + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// A time of day in the language's way, the one rule for every text the extension
/// shows (popup, notices, emails): "09:05", "15:00" in English; "9 h 05", "15 h" in
/// French. (Stored and typed times stay "HH:MM": `format_hhmm`.)
pub fn time_of_day(language: Language, hour: u32, minute: u32) -> String {
    match (language, minute) {
        (Language::En, m) => format!("{hour:02}:{m:02}"),
        (Language::Fr, 0) => format!("{hour} h"),
        (Language::Fr, m) => format!("{hour} h {m:02}"),
    }
}

/// A wall-clock minute that may lie before or after its day (a day bar, a span past
/// midnight), in the language's way ("14:00", "14 h").
pub fn clock(language: Language, minute: i32) -> String {
    let m = minute.rem_euclid(DAY_MINUTES as i32) as u32;
    time_of_day(language, m / 60, m % 60)
}

/// A span of the day in the language's way ("10:00–22:00", "10 h–22 h"): the one way
/// the popup, the canned messages and the checklist say hours. Midnight at its end reads
/// "24:00" ("24 h"), not "00:00" (an all-day span would read "00:00–00:00").
pub fn span_of_day(language: Language, start: i32, end: i32) -> String {
    let end = if end > 0 && end.rem_euclid(DAY_MINUTES as i32) == 0 {
        time_of_day(language, 24, 0)
    } else {
        clock(language, end)
    };
    format!("{}–{end}", clock(language, start))
}

/// Formats minutes from midnight as "HH:MM" (wrapping past midnight).
pub fn format_hhmm(minutes: u32) -> String {
    let m = minutes % DAY_MINUTES;
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// "2026-03-09". (By hand, not chrono's `format`: its strftime engine costs ~15 KB of wasm.)
pub fn format_date(d: &impl chrono::Datelike) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// "14:05".
pub fn format_clock(t: &impl chrono::Timelike) -> String {
    format_hhmm(t.hour() * 60 + t.minute())
}

impl ServiceHours {
    /// The service's zone; a name that does not parse falls back to the default
    /// service's zone (validation reports the bad name), never a panic.
    pub fn zone(&self) -> Tz {
        // Plain parse: the "did you mean" search is for validation messages only.
        let parse = |name: &str| name.trim().parse::<Tz>().ok();
        parse(&self.time_zone)
            .or_else(|| parse(&ServiceHours::default().time_zone))
            .unwrap_or(Tz::UTC)
    }
}

// ---- validation -------------------------------------------------------------------

/// One thing wrong in the settings, for the options page and the storage loader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsProblem {
    /// Path of the field, e.g. `service.weekly[2][0].end`.
    pub field: String,
    /// What is wrong, in plain words (of the catalog: `problem…` keys).
    pub message: Said,
}

impl SettingsProblem {
    pub fn new(field: impl Into<String>, message: impl Into<Said>) -> SettingsProblem {
        SettingsProblem {
            field: field.into(),
            message: message.into(),
        }
    }

    /// What is wrong in `catalog`'s language.
    pub fn text(&self, catalog: &Catalog) -> String {
        self.message.text(catalog)
    }
}

impl std::fmt::Display for SettingsProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Placeholders the missed-shift email may use.
pub const MISSED_SHIFT_PLACEHOLDERS: [&str; 5] = ["operator", "date", "shift", "missing", "stayed"];

struct Problems(Vec<SettingsProblem>);

impl Problems {
    fn add(&mut self, field: impl Into<String>, message: impl Into<Said>) {
        self.0.push(SettingsProblem::new(field, message));
    }

    fn date(&mut self, field: String, text: &str) -> Option<NaiveDate> {
        parse_date(text).map_err(|e| self.add(field, e)).ok()
    }

    /// A start/end pair; `what` is `Service` (opening, closing) or `Shift` (start, end):
    /// the middle of the keys `problem{what}At24`, `…Same`, `…Before`.
    fn times(&mut self, path: &str, start: &str, end: &str, what: &str) {
        let s = parse_hhmm(start)
            .map_err(|e| self.add(format!("{path}.start"), e))
            .ok();
        let e = parse_hhmm(end)
            .map_err(|e| self.add(format!("{path}.end"), e))
            .ok();
        let (Some(s), Some(e)) = (s, e) else { return };
        let args = [("start", format_hhmm(s)), ("end", format_hhmm(e))];
        let said = |key: &str, extra: Option<(&str, String)>| {
            let all: Vec<(&str, &str)> = args
                .iter()
                .chain(extra.iter())
                .map(|(n, v)| (*n, v.as_str()))
                .collect();
            Said::new(&format!("problem{what}{key}"), &all)
        };
        if s == DAY_MINUTES {
            self.add(format!("{path}.start"), said("At24", None));
        } else if s == e {
            self.add(format!("{path}.end"), said("Same", None));
        } else if e < s && DAY_MINUTES - s + e > MAX_CROSSING_MINUTES {
            let hours = ((DAY_MINUTES - s + e) / 60).to_string();
            self.add(
                format!("{path}.end"),
                said("Before", Some(("hours", hours))),
            );
        }
    }

    /// A number of minutes up to `limit` (the problem sits next to the field's label).
    fn at_most(&mut self, field: &str, value: u32, limit: u32) {
        if value > limit {
            let (value, limit) = (value.to_string(), limit.to_string());
            self.add(
                field,
                Said::new("problemAtMost", &[("value", &value), ("limit", &limit)]),
            );
        }
    }

    /// A list of names; `what` is `Replacement` or `Queue`: the middle of the keys
    /// `problem{what}Empty`, `problem{what}Twice`.
    fn names(&mut self, path: &str, names: &[String], what: &str) {
        for (i, n) in names.iter().enumerate() {
            if n.trim().is_empty() {
                self.add(
                    format!("{path}[{i}]"),
                    format!("problem{what}Empty").as_str(),
                );
            } else if names[..i]
                .iter()
                .any(|m| m.trim().eq_ignore_ascii_case(n.trim()))
            {
                self.add(
                    format!("{path}[{i}]"),
                    Said::new(&format!("problem{what}Twice"), &[("name", n)]),
                );
            }
        }
    }
}

/// A plausible email address: one '@', something before it, a dotted domain, no spaces.
pub fn looks_like_email(text: &str) -> bool {
    let t = text.trim();
    let Some((local, domain)) = t.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && !t.chars().any(char::is_whitespace)
        && domain.split('.').count() >= 2
        && domain.split('.').all(|part| !part.is_empty())
}

/// "unknown placeholder {x} (known: {a}, {b})".
pub fn unknown_placeholder(name: &str, known: &[&str]) -> Said {
    let known: Vec<String> = known.iter().map(|k| format!("{{{k}}}")).collect();
    // `known` first: the name the operator wrote could be "{known}".
    Said::new(
        "problemUnknownPlaceholder",
        &[
            ("known", &known.join(", ")),
            ("placeholder", &format!("{{{name}}}")),
        ],
    )
}

/// `{name}` placeholders in a template.
fn placeholders(template: &str) -> impl Iterator<Item = &str> {
    template
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
}

impl Settings {
    /// The language everything is said in: the choice, with "the browser's" resolved.
    pub fn language(&self) -> Language {
        self.language.resolve(self.browser_language.0)
    }

    /// Everything wrong with these settings; empty when they can be used as they are.
    pub fn validate(&self) -> Vec<SettingsProblem> {
        let mut p = Problems(Vec::new());
        self.validate_service(&mut p);
        self.validate_shifts(&mut p);
        self.validate_timing(&mut p);
        self.validate_rest(&mut p);
        p.0
    }

    /// Feature ids in `features.off` that no feature has (the registry passes its ids).
    pub fn validate_feature_ids(&self, known_ids: &[&str]) -> Vec<SettingsProblem> {
        let mut p = Problems(Vec::new());
        for (i, id) in self.features.off.iter().enumerate() {
            if !known_ids.contains(&id.as_str()) {
                p.add(
                    format!("features.off[{i}]"),
                    Said::new("problemUnknownFeature", &[("id", id)]),
                );
            }
        }
        p.0
    }

    fn validate_service(&self, p: &mut Problems) {
        let service = &self.service;
        if let Err(e) = parse_time_zone(&service.time_zone) {
            p.add("service.time_zone", e);
        }
        if service.weekly.len() != 7 {
            p.add(
                "service.weekly",
                Said::new(
                    "problemWeekDays",
                    &[("count", &service.weekly.len().to_string())],
                ),
            );
        }
        for (d, spans) in service.weekly.iter().enumerate() {
            for (i, span) in spans.iter().enumerate() {
                p.times(
                    &format!("service.weekly[{d}][{i}]"),
                    &span.start,
                    &span.end,
                    "Service",
                );
            }
        }
        for (i, day) in service.closed_days.iter().enumerate() {
            p.date(format!("service.closed_days[{i}]"), day);
        }
        for (i, ex) in service.exceptions.iter().enumerate() {
            let path = format!("service.exceptions[{i}]");
            if p.date(format!("{path}.date"), &ex.date).is_some()
                && service.exceptions[..i]
                    .iter()
                    .any(|other| other.date.trim() == ex.date.trim())
            {
                p.add(
                    format!("{path}.date"),
                    Said::new("problemExceptionTwice", &[("date", ex.date.trim())]),
                );
            }
            for (j, span) in ex.spans.iter().enumerate() {
                p.times(
                    &format!("{path}.spans[{j}]"),
                    &span.start,
                    &span.end,
                    "Service",
                );
            }
        }
    }

    fn validate_shifts(&self, p: &mut Problems) {
        for (i, shift) in self.shifts.weekly.iter().enumerate() {
            let path = format!("shifts.weekly[{i}]");
            if shift.weekday > 6 {
                p.add(
                    format!("{path}.weekday"),
                    Said::new("problemWeekday", &[("day", &shift.weekday.to_string())]),
                );
            }
            p.times(&path, &shift.start, &shift.end, "Shift");
            p.names(
                &format!("{path}.replacements"),
                &shift.replacements,
                "Replacement",
            );
            let from = shift
                .valid_from
                .as_deref()
                .and_then(|d| p.date(format!("{path}.valid_from"), d));
            let until = shift
                .valid_until
                .as_deref()
                .and_then(|d| p.date(format!("{path}.valid_until"), d));
            if let (Some(from), Some(until)) = (from, until) {
                if until < from {
                    let (until, from) = (until.to_string(), from.to_string());
                    p.add(
                        format!("{path}.valid_until"),
                        Said::new(
                            "problemShiftEndsBeforeBegins",
                            &[("until", &until), ("from", &from)],
                        ),
                    );
                }
            }
        }
        for (i, shift) in self.shifts.one_off.iter().enumerate() {
            let path = format!("shifts.one_off[{i}]");
            p.date(format!("{path}.date"), &shift.date);
            p.times(&path, &shift.start, &shift.end, "Shift");
            p.names(
                &format!("{path}.replacements"),
                &shift.replacements,
                "Replacement",
            );
        }
        for (i, day) in self.shifts.skipped.iter().enumerate() {
            p.date(format!("shifts.skipped[{i}]"), day);
        }
    }

    fn validate_timing(&self, p: &mut Problems) {
        let t = &self.timing;
        p.at_most("timing.pre_shift_minutes", t.pre_shift_minutes, 120);
        p.at_most(
            "timing.autologout_margin_minutes",
            t.autologout_margin_minutes,
            240,
        );
        p.at_most(
            "timing.autologout_warning_minutes",
            t.autologout_warning_minutes,
            60,
        );
        p.at_most(
            "timing.closing_heads_up_minutes",
            t.closing_heads_up_minutes,
            120,
        );
        p.at_most(
            "timing.timer_rounding_minutes",
            t.timer_rounding_minutes,
            60,
        );
        if t.timer_rounding_minutes == 0 {
            p.add("timing.timer_rounding_minutes", "problemRoundingZero");
        }
        p.at_most("timing.handover_minutes", t.handover_minutes, 120);
        p.at_most(
            "timing.handover_grace_minutes",
            t.handover_grace_minutes,
            240,
        );
        p.at_most("timing.after_close_minutes", t.after_close_minutes, 720);
    }

    fn validate_rest(&self, p: &mut Problems) {
        if self.queues.expected.is_empty() {
            p.add("queues.expected", "problemNoQueues");
        }
        for (path, list) in [
            ("queues.expected", &self.queues.expected),
            ("queues.home_team", &self.queues.home_team),
        ] {
            p.names(path, list, "Queue");
            for (i, q) in list.iter().enumerate() {
                if q.contains(',') {
                    p.add(
                        format!("{path}[{i}]"),
                        Said::new("problemQueueComma", &[("name", q)]),
                    );
                }
            }
        }
        for (r, rule) in self.canned.rules.iter().enumerate() {
            for (i, s) in rule.suggestions.iter().enumerate() {
                let path = format!("canned.rules[{r}].suggestions[{i}]");
                if s.name.trim().is_empty() {
                    p.add(format!("{path}.name"), "problemCannedNameEmpty");
                }
                if s.text.en.trim().is_empty() {
                    p.add(format!("{path}.text.en"), "problemEnglishEmpty");
                }
            }
        }
        let c = &self.coordinators;
        for (list, contacts) in [("site", &c.site), ("service", &c.service)] {
            for (i, contact) in contacts.iter().enumerate() {
                if !looks_like_email(&contact.email) {
                    p.add(
                        format!("coordinators.{list}[{i}].email"),
                        Said::new("problemNotEmail", &[("email", contact.email.trim())]),
                    );
                }
            }
        }
        for (field, template) in [
            ("missed_shift_subject", &c.missed_shift_subject),
            ("missed_shift_body", &c.missed_shift_body),
        ] {
            for name in placeholders(template) {
                if !MISSED_SHIFT_PLACEHOLDERS.contains(&name) {
                    p.add(
                        format!("coordinators.{field}"),
                        unknown_placeholder(name, &MISSED_SHIFT_PLACEHOLDERS),
                    );
                }
            }
        }
        let g = &self.guards;
        if g.watchdog_interval_minutes == 0 {
            p.add("guards.watchdog_interval_minutes", "problemWatchdogZero");
        }
        p.at_most(
            "guards.watchdog_interval_minutes",
            g.watchdog_interval_minutes,
            1440,
        );
        p.at_most(
            "guards.watchdog_after_close_minutes",
            g.watchdog_after_close_minutes,
            1440,
        );
        if g.default_replacements_needed > 10 {
            p.add(
                "guards.default_replacements_needed",
                Said::new(
                    "problemTooManyReplacements",
                    &[("count", &g.default_replacements_needed.to_string())],
                ),
            );
        }
        p.0.extend(super::procedure::problems(&self.procedure));
        let known: Vec<String> = super::locators::default_table()
            .into_iter()
            .map(|l| l.id)
            .collect();
        for (i, o) in self.locator_overrides.iter().enumerate() {
            if !known.contains(&o.id) {
                p.add(
                    format!("locator_overrides[{i}].id"),
                    Said::new("problemUnknownLocator", &[("id", &o.id)]),
                );
            }
        }
    }
}

/// 0 = Monday … 6 = Sunday, as `WeeklyShift::weekday` counts.
pub fn weekday_index(date: NaiveDate) -> u8 {
    date.weekday().num_days_from_monday() as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalog::english;
    use crate::core::test_support::{one_off, weekly};

    #[test]
    fn times_of_day_are_said_the_language_s_way() {
        assert_eq!(time_of_day(Language::En, 9, 5), "09:05");
        assert_eq!(time_of_day(Language::En, 15, 0), "15:00");
        assert_eq!(time_of_day(Language::Fr, 9, 5), "9 h 05");
        assert_eq!(time_of_day(Language::Fr, 15, 30), "15 h 30");
        assert_eq!(time_of_day(Language::Fr, 15, 0), "15 h");
    }

    #[test]
    fn a_span_of_the_day_is_said_the_language_s_way_and_ends_at_24_at_midnight() {
        let cases = [
            (Language::En, 22 * 60, 24 * 60, "22:00–24:00"),
            (Language::En, 0, 24 * 60, "00:00–24:00"),
            (Language::En, 23 * 60, 25 * 60, "23:00–01:00"),
            (Language::En, 8 * 60, 20 * 60, "08:00–20:00"),
            (Language::Fr, 8 * 60, 20 * 60, "8 h–20 h"),
            (Language::Fr, 9 * 60 + 14, 24 * 60, "9 h 14–24 h"),
            (Language::Fr, -60, 60, "23 h–1 h"),
        ];
        for (language, start, end, said) in cases {
            assert_eq!(span_of_day(language, start, end), said);
        }
    }

    #[test]
    fn every_server_is_listed_once_in_all() {
        // A new server fails to compile here until it is placed in `Server::ALL`.
        let position = |s: Server| match s {
            Server::Main => 0,
            Server::Ca => 1,
            Server::Us => 2,
            Server::Eu => 3,
            Server::Sg => 4,
        };
        for (i, s) in Server::ALL.into_iter().enumerate() {
            assert_eq!(position(s), i, "{s:?}");
        }
    }

    #[test]
    fn times_of_day_parse_or_say_why_not() {
        let cases: &[(&str, Result<u32, &str>)] = &[
            ("00:00", Ok(0)),
            ("09:30", Ok(570)),
            ("9:30", Ok(570)),
            (" 22:00 ", Ok(1320)),
            ("23:59", Ok(1439)),
            ("24:00", Ok(1440)),
            ("24:01", Err("hours go from 00 to 23")),
            ("25:00", Err("hours go from 00 to 23")),
            ("10:60", Err("minutes go from 00 to 59")),
            ("10:5", Err("HH:MM")),
            ("10h00", Err("HH:MM")),
            ("", Err("HH:MM")),
            ("-1:00", Err("HH:MM")),
            ("123:00", Err("HH:MM")),
            ("١٠:٠٠", Err("HH:MM")),
        ];
        for (text, want) in cases {
            match (parse_hhmm(text), want) {
                (Ok(got), Ok(want)) => assert_eq!(got, *want, "{text}"),
                (Err(got), Err(want)) => {
                    let got = english(&got);
                    assert!(got.contains(want), "{text}: {got}")
                }
                (got, want) => panic!("{text}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn dates_parse_or_say_why_not() {
        type Ymd = Option<(i32, u32, u32)>;
        let cases: &[(&str, Ymd)] = &[
            ("2026-03-08", Some((2026, 3, 8))),
            ("2028-02-29", Some((2028, 2, 29))),
            ("2026-02-29", None),
            ("2026-13-01", None),
            ("2026-3-8", None),
            ("08/03/2026", None),
            ("", None),
            ("2026-03-08T10:00", None),
        ];
        for (text, want) in cases {
            let got = parse_date(text)
                .ok()
                .map(|d| (d.year(), d.month(), d.day()));
            assert_eq!(got, *want, "{text}");
        }
    }

    #[test]
    fn time_zones_are_checked_against_the_database() {
        assert_eq!(
            parse_time_zone("America/Toronto"),
            Ok(Tz::named("America/Toronto").unwrap())
        );
        assert_eq!(
            parse_time_zone("Australia/Sydney"),
            Ok(Tz::named("Australia/Sydney").unwrap())
        );
        let err = english(&parse_time_zone("America/Torono").unwrap_err());
        assert_eq!(
            err,
            "unknown time zone 'America/Torono' (did you mean 'America/Toronto'?)"
        );
        let err = english(&parse_time_zone("Mars/Olympus").unwrap_err());
        assert!(err.starts_with("unknown time zone 'Mars/Olympus'"), "{err}");
        assert!(!err.contains("did you mean"), "{err}");
        let bad = ServiceHours {
            time_zone: "nowhere".into(),
            ..ServiceHours::default()
        };
        assert_eq!(bad.zone(), Tz::named("America/Toronto").unwrap());
    }

    #[test]
    fn the_defaults_are_valid() {
        assert_eq!(Settings::default().validate(), Vec::new());
    }

    #[test]
    fn the_default_canned_messages_are_the_askon_presets_as_serde_reads_them() {
        // build.rs writes them from the preset: a rule or a text it dropped or mangled
        // differs here.
        let preset = crate::core::procedure::parse_preset(include_str!(
            "../../extension/presets/askon.json"
        ))
        .unwrap();
        let canned: CannedSettings =
            serde_json::from_value(preset.settings["canned"].clone()).unwrap();
        assert_eq!(canned.rules.len(), 9);
        assert_eq!(CannedSettings::default(), canned);
    }

    fn problems_after(change: impl Fn(&mut Settings)) -> Vec<SettingsProblem> {
        let mut s = Settings::default();
        change(&mut s);
        s.validate()
    }

    #[test]
    fn each_mistake_is_named_by_its_field_in_plain_words() {
        type Change = fn(&mut Settings);
        let cases: Vec<(Change, &str, &str)> = vec![
            (
                |s| s.service.time_zone = "America/Torono".into(),
                "service.time_zone",
                "unknown time zone 'America/Torono'",
            ),
            (
                |s| s.service.weekly[2][0].end = "09:00".into(),
                "service.weekly[2][0].end",
                "closing time 09:00 is before opening time 10:00",
            ),
            (
                |s| s.service.weekly[0][0].start = "22:00".into(),
                "service.weekly[0][0].end",
                "closing time 22:00 is the same as opening time 22:00",
            ),
            (
                |s| s.service.weekly[6][0].start = "24:00".into(),
                "service.weekly[6][0].start",
                "24:00 can only be a closing time",
            ),
            (
                |s| s.service.weekly[1][0].start = "ten".into(),
                "service.weekly[1][0].start",
                "'ten' is not a time of day",
            ),
            (
                |s| s.service.weekly.truncate(5),
                "service.weekly",
                "the week has 7 days, Monday first; 5 are listed",
            ),
            (
                |s| s.service.closed_days.push("2026-12-32".into()),
                "service.closed_days[0]",
                "not a date on the calendar",
            ),
            (
                |s| s.shifts.weekly.push(weekly(7, "10:00", "11:00")),
                "shifts.weekly[0].weekday",
                "weekday 7 is not a day of the week",
            ),
            (
                |s| s.shifts.weekly.push(weekly(1, "10:00", "10:00")),
                "shifts.weekly[0].end",
                "end time 10:00 is the same as start time 10:00",
            ),
            (
                |s| {
                    s.shifts.weekly.push(WeeklyShift {
                        valid_from: Some("2026-05-01".into()),
                        valid_until: Some("2026-04-01".into()),
                        ..weekly(1, "10:00", "11:00")
                    })
                },
                "shifts.weekly[0].valid_until",
                "before it begins",
            ),
            (
                |s| {
                    s.shifts.weekly.push(WeeklyShift {
                        replacements: vec!["Ana".into(), "ana".into()],
                        ..weekly(1, "10:00", "11:00")
                    })
                },
                "shifts.weekly[0].replacements[1]",
                "listed twice",
            ),
            (
                |s| s.shifts.one_off.push(one_off("tomorrow", "10:00", "11:00")),
                "shifts.one_off[0].date",
                "'tomorrow' is not a date",
            ),
            (
                |s| s.shifts.skipped.push("2026-02-30".into()),
                "shifts.skipped[0]",
                "not a date on the calendar",
            ),
            (
                |s| s.timing.autologout_margin_minutes = 600,
                "timing.autologout_margin_minutes",
                "600 minutes is more than the most allowed (240 minutes)",
            ),
            (
                |s| s.timing.timer_rounding_minutes = 0,
                "timing.timer_rounding_minutes",
                "use 1 for no rounding",
            ),
            (
                |s| s.timing.pre_shift_minutes = 180,
                "timing.pre_shift_minutes",
                "180 minutes is more than the most allowed (120 minutes)",
            ),
            (
                |s| s.queues.expected.clear(),
                "queues.expected",
                "no queues listed",
            ),
            (
                |s| s.queues.expected = vec!["all_colleges, all_backup".into()],
                "queues.expected[0]",
                "contains a comma",
            ),
            (
                |s| s.queues.home_team = vec!["  ".into()],
                "queues.home_team[0]",
                "queue name is empty",
            ),
            (
                |s| {
                    s.coordinators.service = vec![Contact {
                        name: "Lauren Rupert".into(),
                        email: "lrupert at ocls.ca".into(),
                    }]
                },
                "coordinators.service[0].email",
                "'lrupert at ocls.ca' does not look like an email address",
            ),
            (
                |s| {
                    s.coordinators.site.push(Contact {
                        name: "X".into(),
                        email: "x@localhost".into(),
                    })
                },
                "coordinators.site[0].email",
                "does not look like an email",
            ),
            (
                |s| s.coordinators.missed_shift_subject = "Missed {shfit}".into(),
                "coordinators.missed_shift_subject",
                "unknown placeholder {shfit}",
            ),
            (
                |s| s.guards.watchdog_interval_minutes = 0,
                "guards.watchdog_interval_minutes",
                "never wait",
            ),
            (
                |s| s.guards.default_replacements_needed = 40,
                "guards.default_replacements_needed",
                "at most 10",
            ),
            (
                |s| s.canned.rules[0].suggestions[0].name.clear(),
                "canned.rules[0].suggestions[0].name",
                "name is empty",
            ),
            (
                |s| {
                    s.service.exceptions = vec![
                        DateException {
                            date: "2026-12-24".into(),
                            spans: vec![Span {
                                start: "10:00".into(),
                                end: "14:00".into(),
                            }],
                            note: String::new(),
                        },
                        DateException {
                            date: "2026-12-24".into(),
                            spans: Vec::new(),
                            note: String::new(),
                        },
                    ]
                },
                "service.exceptions[1].date",
                "only the first is used",
            ),
        ];
        for (change, field, words) in cases {
            let problems = problems_after(change);
            assert!(
                problems
                    .iter()
                    .any(|p| p.field == field && english(&p.message).contains(words)),
                "wanted {field}: …{words}…, got {problems:#?}"
            );
        }
    }

    #[test]
    fn allowed_shapes_are_not_problems() {
        type Change = fn(&mut Settings);
        let cases: Vec<(&str, Change)> = vec![
            ("service open past midnight", |s| {
                s.service.weekly[4] = vec![Span {
                    start: "18:00".into(),
                    end: "02:00".into(),
                }]
            }),
            ("service open until 24:00", |s| {
                s.service.weekly[0] = vec![Span {
                    start: "10:00".into(),
                    end: "24:00".into(),
                }]
            }),
            ("shift spanning midnight", |s| {
                s.shifts.weekly.push(weekly(4, "23:00", "01:00"))
            }),
            ("closed day", |s| s.service.weekly[5].clear()),
            ("one-word time zone", |s| s.service.time_zone = "UTC".into()),
            ("French", |s| s.language = LanguageChoice::Fr),
            ("no site coordinators", |s| s.coordinators.site.clear()),
        ];
        for (what, change) in cases {
            assert_eq!(problems_after(change), Vec::new(), "{what}");
        }
    }

    #[test]
    fn unknown_feature_ids_are_reported_against_the_registry() {
        let mut s = Settings::default();
        s.features.off = vec!["timer".into(), "tiemr".into()];
        let problems = s.validate_feature_ids(&["timer", "checklist"]);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, "features.off[1]");
        assert_eq!(english(&problems[0].message), "unknown feature 'tiemr'");
    }

    #[test]
    fn dates_and_clocks_are_written_with_leading_zeros() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 9).unwrap();
        assert_eq!(format_date(&d), "2026-03-09");
        let t = d.and_hms_opt(7, 5, 59).unwrap();
        assert_eq!(
            (format_date(&t), format_clock(&t)),
            ("2026-03-09".into(), "07:05".into())
        );
        let sydney = t
            .and_utc()
            .with_timezone(&Tz::named("Australia/Sydney").unwrap());
        assert_eq!(
            format_clock(&sydney),
            "18:05",
            "the zone's wall clock (AEDT, +11)"
        );
    }

    #[test]
    fn email_shapes() {
        for (text, ok) in [
            ("lrupert@ocls.ca", true),
            (" a.b@c.d.e ", true),
            ("@ocls.ca", false),
            ("a@b", false),
            ("a@@b.c", false),
            ("a b@c.d", false),
            ("a@b.", false),
            ("", false),
        ] {
            assert_eq!(looks_like_email(text), ok, "{text}");
        }
    }
}
