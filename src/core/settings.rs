//! The one settings schema: every fact about the service, with askON's values as the
//! defaults. Nothing askON-specific may appear outside `Default` impls in this file.
//!
//! Times of day are "HH:MM" strings in the service's time zone; dates are "YYYY-MM-DD".

use serde::{Deserialize, Serialize};

use super::locators::Locator;

/// The schema version written with every stored document (see migrations).
pub const SETTINGS_VERSION: u32 = 1;

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
    /// "en" or "fr": the language of procedure texts and suggestions.
    pub language: String,
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeeklyShift {
    pub weekday: u8,
    pub start: String,
    pub end: String,
    /// Operators the schedule expects to take over at the end (may be empty).
    #[serde(default)]
    pub replacements: Vec<String>,
}

/// A single shift on a date (also what an .ics import produces for one-off events).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Queues {
    /// Queues a regular shift staffs.
    pub expected: Vec<String>,
    /// Home Team First queues the operator may also staff (not flagged when present).
    pub home_team: Vec<String>,
}

/// Text in the two languages the extension ships.
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
    pub fn get(&self, language: &str) -> &str {
        if language == "fr" && !self.fr.trim().is_empty() {
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
            language: "en".to_string(),
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
    fn default() -> Self {
        use Moment::*;
        let rule = |moment, suggestions| CannedRule {
            moment,
            suggestions,
        };
        CannedSettings {
            rules: vec![
                rule(TransferAccepted, vec![suggestion(
                    "I've reviewed your transcript",
                    "Hi, I've reviewed your transcript and I'll be helping you from here. Give me a moment to continue where we left off.",
                    "Bonjour, j'ai lu la transcription de votre clavardage et je prends le relais. Un instant, je reprends là où nous en étions.",
                )]),
                rule(ChatPickedUp, vec![suggestion(
                    "Welcome",
                    "Hi, welcome to askON! I'm a library staff member. How can I help you today?",
                    "Bonjour et bienvenue à askON! Je fais partie du personnel de la bibliothèque. Comment puis-je vous aider aujourd'hui?",
                )]),
                rule(OfflineTextFirstShift, vec![suggestion(
                    "Offline text greeting",
                    "Hi, thanks for your text! I'm a library staff member with askON. We're open today {hours}. Here's what I found: ",
                    "Bonjour, merci pour votre texto! Je fais partie du personnel d'askON. Nous sommes ouverts aujourd'hui {hours}. Voici ce que j'ai trouvé : ",
                )]),
                rule(LeavingWithActiveChats, vec![suggestion(
                    "Leaving: transfer",
                    "My shift is ending, so I'm transferring you to a colleague who will continue helping you. Please stay in the chat.",
                    "Mon quart de travail se termine : je vous transfère à un ou une collègue qui continuera de vous aider. Veuillez rester dans le clavardage.",
                )]),
                rule(ClosingHeadsUp, vec![suggestion(
                    "Closing soon",
                    "Just a heads-up: askON closes in a few minutes. Let's make the most of the time we have.",
                    "Pour votre information : askON ferme dans quelques minutes. Profitons du temps qu'il nous reste.",
                )]),
                rule(AtClose, vec![suggestion(
                    "Closing",
                    "askON is now closing. Our hours are {hours}. Please come back with any other questions!",
                    "askON ferme maintenant. Nos heures sont {hours}. N'hésitez pas à revenir si vous avez d'autres questions!",
                )]),
                rule(WindingDown, vec![
                    suggestion(
                        "Thank you",
                        "Thank you for using askON! Is there anything else I can help you with?",
                        "Merci d'avoir utilisé askON! Puis-je vous aider avec autre chose?",
                    ),
                    suggestion(
                        "Save a copy",
                        "You can save a copy of this chat by using the email transcript option before you close the window.",
                        "Vous pouvez garder une copie de ce clavardage avec l'option d'envoi de la transcription par courriel avant de fermer la fenêtre.",
                    ),
                ]),
                rule(BackchatHello, vec![suggestion(
                    "Backchat hello",
                    "Hi everyone, I'm on shift now.",
                    "Bonjour à tous, je commence mon quart.",
                )]),
                rule(BackchatSignOff, vec![suggestion(
                    "Backchat sign-off",
                    "Signing off now. Thanks, everyone!",
                    "Je me déconnecte. Merci à tous!",
                )]),
            ],
        }
    }
}

impl Default for Coordinators {
    fn default() -> Self {
        Coordinators {
            site: Vec::new(),
            service: vec![Contact {
                name: "Lauren Rupert".to_string(),
                email: "lrupert@ocls.ca".to_string(),
            }],
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
