//! Acting on the web client's form controls the way a person would (so the page's own
//! code notices), and a floating place for notices about controls in the top bar,
//! where a block inserted into the bar would break its layout.
//!
//! Nothing here ever presses "Connect now", "Remain logged in" or "Log me out": filling
//! a field or choosing an option is the most the extension does by itself.

use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlInputElement, HtmlTextAreaElement};

pub use super::events::new_event;

use super::notices::UI_ATTR;

/// Dispatches a bubbling `kind` event (`new Event(kind, {bubbles: true})`), as the
/// browser does when a person types or chooses. It is the extension's own: it passes
/// the gates (`events::new_event`).
pub fn fire(el: &Element, kind: &str) {
    if let Some(e) = new_event("Event", kind, &[("bubbles", true.into())]) {
        let _ = el.dispatch_event(&e);
    }
}

/// Presses a button or link as a click would (the page sees `click`, a checkbox
/// toggles, a link is followed). The click is the extension's own: it passes the gates.
pub fn press(el: &Element) {
    let init = [("bubbles", true.into()), ("cancelable", true.into())];
    if let Some(e) = new_event("MouseEvent", "click", &init) {
        let _ = el.dispatch_event(&e);
    }
}

/// Types `value` into an input (or chooses it in a select) and fires `input` and
/// `change`, as typing and leaving the field would.
pub fn fill(el: &Element, value: &str) -> bool {
    if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
        if input.value() != value {
            input.set_value(value);
        }
    } else if let Some(select) = el.dyn_ref::<web_sys::HtmlSelectElement>() {
        let options = select.options();
        let wanted = (0..options.length())
            .filter_map(|i| options.item(i))
            .position(|o| {
                crate::core::locators::text_matches(&super::text_of(&o), &[value.to_string()])
            });
        match wanted {
            Some(i) => select.set_selected_index(i as i32),
            None => return false,
        }
    } else {
        return false;
    }
    fire(el, "input");
    fire(el, "change");
    true
}

/// Chooses a status the way the operator would: in a `<select>`, the option; on a
/// dropdown button (the real client's), a click to open its menu, then — once the app
/// has drawn the menu, which a React app does on its next frame — a click on the item.
/// Gives up after a second if no item with that word appears.
pub async fn choose_status(menu: Element, word: String) -> bool {
    if fill(&menu, &word) {
        return true;
    }
    // As the extension's own clicks (`press`): they pass the gates, the operator chose.
    press(&menu);
    // The menu is drawn near its button: look around it first, then anywhere.
    let words = [word];
    for _ in 0..20 {
        gloo_timers::future::TimeoutFuture::new(50).await;
        let near = std::iter::successors(menu.parent_element(), |p| p.parent_element())
            .take(3)
            .chain(menu.owner_document().and_then(|d| d.document_element()));
        for scope in near {
            let item = super::find::with_text(&scope, &words)
                .into_iter()
                .map(|hit| super::find::clickable(&hit))
                .find(|el| {
                    !menu.contains(Some(el.unchecked_ref()))
                        && !super::notices::is_own(el.unchecked_ref())
                });
            if let Some(item) = item {
                press(&item);
                return true;
            }
        }
    }
    false
}

/// Turns a checkbox or radio on with a real click (the page sees `click`, `input` and
/// `change`); does nothing when it is already on.
pub fn turn_on(el: &Element) -> bool {
    let on = match el.dyn_ref::<HtmlInputElement>() {
        Some(input) => input.checked(),
        None => el.get_attribute("aria-checked").as_deref() == Some("true"),
    };
    if !on {
        press(el);
    }
    true
}

/// Where floating notices gather: one box per slot, in a fixed column under `anchor`
/// (right-aligned to it), or in the top-right corner when the anchor is not found.
const STACK: &str = "stack";
/// The slot attribute: `data-lh3-slot="status-guard"`.
pub const SLOT_ATTR: &str = "data-lh3-slot";

/// Slots in display order; a feature puts at most one notice in its slot, so a notice
/// is always its slot's only child and never moves.
pub const SLOTS: &[&str] = &[
    // The page loop's own: a feature stopped working.
    "page",
    "off-hours-guard",
    "autologout-watch",
    "status-guard",
    "staffing-check",
];

fn set_style(el: &Element, css: &str) {
    if el.get_attribute("style").as_deref() != Some(css) {
        let _ = el.set_attribute("style", css);
    }
}

