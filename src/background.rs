//! The pre-shift reminder in the background: one alarm at the next shift's start minus
//! the login lead time, re-armed whenever the worker starts and whenever the settings
//! change; when it fires, a notification that brings up the web client.

use wasm_bindgen::JsValue;

use crate::core::reminder::{reminder_at, webclient_url, REMINDER_ALARM};
use crate::core::shift::next_shift_start;
use crate::ext::{self, alarms};

fn js(e: ext::ExtError) -> JsValue {
    JsValue::from_str(&e.0)
}

/// Arms the alarm for the next reminder, or clears it when there is no shift ahead.
/// Returns when it will fire (ms since the epoch), for tests and logs.
pub async fn arm_reminder() -> Result<Option<f64>, JsValue> {
    let settings = ext::settings::load().await.settings;
    match next_shift_start(&settings, ext::clock::now()) {
        Some(at) => {
            let ms = at.timestamp_millis() as f64;
            alarms::set_alarm(REMINDER_ALARM, ms).await.map_err(js)?;
            Ok(Some(ms))
        }
        None => {
            alarms::clear_alarm(REMINDER_ALARM).await.map_err(js)?;
            Ok(None)
        }
    }
}

/// An alarm fired: show the reminder if it is still due, then arm the next one.
pub async fn on_alarm(name: &str) -> Result<(), JsValue> {
    if name != REMINDER_ALARM {
        return Ok(());
    }
    let settings = ext::settings::load().await.settings;
    if let Some(r) = reminder_at(&settings, ext::clock::now()) {
        alarms::notify(REMINDER_ALARM, &r.title, &r.message)
            .await
            .map_err(js)?;
    }
    arm_reminder().await.map(|_| ())
}

/// The reminder was clicked: the web client the extension last saw, else a new tab on
/// the consortium's server.
pub async fn on_notification_clicked(id: &str) -> Result<(), JsValue> {
    if id != REMINDER_ALARM {
        return Ok(());
    }
    let _ = alarms::clear_notification(id).await;
    if let Some(tab) = ext::latest_report_tab().await.map_err(js)? {
        if alarms::focus_tab(tab).await.unwrap_or(false) {
            return Ok(());
        }
    }
    let settings = ext::settings::load().await.settings;
    alarms::open_tab(&webclient_url(&settings))
        .await
        .map_err(js)
}
