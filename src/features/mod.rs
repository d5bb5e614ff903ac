//! One file per feature, each with the same small shape: what it observes, what it
//! decides with the core, what it shows. A feature owns its state (the registry owns
//! the feature); it sees the page once per pass (`update`) and each DOM event before
//! the page does (`on_event`, answering allow or block), and asks for follow-ups —
//! look again, record an event of the shift, press a control the operator chose — by
//! queuing `Effect`s the page loop runs afterwards. The registry below lists them; the catalog of
//! ids, names and descriptions is data in `core::features`, and `tests/conventions.rs`
//! checks that both agree with the files here, the README and the fixtures.

pub mod autologout_watch;
pub mod canned_suggestions;
pub mod closing_duties;
pub mod login_guard;
pub mod logout_gate;
pub mod new_chats;
pub mod off_hours_guard;
pub mod offline_text_guard;
pub mod staffing_check;
pub mod status_guard;
pub mod tab_close_guard;
pub mod transfer_guard;

use chrono::{DateTime, FixedOffset, Utc};
use web_sys::{Document, MutationRecord};

use crate::core::catalog::Said;
use crate::core::checklist::Remembered;
pub use crate::core::features::FeatureId;
use crate::core::history::HistoryCounts;
use crate::core::messages::{Notice, NoticeLevel, PageReport};
use crate::core::settings::Settings;
use crate::core::shift::ShiftContext;
use crate::core::snapshot::{Snapshot, TimerChoice};
use crate::core::wake::Wake;
pub use crate::page::effects::Effect;
pub use crate::page::events::{Kind, PageEvent, Verdict};
use crate::page::locate::Locate;
pub use crate::page::notices::{Action, Node, Place, Shown};

/// A message the operator sent, seen as it happened (Enter or Send in a pane).
#[derive(Debug, Clone)]
pub struct Sent {
    pub pane: String,
    pub backchat: bool,
    pub at: DateTime<Utc>,
}

/// What the page layer remembers between flushes for the current shift. No patron data.
#[derive(Debug, Clone, Default)]
pub struct PageMemory {
    pub shift_key: String,
    pub remembered: Remembered,
    /// The last auto-logout choice seen in the login dialog (applied on connecting).
    pub dialog_timer: Option<TimerChoice>,
    pub was_connected: bool,
    pub sent: Vec<Sent>,
    pub autologout_deadline: Option<DateTime<Utc>>,
    /// The Chat History table new-chats is marking, if any: a batch whose changes all
    /// lie in its rows concerns no other feature (see `content.rs`).
    pub history_table: Option<web_sys::Element>,
    /// Chat History's counts when it was last on the page, and when: the real client
    /// draws only the view in front, so while the operator is on the chats the last
    /// reading is what there is.
    pub last_history: Option<(HistoryCounts, DateTime<Utc>)>,
    /// The queues ticked in the login dialog while it was open (applied on connecting).
    pub dialog_queues: Option<Vec<String>>,
    /// The last list of queues being staffed that was on screen
    /// (`snapshot::staffing_remembered`).
    pub last_staffing: Option<Vec<String>>,
}

/// How long a Chat History reading stands in for the view once it is not shown.
const HISTORY_STANDS_MINUTES: i64 = 15;

impl PageMemory {
    /// Chat History's counts: shown now, else as last read within the last minutes.
    pub fn history(
        &self,
        shown: Option<HistoryCounts>,
        now: DateTime<Utc>,
    ) -> Option<HistoryCounts> {
        shown.or_else(|| {
            self.last_history
                .filter(|(_, at)| now - *at <= chrono::Duration::minutes(HISTORY_STANDS_MINUTES))
                .map(|(h, _)| h)
        })
    }

    /// The operator sent something in this pane.
    pub fn replied_in(&self, pane: &str) -> bool {
        self.sent.iter().any(|s| s.pane == pane)
    }
}

