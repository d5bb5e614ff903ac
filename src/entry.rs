//! The functions JavaScript calls: one entry per extension context. The loaders in
//! `extension/*.js` only load the module and register browser events.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use crate::core::locators::with_overrides;
use crate::core::messages::{ContentToBackground, FeatureFault, PageReport};
use crate::core::settings::Settings;
use crate::ext;
use crate::features::{registry, Feature, Flush};
use crate::page::locate::Locate;
use crate::page::observer::{self, Observer};

#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

struct ContentPage {
    features: Vec<Box<dyn Feature>>,
    settings: Settings,
    engine: String,
    last_sent: Option<PageReport>,
}

thread_local! {
    static OBSERVER: RefCell<Option<Observer>> = const { RefCell::new(None) };
}

impl ContentPage {
    fn flush(&mut self, records: &[web_sys::MutationRecord], full: bool) {
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let (table, _unknown) = with_overrides(&self.settings.locator_overrides);
        let mut locate = Locate::new(table);
        let mut report = PageReport {
            engine: self.engine.clone(),
            ..Default::default()
        };
        for feature in self.features.iter_mut() {
            if !self.settings.features.is_on(feature.id()) {
                feature.clear(&doc);
                continue;
            }
            let mut f = Flush {
                doc: &doc,
                locate: &mut locate,
                settings: &self.settings,
                records,
                full,
                report: &mut report,
            };
            if let Err(message) = feature.flush(&mut f) {
                report.faults.push(FeatureFault {
                    feature: feature.id().to_string(),
                    message,
                });
            }
        }
        report.locators = locate.health();
        if self.last_sent.as_ref() != Some(&report) {
            self.last_sent = Some(report.clone());
            let msg = ContentToBackground::PageReport { report };
            wasm_bindgen_futures::spawn_local(async move {
                // The worker may be restarting; the next change sends again.
                let _ = ext::send_message(&msg).await;
            });
        }
    }
}

/// Content script: starts observing the web client. `engine` is "wasm" or "wasm2js".
#[wasm_bindgen]
pub fn content_start(engine: String) -> Result<(), JsValue> {
    let page = RefCell::new(ContentPage {
        features: registry(),
        settings: Settings::default(),
        engine,
        last_sent: None,
    });
    let mut first = true;
    let obs = observer::start(move |records| {
        page.borrow_mut().flush(&records, first);
        first = false;
    })?;
    OBSERVER.with(|o| *o.borrow_mut() = Some(obs));
    Ok(())
}

/// Background: one message from a content script or an extension page.
#[wasm_bindgen]
pub async fn background_on_message(message: JsValue, tab_id: i32) -> Result<JsValue, JsValue> {
    let msg: ContentToBackground =
        ext::from_js(message).map_err(|e| JsValue::from_str(&format!("bad message: {}", e.0)))?;
    match msg {
        ContentToBackground::PageReport { report } => {
            if tab_id < 0 {
                return Err("page report without a tab".into());
            }
            let badge = report.history.map(|h| h.badge_text()).unwrap_or_default();
            ext::session::set(
                &ext::page_report_key(tab_id),
                &ext::to_js(&report).map_err(|e| JsValue::from_str(&e.0))?,
            )
            .await
            .map_err(|e| JsValue::from_str(&e.0))?;
            ext::session::set(ext::LATEST_REPORT_KEY, &JsValue::from(tab_id))
                .await
                .map_err(|e| JsValue::from_str(&e.0))?;
            ext::set_badge(tab_id, &badge)
                .await
                .map_err(|e| JsValue::from_str(&e.0))?;
            Ok(JsValue::TRUE)
        }
    }
}

/// Background: a tab closed; forget its report.
#[wasm_bindgen]
pub async fn background_on_tab_removed(tab_id: i32) -> Result<(), JsValue> {
    ext::session::remove(&ext::page_report_key(tab_id))
        .await
        .map_err(|e| JsValue::from_str(&e.0))
}

/// Popup: renders into `root`.
#[wasm_bindgen]
pub async fn popup_start(root: web_sys::Element) -> Result<(), JsValue> {
    crate::ui::popup::render(root).await
}
