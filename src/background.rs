//! The service worker. `extension/background.js` only forwards each browser event here,
//! and this decides: messages from the page and the popup (each answered with a typed
//! `Reply`), storage changes, alarms, notification clicks, the keyboard shortcut, a tab
//! closing. It also keeps the pre-shift reminder: one alarm at the next shift's start
//! minus the login lead time, re-armed whenever the worker starts and whenever the
//! settings change; when it fires, a notification that brings up the web client. The
//! service-on watchdog is in `crate::watchdog`.

use wasm_bindgen::JsValue;

use crate::core::checklist::ShiftLogChange;
use crate::core::history::HistoryCounts;
use crate::core::messages::{
    BackgroundToContent, ContentToBackground, PageReport, PopupToBackground,
    COMMAND_INSERT_TOP_SUGGESTION,
};
use crate::core::reminder::{reminder_at, webclient_url, REMINDER_ALARM};
use crate::core::shift::next_shift_start;
use crate::core::storage::touches_settings;
use crate::ext::{self, alarms, ExtError, ExtResult};
use crate::watchdog;

/// The worker started: the reminder's and the watchdog's alarms match the settings.
pub async fn start() -> ExtResult<()> {
    arm_reminder().await?;
    watchdog::arm().await
}

/// `runtime.onInstalled`: `core::setup` decides — the setup page on a new install, the
/// popup's "what's new" after an update that has news.
pub async fn on_installed(details: JsValue) -> ExtResult<()> {
    use crate::core::setup::{on_installed, InstallAction, SETUP_PAGE, WHATS_NEW_KEY};
    let field = |name: &str| {
        js_sys::Reflect::get(&details, &name.into())
            .ok()
            .and_then(|v| v.as_string())
    };
    let reason = field("reason").unwrap_or_default();
    let previous = field("previousVersion");
    match on_installed(&reason, previous.as_deref(), &ext::manifest_version()) {
        InstallAction::OpenSetup => alarms::open_tab(&ext::runtime_get_url(SETUP_PAGE)).await,
        InstallAction::NoteWhatsNew(note) => {
            ext::LOCAL.set(WHATS_NEW_KEY, &ext::to_js(&note)?).await
        }
        InstallAction::Nothing => Ok(()),
    }
}

/// One message from a content script or an extension page, answered with a typed
/// reply (`core::messages::Reply`), never a rejection.
pub async fn on_message(message: JsValue, sender: JsValue) -> JsValue {
    if let Ok(msg) = ext::from_js::<ContentToBackground>(message.clone()) {
        return from_content(msg, ext::sender_tab(&sender)).await;
    }
    match ext::from_js::<PopupToBackground>(message) {
        Ok(PopupToBackground::ShiftLog { change }) => {
            ext::reply(ext::shift_log::apply(change).await)
        }
        Err(e) => ext::reply::<()>(Err(ExtError(format!("not a message: {}", e.0)))),
    }
}

async fn from_content(msg: ContentToBackground, tab: Option<i32>) -> JsValue {
    match msg {
        ContentToBackground::PageReport { report } => ext::reply(page_report(report, tab).await),
        ContentToBackground::HistoryCounts { history } => {
            ext::reply(history_counts(history, tab).await)
        }
        ContentToBackground::PageStopped { message } => {
            ext::reply(page_stopped(message, tab).await)
        }
        ContentToBackground::Notify { id, title, message } => {
            ext::reply(ext::notify(&id, &title, &message).await)
        }
        ContentToBackground::ClearNotification { id } => {
            ext::reply(alarms::clear_notification(&id).await)
        }
        ContentToBackground::Settings => ext::reply(settings_in_force().await),
        ContentToBackground::Catalog { language } => ext::reply(catalog(language).await),
        ContentToBackground::WatchdogCheckNow => ext::reply(watchdog::check(true).await),
        ContentToBackground::LogShiftEvent { event } => {
            ext::reply(ext::shift_log::apply(ShiftLogChange::Event { event }).await)
        }
        ContentToBackground::SaveLocatorOverride { locator } => {
            ext::reply(save_locator_override(locator).await)
        }
    }
}

