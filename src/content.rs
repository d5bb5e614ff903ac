//! The content script's page loop: on every batched flush, read the page once, work
//! out the shift context once, run each enabled feature (one failing feature never
//! stops another), and send the popup a report when it changed. DOM events reach the
//! features through the same loop (`on_event`); what they ask for afterwards (`Effect`)
//! runs once the loop has let go of its state.

use std::cell::RefCell;

use gloo_timers::callback::Timeout;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::core::checklist::{shift_key_for, TimerSetting};
use crate::core::locators::ids;
use crate::core::messages::{ContentToBackground, FeatureFault, NoticeLevel, PageReport};
use crate::core::settings::{BrowserLanguage, Settings};
use crate::core::settings_read::{read_settings, Tree};
use crate::core::shift;
use crate::core::wake;
use crate::ext::clock::{local_offset, now};
use crate::ext::{self};
use crate::features::{registry, EventCtx, Feature, FeatureId, PageMemory, PageView, Sent};
use crate::page::effects::{self, Effect, Outcome};
use crate::page::events::{self, Kind, PageEvent, Verdict};
use crate::page::guard;
use crate::page::locate::Locate;
use crate::page::marks::PANE_KEY;
use crate::page::notices::{notice, Anchors, Owner, Place, Shown, Stage};
use crate::page::observer::{self, Observer};
use crate::page::read::read_snapshot;

/// A feature as the page loop holds it: run only behind the guard, and not at all once
/// it failed (this page life).
struct Slot {
    feature: Box<dyn Feature>,
    /// Why it stopped, if it did.
    failed: Option<String>,
}

impl Slot {
    fn id(&self) -> FeatureId {
        self.feature.id()
    }

    /// Runs `f` on the feature behind the guard (`page::guard`). A panic marks the
    /// feature failed: it is told to take its marks off (guarded too) and never run
    /// again; `None` then, as for a feature that failed before.
    fn run<T>(
        &mut self,
        doc: &web_sys::Document,
        f: impl FnOnce(&mut dyn Feature) -> T,
    ) -> Option<T> {
        if self.failed.is_some() {
            return None;
        }
        #[cfg(feature = "fault-injection")]
        let id = self.id();
        let feature = self.feature.as_mut();
        let result = guard::guarded(|| {
            #[cfg(feature = "fault-injection")]
            crate::fault::inject(id);
            f(feature)
        });
        match result {
            Ok(out) => Some(out),
            Err(message) => {
                let _ = guard::guarded(|| self.feature.clear(doc));
                self.failed = Some(message);
                None
            }
        }
    }
}

pub struct ContentPage {
    features: Vec<Slot>,
    settings: Settings,
    engine: String,
    memory: PageMemory,
    last_sent: Option<PageReport>,
    /// The page as read by the last full pass (reused by a rows-only pass).
    last_snapshot: Option<crate::core::snapshot::Snapshot>,
    /// Why the defaults are in force, when the worker could not give the settings.
    settings_fault: Option<String>,
    /// Around the Chat History table, the part of the page nothing else is read from
    /// (as of the last full pass): see `history_region`.
    history_region: Option<web_sys::Element>,
    /// When the clock is next looked at (`core::wake`), if a timer is set.
    wake_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The first pass has run (it reads everything).
    started: bool,
    /// What each feature wants shown, as of the last time it said (`notices::Stage`).
    wanted: Vec<(Owner, Vec<Shown>)>,
    /// What the extension has on the page.
    stage: Stage,
    /// The status menu and the contacts list as of the last full pass (shared places
    /// for notices), when something wanted them.
    status_menu: Option<web_sys::Element>,
    contacts: Option<web_sys::Element>,
}

/// Sends report messages to the worker one at a time, each after the worker has answered
/// the one before: counts are written into the report the worker keeps, so a whole report
/// sent meanwhile must not be overtaken by an update of the older one. A report made
/// while one is on its way is sent whole once the worker has answered. Not delivered
/// (the worker restarting, or it has no report of this tab to update with counts):
/// counts are sent again as the whole report at once; a whole report that fails is sent
/// again at the next change.
async fn deliver(mut msg: ContentToBackground) {
    loop {
        let delivered = ext::ask::<()>(&msg).await.is_ok();
        let counts_only = matches!(msg, ContentToBackground::HistoryCounts { .. });
        let next = PAGE.with(|page| {
            let mut page = page.try_borrow_mut().ok()?;
            let page = page.as_mut()?;
            let newer = REPORT_WAITING.replace(false);
            if !delivered && !counts_only {
                page.last_sent = None;
            }
            if newer || (!delivered && counts_only) {
                page.last_sent.clone()
            } else {
                None
            }
        });
        match next {
            Some(report) => msg = ContentToBackground::PageReport { report },
            None => {
                REPORT_ON_ITS_WAY.set(false);
                return;
            }
        }
    }
}

