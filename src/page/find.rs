//! How each kind of locator (`core::locators::Find`) finds its elements on a live page.
//!
//! The real web client is a React app built from re-com boxes: no roles, icon-only
//! navigation, checkbox texts in sibling spans, dialogs as plain `div`s. So every
//! finder starts from what a person reads — visible text, the text beside a control,
//! `aria-label`, `title`, `alt`, header texts — and uses roles and labels where present
//! without needing them. Text is searched natively first (an XPath pass over the text
//! nodes for one word of the phrase), then checked exactly in Rust (`text_matches`),
//! so a lookup costs one native query, not a wasm call per element.

use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlInputElement, HtmlSelectElement, Node};

use super::grid::{self, Grid};
use super::{accessible_name, elements, notices::is_own, query_all, role_of, text_of};
use crate::core::locators::{
    icon_name_matches, line_match, name_beside, normalize_text, search_word, status_score,
    text_matches, ControlKind, Find, StatusFacts,
};

/// Elements a `Text` hit climbs to: what a person clicks.
const CLICKABLE: &str = "button, a, summary, label, [role=button], [role=link], [role=menuitem], \
     [role=tab], [role=option], [role=checkbox], [role=radio], [role=switch], [tabindex]";

/// Inline elements: a "line" of a chat is an element holding only these (or text).
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "dfn", "em", "i", "img", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr",
];

/// Icons, for `Icon` locators.
const ICONS: &str = "i, svg, img, [role=img], [class*=icon], [class*=zmdi], [class*=glyphicon]";

pub fn controls_of(kind: ControlKind) -> &'static str {
    const CHECKBOX: &str = "input[type=checkbox], [role=checkbox], [role=switch]";
    const RADIO: &str = "input[type=radio], [role=radio]";
    const FIELD: &str = "input:not([type=checkbox]):not([type=radio]):not([type=button]):not([type=submit]):not([type=reset]):not([type=hidden]):not([type=image]), \
         select, [role=spinbutton], [role=combobox], [role=textbox]:not([aria-multiline=true])";
    const TYPING: &str =
        "textarea, [contenteditable=''], [contenteditable=true], [role=textbox][aria-multiline=true]";
    match kind {
        ControlKind::Checkbox => CHECKBOX,
        ControlKind::Radio => RADIO,
        ControlKind::Choice => "input[type=checkbox], [role=checkbox], [role=switch], input[type=radio], [role=radio]",
        ControlKind::Field => FIELD,
        ControlKind::TypingArea => TYPING,
        ControlKind::Any => "input:not([type=hidden]), select, textarea, [contenteditable=''], [contenteditable=true], \
             [role=checkbox], [role=radio], [role=switch], [role=textbox], [role=spinbutton], [role=combobox]",
    }
}

/// The page's own elements: our notices and strips are never part of what is read,
/// nor is the inside of a `<script>` or `<style>`.
fn is_page_text(el: &Element) -> bool {
    !is_own(el.unchecked_ref())
        && !matches!(
            el.tag_name().to_ascii_lowercase().as_str(),
            "script" | "style" | "noscript" | "template" | "option"
        )
}

/// The class names of a tooltip's own box (Bootstrap's). A popover is a tooltip only
/// when re-com draws it as one: its point (`rc-popover-point`) inside the wrapper of a
/// popover-tooltip (`rc-popover-tooltip`) — the icon beside it in that wrapper is the
/// thing itself, and a popover that is not a tooltip (a list of canned messages) is
/// content.
const TOOLTIP_BOXES: &[&str] = &["tooltip", "tooltip-inner"];
const TOOLTIP_WRAPPER: &str = "rc-popover-tooltip";
const POPOVER_POINT: &str = "rc-popover-point";

/// Whether `el` is inside a tooltip, which shows a name for something else (re-com's
/// rail names its icons only so): never the thing itself. `role=tooltip`, or a tooltip
/// box's class — like icon names, a class read as a word.
fn in_tooltip(el: &Element) -> bool {
    if el.closest("[role=tooltip]").ok().flatten().is_some() {
        return true;
    }
    let mut in_point = false;
    for e in std::iter::successors(Some(el.clone()), |e| e.parent_element()).take(14) {
        let classes = e.class_list();
        if TOOLTIP_BOXES.iter().any(|c| classes.contains(c)) {
            return true;
        }
        in_point |= classes.contains(POPOVER_POINT);
        if in_point && classes.contains(TOOLTIP_WRAPPER) {
            return true;
        }
    }
    false
}

