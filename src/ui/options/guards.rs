//! Guards: the status and off-hours guards, and the service-on watchdog with its
//! "Check now" and the last check's result.

use super::form::Form;
use super::Page;
use crate::core::options_form::{kind, watchdog_result};
use crate::ext::t;
use crate::ui::{el, El};

pub(super) fn build(f: &Form, p: &Page) -> El {
    let s = &p.settings;
    let g = &s.guards;
    f.section("guards", None)
        .child(f.checkbox(
            "guards.status_guard",
            kind::BOOL,
            &t("optionsStatusGuard"),
            g.status_guard,
            None,
        ))
        .child(f.checkbox(
            "guards.off_hours_guard",
            kind::BOOL,
            &t("optionsOffHoursGuard"),
            g.off_hours_guard,
            None,
        ))
        .child(f.checkbox(
            "guards.watchdog",
            kind::BOOL,
            &t("optionsWatchdog"),
            g.watchdog,
            Some(&t("optionsWatchdogHelp")),
        ))
        .child(
            f.div("grid")
                .child(f.field(
                    "guards.watchdog_interval_minutes",
                    &t("optionsWatchdogInterval"),
                    f.number(
                        "guards.watchdog_interval_minutes",
                        g.watchdog_interval_minutes,
                    ),
                    None,
                ))
                .child(f.field(
                    "guards.watchdog_after_close_minutes",
                    &t("optionsWatchdogAfterClose"),
                    f.number(
                        "guards.watchdog_after_close_minutes",
                        g.watchdog_after_close_minutes,
                    ),
                    None,
                ))
                .child(f.field(
                    "guards.default_replacements_needed",
                    &t("optionsReplacementsNeeded"),
                    f.number(
                        "guards.default_replacements_needed",
                        g.default_replacements_needed,
                    ),
                    None,
                )),
        )
        .child(watchdog_check(f, p))
}

/// "Check now" and what the last check found (kept by the worker in local storage).
fn watchdog_check(f: &Form, p: &Page) -> El {
    f.div("watchdog-check")
        .child(el(f.doc, "h3").text(&t("optionsWatchdogCheckTitle")))
        .child(
            f.action("watchdog-check", &t("optionsWatchdogCheck"))
                .attr("aria-describedby", "watchdog-last"),
        )
        .child(
            el(f.doc, "div")
                .attr("id", "watchdog-last")
                .attr("aria-live", "polite")
                .children(watchdog_lines(p).into_iter().map(|(kind, text)| {
                    el(f.doc, "p")
                        .attr("data-watchdog", kind)
                        .text(&text)
                        .into()
                })),
        )
}

/// The last check in words: (kind, line) — kind is "note" (a check in progress or
/// refused), "headline" or "queue".
pub(super) fn watchdog_lines(p: &Page) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(note) = &p.watchdog_note {
        out.push(("note", note.clone()));
    }
    match &p.watchdog {
        None => out.push(("headline", t("optionsWatchdogNever"))),
        Some(check) => {
            let (key, on, queues) = watchdog_result(check);
            let at = check
                .at
                .with_timezone(&crate::ext::clock::local_offset())
                .format("%Y-%m-%d %H:%M");
            out.push((
                "headline",
                format!(
                    "{} {at}: {}",
                    t("optionsWatchdogLast"),
                    t(key).replace("{queues}", &on)
                ),
            ));
            out.extend(queues.into_iter().map(|q| ("queue", q)));
        }
    }
    out
}
