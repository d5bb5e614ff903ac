//! Feature `tab-close-guard`: closing the browser is not logging out — the web client
//! logs back in next time and can turn the service on during off hours. While the
//! operator is connected, closing or reloading the tab (or leaving the page) brings up
//! the browser's "leave page?" prompt; once logged out it never does. A web client that
//! comes back already connected outside service hours (a restored tab that logged
//! itself in) is an alert at once, in the page and as a system notification.
//!
//! Observes: the status drop-down and the login dialog (snapshot).
//! Decides: `leaving::tab_close_should_block`, `departure::restored_alert_due`.
//! Shows: a `beforeunload` listener, registered only while it should block; an alert
//! notice (`data-lh3-notice="leaving.restored_off_hours"`); one notification per load.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Document;

use super::{Feature, FeatureId, PageView};
use crate::core::departure::{restored_alert, restored_alert_due};
use crate::core::leaving::tab_close_should_block;
use crate::core::locators::ids;
use crate::core::messages::{ContentToBackground, NoticeLevel};
use crate::page::panel::{hide_block, mailto_just_clicked, show_block};

const FEATURE: &str = "tab-close-guard";
const RESTORED: &str = "leaving.restored_off_hours";

type Listener = Closure<dyn FnMut(web_sys::BeforeUnloadEvent)>;

#[derive(Default)]
pub struct TabCloseGuard {
    listener: Option<Listener>,
    registered: bool,
    /// The login dialog was on screen since the page loaded: a later connection went
    /// through it, so it is not a restored tab.
    saw_login_dialog: bool,
    /// A restored connection outside hours, alerted (notification sent).
    restored: bool,
}

fn prompt_listener() -> Listener {
    Closure::new(|e: web_sys::BeforeUnloadEvent| {
        if mailto_just_clicked() {
            return;
        }
        // Both, for every browser: the prompt's own text is the browser's.
        e.prevent_default();
        e.set_return_value("You are still logged in to LibraryH3lp.");
    })
}

impl TabCloseGuard {
    fn set_registered(&mut self, on: bool) {
        if self.registered == on {
            return;
        }
        let Some(window) = web_sys::window() else {
            return;
        };
        let listener = self.listener.get_or_insert_with(prompt_listener);
        let f = listener.as_ref().unchecked_ref();
        let done = if on {
            window.add_event_listener_with_callback("beforeunload", f)
        } else {
            window.remove_event_listener_with_callback("beforeunload", f)
        };
        if done.is_ok() {
            self.registered = on;
        }
    }
}

impl Feature for TabCloseGuard {
    fn id(&self) -> FeatureId {
        FeatureId::TabCloseGuard
    }

    fn update(&mut self, page: &mut PageView) -> Result<(), String> {
        let status = page.snapshot.status.as_ref();
        let dialog = page.snapshot.login_dialog.is_some();
        self.set_registered(tab_close_should_block(status, dialog));

        self.saw_login_dialog |= dialog;
        let connected = page.snapshot.connected();
        let restored_now =
            connected && restored_alert_due(page.shift, status, self.saw_login_dialog);
        let lang = page.settings.language;
        let (title, body) = restored_alert();
        if restored_now && !self.restored {
            self.restored = true;
            let msg = ContentToBackground::Notify {
                id: "lh3-restored-off-hours".into(),
                title: title.get(lang).to_string(),
                message: body.get(lang).to_string(),
            };
            wasm_bindgen_futures::spawn_local(async move {
                // The page shows the same alert; a worker restarting only costs the toast.
                let _ = crate::ext::send_message(&msg).await;
            });
        }
        if !connected {
            // Logged out: the alert has done its job.
            self.restored = false;
        }
        if self.restored && restored_now {
            let home = page.locate.first(page.doc, ids::CONTACTS);
            show_block(
                page.doc,
                home.as_ref(),
                RESTORED,
                NoticeLevel::Alert,
                body.get(lang),
                "",
                |_| Vec::new(),
            );
            page.notice(FEATURE, RESTORED, NoticeLevel::Alert, body);
        } else {
            hide_block(page.doc, RESTORED);
        }
        Ok(())
    }

    fn clear(&mut self, doc: &Document) {
        self.set_registered(false);
        hide_block(doc, RESTORED);
    }
}