/// Pushes `el` unless it is already there (elements have no Rust-side hash; lists here
/// are short).
fn push_unique(out: &mut Vec<Element>, el: Element) {
    if !out.iter().any(|e| e.is_same_node(Some(el.unchecked_ref()))) {
        out.push(el);
    }
}

const UPPER: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ\u{c0}\u{c9}\u{c8}\u{ca}\u{ce}\u{d4}\u{db}\u{c7}";
const LOWER: &str = "abcdefghijklmnopqrstuvwxyz\u{e0}\u{e9}\u{e8}\u{ea}\u{ee}\u{f4}\u{fb}\u{e7}";

/// The parents of the text nodes under `scope` that contain one of `words` (lower-case
/// ASCII), in document order: one native query instead of a walk in wasm.
fn text_parents(scope: &Element, words: &[String]) -> Vec<Element> {
    let Some(doc) = scope.owner_document() else {
        return Vec::new();
    };
    let tests: Vec<String> = words
        .iter()
        .filter(|w| w.chars().all(|c| c.is_ascii_alphanumeric()))
        .map(|w| format!("contains(translate(., '{UPPER}', '{LOWER}'), '{w}')"))
        .collect();
    if tests.is_empty() {
        return Vec::new();
    }
    let expr = format!(".//text()[{}]", tests.join(" or "));
    // ORDERED_NODE_SNAPSHOT_TYPE: a list that stays valid while it is read.
    let Ok(result) = doc.evaluate_with_opt_callback_and_type(&expr, scope.unchecked_ref(), None, 7)
    else {
        return Vec::new();
    };
    let n = result.snapshot_length().unwrap_or(0);
    let mut out: Vec<Element> = Vec::with_capacity(n as usize);
    for i in 0..n {
        let Some(parent) = result
            .snapshot_item(i)
            .ok()
            .flatten()
            .and_then(|t| t.parent_element())
        else {
            continue;
        };
        if out
            .last()
            .is_some_and(|l| l.is_same_node(Some(parent.unchecked_ref())))
        {
            continue;
        }
        out.push(parent);
    }
    out
}

/// Elements under `scope` whose whole visible text is one of the alternatives: the
/// innermost such element (a split text — "<b>I'm</b> Staffing" — is found on the
/// element holding both parts).
pub fn with_text(scope: &Element, any_of: &[String]) -> Vec<Element> {
    let words: Vec<String> = any_of.iter().filter_map(|a| search_word(a)).collect();
    let mut out = Vec::new();
    if words.len() < any_of.iter().filter(|a| !a.trim().is_empty()).count() {
        // An alternative without a plain word to search for natively: the slow way.
        for el in query_all(scope, "*") {
            if el.child_element_count() == 0
                && is_page_text(&el)
                && text_matches(&text_of(&el), any_of)
            {
                push_unique(&mut out, el);
            }
        }
    }
    for parent in text_parents(scope, &words) {
        let mut at = Some(parent);
        for _ in 0..3 {
            let Some(el) = at else { break };
            if !is_page_text(&el) {
                break;
            }
            let text = text_of(&el);
            if text_matches(&text, any_of) {
                push_unique(&mut out, el);
                break;
            }
            // Climb only while the element is a part of a short label.
            if text.len() > 200 || el.is_same_node(Some(scope.unchecked_ref())) {
                break;
            }
            at = el.parent_element();
        }
    }
    out
}

/// What a person clicks for a hit: the nearest button-like ancestor close by, or the
/// hit itself.
pub fn clickable(el: &Element) -> Element {
    let mut at = Some(el.clone());
    for _ in 0..4 {
        let Some(e) = at else { break };
        if e.matches(CLICKABLE).unwrap_or(false) {
            return e;
        }
        at = e.parent_element();
    }
    el.clone()
}