/// The features' view of one pass over the page: what was read, where the shift
/// stands, and where each feature puts what it decided (the report, wake-ups).
pub struct PageView<'a> {
    /// The feature being run (set by the page loop).
    pub owner: FeatureId,
    pub doc: &'a Document,
    pub locate: &'a mut Locate,
    pub settings: &'a Settings,
    /// The page as read at the start of this pass.
    pub snapshot: &'a Snapshot,
    /// Where the operator stands in the day, at `now`.
    pub shift: &'a ShiftContext,
    pub now: DateTime<Utc>,
    /// The browser's UTC offset (times the web client shows are local).
    pub local_offset: FixedOffset,
    pub memory: &'a mut PageMemory,
    /// The mutation records of this batch (empty on the first pass and on a nudge).
    pub records: &'a [MutationRecord],
    /// The first pass after the page loaded, or a pass after the settings changed:
    /// read everything, not just what changed.
    pub full: bool,
    /// The report the popup will see; each feature fills its own part.
    pub report: &'a mut PageReport,
    /// Instants at which what a feature shows or decides changes with the clock alone
    /// (the schedule's own boundaries are watched anyway): see `core::wake`.
    pub wakes: &'a mut Vec<Wake>,
    /// What the features ask the page loop to do after the pass.
    pub effects: &'a mut Vec<Effect>,
    /// What the feature being run wants on the page (the loop takes it after each).
    pub shown: Vec<Shown>,
    /// Closing the tab should ask "Leave page?" (a feature sets it each pass).
    pub ask_before_leaving: bool,
    /// The tab title should flash this (a feature sets it each pass).
    pub flash_title: Option<String>,
}

/// What a feature had said when it started (`PageView::checkpoint`): a feature that
/// fails part way through leaves nothing of its pass behind (`rollback`).
pub struct Checkpoint {
    effects: usize,
    notices: usize,
    ask_before_leaving: bool,
    flash_title: Option<String>,
}

impl PageView<'_> {
    pub fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            effects: self.effects.len(),
            notices: self.report.notices.len(),
            ask_before_leaving: self.ask_before_leaving,
            flash_title: self.flash_title.clone(),
        }
    }

    /// Forgets what was said since `at`.
    pub fn rollback(&mut self, at: Checkpoint) {
        self.effects.truncate(at.effects);
        self.report.notices.truncate(at.notices);
        self.ask_before_leaving = at.ask_before_leaving;
        self.flash_title = at.flash_title;
        self.shown.clear();
    }

    /// Asks for the page to be looked at again when the clock alone changes an answer.
    pub fn wake(&mut self, wake: Wake) {
        self.wakes.push(wake);
    }

    /// Asks the page loop to do something once the pass is over.
    pub fn then(&mut self, effect: Effect) {
        self.effects.push(effect);
    }

    /// Adds a notice for the popup.
    pub fn notice(&mut self, id: &str, level: NoticeLevel, text: Said) {
        self.report.notices.push(Notice {
            feature: self.owner.to_string(),
            id: id.to_string(),
            level,
            text,
        });
    }

    /// Wants `shown` on the page (this pass; what is not wanted again goes).
    pub fn show(&mut self, shown: Shown) {
        self.shown.push(shown);
    }

    /// Wants the notice `id` on the page at `place`, with `actions` as its buttons.
    pub fn show_notice(
        &mut self,
        id: &str,
        place: Place,
        level: NoticeLevel,
        text: &str,
        actions: &[Action],
    ) {
        let node = crate::page::notices::notice(id, level, text, actions);
        self.show(Shown::new(id, place, node));
    }

    /// A block in the leaving dock: a notice whose first line is `text`, then `body`.
    pub fn show_in_dock(&mut self, id: &str, level: NoticeLevel, text: &str, body: Vec<Node>) {
        let node = crate::page::notices::notice(id, level, text, &[]).children(body);
        self.show(Shown::new(id, Place::Dock, node));
    }

    /// A notice floating under the status menu, and the same for the popup.
    pub fn notice_at_status_menu(
        &mut self,
        id: &str,
        level: NoticeLevel,
        text: Said,
        actions: &[Action],
    ) {
        self.show_notice(
            id,
            Place::UnderStatusMenu,
            level,
            &crate::ext::say(&text),
            actions,
        );
        self.notice(id, level, text);
    }
}

