//! Feature `login-guard`: before "Connect now", the login dialog is checked against the
//! procedure (login step 1): the expected queues on, never "Never auto-logout", a timer
//! slightly longer than the shift.
//!
//! Observes: "Choose Staffing Assignments" (`snapshot.login_dialog`).
//! Decides: `guards::check_login_dialog` (queues and `timer::check_timer`).
//! Shows: one notice per finding just above "Connect now", repeated in the popup, with
//! one-click fixes that fill the form — "Use recommended timer (1 h 15 min)" selects
//! "Use timer" and types the hours and minutes; "Turn on all_backup" ticks the toggle.
//! It never presses "Connect now": the operator does.

use super::{Action, Effect, EventCtx, Feature, FeatureId, PageEvent, PageView, Place, Verdict};
use crate::core::alerts::notice_level;
use crate::core::catalog::Said;
use crate::core::guards::{check_login_dialog, same_name, Fix, Warning};
use crate::core::locators::ids;
use crate::core::timer::{duration_text, recommended_timer_minutes};
use crate::core::wake::Wake;
use crate::page::controls::row_of;
use crate::page::find::control_name;

const USE_TIMER: &str = "login-guard.use-timer";
const TURN_ON_QUEUES: &str = "login-guard.turn-on-queues";

/// What the buttons fill in, as decided at the last pass.
#[derive(Default)]
pub struct LoginGuard {
    timer_minutes: Option<u32>,
    queues: Vec<String>,
}

impl LoginGuard {
    /// "Use timer" with the recommended hours and minutes, as the operator would type them.
    fn fill_timer(&self, ctx: &mut EventCtx) {
        let Some(minutes) = self.timer_minutes else {
            return;
        };
        let doc = ctx.doc;
        let locate = ctx.locate();
        let Some(dialog) = locate.first(doc, ids::LOGIN_DIALOG) else {
            return;
        };
        let radio = locate.first_in(&dialog, ids::TIMER_USE);
        let hours = locate.first_in(&dialog, ids::TIMER_HOURS);
        let mins = locate.first_in(&dialog, ids::TIMER_MINUTES);
        if let Some(radio) = radio {
            ctx.then(Effect::TurnOn(radio));
        }
        if let Some(hours) = hours {
            ctx.then(Effect::Fill(hours, (minutes / 60).to_string()));
        }
        if let Some(mins) = mins {
            ctx.then(Effect::Fill(mins, (minutes % 60).to_string()));
        }
    }

    /// Ticks the expected queues that are off.
    fn fill_queues(&self, ctx: &mut EventCtx) {
        let doc = ctx.doc;
        let locate = ctx.locate();
        let Some(dialog) = locate.first(doc, ids::LOGIN_DIALOG) else {
            return;
        };
        for toggle in locate.all_in(&dialog, ids::QUEUE_TOGGLE) {
            let name = control_name(&toggle);
            if self.queues.iter().any(|q| same_name(q, &name)) {
                ctx.then(Effect::TurnOn(toggle));
            }
        }
    }
}

fn button_label(fix: &Fix, recommended: Option<u32>) -> Option<(String, &'static str)> {
    match fix {
        Fix::SetTimer { .. } | Fix::SetLogoutTime { .. } => {
            let d = duration_text(recommended?);
            let text = Said::new("loginUseRecommendedTimer", &[("d", &d)]);
            Some((crate::ext::say(&text), USE_TIMER))
        }
        Fix::TurnOnQueues { queues } => {
            let q = queues.join(", ");
            let text = Said::new("loginTurnOn", &[("q", &q)]);
            Some((crate::ext::say(&text), TURN_ON_QUEUES))
        }
        Fix::SetStatusAvailable | Fix::LogOut => None,
    }
}

impl LoginGuard {
    fn show(&mut self, page: &mut PageView, warnings: &[Warning]) {
        let recommended = recommended_timer_minutes(page.shift, &page.settings.timing);
        self.timer_minutes = recommended;
        self.queues = warnings
            .iter()
            .find_map(|w| match &w.fix {
                Some(Fix::TurnOnQueues { queues }) => Some(queues.clone()),
                _ => None,
            })
            .unwrap_or_default();
        let dialog = page.locate.first(page.doc, ids::LOGIN_DIALOG);
        let connect = dialog
            .as_ref()
            .and_then(|d| page.locate.first_in(d, ids::CONNECT_NOW));
        // Just above "Connect now", in order (at the end of the dialog without it).
        let place = match (connect.as_ref().map(row_of), dialog) {
            (Some(row), _) => Some(Place::Before(row)),
            (None, Some(d)) => Some(Place::Append(d)),
            (None, None) => None,
        };
        for w in warnings {
            let level = notice_level(w.severity);
            let labels: Vec<(String, &str)> = w
                .fix
                .iter()
                .filter_map(|fix| button_label(fix, recommended))
                .collect();
            let actions: Vec<Action> = labels
                .iter()
                .map(|(label, id)| Action { label, id })
                .collect();
            if let Some(place) = &place {
                page.show_notice(
                    &w.id,
                    place.clone(),
                    level,
                    &crate::ext::say(&w.text),
                    &actions,
                );
            }
        }
        for w in warnings.iter().rev() {
            page.notice(&w.id, notice_level(w.severity), w.text.clone());
        }
    }
}

impl Feature for LoginGuard {
    fn id(&self) -> FeatureId {
        FeatureId::LoginGuard
    }

    /// The one-click fixes fill the form as the operator would; never "Connect now".
    fn on_event(&mut self, event: &PageEvent, ctx: &mut EventCtx) -> Verdict {
        if event.is_action(USE_TIMER) {
            self.fill_timer(ctx);
        } else if event.is_action(TURN_ON_QUEUES) {
            self.fill_queues(ctx);
        } else {
            return Verdict::Allow;
        }
        Verdict::Block
    }

    fn update(&mut self, page: &mut PageView) -> Result<(), String> {
        let warnings = match &page.snapshot.login_dialog {
            Some(dialog) => {
                check_login_dialog(dialog, page.settings, page.shift, page.local_offset)
            }
            None => Vec::new(),
        };
        // While the dialog is open the timer is judged against the time left in the
        // shift ("ends at 15:07", the recommended 1 h 15 min): both move every minute.
        if let Some(shift) = page.shift.shift.as_ref().filter(|s| page.now < s.end) {
            if page.snapshot.login_dialog.is_some() {
                let end = shift.end;
                page.wake(Wake::MinutesFrom(end));
            }
        }
        if !warnings.is_empty() {
            self.show(page, &warnings);
        }
        Ok(())
    }
}