fn text_or_name(scope: &Element, any_of: &[String]) -> Vec<Element> {
    let mut out = Vec::new();
    for hit in with_text(scope, any_of) {
        if !in_tooltip(&hit) {
            push_unique(&mut out, clickable(&hit));
        }
    }
    for el in query_all(scope, "[aria-label], [title], img[alt]") {
        if !is_page_text(&el) {
            continue;
        }
        let named = ["aria-label", "title", "alt"].iter().any(|a| {
            el.get_attribute(a)
                .is_some_and(|v| text_matches(&v, any_of))
        });
        if named {
            push_unique(&mut out, clickable(&el));
        }
    }
    out
}

/// Text of the nodes beside `unit` inside its parent, in one direction, up to the
/// next control (or 80 characters).
fn text_toward(unit: &Element, forward: bool, controls: &str) -> String {
    let mut text = String::new();
    let mut at: Option<Node> = if forward {
        unit.next_sibling()
    } else {
        unit.previous_sibling()
    };
    while let Some(node) = at {
        if let Some(el) = node.dyn_ref::<Element>() {
            if el.matches(controls).unwrap_or(false)
                || el.query_selector(controls).ok().flatten().is_some()
            {
                break;
            }
            if is_own(el.unchecked_ref()) {
                at = if forward {
                    node.next_sibling()
                } else {
                    node.previous_sibling()
                };
                continue;
            }
        }
        let t = node.text_content().unwrap_or_default();
        if forward {
            text.push(' ');
            text.push_str(&t);
        } else {
            text.insert(0, ' ');
            text.insert_str(0, &t);
        }
        if text.len() > 80 {
            break;
        }
        at = if forward {
            node.next_sibling()
        } else {
            node.previous_sibling()
        };
    }
    text
}

/// A control's name: its `<label>`, ARIA name or `title`; else its placeholder; else
/// the text beside it (`name_beside`), looked for around the control and then around
/// each wrapper that holds no other control.
pub fn control_name(el: &Element) -> String {
    let named = accessible_name_of_control(el);
    if !named.trim().is_empty() {
        return named;
    }
    if let Some(p) = el
        .get_attribute("placeholder")
        .filter(|p| !p.trim().is_empty())
    {
        return p;
    }
    let controls = controls_of(ControlKind::Any);
    let mut unit = el.clone();
    for _ in 0..4 {
        let before = text_toward(&unit, false, controls);
        let after = text_toward(&unit, true, controls);
        let name = name_beside(&before, &after);
        if !name.is_empty() {
            return name;
        }
        let Some(parent) = unit.parent_element() else {
            break;
        };
        if query_all(&parent, controls).len() > 1 {
            break;
        }
        unit = parent;
    }
    String::new()
}

/// `accessible_name` without its last resort (a control's own text is its value).
fn accessible_name_of_control(el: &Element) -> String {
    let tag = el.tag_name().to_ascii_lowercase();
    if matches!(tag.as_str(), "input" | "select" | "textarea")
        || el.has_attribute("aria-label")
        || el.has_attribute("aria-labelledby")
        || el.has_attribute("title")
    {
        let name = accessible_name(el);
        // `accessible_name` falls back to the text content: a select's options.
        if tag == "select" && name == text_of(el) {
            return String::new();
        }
        return name;
    }
    String::new()
}

/// Whether a choice (checkbox, radio, switch) is on; `None` when it does not say.
pub fn checked(el: &Element) -> Option<bool> {
    if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
        return Some(input.checked());
    }
    match el.get_attribute("aria-checked").as_deref() {
        Some("true") => Some(true),
        Some("false") => Some(false),
        _ => None,
    }
}

fn controls(scope: &Element, kind: ControlKind, any_of: &[String]) -> Vec<Element> {
    query_all(scope, controls_of(kind))
        .into_iter()
        .filter(is_page_text)
        .filter(|el| any_of.is_empty() || text_matches(&control_name(el), any_of))
        .collect()
}

