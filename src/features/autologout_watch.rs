//! Feature `autologout-watch`: the auto-logout timer, followed from connecting to the
//! popup ("If your auto-logout timer goes off, either reset the timer or log out").
//!
//! Observes: the choice made at connect (`memory.remembered.timer`, set by the page
//! loop), changes in Preferences, "Remain logged in" in the popup (with the minutes it
//! showed), and whether the popup is open.
//! Decides: the deadline (`timer::autologout_deadline`), the countdown, the answer the
//! shift calls for (`timer::autologout_advice`: before the shift end "Remain logged in"
//! with the recommended timer, after it "Log me out"), and which alert is due
//! (`alerts::autologout_alerts`, each once).
//! Shows: `memory.autologout_deadline` (the popup's countdown); a few minutes before,
//! a notice under the status drop-down and a system notification; when the popup is
//! open, the advice inside it (with a button that fills in the recommended minutes —
//! never one that answers), a system notification, and a flashing tab title.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement};

use super::{Action, Effect, EventCtx, Feature, FeatureId, PageEvent, PageView, Place, Verdict};
use crate::core::alerts::{
    autologout_alerts, autologout_soon_text, flash_title, timer_restarted, AutologoutAlerts,
    TimerSighting, TimerWatch, ALERT_AUTOLOGOUT_POPUP, ALERT_AUTOLOGOUT_SOON,
};
use crate::core::catalog::Said;
use crate::core::locators::ids;
use crate::core::messages::{ContentToBackground, NoticeLevel};
use crate::core::snapshot::TimerChoice;
use crate::core::timer::{
    autologout_advice, autologout_deadline, clock_text, countdown, duration_text, Advice,
};
use crate::core::wake::Wake;
use crate::page::controls::row_of;

/// The notice a few minutes before the timer fires.
pub const SOON: &str = "autologout.soon";
/// The advice inside the popup.
pub const ADVICE: &str = "autologout.advice";
const FILL_MINUTES: &str = "autologout-watch.fill-minutes";
const OPEN_PREFERENCES: &str = "autologout-watch.open-preferences";

#[derive(Default)]
pub struct AutologoutWatch {
    watch: TimerWatch,
    alerts: AutologoutAlerts,
    /// The new timer "Fill in" types into the popup, as decided at the last pass.
    minutes: Option<u32>,
    /// Whether the popup was open at the last flush, and a "soon" notification is up.
    popup_was_open: bool,
    soon_raised: bool,
}

fn number(el: &Element) -> Option<u32> {
    el.dyn_ref::<HtmlInputElement>()
        .map(|i| i.value())
        .and_then(|v| v.trim().parse::<u32>().ok())
}

fn checked(el: Option<Element>) -> bool {
    el.and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
        .is_some_and(|i| i.checked())
}

/// The auto-logout choice shown in Preferences (outside the login dialog).
fn read_preferences(page: &mut PageView) -> Option<TimerChoice> {
    let use_timer = page.locate.first(page.doc, ids::PREFS_TIMER_USE)?;
    if checked(page.locate.first(page.doc, ids::PREFS_TIMER_NEVER)) {
        return Some(TimerChoice::Never);
    }
    if checked(page.locate.first(page.doc, ids::PREFS_TIMER_SPECIFIC)) {
        let at = page.locate.first(page.doc, ids::PREFS_TIMER_AT)?;
        let time = at.dyn_ref::<HtmlInputElement>()?.value();
        return Some(TimerChoice::at(&time));
    }
    if checked(Some(use_timer)) {
        let h = page
            .locate
            .first(page.doc, ids::PREFS_TIMER_HOURS)
            .and_then(|e| number(&e));
        let m = page
            .locate
            .first(page.doc, ids::PREFS_TIMER_MINUTES)
            .and_then(|e| number(&e));
        return Some(TimerChoice::countdown(h, m));
    }
    Some(TimerChoice::Unreadable)
}

fn notify(page: &mut PageView, id: &str, title: &str, message: &str) {
    page.then(Effect::Send(ContentToBackground::Notify {
        id: id.to_string(),
        title: title.to_string(),
        message: message.to_string(),
    }));
}

/// Takes a notification down once its moment has passed (a stale "answer now" after
/// the operator answered would only confuse).
fn unnotify(page: &mut PageView, id: &str) {
    page.then(Effect::Send(ContentToBackground::ClearNotification {
        id: id.to_string(),
    }));
}

impl AutologoutWatch {
    fn popup(&mut self, page: &mut PageView, popup: &Element, advice: Advice) {
        let text = advice.text();
        let input = page.locate.first_in(popup, ids::AUTOLOGOUT_NEW_TIMER);
        let fill_label = match advice {
            Advice::RemainLoggedIn { new_timer_minutes } if input.is_some() => {
                let d = duration_text(new_timer_minutes);
                Some(Said::new("autologoutFillIn", &[("d", &d)]))
            }
            _ => None,
        };
        let fill_label = fill_label.map(|l| crate::ext::say(&l));
        let actions: Vec<Action> = fill_label
            .iter()
            .map(|l| Action {
                label: l,
                id: FILL_MINUTES,
            })
            .collect();
        let answer = page
            .locate
            .first_in(popup, ids::REMAIN_LOGGED_IN)
            .or_else(|| page.locate.first_in(popup, ids::LOG_ME_OUT));
        let place = match answer {
            Some(button) => Place::Before(row_of(&button)),
            None => Place::Append(popup.clone()),
        };
        page.show_notice(
            ADVICE,
            place,
            NoticeLevel::Warning,
            &crate::ext::say(&text),
            &actions,
        );
        page.notice(ADVICE, NoticeLevel::Warning, text);
        page.flash_title = Some(crate::ext::say(&flash_title()));
    }
}

