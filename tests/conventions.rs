//! Meta-tests: the conventions a newcomer relies on to find any feature's code, test
//! and fixture in under a minute, checked on every `cargo test`.

use std::fs;
use std::path::{Path, PathBuf};

use lh3_shift::core::features::FEATURES;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn files_in(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(files_in(&p, ext));
        } else if p.extension().is_some_and(|e| e == ext) {
            out.push(p);
        }
    }
    out
}

/// `new-chats` ↔ `src/features/new_chats.rs`.
fn file_for(id: &str) -> String {
    id.replace('-', "_")
}

#[test]
fn every_feature_file_is_catalogued_and_every_catalogued_feature_has_a_file() {
    let dir = root().join("src/features");
    let files: Vec<String> = files_in(&dir, "rs")
        .iter()
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().to_string()))
        .filter(|s| s != "mod")
        .collect();
    for f in &files {
        assert!(
            FEATURES.iter().any(|info| file_for(info.id) == *f),
            "src/features/{f}.rs has no entry in core::features::FEATURES"
        );
    }
    for info in FEATURES {
        assert!(
            files.contains(&file_for(info.id)),
            "feature `{}` has no file src/features/{}.rs",
            info.id,
            file_for(info.id)
        );
    }
}

#[test]
fn every_feature_is_registered() {
    let registry = read(&root().join("src/features/mod.rs"));
    for info in FEATURES {
        let module = file_for(info.id);
        assert!(
            registry.contains(&format!("pub mod {module};")),
            "feature `{}`: no `pub mod {module};` in src/features/mod.rs",
            info.id
        );
        assert!(
            registry.contains(&format!("{module}::")),
            "feature `{}` is not in the registry in src/features/mod.rs",
            info.id
        );
    }
}

#[test]
fn every_feature_is_documented_in_the_readme() {
    let readme = read(&root().join("README.md"));
    for info in FEATURES {
        assert!(
            readme.contains(&format!("`{}`", info.id)),
            "README.md does not document feature `{}`",
            info.id
        );
    }
}

#[test]
fn every_feature_has_an_end_to_end_test_on_the_simulated_web_client() {
    let tests: Vec<String> = files_in(&root().join("tests/e2e"), "mjs")
        .iter()
        .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
        .map(|p| read(p))
        .collect();
    for info in FEATURES {
        assert!(
            tests
                .iter()
                .any(|t| t.contains(&format!("Feature `{}`", info.id))),
            "no tests/e2e/*.test.mjs says \"Feature `{}`\" (the test that covers it)",
            info.id
        );
    }
}

#[test]
fn feature_ids_are_unique_and_kebab_case() {
    let mut seen = std::collections::HashSet::new();
    for info in FEATURES {
        assert!(seen.insert(info.id), "duplicate feature id {}", info.id);
        assert!(
            info.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "feature id {} is not kebab-case",
            info.id
        );
        assert!(!info.description.is_empty() && !info.name.is_empty());
    }
}

#[test]
fn page_text_is_never_written_as_html() {
    let mut offenders = Vec::new();
    let mut sources = files_in(&root().join("src"), "rs");
    sources.extend(files_in(&root().join("extension"), "js"));
    for p in sources {
        let text = read(&p);
        for (i, line) in text.lines().enumerate() {
            let l = line.trim_start();
            if l.starts_with("//") {
                continue;
            }
            if l.contains("set_inner_html")
                || l.contains("innerHTML")
                || l.contains("outerHTML")
                || l.contains("insertAdjacentHTML")
                || l.contains("document.write")
            {
                offenders.push(format!("{}:{}", p.display(), i + 1));
            }
        }
    }
    assert!(offenders.is_empty(), "HTML writes: {offenders:?}");
}

#[test]
fn features_find_page_parts_only_through_the_locator_table() {
    // A class or id selector in feature code would bypass the one table of locators.
    let mut offenders = Vec::new();
    for p in files_in(&root().join("src/features"), "rs") {
        let text = read(&p);
        for (i, line) in text.lines().enumerate() {
            for quote in [
                "query_selector(\".",
                "query_selector(\"#",
                "query_selector_all(\".",
                "query_selector_all(\"#",
            ] {
                if line.contains(quote) {
                    offenders.push(format!("{}:{}", p.display(), i + 1));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "class/id selectors in features: {offenders:?}"
    );
}

#[test]
fn the_core_is_pure() {
    for p in files_in(&root().join("src/core"), "rs") {
        let text = read(&p);
        for banned in [
            "web_sys",
            "js_sys",
            "wasm_bindgen",
            "Utc::now",
            "SystemTime",
            "Local::now",
        ] {
            let code: String = text
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            assert!(
                !code.contains(banned),
                "{} uses {banned}: the core takes `now` and data as arguments",
                p.display()
            );
        }
    }
}

#[test]
fn javascript_only_loads_and_registers() {
    // The loaders stay small; logic belongs in Rust.
    for p in files_in(&root().join("extension"), "js") {
        let lines = read(&p).lines().count();
        assert!(
            lines <= 80,
            "{} has {lines} lines: move logic into Rust",
            p.display()
        );
    }
}