thread_local! {
    static OBSERVER: RefCell<Option<Observer>> = const { RefCell::new(None) };
    static PAGE: RefCell<Option<ContentPage>> = const { RefCell::new(None) };
    static CLOCK: RefCell<Option<Timeout>> = const { RefCell::new(None) };
    /// A report message is on its way to the worker (`deliver`).
    static REPORT_ON_ITS_WAY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// A newer report was made while one was on its way: sent whole after it.
    static REPORT_WAITING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// The page loop failed (`loop_stopped`): the page is left alone from then on.
    static LOOP_STOPPED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// What one pass over the page works out once and every feature shares: the clock,
/// where the operator stands, the locator interpreter, the report being filled and the
/// wake-ups asked for.
struct Pass {
    now: chrono::DateTime<chrono::Utc>,
    shift: shift::ShiftContext,
    locate: Locate,
    report: PageReport,
    wakes: Vec<wake::Wake>,
    effects: Vec<Effect>,
}

impl Pass {
    fn new(settings: &Settings) -> Self {
        let now = now();
        Pass {
            now,
            shift: shift::context(settings, now),
            locate: crate::page::locate_in_force(settings),
            report: PageReport::default(),
            wakes: Vec::new(),
            effects: Vec::new(),
        }
    }

    /// The features' view of this pass.
    fn view<'a>(
        &'a mut self,
        doc: &'a web_sys::Document,
        settings: &'a Settings,
        snapshot: &'a crate::core::snapshot::Snapshot,
        memory: &'a mut PageMemory,
        records: &'a [web_sys::MutationRecord],
        full: bool,
    ) -> PageView<'a> {
        PageView {
            owner: FeatureId::ALL[0],
            doc,
            locate: &mut self.locate,
            settings,
            snapshot,
            shift: &self.shift,
            now: self.now,
            local_offset: local_offset(),
            memory,
            records,
            full,
            report: &mut self.report,
            wakes: &mut self.wakes,
            effects: &mut self.effects,
            shown: Vec::new(),
            ask_before_leaving: false,
            flash_title: None,
        }
    }
}

/// `<html data-lh3-flushes>`: how many flushes have finished, so a test can wait for
/// the pass after its action instead of sleeping (no observer watches this attribute).
fn count_flush(doc: &web_sys::Document) {
    if let Some(html) = doc.document_element() {
        let n = html
            .get_attribute("data-lh3-flushes")
            .and_then(|v| v.parse::<u64>().ok());
        let _ = html.set_attribute("data-lh3-flushes", &(n.unwrap_or(0) + 1).to_string());
    }
}

/// Asks for a flush (batched like mutations).
pub fn request_flush() {
    OBSERVER.with(|o| {
        if let Some(o) = o.borrow().as_ref() {
            o.request_flush();
        }
    });
}

/// Runs `f` on the page loop's state; `None` before it started, or while it is busy
/// (an event the page fires during a pass, such as focus moving).
fn with_page<T>(f: impl FnOnce(&mut ContentPage) -> T) -> Option<T> {
    if LOOP_STOPPED.with(|s| s.get()) {
        return None;
    }
    // The loop's own work is guarded too: a panic outside any feature (reading the
    // page, showing notices) would otherwise leave the page held and every later batch
    // silently skipped.
    match guard::guarded(|| PAGE.with(|p| p.try_borrow_mut().ok()?.as_mut().map(f))) {
        Ok(out) => out,
        Err(message) => {
            loop_stopped(message);
            None
        }
    }
}

/// The page loop failed: nothing on this page is checked any more. Said on the page and
/// to the worker (the popup names it), once; the leave-page prompt stays as it was.
fn loop_stopped(message: String) {
    LOOP_STOPPED.with(|s| s.set(true));
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        let text = ext::catalog::current().get("pageStopped");
        let node = notice(STOPPED, NoticeLevel::Alert, &text, &[]);
        // On <body>, outside the app's own containers, so a re-render cannot take it.
        if let (Some(body), Some(el)) = (doc.body(), node.render(&doc)) {
            let _ = body.append_child(&el);
        }
    }
    let msg = ContentToBackground::PageStopped { message };
    wasm_bindgen_futures::spawn_local(async move {
        let _ = ext::send_message(&msg).await;
    });
}