impl Feature for AutologoutWatch {
    fn id(&self) -> FeatureId {
        FeatureId::AutologoutWatch
    }

    /// "Fill in 45 min" types the new timer into the popup (it never answers it);
    /// "Open Preferences" opens them, as a click on the page's own link would.
    fn on_event(&mut self, event: &PageEvent, ctx: &mut EventCtx) -> Verdict {
        let doc = ctx.doc;
        if event.is_action(FILL_MINUTES) {
            let input = self
                .minutes
                .and_then(|m| Some((m, ctx.locate().first(doc, ids::AUTOLOGOUT_NEW_TIMER)?)));
            if let Some((minutes, input)) = input {
                ctx.then(Effect::Fill(input, minutes.to_string()));
            }
        } else if event.is_action(OPEN_PREFERENCES) {
            if let Some(link) = ctx.locate().first(doc, ids::PREFERENCES_NAV) {
                ctx.then(Effect::Press(link));
            }
        } else {
            return Verdict::Allow;
        }
        Verdict::Block
    }

    fn update(&mut self, page: &mut PageView) -> Result<(), String> {
        let connected = page.snapshot.connected();
        let popup = page.locate.first(page.doc, ids::AUTOLOGOUT_POPUP);
        let popup_minutes = popup
            .as_ref()
            .and_then(|p| page.locate.first_in(p, ids::AUTOLOGOUT_NEW_TIMER))
            .and_then(|e| number(&e));
        let seen = TimerSighting {
            connected,
            prefs: if connected {
                read_preferences(page)
            } else {
                None
            },
            popup_open: popup.is_some(),
            popup_minutes,
        };
        if let Some(set) = timer_restarted(&mut self.watch, &seen, page.now) {
            page.memory.remembered.timer = Some(set);
        }
        let deadline = page
            .memory
            .remembered
            .timer
            .as_ref()
            .filter(|_| connected)
            .and_then(|t| autologout_deadline(t.at, &t.choice, page.local_offset));
        page.memory.autologout_deadline = deadline;
        let advice = autologout_advice(page.shift, &page.settings.timing);
        self.minutes = match advice {
            Advice::RemainLoggedIn { new_timer_minutes } => Some(new_timer_minutes),
            Advice::LogMeOut => None,
        };
        for alert in autologout_alerts(
            &mut self.alerts,
            deadline,
            popup.is_some(),
            page.now,
            advice,
            &page.settings.timing,
        ) {
            let (title, message) = alert.text();
            notify(
                page,
                alert.id(),
                &crate::ext::say(&title),
                &crate::ext::say(&message),
            );
            self.soon_raised |= alert.id() == ALERT_AUTOLOGOUT_SOON;
        }
        let popup_open = popup.is_some();
        if popup_open != self.popup_was_open {
            self.popup_was_open = popup_open;
            if !popup_open {
                unnotify(page, ALERT_AUTOLOGOUT_POPUP);
            }
        }
        if self.soon_raised && (popup_open || !connected) {
            self.soon_raised = false;
            unnotify(page, ALERT_AUTOLOGOUT_SOON);
        }

        // A few minutes before: under the status drop-down, where the operator looks.
        let soon = deadline
            .map(|d| (d, countdown(d, page.now, &page.settings.timing)))
            .filter(|(_, c)| c.warn && popup.is_none());
        if let Some(d) = deadline {
            let warning = chrono::Duration::minutes(i64::from(
                page.settings.timing.autologout_warning_minutes,
            ));
            page.wakes
                .extend(d.checked_sub_signed(warning).map(Wake::At));
            page.wake(Wake::At(d));
            if soon.is_some() {
                page.wake(Wake::MinutesFrom(d));
            }
        }
        // The advice's new timer shrinks as the shift end comes closer.
        if let (Advice::RemainLoggedIn { .. }, Some(shift)) = (advice, &page.shift.shift) {
            if soon.is_some() || popup.is_some() {
                page.wake(Wake::MinutesFrom(shift.end));
            }
        }
        if let Some((d, c)) = soon {
            let at = clock_text(d, page.local_offset);
            let text = autologout_soon_text(c.seconds_left, at, &advice);
            let label = Said::new("autologoutOpenPreferences", &[]);
            page.notice_at_status_menu(
                SOON,
                NoticeLevel::Warning,
                text,
                &[Action {
                    label: &crate::ext::say(&label),
                    id: OPEN_PREFERENCES,
                }],
            );
        }
        if let Some(p) = &popup {
            self.popup(page, p, advice);
        }
        Ok(())
    }
}