/// Whether an element is (or is a small piece of) something floating over the page: a
/// dialog role, a `<dialog>`, `aria-modal`, or fixed positioning.
fn floats(el: &Element) -> bool {
    if matches!(role_of(el).as_str(), "dialog" | "alertdialog")
        || el.get_attribute("aria-modal").as_deref() == Some("true")
    {
        return true;
    }
    web_sys::window()
        .and_then(|w| w.get_computed_style(el).ok().flatten())
        .and_then(|s| s.get_property_value("position").ok())
        .is_some_and(|p| p == "fixed")
}

/// Whether the page positions it (anything but `static`): a box the extension must not
/// make `relative` to hang a cover on it (a fixed modal would fall into the page flow).
pub fn positioned(el: &Element) -> bool {
    web_sys::window()
        .and_then(|w| w.get_computed_style(el).ok().flatten())
        .and_then(|s| s.get_property_value("position").ok())
        .is_some_and(|p| !p.is_empty() && p != "static")
}

/// The lowest element holding both.
fn common_ancestor(a: &Element, b: &Element) -> Option<Element> {
    let mut at = Some(a.clone());
    while let Some(el) = at {
        if el.contains(Some(b.unchecked_ref())) {
            return Some(el);
        }
        at = el.parent_element();
    }
    None
}

fn depth(el: &Element) -> usize {
    let mut d = 0;
    let mut at = el.parent_element();
    while let Some(p) = at {
        d += 1;
        at = p.parent_element();
    }
    d
}

/// The box around one hit of each anchor group (see `Find::Container`).
fn container(scope: &Element, anchors: &[Vec<String>]) -> Vec<Element> {
    let mut groups: Vec<Vec<Element>> = Vec::new();
    for group in anchors {
        let hits: Vec<Element> = text_or_name(scope, group)
            .into_iter()
            .filter(|h| !in_tooltip(h))
            .collect();
        if hits.is_empty() {
            return Vec::new();
        }
        groups.push(hits);
    }
    let Some((first, rest)) = groups.split_first() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for start in first {
        let mut lca = Some(start.clone());
        for group in rest {
            // The hit of this group closest to what we have: the deepest common box.
            lca = lca.and_then(|l| {
                group
                    .iter()
                    .filter_map(|h| common_ancestor(&l, h))
                    .max_by_key(depth)
            });
        }
        let Some(mut found) = lca else { continue };
        if scope.is_same_node(Some(found.unchecked_ref())) && anchors.len() > 1 {
            // Only the whole scope holds them all: not one box.
            continue;
        }
        // Widen to the floating box around it (a dialog whose buttons' row was the
        // common box), unless that box is a whole page drawn as one fixed layer.
        let mut at = (!floats(&found)).then(|| found.parent_element()).flatten();
        for _ in 0..6 {
            let Some(el) = at else { break };
            if el.tag_name().eq_ignore_ascii_case("body") {
                break;
            }
            if floats(&el) {
                if query_all(&el, "*").len() < 400 {
                    found = el;
                }
                break;
            }
            at = el.parent_element();
        }
        push_unique(&mut out, found);
    }
    out
}

/// Whether a tab (or a wrapper of it up to its strip) says it is the selected one:
/// `aria-selected`, `aria-current`, or an `active` / `selected` / `current` class
/// (Bootstrap marks the selected tab's `<li>` so). A tab that says nothing is taken as
/// not shown: its content cannot be told apart.
fn selected(el: &Element, stop: &Element) -> bool {
    let mut at = Some(el.clone());
    while let Some(e) = at {
        if let Some(v) = e.get_attribute("aria-selected") {
            return v == "true";
        }
        if e.get_attribute("aria-current")
            .is_some_and(|v| v != "false")
        {
            return true;
        }
        let classes = e.class_list();
        if ["active", "selected", "current"]
            .iter()
            .any(|c| classes.contains(c))
        {
            return true;
        }
        if e.is_same_node(Some(stop.unchecked_ref())) {
            break;
        }
        at = e.parent_element();
    }
    false
}

