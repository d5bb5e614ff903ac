//! What the stores and browsers check before they accept the package: the manifest's
//! descriptions fit the Chrome Web Store, Firefox's minimum version carries the keys we
//! use, and the managed-policy schema is one Chrome's policy loader accepts (Chrome
//! refuses to load an extension whose `storage.managed_schema` it cannot parse).

use serde_json::Value;
use std::fs;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn json(path: &str) -> Value {
    let text = fs::read_to_string(format!("{ROOT}/{path}")).expect(path);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn locales() -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = fs::read_dir(format!("{ROOT}/extension/_locales"))
        .expect("_locales")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .map(|l| {
            let m = json(&format!("extension/_locales/{l}/messages.json"));
            (l, m)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The `__MSG_name__` a manifest field refers to, resolved in one locale.
fn resolved(messages: &Value, field: &str) -> String {
    let name = field
        .strip_prefix("__MSG_")
        .and_then(|f| f.strip_suffix("__"))
        .unwrap_or(field);
    messages[name]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("no message {name}"))
        .to_string()
}

#[test]
fn descriptions_and_names_fit_the_chrome_web_store_in_every_locale() {
    let manifest = json("manifest.json");
    let all = locales();
    assert!(all.len() >= 2, "English and French at least");
    for (lang, messages) in &all {
        let description = resolved(messages, manifest["description"].as_str().unwrap());
        assert!(
            description.chars().count() <= 132,
            "{lang}: the description is {} characters (the store takes 132): {description}",
            description.chars().count()
        );
        let name = resolved(messages, manifest["name"].as_str().unwrap());
        assert!(name.chars().count() <= 45, "{lang}: name too long: {name}");
        let title = resolved(
            messages,
            manifest["action"]["default_title"].as_str().unwrap(),
        );
        assert!(!title.is_empty());
    }
}

#[test]
fn every_locale_has_the_same_messages() {
    let all = locales();
    let keys = |m: &Value| {
        let mut k: Vec<String> = m.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    let (first, reference) = &all[0];
    for (lang, messages) in &all[1..] {
        let (a, b) = (keys(reference), keys(messages));
        let missing: Vec<&String> = a.iter().filter(|k| !b.contains(k)).collect();
        let extra: Vec<&String> = b.iter().filter(|k| !a.contains(k)).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{lang} against {first}: missing {missing:?}, extra {extra:?}"
        );
    }
}

#[test]
fn firefox_minimum_version_carries_data_collection_permissions() {
    let manifest = json("manifest.json");
    let gecko = &manifest["browser_specific_settings"]["gecko"];
    let min: u32 = gecko["strict_min_version"]
        .as_str()
        .and_then(|v| v.split('.').next())
        .and_then(|v| v.parse().ok())
        .expect("strict_min_version");
    assert!(
        min >= 140,
        "data_collection_permissions needs Firefox 140, min is {min}"
    );
    assert!(gecko["data_collection_permissions"]["required"].is_array());
    // Firefox uses background.scripts, Chrome the service worker; saying both are meant
    // is what keeps web-ext lint from warning that Firefox ignores the service worker.
    let bg = &manifest["background"];
    assert!(bg["service_worker"].is_string() && bg["scripts"].is_array());
    assert_eq!(
        bg["preferred_environment"],
        serde_json::json!(["service_worker", "document"])
    );
}

/// Chrome's policy schema (components/policy/core/common/schema.cc) is a subset of JSON
/// Schema: every node has a known `type`, arrays say what their items are, the main
/// schema is an object without additionalProperties or patternProperties, enums are of
/// strings or integers, and patterns are plain regular expressions.
fn check_chrome_schema(node: &Value, path: &str, problems: &mut Vec<String>) {
    let Some(obj) = node.as_object() else {
        problems.push(format!("{path}: not an object"));
        return;
    };
    let ty = obj.get("type").and_then(Value::as_str).unwrap_or("");
    match ty {
        "object" => {
            if let Some(props) = obj.get("properties") {
                match props.as_object() {
                    Some(p) => {
                        for (k, v) in p {
                            check_chrome_schema(v, &format!("{path}.{k}"), problems)
                        }
                    }
                    None => problems.push(format!("{path}: properties is not an object")),
                }
            }
            if let Some(extra) = obj.get("additionalProperties") {
                check_chrome_schema(extra, &format!("{path}[additional]"), problems);
            }
        }
        "array" => match obj.get("items") {
            Some(items) => check_chrome_schema(items, &format!("{path}[]"), problems),
            None => problems.push(format!("{path}: an array without items")),
        },
        "string" | "integer" | "number" | "boolean" => {}
        other => problems.push(format!("{path}: type '{other}' is not one Chrome knows")),
    }
    if let Some(values) = obj.get("enum") {
        let ok = values.as_array().is_some_and(|v| {
            !v.is_empty()
                && v.iter().all(|x| match ty {
                    "string" => x.is_string(),
                    "integer" => x.is_i64(),
                    _ => false,
                })
        });
        if !ok {
            problems.push(format!(
                "{path}: enum must list {ty}s (strings or integers)"
            ));
        }
    }
    for bound in ["minimum", "maximum"] {
        if obj.contains_key(bound) && ty != "integer" && ty != "number" {
            problems.push(format!("{path}: {bound} on a {ty}"));
        }
    }
    if obj.contains_key("pattern") && ty != "string" {
        problems.push(format!("{path}: pattern on a {ty}"));
    }
    if obj.contains_key("$ref") {
        problems.push(format!("{path}: $ref is not used here"));
    }
}

#[test]
fn the_managed_schema_is_declared_and_chrome_can_parse_it() {
    let manifest = json("manifest.json");
    let declared = manifest["storage"]["managed_schema"]
        .as_str()
        .expect("manifest.json declares storage.managed_schema");
    assert_eq!(declared, "managed_schema.json");
    let schema = json(&format!("extension/{declared}"));
    assert_eq!(schema["type"], "object", "the main schema is an object");
    for key in ["additionalProperties", "patternProperties"] {
        assert!(
            schema.get(key).is_none(),
            "Chrome refuses {key} on the main schema"
        );
    }
    let mut problems = Vec::new();
    check_chrome_schema(&schema, "schema", &mut problems);
    assert!(problems.is_empty(), "{problems:#?}");
}
