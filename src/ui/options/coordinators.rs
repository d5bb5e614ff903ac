//! Coordinators: site and service coordinators, the missed-shift email, where staff
//! resources live.

use super::form::Form;
use super::Page;
use crate::core::options_form::kind;
use crate::core::settings::Contact;
use crate::ext::t;
use crate::ui::{el, El};

fn contacts(f: &Form, list: &str, contacts: &[Contact], title: &str) -> El {
    let mut rows = f.div("list");
    for (i, c) in contacts.iter().enumerate() {
        let path = format!("{list}[{i}]");
        let n = i + 1;
        rows = rows.child(
            f.div("item").child(
                f.div("row")
                    .child(
                        f.cell_in(
                            &format!("{path}.name"),
                            &format!("{title} {n}"),
                            &t("optionsName"),
                            f.input(&format!("{path}.name"), kind::TEXT, &c.name),
                        )
                        .class("grow"),
                    )
                    .child(
                        f.cell_in(
                            &format!("{path}.email"),
                            &format!("{title} {n}"),
                            &t("optionsEmail"),
                            f.input(&format!("{path}.email"), kind::TEXT, &c.email)
                                .attr("type", "email"),
                        )
                        .class("grow"),
                    )
                    .child(f.remove_button(&path, &format!("{title} {}", c.name))),
            ),
        );
    }
    f.div("contacts")
        .child(el(f.doc, "h3").text(title))
        .child(rows)
        .child(f.add_button(list, &t("optionsAddContact")))
}

pub(super) fn build(f: &Form, p: &Page) -> El {
    let s = &p.settings;
    let c = &s.coordinators;
    f.section("coordinators", None)
        .child(contacts(
            f,
            "coordinators.site",
            &c.site,
            &t("optionsSiteCoordinators"),
        ))
        .child(contacts(
            f,
            "coordinators.service",
            &c.service,
            &t("optionsServiceCoordinators"),
        ))
        .child(f.field(
            "coordinators.resources_hint",
            &t("optionsResourcesHint"),
            f.input("coordinators.resources_hint", kind::TEXT, &c.resources_hint),
            Some(&t("optionsResourcesHintHelp")),
        ))
        .child(f.field(
            "coordinators.missed_shift_subject",
            &t("optionsMissedSubject"),
            f.input(
                "coordinators.missed_shift_subject",
                kind::TEXT,
                &c.missed_shift_subject,
            ),
            None,
        ))
        .child(f.field(
            "coordinators.missed_shift_body",
            &t("optionsMissedBody"),
            f.textarea(
                "coordinators.missed_shift_body",
                kind::TEXT,
                &c.missed_shift_body,
                7,
            ),
            Some(&t("optionsMissedHelp")),
        ))
}
