//! The service-on watchdog, in the background: "If you are visiting a college library
//! website during off hours and notice that the askON button is white, please contact
//! [the service coordinator] right away."
//!
//! When `guards.watchdog` is on, an alarm repeats every `watchdog_interval_minutes`.
//! Each time, if the service is closed (`core::watchdog::watchdog_due`: off hours, and up to
//! `watchdog_after_close_minutes` after close), it asks the public presence endpoint
//! about each expected queue. Only the queue name travels, in the URL: no cookies, no
//! referrer. Any queue answering available/chat raises a notification; clicking it
//! opens an email to the service coordinator. The last check is kept in
//! `chrome.storage.local` (`watchdog`) for the popup and the options page.
//!
//! The host permission is optional: `request_permission` asks for it and must be
//! called from a click (the options page's watchdog switch, or the popup).

use wasm_bindgen::prelude::*;

use crate::core::alerts::{ALERT_AUTOLOGOUT_POPUP, ALERT_AUTOLOGOUT_SOON};
use crate::core::settings::Settings;
use crate::core::shift;
use crate::core::watchdog::{
    presence_url, watchdog_check, watchdog_due, watchdog_mail, watchdog_notification,
    watchdog_queues, watchdog_should_notify, QueueAnswer, WatchdogCheck, WatchdogState,
    ALERT_WATCHDOG, WATCHDOG_STATE_KEY,
};
use crate::ext::{self, presence, ExtResult};

/// The alarm's name.
pub const WATCHDOG_ALARM: &str = "lh3-watchdog";
/// How long one presence request may take.
const FETCH_TIMEOUT_MS: f64 = 10_000.0;

/// The origins the watchdog asks: the configured server's presence path.
pub fn origins(settings: &Settings) -> Vec<String> {
    vec![format!("https://{}/presence/*", settings.server.host())]
}

/// Starts or stops the repeating alarm to match the settings.
pub async fn arm() -> ExtResult<()> {
    let settings = ext::settings::load().await.settings;
    if settings.guards.watchdog {
        let period = f64::from(settings.guards.watchdog_interval_minutes.max(1));
        ext::alarms::keep_repeating_alarm(WATCHDOG_ALARM, period).await
    } else {
        ext::alarms::clear_alarm(WATCHDOG_ALARM).await
    }
}

/// Its alarm fired: one check, when it is due.
pub async fn on_alarm() -> ExtResult<()> {
    check(false).await?;
    // A one-off alarm (a test's, or a changed period) leaves the repeating one in place.
    arm().await
}

async fn load_state() -> WatchdogState {
    match ext::LOCAL.get(WATCHDOG_STATE_KEY).await {
        Ok(v) if !v.is_undefined() => ext::from_js(v).unwrap_or_default(),
        _ => WatchdogState::default(),
    }
}

async fn ask(settings: &Settings, queue: &str) -> QueueAnswer {
    let answer = |answer: Option<String>, error: Option<String>| QueueAnswer {
        queue: queue.to_string(),
        answer,
        error,
    };
    let Some(url) = presence_url(settings.server, queue) else {
        return answer(None, Some("not a queue name".into()));
    };
    match presence::fetch_text(&url, FETCH_TIMEOUT_MS, 40).await {
        Ok((200, body)) => answer(Some(body.trim().to_string()), None),
        Ok((status, _)) => answer(None, Some(format!("HTTP {status}"))),
        Err(e) => answer(None, Some(e.0)),
    }
}

/// One check. With `now_anyway` (the options page's "Check now") it asks even while the
/// service is open, but only off hours is a queue that is on a finding.
/// Resolves to the check, or none when nothing was asked.
pub async fn check(now_anyway: bool) -> ExtResult<Option<WatchdogCheck>> {
    let settings = ext::settings::load().await.settings;
    if !settings.guards.watchdog && !now_anyway {
        return Ok(None);
    }
    let now = ext::clock::now();
    let ctx = shift::context(&settings, now);
    let mut on = settings.clone();
    on.guards.watchdog = true;
    let due = watchdog_due(&ctx, &on);
    if !due && !now_anyway {
        return Ok(None);
    }
    let queues = watchdog_queues(&settings);
    let mut answers = Vec::with_capacity(queues.len());
    if presence::has_origins(&origins(&settings)).await? {
        for q in &queues {
            answers.push(ask(&settings, q).await);
        }
    } else {
        for q in &queues {
            answers.push(QueueAnswer {
                queue: q.clone(),
                answer: None,
                error: Some("no permission to ask the presence endpoint".into()),
            });
        }
    }
    let result = watchdog_check(now, due, answers);
    let mut state = load_state().await;
    let notify = watchdog_should_notify(&mut state, &result);
    state.last = Some(result.clone());
    ext::LOCAL
        .set(WATCHDOG_STATE_KEY, &ext::to_js(&state)?)
        .await?;
    if notify {
        let (title, message) = watchdog_notification(&result.on);
        ext::catalog::use_language(settings.language()).await?;
        ext::notify(ALERT_WATCHDOG, &ext::say(&title), &ext::say(&message)).await?;
    }
    Ok(Some(result))
}

/// The watchdog's notification was clicked: the email to the service coordinator.
pub async fn on_notification_clicked(id: &str) -> ExtResult<()> {
    if id == ALERT_AUTOLOGOUT_SOON || id == ALERT_AUTOLOGOUT_POPUP {
        // Back to the web client, where its own notice (or the popup) carries on.
        let _ = ext::alarms::clear_notification(id).await;
        if let Some(tab) = ext::latest_report_tab().await? {
            ext::alarms::focus_tab(tab).await?;
        }
        return Ok(());
    }
    if id != ALERT_WATCHDOG {
        return Ok(());
    }
    let _ = ext::alarms::clear_notification(id).await;
    let settings = ext::settings::load().await.settings;
    let state = load_state().await;
    if state.notified_on.is_empty() {
        return Ok(());
    }
    let at = state.notified_at.unwrap_or_else(ext::clock::now);
    ext::catalog::use_language(settings.language()).await?;
    let mail = watchdog_mail(&settings, &ext::catalog::current(), &state.notified_on, at);
    ext::alarms::open_tab(&mail.mailto).await
}

/// The manifest's `optional_host_permissions`: the presence path on every server.
pub const OPTIONAL_ORIGINS: [&str; 2] = [
    "https://*.libraryh3lp.com/presence/*",
    "https://libraryh3lp.com/presence/*",
];

/// Asks for the presence endpoint's host permission, for whichever server the settings
/// name now or later (call it from a click handler). Resolves to whether it was granted.
pub fn request_permission() -> Result<js_sys::Promise, JsValue> {
    presence::request_origins(&OPTIONAL_ORIGINS.map(String::from))
}
