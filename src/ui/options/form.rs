//! The options form's building blocks: every input names the settings path it edits
//! (`data-field`) and how to read it (`data-kind`), knows whether the consortium's policy
//! locks it, and sits in a section card with its title and "Reset to defaults".

use web_sys::Document;

use crate::core::options_form::{field_id, is_locked, kind, section_by_id};
use crate::ext::t;
use crate::ui::{el, El};

/// Builds inputs for one settings path: knows the locked paths, the section on show and
/// the section whose reset is waiting for confirmation.
pub(super) struct Form<'a> {
    pub doc: &'a Document,
    pub locked: &'a [String],
    pub current: &'a str,
    pub confirm_reset: Option<&'a str>,
}

/// Builds inputs for one settings path: knows the locked paths.
impl Form<'_> {
    pub fn locked(&self, field: &str) -> bool {
        is_locked(field, self.locked)
    }

    pub fn control(&self, tag: &str, field: &str, kind: &str) -> El {
        let mut c = el(self.doc, tag)
            .attr("id", &field_id(field))
            .attr("data-field", field)
            .attr("data-kind", kind);
        if self.locked(field) {
            c = c.attr("disabled", "");
        }
        c
    }

    pub fn input(&self, field: &str, kind: &str, value: &str) -> El {
        self.control("input", field, kind)
            .attr("type", "text")
            .attr("value", value)
    }

    pub fn number(&self, field: &str, value: u32) -> El {
        self.control("input", field, kind::NUMBER)
            .attr("type", "number")
            .attr("min", "0")
            .attr("inputmode", "numeric")
            .attr("value", &value.to_string())
    }

    pub fn time(&self, field: &str, value: &str) -> El {
        self.input(field, kind::TEXT, value)
            .class("time")
            .attr("inputmode", "numeric")
            .attr("placeholder", "HH:MM")
            .attr("autocomplete", "off")
    }

    pub fn date(&self, field: &str, kind: &str, value: &str) -> El {
        self.input(field, kind, value)
            .class("date")
            .attr("placeholder", "YYYY-MM-DD")
            .attr("autocomplete", "off")
    }

    pub fn textarea(&self, field: &str, kind: &str, value: &str, rows: u32) -> El {
        self.control("textarea", field, kind)
            .attr("rows", &rows.to_string())
            .text(value)
    }

    /// A list edited one entry per line.
    pub fn lines(&self, field: &str, lines: &[String]) -> El {
        self.textarea(field, kind::LINES, &lines.join("\n"), 3)
    }

    pub fn select(
        &self,
        field: &str,
        kind: &str,
        options: &[(String, String)],
        chosen: &str,
    ) -> El {
        let mut s = self.control("select", field, kind);
        for (value, label) in options {
            let mut o = el(self.doc, "option").attr("value", value).text(label);
            if value == chosen {
                o = o.attr("selected", "");
            }
            s = s.child(o);
        }
        s
    }

    /// A labelled field: label, control, help, the locked note; errors are added later.
    pub fn field(&self, field: &str, label: &str, control: El, help: Option<&str>) -> El {
        let id = field_id(field);
        let mut wrap = el(self.doc, "div")
            .class("field")
            .attr("data-field-wrap", field)
            .child(el(self.doc, "label").attr("for", &id).text(label))
            .child(control);
        if let Some(h) = help {
            wrap = wrap.child(el(self.doc, "p").class("help").text(h));
        }
        self.locked_note(wrap, field)
    }

    pub fn locked_note(&self, wrap: El, field: &str) -> El {
        if self.locked(field) {
            wrap.class("locked").child(
                el(self.doc, "p")
                    .class("locked-note")
                    .text(&t("optionsLocked")),
            )
        } else {
            wrap
        }
    }

    /// A checkbox with its label after it.
    pub fn checkbox(
        &self,
        field: &str,
        kind: &str,
        label: &str,
        on: bool,
        help: Option<&str>,
    ) -> El {
        let id = field_id(field);
        let mut c = self.control("input", field, kind).attr("type", "checkbox");
        if on {
            c = c.attr("checked", "");
        }
        let mut wrap = el(self.doc, "div")
            .class("field")
            .class("check")
            .attr("data-field-wrap", field)
            .child(c)
            .child(el(self.doc, "label").attr("for", &id).text(label));
        if let Some(h) = help {
            wrap = wrap.child(el(self.doc, "p").class("help").text(h));
        }
        self.locked_note(wrap, field)
    }

    /// A compact field in a row whose label also names the row (“Monday”, “Shift 2”)
    /// for screen readers; sighted users see the row around it.
    pub fn cell_in(&self, field: &str, row: &str, label: &str, control: El) -> El {
        let mut l = el(self.doc, "label").attr("for", &field_id(field));
        if !row.is_empty() {
            l = l.child(
                el(self.doc, "span")
                    .class("visually-hidden")
                    .text(&format!("{row}: ")),
            );
        }
        let text: web_sys::Node = self.doc.create_text_node(label).into();
        let _ = l.0.append_child(&text);
        el(self.doc, "div")
            .class("cell")
            .attr("data-field-wrap", field)
            .child(l)
            .child(control)
    }

    pub fn button(&self, action: &str, text: &str, guard_path: &str) -> El {
        let mut b = el(self.doc, "button")
            .attr("type", "button")
            .attr("data-action", action)
            .text(text);
        if self.locked(guard_path) {
            b = b.attr("disabled", "");
        }
        b
    }

    /// A `div` of `class` (a row of cells, a list's item, a group of buttons…).
    pub fn div(&self, class: &str) -> El {
        el(self.doc, "div").class(class)
    }

    /// A button that does `action` (also its id), whatever the policy locks.
    pub fn action(&self, action: &str, text: &str) -> El {
        el(self.doc, "button")
            .attr("type", "button")
            .attr("id", action)
            .attr("data-action", action)
            .text(text)
    }

    /// A help paragraph; a control names it by `id` in `aria-describedby`.
    pub fn help(&self, id: &str, text: &str) -> El {
        el(self.doc, "p").class("help").attr("id", id).text(text)
    }

    /// A `.json` file to read: its label, the file input and its help (`{id}-help`).
    pub fn file_field(&self, id: &str, label: &str, help: &str) -> El {
        let help_id = format!("{id}-help");
        el(self.doc, "div")
            .class("field")
            .child(el(self.doc, "label").attr("for", id).text(label))
            .child(
                el(self.doc, "input")
                    .attr("type", "file")
                    .attr("id", id)
                    .attr("accept", ".json,application/json")
                    .attr("aria-describedby", &help_id),
            )
            .child(self.help(&help_id, help))
    }

    /// Dates, one per line, `example` as the placeholder.
    pub fn date_lines(&self, field: &str, label: &str, dates: &[String], example: &str) -> El {
        let control = self.lines(field, dates).attr("placeholder", example);
        self.field(field, label, control, Some(&t("optionsOnePerLine")))
    }

    pub fn add_button(&self, list: &str, text: &str) -> El {
        self.button("add", text, list)
            .class("add")
            .attr("id", &format!("add-{}", field_id(list)))
            .attr("data-list", list)
    }

    pub fn remove_button(&self, row: &str, what: &str) -> El {
        self.button("remove", "✕", row)
            .class("remove")
            .attr("data-row", row)
            .attr("aria-label", &format!("{} {what}", t("optionsRemove")))
            .attr("title", &t("optionsRemove"))
    }
}

