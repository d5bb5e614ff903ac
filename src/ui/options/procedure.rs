//! Procedure: the preset the consortium starts from (and "apply its settings"), and the
//! procedure document itself — the preset's steps, or the consortium's own, edited step
//! by step in a form or, as the advanced view, as the JSON document it is (both read
//! and write `settings.procedure.steps`; one is on the page at a time), exported and
//! imported as a file.

use super::form::Form;
use super::Page;
use crate::core::checklist::Step;
use crate::core::options_form::{field_id, kind};
use crate::core::procedure::{
    choice_id, steps_text, Choice, STEP_APPLIES, STEP_CHECKS, STEP_PHASES,
};
use crate::core::settings::LocalText;
use crate::ext::{fill, t};
use crate::ui::{el, El};

/// The element to focus once the steps are drawn again: the first step's id in the
/// form, the JSON text in the advanced view.
pub(super) fn steps_focus(as_json: bool) -> String {
    field_id(if as_json {
        "procedure.steps"
    } else {
        "procedure.steps[0].id"
    })
}

fn choices<T>(list: &[Choice<T>]) -> Vec<(String, String)> {
    list.iter()
        .map(|(_, id, key)| (id.to_string(), t(key)))
        .collect()
}

/// English and French of one text of a step (its text, its hint, a link's words), side
/// by side.
fn texts(f: &Form, path: &str, row: &str, keys: [&str; 2], value: &LocalText, rows: u32) -> El {
    let cell = |lang: &str, key: &str, v: &str| {
        let field = format!("{path}.{lang}");
        let control = match rows {
            0 => f.input(&field, kind::TEXT, v),
            n => f.textarea(&field, kind::TEXT, v, n),
        };
        f.cell_in(&field, row, &t(key), control.attr("lang", lang))
            .class("grow")
    };
    f.div("row")
        .child(cell("en", keys[0], &value.en))
        .child(cell("fr", keys[1], &value.fr))
}

/// One step: where it stands (move up, down, remove), its id, its texts and hint in
/// both languages, its phases, which shifts it is for, the check that proves it, the
/// step it is under (one of the steps above it), its links.
fn step_item(f: &Form, i: usize, earlier: &[Step], count: usize, step: &Step) -> El {
    let path = format!("procedure.steps[{i}]");
    let p = |field: &str| format!("{path}.{field}");
    let row = fill("optionsStepN", &[("n", &(i + 1).to_string())]);
    let row = row.as_str();
    let moved = |action: &str, label: &str, glyph: &str, disabled: bool| {
        let mut b = f
            .button(action, glyph, "procedure.steps")
            .class("move")
            .attr("id", &format!("{}-{action}", field_id(&path)))
            .attr("data-row", &path)
            .attr("aria-label", &format!("{row}: {label}"))
            .attr("title", label);
        if disabled {
            b = b.attr("disabled", "");
        }
        b
    };
    let mut phases = el(f.doc, "fieldset")
        .class("phases")
        .attr("data-field-wrap", &p("phases"))
        .child(el(f.doc, "legend").text(&t("optionsStepPhases")));
    for (phase, id, key) in STEP_PHASES {
        let box_id = field_id(&format!("{path}.phases.{id}"));
        let mut c = f
            .control(
                "input",
                &p("phases"),
                &format!("{}{id}", kind::MEMBER_PREFIX),
            )
            .attr("type", "checkbox")
            .attr("id", &box_id);
        if step.phases.contains(&phase) {
            c = c.attr("checked", "");
        }
        phases = phases.child(
            el(f.doc, "span")
                .class("phase")
                .child(c)
                .child(el(f.doc, "label").attr("for", &box_id).text(&t(key))),
        );
    }
    let mut links = f.div("links");
    for (j, link) in step.links.iter().enumerate() {
        let lp = format!("{path}.links[{j}]");
        let lrow = format!("{row}, {} {}", t("optionsStepLink"), j + 1);
        links = links.child(
            f.div("row")
                .class("link")
                .child(texts(
                    f,
                    &format!("{lp}.text"),
                    &lrow,
                    ["optionsStepLinkEn", "optionsStepLinkFr"],
                    &link.text,
                    0,
                ))
                .child(
                    f.cell_in(
                        &format!("{lp}.url"),
                        &lrow,
                        &t("optionsStepLinkUrl"),
                        f.input(&format!("{lp}.url"), kind::TEXT, &link.url)
                            .attr("inputmode", "url")
                            .attr("placeholder", "https://…")
                            .attr("spellcheck", "false"),
                    )
                    .class("grow"),
                )
                .child(f.remove_button(&lp, &lrow)),
        );
    }
    let hint = step.hint.clone().unwrap_or_default();
    el(f.doc, "fieldset")
        .class("step")
        .attr("data-step-row", &i.to_string())
        .attr("data-step-id", &step.id)
        .child(el(f.doc, "legend").text(row))
        .child(
            f.div("row")
                .child(
                    f.cell_in(
                        &p("id"),
                        row,
                        &t("optionsStepId"),
                        f.input(&p("id"), kind::TEXT, &step.id)
                            .attr("spellcheck", "false")
                            .attr("autocomplete", "off"),
                    ),
                )
                .child(f.cell_in(
                    &p("applies"),
                    row,
                    &t("optionsStepApplies"),
                    f.select(
                        &p("applies"),
                        kind::TEXT,
                        &choices(&STEP_APPLIES),
                        choice_id(&STEP_APPLIES, &step.applies),
                    ),
                ))
                .child(f.cell_in(
                    &p("check"),
                    row,
                    &t("optionsStepCheck"),
                    f.select(
                        &p("check"),
                        kind::TEXT,
                        &choices(&STEP_CHECKS),
                        choice_id(&STEP_CHECKS, &step.check),
                    ),
                ))
                .child(f.cell_in(
                    &p("parent"),
                    row,
                    &t("optionsStepParent"),
                    f.select(
                        &p("parent"),
                        kind::OPTIONAL,
                        &parent_choices(earlier, step.parent.as_deref()),
                        step.parent.as_deref().unwrap_or(""),
                    ),
                ))
                .child(
                    f.div("buttons")
                        .class("step-moves")
                        .child(moved("move-up", &t("optionsMoveUp"), "↑", i == 0))
                        .child(moved(
                            "move-down",
                            &t("optionsMoveDown"),
                            "↓",
                            i + 1 == count,
                        ))
                        .child(f.remove_button(&path, row)),
                ),
        )
        .child(texts(
            f,
            &p("text"),
            row,
            ["optionsStepTextEn", "optionsStepTextFr"],
            &step.text,
            2,
        ))
        .child(texts(
            f,
            &p("hint"),
            row,
            ["optionsStepHintEn", "optionsStepHintFr"],
            &hint,
            0,
        ))
        .child(phases)
        .child(links.child(f.add_button(&p("links"), &t("optionsStepAddLink"))))
}

