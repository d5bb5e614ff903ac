//! Features: one switch per feature of the catalog, "turn every feature off", and the
//! keyboard shortcut with a way to its browser settings.

use super::form::Form;
use super::Page;
use crate::core::features::FEATURES;
use crate::core::options_form::kind;
use crate::ext::t;
use crate::ui::{el, El};

pub(super) fn build(f: &Form, p: &Page) -> El {
    let s = &p.settings;
    let mut sec = f.section("features", None).child(f.checkbox(
        "features.disable_all",
        kind::BOOL,
        &t("optionsDisableAll"),
        s.features.disable_all,
        Some(&t("optionsDisableAllHelp")),
    ));
    for feature in FEATURES {
        // One switch per feature; all of them edit `features.off`.
        let field = "features.off";
        let id = format!("feature-{}", feature.id);
        let on = !s.features.off.iter().any(|o| o == feature.id);
        let mut c = el(f.doc, "input")
            .attr("type", "checkbox")
            .attr("id", &id)
            .attr("data-field", field)
            .attr(
                "data-kind",
                &format!("{}{}", kind::FEATURE_PREFIX, feature.id),
            )
            .attr("aria-describedby", &format!("{id}-about"));
        if on {
            c = c.attr("checked", "");
        }
        if f.locked(field) {
            c = c.attr("disabled", "");
        }
        let wrap = f
            .div("field")
            .class("check")
            .attr("data-feature", feature.id)
            .child(c)
            .child(
                el(f.doc, "label")
                    .attr("for", &id)
                    .text(&t(&feature.name_key())),
            )
            .child(
                el(f.doc, "p")
                    .class("help")
                    .attr("id", &format!("{id}-about"))
                    .text(&t(&feature.about_key())),
            );
        sec = sec.child(f.locked_note(wrap, field));
    }
    sec.child(shortcut(f, p))
}

/// The keyboard shortcut as the browser has it, and the way to change it (a page cannot
/// link to chrome://extensions/shortcuts: the button asks the browser to open it).
fn shortcut(f: &Form, p: &Page) -> El {
    let keys = p
        .shortcut
        .clone()
        .filter(|k| !k.is_empty())
        .unwrap_or_else(|| t("optionsShortcutNone"));
    f.div("shortcut")
        .child(el(f.doc, "h3").text(&t("optionsShortcut")))
        .child(
            el(f.doc, "p")
                .attr("id", "shortcut-keys")
                .text(&t("optionsShortcutKeys").replace("{keys}", &keys)),
        )
        .child(
            f.action("open-shortcuts", &t("optionsShortcutOpen"))
                .attr("aria-describedby", "open-shortcuts-help"),
        )
        .child(f.help("open-shortcuts-help", &t("optionsShortcutHelp")))
}