/// The notice that the page loop stopped.
const STOPPED: &str = "page.stopped";

/// Runs what the features asked for, with the loop's state let go.
fn finish(effects: Vec<Effect>) -> Outcome {
    let out = effects::run(effects);
    if out.flush {
        request_flush();
    }
    out
}

/// A batch from the observer (or a requested pass).
fn on_batch(records: Vec<web_sys::MutationRecord>, requested: bool) {
    let effects = with_page(|p| {
        let full = !std::mem::replace(&mut p.started, true);
        p.flush(&records, full, requested)
    });
    finish(effects.unwrap_or_default());
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        count_flush(&doc);
    }
}

/// A DOM event (`page::events`), before the page sees it.
fn on_event(event: &PageEvent) -> Verdict {
    let edit = matches!(event.kind(), Kind::Input | Kind::Change);
    // The element picker (the page check's Fix…) takes the page's events while open.
    if let Some(verdict) = crate::page::picker::on_event(event) {
        return verdict;
    }
    if event.is_ours() {
        // Carrying out the operator's choice: it passes every gate.
        if edit {
            request_flush();
        }
        return Verdict::Allow;
    }
    let Some((verdict, effects)) = with_page(|p| p.dispatch(event)) else {
        return Verdict::Allow;
    };
    finish(effects);
    // Checking a box or choosing a status changes no DOM: look again.
    if edit && verdict == Verdict::Allow {
        request_flush();
    }
    verdict
}

/// The table of locators in force on this page (defaults and configured overrides).
fn table_in_force() -> Vec<crate::core::locators::Locator> {
    let overrides = with_page(|p| p.settings.locator_overrides.clone()).unwrap_or_default();
    crate::core::locators::with_overrides(&overrides).0
}

/// The popup's page check: every locator looked up now, in this view.
pub fn check_page() -> Vec<crate::core::messages::LocatorHealth> {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return Vec::new();
    };
    let mut locate = Locate::new(table_in_force());
    // Read as a pass would first: what the page shows says which parts must be there
    // (connected, I'm Staffing cannot be missing).
    if let Some(settings) = with_page(|p| p.settings.clone()) {
        let _ = read_snapshot(&doc, &mut locate, &settings);
    }
    locate.check_all(&doc);
    crate::features::new_chats::check_history(&mut locate, &doc);
    locate.health()
}

/// The page check's **Fix…**: the element picker for locator `id`.
pub fn pick_locator(id: &str) -> Result<(), String> {
    let language = with_page(|p| p.settings.language()).unwrap_or_default();
    crate::page::picker::start(id, table_in_force(), language)
}

/// The keyboard shortcut: the top canned suggestion into the chat being typed in.
/// Returns the name inserted.
pub fn insert_top_suggestion() -> Option<String> {
    let event = PageEvent::command(Kind::InsertTopSuggestion);
    let (_, effects) = with_page(|p| p.dispatch(&event))?;
    finish(effects).inserted
}

/// One timer at most, set to the next instant a rule can change its answer
/// (`core::wake::next_wake`); none when nothing is watched: an idle page costs nothing.
fn arm_clock(now: chrono::DateTime<chrono::Utc>, at: Option<chrono::DateTime<chrono::Utc>>) {
    CLOCK.with(|c| {
        if let Some(t) = c.borrow_mut().take() {
            t.cancel();
        }
        if let Some(at) = at {
            *c.borrow_mut() = Some(Timeout::new(wake::delay_ms(now, at), || {
                CLOCK.with(|c| c.borrow_mut().take());
                with_page(|p| p.wake_at = None);
                request_flush();
            }));
        }
    });
}

impl ContentPage {
    /// Whether every record of a batch lies in the rows of the Chat History table (not
    /// its headers, not the table itself), or only changes text beside it (the "N chats"
    /// label a new row updates): then only new-chats has anything to do.
    fn rows_only(&self, records: &[web_sys::MutationRecord]) -> bool {
        let Some(table) = &self.memory.history_table else {
            return false;
        };
        let table_node: &web_sys::Node = table.unchecked_ref();
        !records.is_empty()
            && records.iter().all(|r| {
                r.target().is_some_and(|t| {
                    if !table_node.contains(Some(&t)) {
                        return self.beside_rows(r, &t);
                    }
                    let el = match t.dyn_ref::<web_sys::Element>() {
                        Some(e) => Some(e.clone()),
                        None => t.parent_element(),
                    };
                    !t.is_same_node(Some(table_node))
                        && el.is_some_and(|e| {
                            e.closest("thead, th, [role=columnheader]")
                                .ok()
                                .flatten()
                                .is_none()
                        })
                })
            })
    }