/// A fix made with the element picker, saved with the operator's own settings (an
/// export carries it; a coordinator can push it by policy). Refused when the policy
/// locks the overrides or the locator is not one of the table's.
async fn save_locator_override(locator: crate::core::locators::Locator) -> ExtResult<()> {
    let state = ext::settings::load().await;
    if state.locked.iter().any(|p| p == "locator_overrides") {
        return Err(ExtError(
            "the page locators are set by your consortium's policy: ask your coordinator to send this fix"
                .into(),
        ));
    }
    if !crate::core::locators::default_table()
        .iter()
        .any(|l| l.id == locator.id)
    {
        return Err(ExtError(format!("unknown locator '{}'", locator.id)));
    }
    let mut user = state.user;
    crate::core::repair::save_override(&mut user.locator_overrides, locator);
    ext::settings::save(&user).await
}

/// A page's report: kept per tab for the popup, its badge set, and what the operator
/// did this shift kept so it survives a reload of the web client.
async fn page_report(report: PageReport, tab: Option<i32>) -> ExtResult<()> {
    let tab = tab.ok_or_else(|| ExtError("page report without a tab".into()))?;
    let badge = report.history.map(|h| h.badge_text()).unwrap_or_default();
    ext::SESSION
        .set(&ext::page_report_key(tab), &ext::to_js(&report)?)
        .await?;
    let remembered = crate::core::checklist::StoredRemembered {
        shift_key: report.shift_key.clone(),
        remembered: report.remembered.clone(),
    };
    ext::LOCAL
        .set(ext::REMEMBERED_KEY, &ext::to_js(&remembered)?)
        .await?;
    ext::SESSION
        .set(ext::LATEST_REPORT_KEY, &JsValue::from(tab))
        .await?;
    // On every tab: the count of the web client that reported last.
    ext::set_badge(&badge).await
}

/// Only the counts changed on a tab: its stored report gets them, and the badge.
async fn history_counts(history: Option<HistoryCounts>, tab: Option<i32>) -> ExtResult<()> {
    let tab = tab.ok_or_else(|| ExtError("history counts without a tab".into()))?;
    let key = ext::page_report_key(tab);
    let report = ext::SESSION.get(&key).await?;
    if !report.is_object() {
        return Err(ExtError("no report of this tab to update".into()));
    }
    set_field(&report, "history", &ext::to_js(&history)?)?;
    ext::SESSION.set(&key, &report).await?;
    ext::SESSION
        .set(ext::LATEST_REPORT_KEY, &JsValue::from(tab))
        .await?;
    ext::set_badge(&history.map(|h| h.badge_text()).unwrap_or_default()).await
}

/// Changes one field of a stored report as it is: the worker carries no decoder of
/// reports for an update.
fn set_field(report: &JsValue, field: &str, value: &JsValue) -> ExtResult<()> {
    js_sys::Reflect::set(report, &field.into(), value)
        .map(|_| ())
        .map_err(|_| ExtError("the page report could not be changed".into()))
}

/// The page loop on a tab failed: its last report stays (what was true then) with the
/// fault added, so the popup says the page is no longer checked instead of going quiet.
async fn page_stopped(message: String, tab: Option<i32>) -> ExtResult<()> {
    let tab = tab.ok_or_else(|| ExtError("page fault without a tab".into()))?;
    let key = ext::page_report_key(tab);
    let fault = crate::core::messages::FeatureFault {
        feature: crate::core::messages::PAGE_LOOP.to_string(),
        message,
    };
    let stored = ext::SESSION.get(&key).await?;
    // The stored report is changed as it is (its `faults` list gets one more), not
    // decoded and encoded again: the worker carries no decoder of reports for this.
    let report = if stored.is_object() {
        stored
    } else {
        ext::to_js(&PageReport::default())?
    };
    let faults = js_sys::Reflect::get(&report, &"faults".into())
        .ok()
        .filter(js_sys::Array::is_array)
        .map(|v| js_sys::Array::from(&v))
        .unwrap_or_default();
    faults.push(&ext::to_js(&fault)?);
    set_field(&report, "faults", &faults)?;
    ext::SESSION.set(&key, &report).await
}

/// The text catalog in `language`, for a page.
async fn catalog(
    language: crate::core::settings::Language,
) -> ExtResult<crate::core::catalog::Catalog> {
    ext::catalog::use_language(language).await?;
    Ok((*ext::catalog::current()).clone())
}

