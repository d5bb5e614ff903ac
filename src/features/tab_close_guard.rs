//! Feature `tab-close-guard`: closing the browser is not logging out — the web client
//! logs back in next time and can turn the service on during off hours. While the
//! operator is connected, closing or reloading the tab (or leaving the page) brings up
//! the browser's "leave page?" prompt; once logged out it never does. A web client that
//! comes back already connected outside service hours (a restored tab that logged
//! itself in) is an alert at once, in the page and as a system notification.
//!
//! Observes: the status drop-down and the login dialog (snapshot).
//! Decides: `leaving::tab_close_should_block`, `leaving::restored_alert_due`.
//! Shows: the browser's "Leave page?" prompt (the page loop listens for the tab
//! closing only while this asks); an alert notice
//! (`data-lh3-notice="leaving.restored_off_hours"`); one notification per load.

use chrono::{DateTime, Utc};
use web_sys::Document;

use super::{Effect, EventCtx, Feature, FeatureId, Kind, PageEvent, PageView, Verdict};
use crate::core::leaving::{restored_alert, restored_alert_due, tab_close_should_block};
use crate::core::messages::{ContentToBackground, NoticeLevel};
use crate::page::panel::MAIL_ATTR;

const RESTORED: &str = "leaving.restored_off_hours";

/// How long after a click on one of our email links the prompt is skipped: opening
/// the mail program is not leaving the page.
const MAILTO_GRACE_MS: i64 = 2_000;

#[derive(Default)]
pub struct TabCloseGuard {
    /// The status at the last pass says closing the tab should ask.
    block: bool,
    /// When one of the extension's email links was last clicked.
    mail_clicked_at: Option<DateTime<Utc>>,
    /// The login dialog was on screen since the page loaded: a later connection went
    /// through it, so it is not a restored tab.
    saw_login_dialog: bool,
    /// A restored connection outside hours, alerted (notification sent).
    restored: bool,
}

impl Feature for TabCloseGuard {
    fn id(&self) -> FeatureId {
        FeatureId::TabCloseGuard
    }

    fn on_event(&mut self, event: &PageEvent, ctx: &mut EventCtx) -> Verdict {
        match event.kind() {
            Kind::Click if event.closest(&format!("a[{MAIL_ATTR}]")).is_some() => {
                self.mail_clicked_at = Some(ctx.now);
                Verdict::Allow
            }
            Kind::BeforeUnload => {
                let mailing = self
                    .mail_clicked_at
                    .is_some_and(|at| (ctx.now - at).num_milliseconds() < MAILTO_GRACE_MS);
                if self.block && !mailing {
                    Verdict::Block
                } else {
                    Verdict::Allow
                }
            }
            _ => Verdict::Allow,
        }
    }

    fn update(&mut self, page: &mut PageView) -> Result<(), String> {
        let status = page.snapshot.status.as_ref();
        let dialog = page.snapshot.login_dialog.is_some();
        self.block = tab_close_should_block(status, dialog);
        page.ask_before_leaving |= self.block;

        self.saw_login_dialog |= dialog;
        let connected = page.snapshot.connected();
        let restored_now =
            connected && restored_alert_due(page.shift, status, self.saw_login_dialog);
        let (title, body) = restored_alert();
        if restored_now && !self.restored {
            self.restored = true;
            // The page shows the same alert; a worker restarting only costs the toast.
            page.then(Effect::Send(ContentToBackground::Notify {
                id: "lh3-restored-off-hours".into(),
                title: crate::ext::say(&title),
                message: crate::ext::say(&body),
            }));
        }
        if !connected {
            // Logged out: the alert has done its job.
            self.restored = false;
        }
        if self.restored && restored_now {
            page.show_in_dock(
                RESTORED,
                NoticeLevel::Alert,
                &crate::ext::say(&body),
                Vec::new(),
            );
            page.notice(RESTORED, NoticeLevel::Alert, body);
        }
        Ok(())
    }

    fn clear(&mut self, _doc: &Document) {
        self.block = false;
    }
}