    /// A change of text only (no element added, removed or re-attributed) inside the
    /// history region: no locator can start or stop finding anything there.
    fn beside_rows(&self, record: &web_sys::MutationRecord, target: &web_sys::Node) -> bool {
        let Some(region) = &self.history_region else {
            return false;
        };
        let text_only = |list: web_sys::NodeList| {
            (0..list.length())
                .filter_map(|i| list.item(i))
                .all(|n| n.node_type() == web_sys::Node::TEXT_NODE)
        };
        let region: &web_sys::Node = region.unchecked_ref();
        !target.is_same_node(Some(region))
            && region.contains(Some(target))
            && match record.type_().as_str() {
                "characterData" => true,
                "childList" => text_only(record.added_nodes()) && text_only(record.removed_nodes()),
                _ => false,
            }
    }

    /// A batch that only touched Chat History rows: run new-chats alone on the last
    /// snapshot and update the counts in the last report. A one-row change then costs
    /// new-chats' own work, not a walk of the whole page (docs/performance.md).
    fn flush_rows(
        &mut self,
        doc: &web_sys::Document,
        records: &[web_sys::MutationRecord],
    ) -> Option<Vec<Effect>> {
        let (Some(snapshot), Some(last)) = (self.last_snapshot.clone(), self.last_sent.clone())
        else {
            return None;
        };
        let mut pass = Pass::new(&self.settings);
        if shift_key_for(&pass.shift) != self.memory.shift_key {
            return None;
        }
        let mut f = pass.view(
            doc,
            &self.settings,
            &snapshot,
            &mut self.memory,
            records,
            false,
        );
        // The features that read the rows run on them; the others catch up on the counts.
        let (readers, others): (Vec<_>, Vec<_>) = self
            .features
            .iter_mut()
            .filter(|s| s.failed.is_none() && self.settings.features.is_on(s.id().as_str()))
            .partition(|s| s.feature.reads_history_rows());
        let mut wanted = Vec::new();
        for reader in readers {
            f.owner = reader.id();
            let undo = f.checkpoint();
            if !matches!(reader.run(doc, |r| r.update(&mut f)), Some(Ok(()))) {
                // A full pass says what went wrong.
                f.rollback(undo);
                return None;
            }
            wanted.push((Owner::Feature(f.owner), std::mem::take(&mut f.shown)));
        }
        for slot in others {
            f.owner = slot.id();
            let undo = f.checkpoint();
            match slot.run(doc, |s| s.history_changed(&mut f)) {
                Some(true) => {
                    wanted.push((Owner::Feature(f.owner), std::mem::take(&mut f.shown)));
                }
                Some(false) => {}
                None => {
                    f.rollback(undo);
                    return None;
                }
            }
        }
        for (owner, shown) in wanted {
            self.want(owner, shown);
        }
        self.show(doc);
        let mut next = last;
        next.history = pass.report.history;
        self.send_report(next);
        Some(pass.effects)
    }

    /// The first look at a page marks the Chat History rows alone, so that an operator
    /// sees new chats highlighted before the whole page is read: cold, the full first
    /// pass takes about 65 ms, most of it locating everything else by its text
    /// (docs/performance.md, cold start). Nothing is reported or shown from it; the full
    /// first pass follows once the browser has painted the marks, and reads the rows
    /// again: the observer starts only after it, so a row changed in between is caught.
    fn mark_rows_first(&mut self, doc: &web_sys::Document) {
        let mut pass = Pass::new(&self.settings);
        let nothing_read = crate::core::snapshot::Snapshot::default();
        let mut f = pass.view(
            doc,
            &self.settings,
            &nothing_read,
            &mut self.memory,
            &[],
            true,
        );
        for slot in self.features.iter_mut() {
            if !slot.feature.reads_history_rows()
                || !self.settings.features.is_on(slot.id().as_str())
            {
                continue;
            }
            f.owner = slot.id();
            // A failure is kept by the slot; the full pass reports it.
            let _ = slot.run(doc, |r| r.update(&mut f));
        }
    }

