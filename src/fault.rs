//! Faults made on purpose, for the end-to-end tests only: compiled with the cargo
//! feature `fault-injection` into a separate test build (`./build.sh faults`), never into
//! the package users install. A test arms a fault by name in
//! `chrome.storage.local["lh3_faults"]` (a list of names).

/// The worker cannot give the settings: its answer to `ContentToBackground::Settings`
/// is an error.
pub const WORKER_SETTINGS: &str = "worker.settings";

/// Local-storage key of the armed faults.
const KEY: &str = "lh3_faults";

/// Whether a test armed this fault.
pub async fn armed(name: &str) -> bool {
    match crate::ext::LOCAL.get(KEY).await {
        Ok(v) => crate::ext::from_js::<Vec<String>>(v)
            .unwrap_or_default()
            .iter()
            .any(|f| f == name),
        Err(_) => false,
    }
}

/// `<html data-lh3-fault="ID">` makes feature `ID` panic each time it is run (called
/// inside the page loop's guard): the others must keep working, the popup name it.
pub fn inject(feature: crate::core::features::FeatureId) {
    inject_named(feature.as_str());
}

/// `<html data-lh3-fault="NAME">` makes the code named so panic; `page` is the page loop
/// itself (`core::messages::PAGE_LOOP`), outside every feature's guard.
pub fn inject_named(name: &str) {
    let asked = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|h| h.get_attribute("data-lh3-fault"));
    if asked.as_deref() == Some(name) {
        panic!("fault injected into {name} (a test build)");
    }
}