/// The tab strip a title sits in, if it is a tab: a `tablist`, or a list of links
/// whose classes say tabs (Bootstrap's `nav-tabs`, re-com's `rc-tabs`).
fn tab_strip(title: &Element) -> Option<Element> {
    if let Ok(Some(list)) = title.closest("[role=tablist]") {
        return Some(list);
    }
    let mut at = title.parent_element();
    for _ in 0..4 {
        let el = at?;
        let tabs = el
            .class_list()
            .value()
            .split_whitespace()
            .any(|c| c.split(['-', '_']).any(|p| p == "tabs" || p == "tab"));
        if tabs && el.child_element_count() >= 2 {
            return Some(el);
        }
        at = el.parent_element();
    }
    None
}

/// The content a selected tab shows: `aria-controls`, else what follows the strip.
fn tab_panel(tab: &Element, strip: &Element) -> Option<Element> {
    let mut at = Some(tab.clone());
    while let Some(e) = at {
        if let Some(id) = e.get_attribute("aria-controls") {
            if let Some(panel) = e.owner_document().and_then(|d| d.get_element_by_id(&id)) {
                return Some(panel);
            }
        }
        if e.is_same_node(Some(strip.unchecked_ref())) {
            break;
        }
        at = e.parent_element();
    }
    let mut unit = strip.clone();
    for _ in 0..3 {
        if let Some(next) = unit.next_element_sibling() {
            return Some(next);
        }
        unit = unit.parent_element()?;
    }
    None
}

/// The part of the page a heading or tab introduces (see `Find::Section`).
fn section(scope: &Element, titles: &[String]) -> Vec<Element> {
    let mut out = Vec::new();
    for hit in with_text(scope, titles) {
        if in_tooltip(&hit) {
            continue;
        }
        if let Some(strip) = tab_strip(&hit) {
            // A tab: its content is on the page only while it is selected.
            if selected(&hit, &strip) {
                if let Some(panel) = tab_panel(&hit, &strip) {
                    push_unique(&mut out, panel);
                }
            }
            continue;
        }
        // A heading: the first wrapper around it that stands beside another section
        // headed the same way (the sibling sections of a contacts list), or else that
        // holds its content too — not the title's own row, which may add a count or an
        // icon ("Operators 2 online"). An empty section is then still its own box.
        let own = normalize_text(&text_of(&hit)).len();
        let kind = (
            hit.tag_name(),
            hit.get_attribute("class").unwrap_or_default(),
        );
        let same_kind = |e: &Element| {
            e.tag_name() == kind.0 && e.get_attribute("class").unwrap_or_default() == kind.1
        };
        let mut at = hit.parent_element();
        let mut below = hit.clone();
        let mut levels = 0;
        while let Some(el) = at {
            levels += 1;
            if levels > 6 {
                break;
            }
            let beside_another = el.parent_element().is_some_and(|p| {
                elements(p.child_nodes())
                    .filter(|c| !c.is_same_node(Some(el.unchecked_ref())))
                    .any(|c| {
                        same_kind(&c)
                            || query_all(&c, &kind.0.to_ascii_lowercase())
                                .iter()
                                .any(&same_kind)
                    })
            });
            let extra = normalize_text(&text_of(&el)).len().saturating_sub(own);
            let others_hold_blocks = elements(el.child_nodes()).any(|c| {
                !c.is_same_node(Some(below.unchecked_ref())) && c.child_element_count() > 0
            });
            if beside_another
                || (el.child_element_count() >= 2 && (extra > 12 || others_hold_blocks))
            {
                push_unique(&mut out, el);
                break;
            }
            below = el.clone();
            at = el.parent_element();
        }
    }
    out
}

/// The status word an element shows: a select's chosen option, else its text when that
/// is a status word, else an icon's `alt`.
pub fn status_value(el: &Element, words: &[String]) -> Option<String> {
    if let Some(select) = el.dyn_ref::<HtmlSelectElement>() {
        let i = select.selected_index();
        let opt = select.options().item(u32::try_from(i).ok()?)?;
        return Some(text_of(&opt));
    }
    let text = text_of(el);
    if text_matches(&text, words) {
        return Some(text);
    }
    if let Some((_, alt)) = icon_words(el).find(|(_, alt)| text_matches(alt, words)) {
        return Some(alt);
    }
    (!text.trim().is_empty()).then_some(text)
}