    /// One pass over the page; returns what the features asked for afterwards.
    fn flush(
        &mut self,
        records: &[web_sys::MutationRecord],
        full: bool,
        requested: bool,
    ) -> Vec<Effect> {
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return Vec::new();
        };
        #[cfg(feature = "fault-injection")]
        crate::fault::inject_named(crate::core::messages::PAGE_LOOP);
        let rows_read = self.features.iter().any(|s| {
            s.failed.is_none()
                && s.feature.reads_history_rows()
                && self.settings.features.is_on(s.id().as_str())
        });
        if !full && !requested && rows_read && self.rows_only(records) {
            if let Some(effects) = self.flush_rows(&doc, records) {
                return effects;
            }
        }
        let mut pass = Pass::new(&self.settings);
        let key = shift_key_for(&pass.shift);
        if key != self.memory.shift_key {
            // A new shift: what was remembered belonged to the last one.
            // The queues last seen staffed are the page's, not the shift's.
            self.memory = PageMemory {
                shift_key: key.clone(),
                last_staffing: self.memory.last_staffing.take(),
                ..Default::default()
            };
        }
        let mut snapshot = read_snapshot(&doc, &mut pass.locate, &self.settings);
        for chat in &mut snapshot.chats {
            chat.operator_replied |= self.memory.replied_in(&chat.key);
        }
        self.remember(&snapshot, &pass.shift, pass.now);
        if snapshot.staffing.is_none() {
            snapshot.staffing = crate::core::snapshot::staffing_remembered(
                snapshot.staffing_tally,
                self.memory.last_staffing.as_deref(),
            );
        }
        pass.report.engine = self.engine.clone();
        pass.report.status = snapshot.status.clone();
        let mut f = pass.view(
            &doc,
            &self.settings,
            &snapshot,
            &mut self.memory,
            records,
            full,
        );
        let mut wanted = Vec::new();
        for slot in self.features.iter_mut() {
            f.owner = slot.id();
            let owner = Owner::Feature(f.owner);
            if !self.settings.features.is_on(f.owner.as_str()) {
                slot.run(&doc, |s| s.clear(&doc));
                wanted.push((owner, Vec::new()));
                continue;
            }
            let undo = f.checkpoint();
            match slot.run(&doc, |s| s.update(&mut f)) {
                Some(Ok(())) => {}
                Some(Err(message)) => f.report.faults.push(FeatureFault {
                    feature: f.owner.to_string(),
                    message,
                }),
                // It failed (now or before): nothing it said this pass counts.
                None => f.rollback(undo),
            }
            wanted.push((owner, std::mem::take(&mut f.shown)));
        }
        let failed: Vec<(FeatureId, String)> = self
            .features
            .iter()
            .filter_map(|s| Some((s.id(), s.failed.clone()?)))
            .collect();
        for (feature, message) in &failed {
            f.report.faults.push(FeatureFault {
                feature: feature.to_string(),
                message: message.clone(),
            });
        }
        wanted.push((Owner::Page, degraded(&failed)));
        events::watch_leaving(f.ask_before_leaving);
        crate::page::title::flash(f.flash_title.as_deref());
        for (owner, shown) in wanted {
            self.want(owner, shown);
        }
        // The shared places notices go to, found only when something goes there.
        let wants = |place: fn(&Place) -> bool| {
            self.wanted
                .iter()
                .any(|(_, list)| list.iter().any(|s| place(&s.place)))
        };
        if wants(|p| matches!(p, Place::UnderStatusMenu)) {
            self.status_menu = pass.locate.first(&doc, ids::STATUS_MENU);
        }
        if wants(|p| matches!(p, Place::Dock)) {
            self.contacts = pass.locate.first(&doc, ids::CONTACTS);
        }
        self.show(&doc);
        let Pass {
            now,
            shift: ctx,
            locate,
            mut report,
            wakes,
            effects,
        } = pass;
        if let Some(message) = &self.settings_fault {
            report.faults.push(FeatureFault {
                feature: crate::core::messages::SETTINGS_FAULT.to_string(),
                message: message.clone(),
            });
        }
        if report.history.is_some() {
            self.memory.remembered.history_viewed = true;
        }
        report.locators = locate.health();
        // Parts the guards need that could not be read are said, not left silent.
        let features = &self.settings.features;
        report
            .notices
            .extend(crate::core::unreadable::unreadable_notices(
                &snapshot,
                &report.locators,
                |id| features.is_on(id),
            ));
        self.history_region = self
            .memory
            .history_table
            .as_ref()
            .and_then(|t| history_region(t, &locate));
        self.last_snapshot = Some(snapshot.clone());
        report.snapshot = snapshot;
        report.remembered = self.memory.remembered.clone();
        report.shift_key = key;
        report.autologout_deadline = self.memory.autologout_deadline;
        // The schedule matters while connected, with the login dialog open, or with a
        // shift in view; features add what they show that counts down.
        let schedule = report.snapshot.connected()
            || report.snapshot.login_dialog.is_some()
            || ctx.shift.is_some();
        let wake_at = wake::next_wake(&self.settings, now, schedule, &wakes);
        // A timer already set for earlier stays: it fires, and this is worked out again.
        let earlier = matches!((self.wake_at, wake_at), (Some(set), Some(new)) if set <= new);
        if wake_at != self.wake_at && !earlier {
            self.wake_at = wake_at;
            arm_clock(now, wake_at);
        }
        self.send_report(report.without_patron_data());
        effects
    }

    /// Sends the report to the worker when it changed. When only the Chat History counts
    /// did (a row changed state), only they go: a whole report through
    /// `runtime.sendMessage` was most of a one-row change's CPU in the page
    /// (docs/performance.md).
    fn send_report(&mut self, report: PageReport) {
        let msg = match &self.last_sent {
            Some(last) if *last == report => return,
            Some(last)
                if report
                    == (PageReport {
                        history: report.history,
                        ..last.clone()
                    }) =>
            {
                ContentToBackground::HistoryCounts {
                    history: report.history,
                }
            }
            _ => ContentToBackground::PageReport {
                report: report.clone(),
            },
        };
        self.last_sent = Some(report);
        if REPORT_ON_ITS_WAY.replace(true) {
            REPORT_WAITING.set(true);
        } else {
            wasm_bindgen_futures::spawn_local(deliver(msg));
        }
    }

    /// What `owner` wants shown from now on.
    fn want(&mut self, owner: Owner, shown: Vec<Shown>) {
        match self.wanted.iter_mut().find(|(o, _)| *o == owner) {
            Some(entry) => entry.1 = shown,
            None => self.wanted.push((owner, shown)),
        }
    }

    /// Makes the page show what the features want.
    fn show(&mut self, doc: &web_sys::Document) {
        let wanted: Vec<(Owner, &[Shown])> = self
            .wanted
            .iter()
            .map(|(o, list)| (*o, list.as_slice()))
            .collect();
        let at = Anchors {
            status_menu: self.status_menu.as_ref(),
            contacts: self.contacts.as_ref(),
        };
        self.stage.reconcile(doc, &wanted, &at);
    }

    /// A DOM event, through each enabled feature in turn until one blocks it.
    fn dispatch(&mut self, event: &PageEvent) -> (Verdict, Vec<Effect>) {
        let mut effects = Vec::new();
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return (Verdict::Allow, effects);
        };
        let mut ctx = EventCtx::new(
            &doc,
            &self.settings,
            now(),
            &self.memory.shift_key,
            &mut effects,
        );
        let mut verdict = Verdict::Allow;
        for slot in self.features.iter_mut() {
            if slot.failed.is_some() || !self.settings.features.is_on(slot.id().as_str()) {
                continue;
            }
            let undo = ctx.checkpoint();
            match slot.run(&doc, |s| s.on_event(event, &mut ctx)) {
                Some(Verdict::Block) => {
                    verdict = Verdict::Block;
                    break;
                }
                Some(Verdict::Allow) => {}
                None => {
                    // It failed on this event: what it asked for does not happen, the
                    // event goes on to the others, and a pass says it stopped.
                    ctx.rollback(undo);
                    ctx.then(Effect::Flush);
                }
            }
        }
        // A message the page never got was not sent.
        if verdict == Verdict::Allow && self.note_sent(event) {
            effects.push(Effect::Flush);
        }
        (verdict, effects)
    }

    /// Facts the checklist needs that no single snapshot shows.
    fn remember(
        &mut self,
        snap: &crate::core::snapshot::Snapshot,
        ctx: &shift::ShiftContext,
        now: chrono::DateTime<chrono::Utc>,
    ) {
        let m = &mut self.memory;
        if let Some(dialog) = &snap.login_dialog {
            m.dialog_timer = Some(dialog.timer.clone());
            m.dialog_queues = Some(dialog.chosen_queues());
        }
        if let Some(list) = &snap.staffing {
            m.last_staffing = Some(list.clone());
        }
        let connected = snap.connected();
        if connected && !m.was_connected {
            if let Some(choice) = m.dialog_timer.take() {
                m.remembered.timer = Some(TimerSetting { choice, at: now });
            }
            if let Some(queues) = m.dialog_queues.take() {
                if snap.staffing.is_none() {
                    m.last_staffing = Some(queues);
                }
            }
        }
        m.was_connected = connected;
        let handover_from = ctx.shift.as_ref().map(|s| {
            s.end - chrono::Duration::minutes(i64::from(self.settings.timing.handover_minutes))
        });
        for sent in m.sent.iter().filter(|s| s.backchat) {
            if handover_from.is_some_and(|h| sent.at >= h) {
                m.remembered.leaving.said_sign_off = true;
            } else {
                m.remembered.said_hello = true;
            }
        }
        m.remembered.leaving.me = self.settings.operator_name.clone();
    }

    /// The operator sent something in a pane: Enter (without Shift) in a typing area
    /// with text, or a click on the pane's Send button. Seeing the act is sturdier than
    /// reading whose name is on which message line.
    fn note_sent(&mut self, event: &PageEvent) -> bool {
        let Some(target) = event.target() else {
            return false;
        };
        let Some(pane) = event.closest(&format!("[{PANE_KEY}]")) else {
            return false;
        };
        let is_send = match event.kind() {
            Kind::KeyDown => {
                event.key().is_some_and(|k| k.name == "Enter" && !k.shift)
                    && target
                        .dyn_ref::<web_sys::HtmlTextAreaElement>()
                        .is_some_and(|t| !t.value().trim().is_empty())
            }
            Kind::Click => event.closest("button, [role=button]").is_some_and(|b| {
                crate::core::locators::text_matches(
                    &crate::page::accessible_name(&b),
                    &["Send".to_string()],
                )
            }),
            _ => false,
        };
        if !is_send {
            return false;
        }
        let key = pane.get_attribute(PANE_KEY).unwrap_or_default();
        let backchat = self
            .last_snapshot
            .as_ref()
            .and_then(|s| s.chats.iter().find(|c| c.key == key))
            .is_some_and(|c| c.is_backchat);
        self.memory.sent.push(Sent {
            pane: key,
            backchat,
            at: now(),
        });
        true
    }
}