/// `(bottom, right, width)` of an element's box in the viewport.
fn rect_of(el: &Element) -> Option<(f64, f64, f64)> {
    let f: js_sys::Function = js_sys::Reflect::get(el, &"getBoundingClientRect".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let r = f.call0(el).ok()?;
    let get = |k: &str| js_sys::Reflect::get(&r, &k.into()).ok()?.as_f64();
    Some((get("bottom")?, get("right")?, get("width")?))
}

/// Where the stack was last put. Measuring the anchor forces a synchronous layout of
/// the whole page right after it changed (at 5,000 Chat History rows, most of a flush:
/// docs/performance.md), so it is measured again only when the anchor is another
/// element, the window was resized, or a notice is about to appear in an empty stack.
#[derive(Default)]
struct Placed {
    stack: Option<Element>,
    /// The anchor the style was measured from (`None`: not measured, or not shown).
    anchor: Option<Element>,
    style: String,
    resized: bool,
}

thread_local! {
    static PLACED: std::cell::RefCell<Placed> = std::cell::RefCell::new(Placed::default());
}

/// The window was resized (`page::events`): the anchor may have moved, so the next
/// notice shown measures it again.
pub fn window_resized() {
    PLACED.with(|p| p.borrow_mut().resized = true);
}

/// The stack element, made on first use (and again if the page threw it away).
fn stack_of(doc: &Document) -> Option<Element> {
    let kept = PLACED.with(|p| p.borrow().stack.clone());
    if let Some(s) = kept.filter(|s| s.is_connected()) {
        return Some(s);
    }
    let s = doc.create_element("div").ok()?;
    s.set_attribute(UI_ATTR, STACK).ok()?;
    for name in SLOTS {
        let box_ = doc.create_element("div").ok()?;
        box_.set_attribute(UI_ATTR, "slot").ok()?;
        box_.set_attribute(SLOT_ATTR, name).ok()?;
        s.append_child(&box_).ok()?;
    }
    doc.body()?.append_child(&s).ok()?;
    PLACED.with(|p| {
        let mut p = p.borrow_mut();
        p.stack = Some(s.clone());
        p.anchor = None;
    });
    Some(s)
}

/// The floating slot for `slot`, placed under `anchor`. `None` without a body.
/// Call it only to show a notice: it may measure the anchor.
pub fn floating_slot(doc: &Document, anchor: Option<&Element>, slot: &str) -> Option<Element> {
    let stack = stack_of(doc)?;
    let showing = stack
        .query_selector(&format!("[{}]", super::notices::NOTICE_ATTR))
        .ok()
        .flatten()
        .is_some();
    let style = PLACED.with(|p| {
        let p = p.borrow();
        let same = match (&p.anchor, anchor) {
            (Some(a), Some(b)) => a.is_same_node(Some(b)),
            _ => false,
        };
        (same && showing && !p.resized).then(|| p.style.clone())
    });
    let style = match style {
        Some(s) => s,
        None => {
            let measured = anchor
                .and_then(|a| rect_of(a).map(|r| (a, r)))
                .filter(|(_, (_, _, w))| *w > 0.0);
            let width = web_sys::window()?
                .inner_width()
                .ok()?
                .as_f64()
                .unwrap_or(1280.0);
            let (top, right) = match measured {
                Some((_, (bottom, right, _))) => (bottom + 8.0, (width - right).max(8.0)),
                None => (12.0, 12.0),
            };
            let css = format!("top:{}px;right:{}px", top.round(), right.round());
            PLACED.with(|p| {
                let mut p = p.borrow_mut();
                // A hidden anchor is not remembered: measured again once it shows.
                p.anchor = measured.map(|(a, _)| a.clone());
                p.style = css.clone();
                p.resized = false;
            });
            css
        }
    };
    set_style(&stack, &style);
    stack
        .query_selector(&format!("[{SLOT_ATTR}=\"{}\"]", slot.replace('"', "")))
        .ok()
        .flatten()
}

/// The element to put a notice before so it sits just above `control`: the row of
/// buttons holding it when there is one (a notice inside a flex row would be squeezed
/// beside the buttons), else the control itself.
pub fn row_of(control: &Element) -> Element {
    let Some(parent) = control.parent_element() else {
        return control.clone();
    };
    let children = parent.children();
    let only_buttons = (0..children.length())
        .filter_map(|i| children.item(i))
        .filter(|c| !c.has_attribute(UI_ATTR))
        .all(|c| {
            matches!(super::role_of(&c).as_str(), "button")
                || c.tag_name().eq_ignore_ascii_case("button")
        });
    if only_buttons && !parent.tag_name().eq_ignore_ascii_case("form") {
        parent
    } else {
        control.clone()
    }
}

/// Whether an element is shown (not inside a `hidden` or `aria-hidden` part).
pub fn is_shown(el: &Element) -> bool {
    el.closest("[hidden], [aria-hidden=\"true\"]")
        .ok()
        .flatten()
        .is_none()
}

/// Puts `text` into a typing area at the cursor, as if typed: the value is set through
/// the element's own setter (so page frameworks see it), an `input` event follows, the
/// cursor ends after the text. Never sends.
pub fn insert_at_cursor(input: &Element, text: &str) -> bool {
    let (value, start, end, proto) = if let Some(t) = input.dyn_ref::<HtmlTextAreaElement>() {
        let v = t.value();
        let n = v.encode_utf16().count() as u32;
        let s = t.selection_start().ok().flatten().unwrap_or(n).min(n);
        let e = t.selection_end().ok().flatten().unwrap_or(n).clamp(s, n);
        (v, s, e, "HTMLTextAreaElement")
    } else if let Some(i) = input.dyn_ref::<web_sys::HtmlInputElement>() {
        let v = i.value();
        let n = v.encode_utf16().count() as u32;
        let s = i.selection_start().ok().flatten().unwrap_or(n).min(n);
        let e = i.selection_end().ok().flatten().unwrap_or(n).clamp(s, n);
        (v, s, e, "HTMLInputElement")
    } else {
        return false;
    };
    let units: Vec<u16> = value.encode_utf16().collect();
    let before = String::from_utf16_lossy(&units[..start as usize]);
    let after = String::from_utf16_lossy(&units[end as usize..]);
    // A space between existing words and the inserted text, as the page's own list does.
    let sep = if before.chars().last().is_some_and(|c| !c.is_whitespace()) {
        " "
    } else {
        ""
    };
    let head = format!("{before}{sep}{text}");
    let caret = head.encode_utf16().count() as u32;
    let new_value = format!("{head}{after}");
    set_value(input, proto, &new_value);
    if let Some(t) = input.dyn_ref::<HtmlTextAreaElement>() {
        let _ = t.set_selection_range(caret, caret);
    } else if let Some(i) = input.dyn_ref::<web_sys::HtmlInputElement>() {
        let _ = i.set_selection_range(caret, caret);
    }
    if let Some(e) = input_event(text) {
        let _ = input.dispatch_event(&e);
    }
    if let Some(h) = super::as_html(input) {
        let _ = h.focus();
    }
    true
}

/// Sets `value` through the prototype's setter: a framework that wraps the element's own
/// `value` property then notices the change like a typed one.
fn set_value(input: &Element, proto: &str, value: &str) {
    let via_proto = (|| -> Option<()> {
        let global = js_sys::global();
        let ctor = js_sys::Reflect::get(&global, &proto.into()).ok()?;
        let prototype = js_sys::Reflect::get(&ctor, &"prototype".into()).ok()?;
        let desc = js_sys::Object::get_own_property_descriptor(
            prototype.dyn_ref::<js_sys::Object>()?,
            &"value".into(),
        );
        let setter = js_sys::Reflect::get(&desc, &"set".into())
            .ok()?
            .dyn_into::<js_sys::Function>()
            .ok()?;
        setter.call1(input, &value.into()).ok().map(|_| ())
    })();
    if via_proto.is_none() {
        if let Some(t) = input.dyn_ref::<HtmlTextAreaElement>() {
            t.set_value(value);
        } else if let Some(i) = input.dyn_ref::<web_sys::HtmlInputElement>() {
            i.set_value(value);
        }
    }
}

/// An `input` event that bubbles, typed as an insertion where the browser allows it.
fn input_event(text: &str) -> Option<web_sys::Event> {
    new_event(
        "InputEvent",
        "input",
        &[
            ("bubbles", true.into()),
            ("inputType", "insertText".into()),
            ("data", text.into()),
        ],
    )
    .or_else(|| new_event("Event", "input", &[("bubbles", true.into())]))
}