impl Form<'_> {
    /// A section of the page (one of `SECTIONS`): shown when it is the current one, with
    /// its title, an introduction, and — when it holds settings — "Reset to defaults"
    /// (confirmed in place first).
    pub fn section(&self, id: &str, intro: Option<&str>) -> El {
        let doc = self.doc;
        let info = section_by_id(id);
        let title = t(info.title);
        let mut head = el(doc, "div").class("section-head").child(
            el(doc, "h2")
                .attr("id", &format!("{id}-title"))
                .attr("tabindex", "-1")
                .text(&title),
        );
        let resettable =
            !info.settings.is_empty() && !info.settings.iter().all(|key| self.locked(key));
        if resettable {
            head = head.child(
                el(doc, "button")
                    .attr("type", "button")
                    .attr("id", &format!("reset-{id}"))
                    .attr("data-action", "reset")
                    .attr("data-section", id)
                    .class("quiet")
                    .text(&t("optionsReset")),
            );
        }
        let mut s = el(doc, "section")
            .attr("id", id)
            .class("card")
            .attr("data-section", id)
            .attr("aria-labelledby", &format!("{id}-title"))
            .child(head);
        if id != self.current {
            s = s.attr("hidden", "");
        }
        if resettable && self.confirm_reset == Some(id) {
            s = s.child(
                el(doc, "div")
                    .class("confirm")
                    .attr("role", "group")
                    .attr("id", "reset-confirm")
                    .attr("aria-labelledby", "reset-confirm-text")
                    .child(
                        el(doc, "p")
                            .attr("id", "reset-confirm-text")
                            .text(&t("optionsResetConfirm").replace("{section}", &title)),
                    )
                    .child(
                        el(doc, "div")
                            .class("buttons")
                            .child(
                                el(doc, "button")
                                    .attr("type", "button")
                                    .attr("id", "reset-yes")
                                    .attr("data-action", "reset-yes")
                                    .attr("data-section", id)
                                    .class("primary")
                                    .text(&t("optionsResetYes")),
                            )
                            .child(
                                el(doc, "button")
                                    .attr("type", "button")
                                    .attr("id", "reset-no")
                                    .attr("data-action", "reset-no")
                                    .attr("data-section", id)
                                    .text(&t("optionsCancel")),
                            ),
                    ),
            );
        }
        if let Some(i) = intro {
            s = s.child(el(doc, "p").class("intro").text(i));
        }
        s
    }
}