/// The widest ancestor of the Chat History table (below `<body>`) that holds no element
/// any locator found this flush outside the table: the history view with its toolbar
/// and "N chats" label, not the status menu, contacts or chat panes.
fn history_region(table: &web_sys::Element, locate: &Locate) -> Option<web_sys::Element> {
    let others: Vec<&web_sys::Element> = locate
        .found_elements()
        .filter(|e| !table.contains(Some(e)))
        .collect();
    let body = table.owner_document()?.body()?;
    let mut region = None;
    let mut at = table.parent_element();
    while let Some(el) = at {
        if el.is_same_node(Some(&body)) || others.iter().any(|o| el.contains(Some(o))) {
            break;
        }
        at = el.parent_element();
        region = Some(el);
    }
    region
}

/// The settings in force, from the worker (the one reader of settings storage). A worker
/// that is restarting gets a few short retries; after that the page runs on the
/// defaults and its report says why.
async fn settings_in_force() -> (Settings, Option<String>) {
    let mut last = String::new();
    for attempt in 0..4u32 {
        if attempt > 0 {
            gloo_timers::future::TimeoutFuture::new(150 * attempt).await;
        }
        // Read by hand from a plain tree (`core::settings_read`, held to serde's answers
        // by its tests): serde's code for every settings type cost this module ~6 KB gzip.
        let answer = ext::ask::<Tree>(&ContentToBackground::Settings).await;
        match answer.and_then(|t| read_settings(&t).map_err(|e| ext::ExtError(e.to_string()))) {
            Ok(mut settings) => {
                // Not sent: what "follow the browser" means is read here.
                settings.browser_language = BrowserLanguage(ext::catalog::browser_language());
                page_catalog(&settings).await;
                return (settings, None);
            }
            Err(e) => last = e.0,
        }
    }
    // The settings, and so the language chosen, are unknown: the defaults follow the
    // browser, so the page and this fault speak the browser's language.
    let settings = Settings {
        browser_language: BrowserLanguage(ext::catalog::browser_language()),
        ..Settings::default()
    };
    page_catalog(&settings).await;
    let fault = crate::core::catalog::Said::new("faultSettingsNotHad", &[("why", &last)]);
    (settings, Some(ext::say(&fault)))
}