/// The images under `el` with the word each shows (its `alt`, else its `aria-label`),
/// in document order: how a status shown as an icon is read.
fn icon_words(el: &Element) -> impl Iterator<Item = (Element, String)> {
    query_all(el, "img[alt], [role=img][aria-label]")
        .into_iter()
        .map(|img| {
            let word = img
                .get_attribute("alt")
                .or_else(|| img.get_attribute("aria-label"))
                .unwrap_or_default();
            (img, word)
        })
}

fn status_facts(el: &Element, words: &[String]) -> StatusFacts {
    if let Some(select) = el.dyn_ref::<HtmlSelectElement>() {
        let opts = select.options();
        let n = (0..opts.length())
            .filter_map(|i| opts.item(i))
            .filter(|o| text_matches(&text_of(o), words))
            .count();
        return StatusFacts {
            select_words: Some(n),
            ..Default::default()
        };
    }
    let icon_alt_is_word = icon_words(el).any(|(_, alt)| text_matches(&alt, words));
    let text = text_of(el);
    let role = role_of(el);
    StatusFacts {
        select_words: None,
        text_is_word: text_matches(&text, words),
        icon_alt_is_word,
        opens_menu: role == "button"
            || role == "combobox"
            || el.has_attribute("aria-haspopup")
            || el.has_attribute("aria-expanded"),
        is_link: role == "link",
    }
}

/// The status control (see `Find::Status`): the surest candidate, one element.
fn status(scope: &Element, words: &[String]) -> Vec<Element> {
    let mut candidates: Vec<Element> = query_all(scope, "select");
    for hit in with_text(scope, words) {
        push_unique(&mut candidates, clickable(&hit));
    }
    for (img, alt) in icon_words(scope) {
        if text_matches(&alt, words) {
            let holder = clickable(&img);
            let holder = if holder.is_same_node(Some(img.unchecked_ref())) {
                img.parent_element().unwrap_or(img)
            } else {
                holder
            };
            push_unique(&mut candidates, holder);
        }
    }
    // A menu's items are choices, not the control.
    let menu_item = "li, option, [role=menu], [role=menuitem], [role=listbox], [role=option]";
    candidates
        .into_iter()
        .filter(|c| is_page_text(c) && !in_tooltip(c))
        .filter(|c| c.closest(menu_item).ok().flatten().is_none())
        .filter_map(|c| status_score(status_facts(&c, words)).map(|s| (s, c)))
        // The first of the best, in document order.
        .fold(None::<(u8, Element)>, |best, (s, c)| match best {
            Some((b, _)) if b >= s => best,
            _ => Some((s, c)),
        })
        .map(|(_, c)| vec![c])
        .unwrap_or_default()
}

/// Icons by name (see `Find::Icon`), as the thing to click.
fn icons(scope: &Element, names: &[String]) -> Vec<Element> {
    let mut out = Vec::new();
    for el in query_all(scope, ICONS) {
        if !is_page_text(&el) || in_tooltip(&el) {
            continue;
        }
        let labelled = ["alt", "aria-label", "title"]
            .iter()
            .any(|a| el.get_attribute(a).is_some_and(|v| text_matches(&v, names)));
        let class = el.get_attribute("class").unwrap_or_default();
        let src = el
            .get_attribute("src")
            .or_else(|| {
                el.query_selector("use").ok().flatten().and_then(|u| {
                    u.get_attribute("href")
                        .or_else(|| u.get_attribute("xlink:href"))
                })
            })
            .unwrap_or_default();
        let named = labelled
            || class
                .split_whitespace()
                .chain(std::iter::once(src.as_str()))
                .any(|token| names.iter().any(|n| icon_name_matches(token, n)));
        if !named {
            continue;
        }
        let hit = clickable(&el);
        let hit = match el.parent_element() {
            // re-com's icon buttons: a bare wrapper around the icon.
            Some(p)
                if hit.is_same_node(Some(el.unchecked_ref()))
                    && p.child_element_count() == 1
                    && text_of(&p).trim().is_empty() =>
            {
                p
            }
            _ => hit,
        };
        push_unique(&mut out, hit);
    }
    out
}

