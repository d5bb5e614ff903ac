//! Settings file: export (everything, or for the consortium without what is personal)
//! and import, which changes only what the file names.

use super::form::Form;
use super::Page;
use crate::ext::t;
use crate::ui::{el, El};

fn button(f: &Form, id: &str, text: &str) -> El {
    el(f.doc, "button")
        .attr("type", "button")
        .attr("id", id)
        .attr("data-action", id)
        .text(text)
}

pub(super) fn build(f: &Form, _p: &Page) -> El {
    let doc = f.doc;
    f.section("backup", Some(&t("optionsBackupIntro")))
        .child(
            el(doc, "div")
                .class("buttons")
                .child(button(f, "export-settings", &t("optionsExport")))
                .child(
                    button(f, "export-consortium", &t("optionsExportConsortium"))
                        .attr("aria-describedby", "export-consortium-help"),
                ),
        )
        .child(
            el(doc, "p")
                .class("help")
                .attr("id", "export-consortium-help")
                .text(&t("optionsExportConsortiumHelp")),
        )
        .child(
            el(doc, "div")
                .class("field")
                .child(
                    el(doc, "label")
                        .attr("for", "import-settings")
                        .text(&t("optionsImport")),
                )
                .child(
                    el(doc, "input")
                        .attr("type", "file")
                        .attr("id", "import-settings")
                        .attr("accept", ".json,application/json")
                        .attr("aria-describedby", "import-settings-help"),
                )
                .child(
                    el(doc, "p")
                        .class("help")
                        .attr("id", "import-settings-help")
                        .text(&t("optionsImportHelp")),
                ),
        )
}
