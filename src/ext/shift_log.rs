//! The shift log (`shift_log` in `chrome.storage.local`: ticks and events of the last
//! 30 shifts) has one writer, the worker. The page's features `record` events and the
//! popup sends its ticks; the worker `apply`s each change in turn, so two contexts
//! writing at once never lose each other's events. Anyone may `load` it.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{ExtError, ExtResult};
use crate::core::checklist::{ShiftHistoryEvent, ShiftLog, ShiftLogChange};
use crate::core::messages::{ContentToBackground, PopupToBackground};

/// Local-storage key of the shift log.
pub const KEY: &str = "shift_log";

/// The log as stored (empty when there is none or it cannot be read).
pub async fn load() -> ShiftLog {
    match super::LOCAL.get(KEY).await {
        Ok(v) if !v.is_undefined() && !v.is_null() => super::from_js(v).unwrap_or_default(),
        _ => ShiftLog::default(),
    }
}

/// The page: records something that happened this shift (sent to the worker; the page
/// carries on at once).
pub fn record(event: ShiftHistoryEvent) {
    send_soon(ContentToBackground::LogShiftEvent { event });
}

/// The popup: a tick, or steps seen done, for the worker to write.
pub async fn change(change: ShiftLogChange) -> ExtResult<()> {
    super::send_message(&PopupToBackground::ShiftLog { change })
        .await
        .map(|_| ())
}

fn send_soon<T: Serialize + 'static>(message: T) {
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(e) = super::send_message(&message).await {
            web_sys::console::error_1(&format!("the shift log was not written: {}", e.0).into());
        }
    });
}

thread_local! {
    /// The last write queued: each new one waits for it (the worker's one writer).
    static LAST: std::cell::RefCell<Option<js_sys::Promise>> = const { std::cell::RefCell::new(None) };
}

/// The worker: applies one change — read, change, write — after every change queued
/// before it. Resolves to whether the log changed.
pub async fn apply(change: ShiftLogChange) -> ExtResult<bool> {
    if let ShiftLogChange::Tick { step, .. } = &change {
        // Only a step of the procedure in force is ticked: its steps are data (the
        // consortium's own in the settings, else the chosen preset's file).
        let settings = super::settings::load().await.settings;
        let steps = super::presets::steps_in_force(&settings).await?;
        if !steps.iter().any(|s| &s.id == step) {
            return Ok(false);
        }
    }
    let before = LAST.with(|l| l.borrow_mut().take());
    let write = wasm_bindgen_futures::future_to_promise(async move {
        if let Some(p) = before {
            // A failed write before this one does not stop this one.
            let _ = wasm_bindgen_futures::JsFuture::from(p).await;
        }
        let mut log = load().await;
        if !crate::core::checklist::apply(&mut log, change) {
            return Ok(JsValue::FALSE);
        }
        let v = super::to_js(&log).map_err(|e| JsValue::from_str(&e.0))?;
        super::LOCAL
            .set(KEY, &v)
            .await
            .map_err(|e| JsValue::from_str(&e.0))?;
        Ok(JsValue::TRUE)
    });
    LAST.with(|l| *l.borrow_mut() = Some(write.clone()));
    let changed = wasm_bindgen_futures::JsFuture::from(write)
        .await
        .map_err(ExtError::from)?;
    Ok(changed.is_truthy())
}