/// Lines of text under `scope` (see `Find::Line`): elements holding only inline
/// content, with their text.
pub fn lines(scope: &Element) -> Vec<(Element, String)> {
    let mut out = Vec::new();
    for el in query_all(scope, "*") {
        let tag = el.tag_name().to_ascii_lowercase();
        if INLINE.contains(&tag.as_str()) && el.parent_element().is_some_and(|p| only_inline(&p)) {
            continue; // part of a line, not a line
        }
        if !only_inline(&el) || !is_page_text(&el) {
            continue;
        }
        let text = text_of(&el);
        if !text.trim().is_empty() {
            out.push((el, text));
        }
    }
    out
}

fn only_inline(el: &Element) -> bool {
    elements(el.child_nodes()).all(|c| INLINE.contains(&c.tag_name().to_ascii_lowercase().as_str()))
}

/// Around each typing area, the widest part of the page that holds no other typing
/// area and none of `apart` (see `Find::Pane`).
fn panes(scope: &Element, apart: &[Element]) -> Vec<Element> {
    let areas: Vec<Element> = query_all(scope, controls_of(ControlKind::TypingArea))
        .into_iter()
        .filter(is_page_text)
        .collect();
    let mut out = Vec::new();
    for area in &areas {
        let mut pane = area.clone();
        while let Some(parent) = pane.parent_element() {
            let tag = parent.tag_name().to_ascii_lowercase();
            let holds_other = areas.iter().any(|a| {
                !a.is_same_node(Some(area.unchecked_ref()))
                    && parent.contains(Some(a.unchecked_ref()))
            });
            let holds_apart = apart
                .iter()
                .any(|p| parent.contains(Some(p.unchecked_ref())));
            if tag == "body" || tag == "html" || holds_other || holds_apart {
                break;
            }
            pane = parent;
        }
        if !pane.is_same_node(Some(area.unchecked_ref())) {
            push_unique(&mut out, pane);
        }
    }
    out
}

/// Every element `find` finds inside `scope`. `apart` resolves the locator ids a
/// `Pane` keeps clear of (document-wide lookups, done by `Locate`).
pub fn find_in(
    scope: &Element,
    find: &Find,
    apart: &mut dyn FnMut(&[String]) -> Vec<Element>,
) -> Vec<Element> {
    let mut found = match find {
        Find::Grid { headers } => grid::find_grids(scope, headers)
            .into_iter()
            .map(|g| g.root)
            .collect(),
        Find::Column { any_of } => Grid::read(scope)
            .map(|g| {
                g.header_cells()
                    .iter()
                    .filter(|th| text_matches(&text_of(th), any_of))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default(),
        Find::Role { role, any_of } => {
            let mut selector = format!("[role=\"{}\"]", role.replace('"', ""));
            let implied = super::implicit_tags(role);
            if !implied.is_empty() {
                selector.push_str(", ");
                selector.push_str(implied);
            }
            query_all(scope, &selector)
                .into_iter()
                .filter(|el| role_of(el) == *role)
                .filter(|el| any_of.is_empty() || text_matches(&accessible_name(el), any_of))
                .collect()
        }
        Find::Text { any_of } => text_or_name(scope, any_of),
        Find::Control { kind, any_of } => controls(scope, *kind, any_of),
        Find::Line { any_of } => lines(scope)
            .into_iter()
            .filter(|(_, t)| line_match(t, any_of).is_some())
            .map(|(el, _)| el)
            .collect(),
        Find::Container { anchors } => container(scope, anchors),
        Find::Section { titles } => section(scope, titles),
        Find::Status { any_of } => status(scope, any_of),
        Find::Icon { any_of } => icons(scope, any_of),
        Find::Pane { apart_from } => {
            let apart = apart(apart_from);
            panes(scope, &apart)
        }
        Find::AnyOf { of } => {
            let mut out = Vec::new();
            for f in of {
                for el in find_in(scope, f, apart) {
                    push_unique(&mut out, el);
                }
            }
            out
        }
        Find::Css { selector } => query_all(scope, selector),
    };
    found.retain(|el| !is_own(el.unchecked_ref()));
    found
}

/// The document's root element, for document-wide lookups.
pub fn root(doc: &Document) -> Option<Element> {
    doc.document_element()
}