/// What a feature gets with a DOM event: the settings, the clock, a locator
/// interpreter (made on first use: the page may have changed since the last pass), and
/// where to queue what should happen once every feature has answered.
pub struct EventCtx<'a> {
    pub doc: &'a Document,
    pub settings: &'a Settings,
    pub now: DateTime<Utc>,
    /// The shift it is (`checklist::shift_key_for`).
    pub shift_key: &'a str,
    locate: Option<Locate>,
    effects: &'a mut Vec<Effect>,
}

impl<'a> EventCtx<'a> {
    pub fn new(
        doc: &'a Document,
        settings: &'a Settings,
        now: DateTime<Utc>,
        shift_key: &'a str,
        effects: &'a mut Vec<Effect>,
    ) -> Self {
        EventCtx {
            doc,
            settings,
            now,
            shift_key,
            locate: None,
            effects,
        }
    }

    /// The locator table in force, on the page as it is now.
    pub fn locate(&mut self) -> &mut Locate {
        let settings = self.settings;
        self.locate
            .get_or_insert_with(|| crate::page::locate_in_force(settings))
    }

    /// Asks the page loop to do something once every feature has answered.
    pub fn then(&mut self, effect: Effect) {
        self.effects.push(effect);
    }

    /// How many effects are queued (to forget those of a feature that failed).
    pub fn checkpoint(&self) -> usize {
        self.effects.len()
    }

    pub fn rollback(&mut self, at: usize) {
        self.effects.truncate(at);
    }
}

pub trait Feature {
    /// Which feature this is (its catalog entry: `core::features`).
    fn id(&self) -> FeatureId;
    /// Observes the page as read this pass, decides with the core, shows the result.
    fn update(&mut self, page: &mut PageView) -> Result<(), String>;
    /// A DOM event, before the page sees it (`page::events`). Blocking it keeps it from
    /// the page and from the features after this one.
    fn on_event(&mut self, _event: &PageEvent, _ctx: &mut EventCtx) -> Verdict {
        Verdict::Allow
    }
    /// It was turned off: takes its marks off the page and forgets what it saw (what it
    /// showed goes with the next pass).
    fn clear(&mut self, _doc: &Document) {}
    /// Whether this feature reads the Chat History rows: a batch that only touched them
    /// runs `update` of such features alone, on the last snapshot (`content.rs`).
    fn reads_history_rows(&self) -> bool {
        false
    }
    /// A batch that only touched Chat History rows: a feature deciding from the history
    /// counts just put in `page.report.history` catches up here, without reading the page.
    /// Returns whether it said again all it wants shown (else what it showed stays).
    fn history_changed(&mut self, _page: &mut PageView) -> bool {
        false
    }
}

/// Every feature, in the order they run.
pub fn registry() -> Vec<Box<dyn Feature>> {
    vec![
        Box::new(new_chats::NewChats::default()),
        Box::new(off_hours_guard::OffHoursGuard::default()),
        Box::new(login_guard::LoginGuard::default()),
        Box::new(staffing_check::StaffingCheck),
        Box::new(status_guard::StatusGuard),
        Box::new(autologout_watch::AutologoutWatch::default()),
        Box::new(canned_suggestions::CannedSuggestions::default()),
        Box::new(transfer_guard::TransferGuard::default()),
        // Leaving: after new-chats (the gate counts New chats from its report).
        Box::new(tab_close_guard::TabCloseGuard::default()),
        Box::new(logout_gate::LogoutGate::default()),
        Box::new(offline_text_guard::OfflineTextGuard::default()),
        Box::new(closing_duties::ClosingDuties),
    ]
}