/// The settings in force, for a page (the worker is the one reader of settings storage).
async fn settings_in_force() -> ExtResult<crate::core::settings::Settings> {
    #[cfg(feature = "fault-injection")]
    if crate::fault::armed(crate::fault::WORKER_SETTINGS).await {
        return Err(ExtError(
            "fault injected: the worker cannot read the settings".into(),
        ));
    }
    Ok(ext::settings::load().await.settings)
}

/// A storage change: when it can change the settings in force, the alarms follow.
pub async fn on_storage_changed(changes: JsValue, area: String) -> ExtResult<()> {
    let keys = ext::changed_keys(changes);
    if !touches_settings(&area, keys.iter().map(String::as_str)) {
        return Ok(());
    }
    start().await
}

/// An alarm fired: the reminder's or the watchdog's.
pub async fn on_alarm(name: &str) -> ExtResult<()> {
    match name {
        REMINDER_ALARM => reminder_fired().await,
        watchdog::WATCHDOG_ALARM => watchdog::on_alarm().await,
        _ => Ok(()),
    }
}

/// A notification was clicked: the reminder brings up the web client; the others are
/// the watchdog's and the auto-logout alerts'.
pub async fn on_notification_clicked(id: &str) -> ExtResult<()> {
    if id == REMINDER_ALARM {
        reminder_clicked().await
    } else {
        watchdog::on_notification_clicked(id).await
    }
}

/// A keyboard shortcut (manifest `commands`) in `tab` (undefined: the active tab).
/// Answers with the name of the canned message put in, or none when the tab is not
/// the web client or nothing was suggested.
pub async fn on_command(command: &str, tab: JsValue) -> JsValue {
    if command != COMMAND_INSERT_TOP_SUGGESTION {
        return ext::reply::<()>(Err(ExtError(format!("no such command: {command}"))));
    }
    let tab = match ext::tab_id(&tab) {
        Some(tab) => Some(tab),
        None => ext::active_tab_id().await.unwrap_or(None),
    };
    let Some(tab) = tab else {
        return ext::reply(Ok(None::<String>));
    };
    // Another site has no content script to answer: nothing to do there.
    let inserted: Option<String> = ext::ask_tab(tab, &BackgroundToContent::InsertTopSuggestion)
        .await
        .unwrap_or(None);
    ext::reply(Ok(inserted))
}

/// A tab closed: forget its report.
pub async fn on_tab_removed(tab: i32) -> ExtResult<()> {
    ext::SESSION.remove(&ext::page_report_key(tab)).await?;
    // The web client whose count the badge shows is gone: no count is better than an
    // old one (another web client's next report sets it again).
    if ext::latest_report_tab().await? == Some(tab) {
        ext::set_badge("").await?;
    }
    Ok(())
}

// ---- the pre-shift reminder ----------------------------------------------------------

/// Arms the alarm for the next reminder, or clears it when there is no shift ahead.
/// Returns when it will fire (ms since the epoch), for tests and logs.
pub async fn arm_reminder() -> ExtResult<Option<f64>> {
    let settings = ext::settings::load().await.settings;
    match next_shift_start(&settings, ext::clock::now()) {
        Some(at) => {
            let ms = at.timestamp_millis() as f64;
            alarms::set_alarm(REMINDER_ALARM, ms).await?;
            Ok(Some(ms))
        }
        None => {
            alarms::clear_alarm(REMINDER_ALARM).await?;
            Ok(None)
        }
    }
}

/// The reminder's alarm fired: show it if it is still due, then arm the next one.
async fn reminder_fired() -> ExtResult<()> {
    let settings = ext::settings::load().await.settings;
    if let Some(r) = reminder_at(&settings, ext::clock::now()) {
        ext::catalog::use_language(settings.language()).await?;
        alarms::notify(REMINDER_ALARM, &ext::say(&r.title), &ext::say(&r.message)).await?;
    }
    arm_reminder().await.map(|_| ())
}

/// The reminder was clicked: the web client the extension last saw, else a new tab on
/// the consortium's server.
async fn reminder_clicked() -> ExtResult<()> {
    let _ = alarms::clear_notification(REMINDER_ALARM).await;
    if let Some(tab) = ext::latest_report_tab().await? {
        if alarms::focus_tab(tab).await.unwrap_or(false) {
            return Ok(());
        }
    }
    let settings = ext::settings::load().await.settings;
    alarms::open_tab(&webclient_url(&settings)).await
}
