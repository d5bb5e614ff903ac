//! askON's canned messages are data, not code: the askON preset's `settings.canned`
//! (`extension/presets/askon.json`) is the one place they are written. This script turns
//! them into the value `CannedSettings::default()` returns, so that no wasm module needs a
//! JSON parser for its defaults (the content script's carries none: reading the preset at
//! run time put it 16 KB gzip over its size ceiling). A test in `core::settings` checks
//! the value against the preset read with serde.

use serde_json::Value;
use std::{env, fs, path::Path};

const PRESET: &str = "extension/presets/askon.json";

fn text<'a>(v: &'a Value, what: &str) -> &'a str {
    v.as_str()
        .unwrap_or_else(|| panic!("{PRESET}: {what} is not a string"))
}

/// `offline_text_first_shift` → `OfflineTextFirstShift` (the `Moment` variant).
fn variant(moment: &str) -> String {
    moment
        .split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn main() {
    println!("cargo:rerun-if-changed={PRESET}");
    println!("cargo:rerun-if-changed=build.rs");
    let doc: Value = serde_json::from_str(&fs::read_to_string(PRESET).expect(PRESET))
        .unwrap_or_else(|e| panic!("{PRESET}: {e}"));
    let rules = doc["settings"]["canned"]["rules"]
        .as_array()
        .unwrap_or_else(|| panic!("{PRESET}: no settings.canned.rules"));
    let mut out = String::from("vec![\n");
    for rule in rules {
        let moment = variant(text(&rule["moment"], "a rule's moment"));
        out += &format!("    CannedRule {{ moment: Moment::{moment}, suggestions: vec![\n");
        for s in rule["suggestions"].as_array().expect("suggestions") {
            out += &format!(
                "        suggestion({:?}, {:?}, {:?}),\n",
                text(&s["name"], "a suggestion's name"),
                text(&s["text"]["en"], "a suggestion's English text"),
                text(&s["text"]["fr"], "a suggestion's French text"),
            );
        }
        out += "    ] },\n";
    }
    out += "]\n";
    let dest = Path::new(&env::var("OUT_DIR").unwrap()).join("canned_defaults.rs");
    fs::write(dest, out).unwrap();
}
