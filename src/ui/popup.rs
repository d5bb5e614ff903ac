//! The toolbar popup: what the extension sees on the web client in this tab.

use wasm_bindgen::JsValue;
use web_sys::Element;

use super::{document, el};
use crate::core::messages::PageReport;
use crate::ext::{self, t};

fn count_row(doc: &web_sys::Document, state: &str, label: &str, n: u32) -> Element {
    el(doc, "li")
        .attr("data-count", state)
        .child(el(doc, "span").class("count-label").text(label))
        .child(el(doc, "strong").class("count-value").text(&n.to_string()))
        .into()
}

async fn report_of(tab: i32) -> Result<Option<PageReport>, JsValue> {
    let raw = ext::session::get(&ext::page_report_key(tab))
        .await
        .map_err(|e| JsValue::from_str(&e.0))?;
    if raw.is_undefined() || raw.is_null() {
        return Ok(None);
    }
    Ok(ext::from_js(raw).ok())
}

/// The report of the web client this popup is about: the tab named in `?tab=` (the
/// popup opened as a page), else the active tab, else the web client that reported last
/// (the shift is the operator's, whichever tab they are looking at).
async fn web_client_report() -> Result<Option<PageReport>, JsValue> {
    let from_query = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .and_then(|q| {
            q.trim_start_matches('?')
                .split('&')
                .find_map(|kv| kv.strip_prefix("tab=").and_then(|v| v.parse::<i32>().ok()))
        });
    let active = match from_query {
        Some(id) => Some(id),
        None => ext::active_tab_id()
            .await
            .map_err(|e| JsValue::from_str(&e.0))?,
    };
    if let Some(id) = active {
        if let Some(report) = report_of(id).await? {
            return Ok(Some(report));
        }
    }
    let latest = ext::session::get(ext::LATEST_REPORT_KEY)
        .await
        .map_err(|e| JsValue::from_str(&e.0))?;
    match latest.as_f64() {
        Some(id) => report_of(id as i32).await,
        None => Ok(None),
    }
}

pub async fn render(root: Element) -> Result<(), JsValue> {
    let doc = document()?;
    let report = web_client_report().await?;
    // The shift checklist first; everything is read before the old content goes.
    let shift = super::checklist::render(&doc, report.as_ref()).await?;
    root.set_text_content(None);
    root.append_child(&shift)?;
    let history = el(&doc, "section")
        .attr("id", "chat-history")
        .attr("aria-labelledby", "chat-history-title")
        .child(
            el(&doc, "h2")
                .attr("id", "chat-history-title")
                .text(&t("popupChatHistory")),
        );
    let history: Element = match report.as_ref().and_then(|r| r.history) {
        Some(h) => history
            .child(
                el(&doc, "ul")
                    .class("counts")
                    .child(count_row(&doc, "new", &t("stateNew"), h.new))
                    .child(count_row(&doc, "ongoing", &t("stateOngoing"), h.ongoing))
                    .child(count_row(
                        &doc,
                        "completed",
                        &t("stateCompleted"),
                        h.completed,
                    ))
                    .child(count_row(
                        &doc,
                        "unreadable",
                        &t("stateUnreadable"),
                        h.unreadable,
                    )),
            )
            .into(),
        None => history
            .child(
                el(&doc, "p")
                    .attr("data-empty", "history")
                    .text(&t("popupNoHistory")),
            )
            .into(),
    };
    if let Some(missed) = replacement_not_here(&doc, report.as_ref()) {
        root.append_child(&missed)?;
    }
    root.append_child(&history)?;

    let check = el(&doc, "details")
        .attr("id", "page-check")
        .child(el(&doc, "summary").text(&t("popupPageCheck")));
    let check: Element = match &report {
        Some(r) => {
            let items = r.locators.iter().map(|l| {
                let state = match (l.found, l.optional) {
                    (true, _) => "found",
                    (false, true) => "not-shown",
                    (false, false) => "not-found",
                };
                let label = match state {
                    "found" => t("locatorFound"),
                    "not-shown" => t("locatorNotShown"),
                    _ => t("locatorNotFound"),
                };
                Element::from(
                    el(&doc, "li")
                        .attr("data-locator", &l.id)
                        .attr("data-state", state)
                        .child(el(&doc, "span").class("locator-purpose").text(&l.purpose))
                        .child(el(&doc, "span").class("locator-state").text(&label)),
                )
            });
            check
                .child(el(&doc, "p").attr("data-engine", &r.engine).text(&format!(
                    "{} {}",
                    t("popupEngine"),
                    r.engine
                )))
                .child(el(&doc, "ul").class("locators").children(items))
                .into()
        }
        None => check
            .child(el(&doc, "p").text(&t("popupNotOnWebClient")))
            .into(),
    };
    root.append_child(&check)?;
    Ok(())
}

/// "Replacement not here": the missed-shift steps the web client handed over (who is
/// missing, the email ready for the coordinators, what to do if you stay or cannot).
/// Nothing when the shift has a replacement or is not over.
fn replacement_not_here(doc: &web_sys::Document, report: Option<&PageReport>) -> Option<Element> {
    let m = report?.missed_shift.as_ref()?;
    let step = |text: &str| Element::from(el(doc, "li").text(text));
    let mail = |draft: &crate::core::leaving::MailDraft, label: &str, which: &str| {
        Element::from(
            el(doc, "a")
                .class("mail-button")
                .attr("href", &draft.mailto)
                .attr("data-mail", which)
                .text(label),
        )
    };
    Some(
        el(doc, "section")
            .attr("id", "replacement-not-here")
            .attr("data-section", "missed-shift")
            .attr("aria-labelledby", "replacement-not-here-title")
            .child(
                el(doc, "h2")
                    .attr("id", "replacement-not-here-title")
                    .text(&m.title),
            )
            .child(el(doc, "p").class("who").text(&m.who))
            .child(
                el(doc, "ol")
                    .child(step(&m.check_schedule))
                    .child(
                        el(doc, "li")
                            .child(el(doc, "span").text(&m.email_hint))
                            .child(
                                el(doc, "span")
                                    .class("mail-buttons")
                                    .child(mail(&m.staying, &m.staying_label, "staying"))
                                    .child(mail(
                                        &m.not_staying,
                                        &m.not_staying_label,
                                        "not_staying",
                                    )),
                            ),
                    )
                    .child(
                        el(doc, "li")
                            .class("appreciated")
                            .attr("data-step", "appreciated")
                            .text(&m.appreciated),
                    )
                    .child(
                        el(doc, "li")
                            .attr("data-step", "tell_others")
                            .text(&m.tell_others),
                    ),
            )
            .into(),
    )
}
