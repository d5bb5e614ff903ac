//! Procedure: the preset the consortium starts from (and "apply its settings"), and the
//! procedure document itself — the preset's steps, or the consortium's own, edited as
//! the JSON document it is, exported and imported as a file.

use super::form::Form;
use super::Page;
use crate::core::options_form::kind;
use crate::core::procedure::steps_text;
use crate::ext::t;
use crate::ui::{el, El};

pub(super) fn build(f: &Form, p: &Page) -> El {
    let doc = f.doc;
    let s = &p.settings;
    // The language the page speaks (the catalog in force).
    let lang = crate::ext::catalog::current().language();
    let presets: Vec<(String, String)> = p
        .presets
        .iter()
        .map(|x| (x.id.clone(), x.name.get(lang).to_string()))
        .collect();
    let chosen = p.presets.iter().find(|x| x.id == s.procedure.preset);
    let about = chosen.map(|x| x.about.get(lang).to_string());
    let mut section = f
        .section("procedure", Some(&t("optionsProcedureIntro")))
        .child(f.field(
            "procedure.preset",
            &t("optionsProcedurePreset"),
            f.select(
                "procedure.preset",
                kind::TEXT,
                &presets,
                &s.procedure.preset,
            ),
            about.as_deref(),
        ))
        .child(
            f.div("buttons").child(
                f.button("apply-preset", &t("optionsApplyPreset"), "procedure.preset")
                    .attr("id", "apply-preset")
                    .attr("aria-describedby", "apply-preset-help"),
            ),
        )
        .child(f.help("apply-preset-help", &t("optionsApplyPresetHelp")));
    for e in &p.preset_errors {
        section = section.child(
            el(doc, "p")
                .class("error")
                .attr("data-error", "preset")
                .text(e),
        );
    }
    let following = match (s.procedure.is_custom(), chosen) {
        (true, _) => {
            t("optionsProcedureOwn").replace("{count}", &s.procedure.steps.len().to_string())
        }
        (false, Some(x)) => t("optionsProcedureFollows")
            .replace("{name}", x.procedure.name.get(lang))
            .replace("{count}", &x.procedure.steps.len().to_string()),
        (false, None) => t("optionsProcedureNotLoaded"),
    };
    section
        .child(
            el(doc, "p")
                .attr("id", "procedure-state")
                .attr(
                    "data-custom",
                    if s.procedure.is_custom() {
                        "true"
                    } else {
                        "false"
                    },
                )
                .text(&following),
        )
        .child(
            f.div("row")
                .child(f.field(
                    "procedure.name.en",
                    &t("optionsProcedureNameEn"),
                    f.input("procedure.name.en", kind::TEXT, &s.procedure.name.en),
                    None,
                ))
                .child(
                    f.field(
                        "procedure.name.fr",
                        &t("optionsProcedureNameFr"),
                        f.input("procedure.name.fr", kind::TEXT, &s.procedure.name.fr)
                            .attr("lang", "fr"),
                        None,
                    ),
                ),
        )
        .child(
            f.field(
                "procedure.steps",
                &t("optionsProcedureSteps"),
                f.textarea("procedure.steps", kind::JSON, &steps_text(&s.procedure), 16)
                    .class("code")
                    .attr("spellcheck", "false"),
                Some(&t("optionsProcedureStepsHelp")),
            ),
        )
        .child(
            f.div("buttons")
                .child(
                    f.button(
                        "procedure-copy",
                        &t("optionsProcedureCopy"),
                        "procedure.steps",
                    )
                    .attr("id", "procedure-copy"),
                )
                .child(
                    f.button(
                        "procedure-clear",
                        &t("optionsProcedureClear"),
                        "procedure.steps",
                    )
                    .attr("id", "procedure-clear"),
                )
                .child(f.action("export-procedure", &t("optionsProcedureExport"))),
        )
        .child(f.file_field(
            "import-procedure",
            &t("optionsProcedureImport"),
            &t("optionsProcedureImportHelp"),
        ))
}
