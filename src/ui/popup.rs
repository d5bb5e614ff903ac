//! The toolbar popup: what the extension sees on the web client in this tab.

use wasm_bindgen::JsValue;
use web_sys::Element;

use super::{document, el};
use crate::core::messages::PageReport;
use crate::ext::{self, t};

async fn report_of(tab: i32) -> Result<Option<PageReport>, JsValue> {
    let raw = ext::SESSION
        .get(&ext::page_report_key(tab))
        .await
        .map_err(|e| JsValue::from_str(&e.0))?;
    if raw.is_undefined() || raw.is_null() {
        return Ok(None);
    }
    Ok(ext::from_js(raw).ok())
}

/// The tab named in the popup's `?tab=` (the popup opened as a page, as the tests do).
fn tab_from_query() -> Option<i32> {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .and_then(|q| {
            q.trim_start_matches('?')
                .split('&')
                .find_map(|kv| kv.strip_prefix("tab=").and_then(|v| v.parse::<i32>().ok()))
        })
}

/// The report of the web client this popup is about: the tab named in `?tab=` (the
/// popup opened as a page), else the active tab, else the web client that reported last
/// (the shift is the operator's, whichever tab they are looking at).
async fn web_client_report() -> Result<Option<PageReport>, JsValue> {
    let active = match tab_from_query() {
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
    let latest = ext::latest_report_tab()
        .await
        .map_err(|e| JsValue::from_str(&e.0))?;
    match latest {
        Some(id) => report_of(id).await,
        None => Ok(None),
    }
}

/// The popup, live facts first so that it fits Chrome's 600 px: new chats, the
/// auto-logout countdown, warnings, the missed-shift steps, then the phase and the day,
/// the checklist (folded on shift) and the page check.
pub async fn render(root: Element) -> Result<(), JsValue> {
    let doc = document()?;
    let report = web_client_report().await?;
    // Everything is read and built before the old content goes.
    let shift = super::checklist::render(&doc, report.as_ref()).await?;
    let check = el(&doc, "details")
        .attr("id", "page-check")
        .child(el(&doc, "summary").text(&t("popupPageCheck")));
    // The page check looked up now, whole, in the web client's current view; the last
    // report's when the tab cannot answer.
    let fresh = match (&report, skeleton_tab().await) {
        (Some(_), Some(tab)) => ext::ask_tab::<Vec<crate::core::messages::LocatorHealth>>(
            tab,
            &crate::core::messages::PopupToContent::CheckPage,
        )
        .await
        .ok(),
        _ => None,
    };
    let check: Element = match &report {
        Some(r) => {
            let health = fresh.as_ref().unwrap_or(&r.locators);
            let items = health.iter().map(|l| {
                use crate::core::messages::LocatorState;
                let (state, label) = match l.state {
                    LocatorState::Found => {
                        ("found", format!("{} ({})", t("locatorFound"), l.matches))
                    }
                    LocatorState::NotShownNow => ("not-shown", t("locatorNotShown")),
                    LocatorState::NotChecked => ("not-checked", t("locatorNotChecked")),
                    LocatorState::NotFound => ("not-found", t("locatorNotFound")),
                };
                let mut item = el(&doc, "li")
                    .attr("data-locator", &l.id)
                    .attr("data-state", state)
                    .attr("data-matches", &l.matches.to_string())
                    .child(
                        el(&doc, "span")
                            .class("locator-purpose")
                            .text(&purpose(&l.id, &l.purpose)),
                    )
                    .child(el(&doc, "span").class("locator-state").text(&label));
                if l.overridden {
                    item = item.attr("data-overridden", "true").child(
                        el(&doc, "span")
                            .class("locator-note")
                            .text(&t("locatorOverridden")),
                    );
                }
                if l.fragile {
                    item = item.attr("data-fragile", "true").child(
                        el(&doc, "span")
                            .class("locator-note")
                            .text(&t("locatorFragile")),
                    );
                }
                // Fix…: pick the part on the web client (`page::picker`).
                item = item.child(
                    el(&doc, "button")
                        .attr("type", "button")
                        .class("fix-locator")
                        .attr("data-action", "fix-locator")
                        .attr("data-fix", &l.id)
                        .attr("aria-label", &format!("{} {}", t("locatorFix"), l.purpose))
                        .text(&t("locatorFix")),
                );
                Element::from(item)
            });
            check
                .child(el(&doc, "p").attr("data-engine", &r.engine).text(&format!(
                    "{} {}",
                    t("popupEngine"),
                    r.engine
                )))
                .child(
                    el(&doc, "p")
                        .attr("role", "status")
                        .attr("data-fix-status", "")
                        .text(&FIX_STATUS.with(|f| f.borrow().clone())),
                )
                .child(el(&doc, "ul").class("locators").children(items))
                .into()
        }
        None => check
            .child(el(&doc, "p").text(&t("popupNotOnWebClient")))
            .into(),
    };
    if report.is_some() {
        check.append_child(&skeleton_tool(&doc))?;
    }
    // Only now, with nothing left to wait for, does the old content go: a popup half
    // drawn while the page check was asked for lost its focus and its page check.
    let mut parts: Vec<web_sys::Node> = vec![shift.top.into()];
    if let Some(missed) = replacement_not_here(&doc, report.as_ref()) {
        parts.push(missed.into());
    }
    parts.extend([shift.phase.into(), shift.checklist.into(), check.into()]);
    super::checklist::swap_keeping_focus(&doc, &root, &parts)
}

/// What a locator finds, in the catalog's words (an override's own locator, unknown to
/// the catalog, in its own).
fn purpose(id: &str, own: &str) -> String {
    let catalog = ext::catalog::current();
    catalog
        .find(&crate::core::catalog::locator_key(id))
        .unwrap_or(own)
        .to_string()
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
            .child(el(doc, "p").class("who").text(&ext::say(&m.who)))
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

thread_local! {
    /// The last skeleton and what happened to it (kept across the popup's re-renders).
    static SKELETON: std::cell::RefCell<Option<(String, String)>> =
        const { std::cell::RefCell::new(None) };
    static SKELETON_LISTENING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// "Copy page skeleton" (end of the page check): asks the web client tab's content
/// script for the page's structure without its text, names or values
/// (`page::skeleton`), copies it and offers it as a download, so an operator can report
/// a page change without leaking a chat. The text is shown too: the operator sees
/// exactly what they would send.
fn skeleton_tool(doc: &web_sys::Document) -> Element {
    use wasm_bindgen::JsCast;
    if !SKELETON_LISTENING.with(|l| l.replace(true)) {
        // One delegated listener for the popup's life (the popup re-renders often):
        // "Copy page skeleton" and each locator's "Fix…".
        let on_click = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::Event)>::new(
            |e: web_sys::Event| {
                let target = e.target().and_then(|t| t.dyn_into::<Element>().ok());
                let action =
                    |sel: &str| target.as_ref().and_then(|t| t.closest(sel).ok().flatten());
                if action("[data-action=copy-skeleton]").is_some() {
                    wasm_bindgen_futures::spawn_local(copy_skeleton());
                }
                if let Some(fix) = action("[data-action=fix-locator]") {
                    let id = fix.get_attribute("data-fix").unwrap_or_default();
                    wasm_bindgen_futures::spawn_local(open_picker(id));
                }
            },
        );
        let _ = doc.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
        on_click.forget();
    }
    let (text, status) = SKELETON.with(|s| s.borrow().clone()).unwrap_or_default();
    let tool = el(doc, "div")
        .attr("id", "page-skeleton")
        .child(
            el(doc, "button")
                .attr("type", "button")
                .attr("id", "copy-skeleton")
                .attr("data-action", "copy-skeleton")
                .text(&t("skeletonCopy")),
        )
        .child(el(doc, "p").class("hint").text(&t("skeletonHelp")))
        .child(
            el(doc, "p")
                .attr("role", "status")
                .attr("data-skeleton-status", "")
                .text(&status),
        );
    if text.is_empty() {
        return tool.into();
    }
    let blob = web_sys::Blob::new_with_str_sequence(&js_sys::Array::of1(&text.as_str().into()));
    let href = blob
        .ok()
        .and_then(|b| web_sys::Url::create_object_url_with_blob(&b).ok());
    let mut tool = tool.child(
        el(doc, "textarea")
            .attr("data-skeleton-text", "")
            .attr("readonly", "")
            .attr("rows", "6")
            .attr("aria-label", &t("skeletonCopy"))
            .text(&text),
    );
    if let Some(href) = href {
        tool = tool.child(
            el(doc, "a")
                .attr("href", &href)
                .attr("download", "lh3-page-skeleton.txt")
                .attr("data-skeleton-download", "")
                .text(&t("skeletonDownload")),
        );
    }
    tool.into()
}

thread_local! {
    /// What became of the last Fix… (shown under the page check).
    static FIX_STATUS: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Fix…: the element picker opens on the web client tab for locator `id`; the popup
/// closes so the page can be pointed at (the fix is saved from the page).
async fn open_picker(id: String) {
    use crate::core::messages::PopupToContent;
    let opened = match skeleton_tab().await {
        Some(tab) => ext::ask_tab::<()>(tab, &PopupToContent::PickLocator { id })
            .await
            .map_err(|e| e.0),
        None => Err(t("popupNotOnWebClient")),
    };
    let status = match &opened {
        Ok(()) => t("locatorFixOpen"),
        Err(e) => format!("{} {e}", t("locatorFixFailed")),
    };
    FIX_STATUS.with(|f| *f.borrow_mut() = status.clone());
    if let Ok(doc) = document() {
        if let Ok(Some(p)) = doc.query_selector("[data-fix-status]") {
            p.set_text_content(Some(&status));
        }
    }
    if opened.is_ok() {
        if let Some(w) = web_sys::window() {
            let _ = w.close();
        }
    }
}

/// Fetches the skeleton from the web client tab, copies it, and shows it.
async fn copy_skeleton() {
    use crate::core::messages::PopupToContent;
    let set = |text: String, status: String| {
        SKELETON.with(|s| *s.borrow_mut() = Some((text, status)));
        // Shown in place now; later re-renders of the popup show it again.
        if let Ok(doc) = document() {
            if let Some(old) = doc.get_element_by_id("page-skeleton") {
                let _ = old.replace_with_with_node_1(&skeleton_tool(&doc));
            }
        }
    };
    let tab = match skeleton_tab().await {
        Some(tab) => tab,
        None => return set(String::new(), t("skeletonFailed")),
    };
    let answer = ext::ask_tab::<String>(tab, &PopupToContent::PageSkeleton).await;
    let Some(text) = answer.ok().filter(|s| !s.is_empty()) else {
        return set(String::new(), t("skeletonFailed"));
    };
    let copied = match web_sys::window().map(|w| w.navigator().clipboard()) {
        Some(c) => wasm_bindgen_futures::JsFuture::from(c.write_text(&text))
            .await
            .is_ok(),
        None => false,
    };
    let status = t(if copied {
        "skeletonCopied"
    } else {
        "skeletonNotCopied"
    });
    set(text, status);
}

/// The web client tab the popup is about: `?tab=`, else the active tab if it has a
/// report, else the web client that reported last.
async fn skeleton_tab() -> Option<i32> {
    let from_query = tab_from_query();
    if from_query.is_some() {
        return from_query;
    }
    if let Ok(Some(id)) = ext::active_tab_id().await {
        if matches!(report_of(id).await, Ok(Some(_))) {
            return Some(id);
        }
    }
    ext::latest_report_tab().await.ok().flatten()
}