/// What a step can be under: none, or a step above it. A parent that is not above it
/// (the step was moved) stays offered as it is, so `procedure::problems` names it.
fn parent_choices(earlier: &[Step], parent: Option<&str>) -> Vec<(String, String)> {
    let mut out = vec![(String::new(), t("optionsStepParentNone"))];
    out.extend(
        earlier
            .iter()
            .filter(|s| !s.id.trim().is_empty())
            .map(|s| (s.id.clone(), s.id.clone())),
    );
    if let Some(p) = parent.filter(|p| !p.is_empty() && !out.iter().any(|(id, _)| id == p)) {
        out.push((p.to_string(), p.to_string()));
    }
    out
}

/// The consortium's steps as a form, one fieldset per step.
fn steps_form(f: &Form, p: &Page) -> El {
    let steps = &p.settings.procedure.steps;
    let mut list = f.div("list").attr("id", "procedure-steps");
    for (i, step) in steps.iter().enumerate() {
        list = list.child(step_item(f, i, &steps[..i], steps.len(), step));
    }
    let wrap = f
        .div("steps-form")
        .attr("data-field-wrap", "procedure.steps")
        .child(el(f.doc, "h3").text(&t("optionsProcedureStepsForm")))
        .child(f.help("procedure-steps-help", &t("optionsProcedureStepsFormHelp")))
        .child(list)
        .child(f.add_button("procedure.steps", &t("optionsStepAdd")));
    if f.locked("procedure.steps") {
        wrap.class("locked").child(
            el(f.doc, "p")
                .class("locked-note")
                .attr("id", "procedure-locked")
                .text(&t("optionsProcedureLocked")),
        )
    } else {
        wrap
    }
}

/// The steps as the JSON document they are (the advanced view).
fn steps_json(f: &Form, p: &Page) -> El {
    f.field(
        "procedure.steps",
        &t("optionsProcedureSteps"),
        f.textarea(
            "procedure.steps",
            kind::JSON,
            &steps_text(&p.settings.procedure),
            16,
        )
        .class("code")
        .attr("spellcheck", "false"),
        Some(&t("optionsProcedureStepsHelp")),
    )
}

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
        .child(if p.steps_as_json {
            steps_json(f, p)
        } else {
            steps_form(f, p)
        })
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
                .child(
                    f.action(
                        "procedure-view",
                        &t(if p.steps_as_json {
                            "optionsProcedureAsForm"
                        } else {
                            "optionsProcedureAsJson"
                        }),
                    )
                    .attr("data-view", if p.steps_as_json { "json" } else { "form" }),
                )
                .child(f.action("export-procedure", &t("optionsProcedureExport"))),
        )
        .child(f.file_field(
            "import-procedure",
            &t("optionsProcedureImport"),
            &t("optionsProcedureImportHelp"),
        ))
}