/// The words of `settings`' language, as data from the worker (kept as they were when
/// it cannot answer: a missing word shows its key).
async fn page_catalog(settings: &Settings) {
    let language = settings.language();
    match ext::ask(&ContentToBackground::Catalog { language }).await {
        Ok(catalog) => ext::catalog::set(catalog),
        Err(e) => web_sys::console::warn_1(&e.0.into()),
    }
}

/// The page's own notice that features stopped working, with which and why (the
/// popup's page check says the same): the operator is not left believing they are
/// covered.
fn degraded(failed: &[(FeatureId, String)]) -> Vec<Shown> {
    if failed.is_empty() {
        return Vec::new();
    }
    let catalog = ext::catalog::current();
    let names: Vec<String> = failed
        .iter()
        .map(|(id, _)| catalog.get(&id.info().name_key()))
        .collect();
    let names = names.join(", ");
    let text =
        crate::core::catalog::Said::new("pageShiftHelperStoppedWorking", &[("names", &names)]);
    let node = notice(DEGRADED, NoticeLevel::Warning, &crate::ext::say(&text), &[]);
    vec![Shown::new(DEGRADED, Place::UnderStatusMenu, node)]
}

/// The notice that features stopped working.
const DEGRADED: &str = "page.degraded";

/// Starts the extension on the web client page.
pub async fn start(engine: String) -> Result<(), JsValue> {
    guard::install_panic_hook();
    let (settings, settings_fault) = settings_in_force().await;
    // What was remembered earlier this shift (the page may have been reloaded).
    let stored: crate::core::checklist::StoredRemembered =
        match ext::LOCAL.get(ext::REMEMBERED_KEY).await {
            Ok(v) if !v.is_undefined() => ext::from_js(v).unwrap_or_default(),
            _ => Default::default(),
        };
    let page = ContentPage {
        features: registry()
            .into_iter()
            .map(|feature| Slot {
                feature,
                failed: None,
            })
            .collect(),
        settings,
        engine,
        memory: PageMemory {
            shift_key: stored.shift_key,
            remembered: stored.remembered,
            ..Default::default()
        },
        last_sent: None,
        last_snapshot: None,
        settings_fault,
        history_region: None,
        wake_at: None,
        started: false,
        wanted: Vec::new(),
        stage: Stage::default(),
        status_menu: None,
        contacts: None,
    };
    PAGE.with(|p| *p.borrow_mut() = Some(page));
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        parsed(&doc).await;
        with_page(|p| p.mark_rows_first(&doc));
        painted().await;
    }
    events::listen(on_event)?;
    let obs = observer::start(on_batch)?;
    OBSERVER.with(|o| *o.borrow_mut() = Some(obs));
    Ok(())
}

/// Resolves once the document is parsed, at once if it is. The script is loaded at
/// `document_start`, so the module, the settings and the remembered facts arrive while
/// the page is still parsing, and the first pass runs as soon as there is a page to read
/// (docs/performance.md, cold start). A page that draws itself later is followed by the
/// observer as before.
async fn parsed(doc: &web_sys::Document) {
    if doc.ready_state() != "loading" {
        return;
    }
    let target = doc.clone();
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let _ = target.add_event_listener_with_callback("DOMContentLoaded", &resolve);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Resolves after the browser's next paint: a task queued from the next animation
/// frame runs once that frame is drawn. A background tab draws no frames, so a
/// timeout (as the observer's flush has) resolves it there.
async fn painted() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let after = resolve.clone();
        let win = window.clone();
        let next_frame = Closure::once_into_js(move || {
            let _ = win.set_timeout_with_callback(after.unchecked_ref());
        });
        let _ = window.request_animation_frame(next_frame.unchecked_ref());
        let _ = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(resolve.unchecked_ref(), 250);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Settings changed in storage (options page, import, policy): reload and re-read all.
pub async fn settings_changed() {
    let (settings, settings_fault) = settings_in_force().await;
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let effects = with_page(|p| {
        p.settings = settings;
        p.settings_fault = settings_fault;
        for slot in p.features.iter_mut() {
            slot.run(&doc, |s| s.clear(&doc));
        }
        p.flush(&[], true, true)
    });
    finish(effects.unwrap_or_default());
}
