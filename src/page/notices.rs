//! What the extension shows on the web client, declared rather than drawn: each pass,
//! every feature says what it wants on the page (`Shown`: a key, a place, a tree of
//! elements as data), and `Stage::reconcile` makes the page match — inserting what is
//! missing (also after the app re-rendered and threw it away), patching what changed in
//! place, removing what is no longer wanted. Features never show or hide anything
//! themselves.
//!
//! Every element carries `data-lh3-ui` (the observer ignores changes inside them, so
//! showing a notice never wakes the page loop), text goes in with `set_text_content`
//! only, and the DOM is touched only where something differs.

use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

use crate::core::features::FeatureId;
use crate::core::messages::NoticeLevel;

/// Marks an element the extension added.
pub const UI_ATTR: &str = "data-lh3-ui";
/// The notice id on a notice element (`data-lh3-notice="login.timer_never"`).
pub const NOTICE_ATTR: &str = "data-lh3-notice";
/// The action id on a button inside a notice.
pub const ACTION_ATTR: &str = "data-lh3-action";

/// An element and what it holds, as data: rendered by the page layer, compared with
/// what is on the page to change only what differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    tag: &'static str,
    attrs: Vec<(String, String)>,
    /// Text content (a node with text has no children).
    text: Option<String>,
    children: Vec<Node>,
}

/// A new element of the extension's (`data-lh3-ui=part`).
pub fn part(tag: &'static str, part: &str) -> Node {
    Node {
        tag,
        attrs: vec![(UI_ATTR.to_string(), part.to_string())],
        text: None,
        children: Vec::new(),
    }
}

impl Node {
    pub fn attr(mut self, name: &str, value: &str) -> Self {
        match self.attrs.iter_mut().find(|(k, _)| k == name) {
            Some(a) => a.1 = value.to_string(),
            None => self.attrs.push((name.to_string(), value.to_string())),
        }
        self
    }

    pub fn text(mut self, text: &str) -> Self {
        self.text = Some(text.to_string());
        self
    }

    pub fn child(mut self, child: Node) -> Self {
        self.children.push(child);
        self
    }

    pub fn children(mut self, children: impl IntoIterator<Item = Node>) -> Self {
        self.children.extend(children);
        self
    }

    pub fn render(&self, doc: &Document) -> Option<Element> {
        let el = doc.create_element(self.tag).ok()?;
        for (k, v) in &self.attrs {
            el.set_attribute(k, v).ok()?;
        }
        if let Some(t) = &self.text {
            el.set_text_content(Some(t));
        }
        for c in &self.children {
            let child = c.render(doc)?;
            el.append_child(&child).ok()?;
        }
        Some(el)
    }

    /// Makes `el` (rendered from `old`) show `self`, touching only what differs;
    /// returns the element now showing it (a new one when the tag changed).
    fn patch(&self, doc: &Document, el: &Element, old: &Node) -> Option<Element> {
        if self.tag != old.tag {
            let new = self.render(doc)?;
            el.replace_with_with_node_1(&new).ok()?;
            return Some(new);
        }
        for (k, v) in &self.attrs {
            if !old.attrs.iter().any(|(ok, ov)| ok == k && ov == v) {
                let _ = el.set_attribute(k, v);
            }
        }
        for (k, _) in &old.attrs {
            if !self.attrs.iter().any(|(nk, _)| nk == k) {
                let _ = el.remove_attribute(k);
            }
        }
        let same_shape = self.children.len() == old.children.len()
            && el.child_element_count() as usize == old.children.len()
            && self.text.is_none() == old.text.is_none();
        if !same_shape {
            el.set_text_content(self.text.as_deref());
            for c in &self.children {
                let child = c.render(doc)?;
                el.append_child(&child).ok()?;
            }
            return Some(el.clone());
        }
        if self.text != old.text {
            el.set_text_content(self.text.as_deref());
        }
        let kids = el.children();
        for (i, (new, old)) in self.children.iter().zip(&old.children).enumerate() {
            if new != old {
                let child = kids.item(i as u32)?;
                new.patch(doc, &child, old)?;
            }
        }
        Some(el.clone())
    }
}

/// A button in a notice: its label and the action id it fires (a feature answers its
/// click in `Feature::on_event`).
pub struct Action<'a> {
    pub label: &'a str,
    pub id: &'a str,
}

/// A button for action `id`; `kind` ("primary", "danger") is for the look only.
pub fn action_button(label: &str, id: &str, kind: Option<&str>) -> Node {
    let b = part("button", "action")
        .attr("type", "button")
        .attr(ACTION_ATTR, id);
    match kind {
        Some(k) => b.attr("data-kind", k),
        None => b,
    }
    .text(label)
}

/// A notice: its text, then its buttons.
pub fn notice(id: &str, level: NoticeLevel, text: &str, actions: &[Action]) -> Node {
    let role = if level == NoticeLevel::Info {
        "status"
    } else {
        "alert"
    };
    part("div", "notice")
        .attr(NOTICE_ATTR, id)
        .attr("role", role)
        .attr("data-level", level.name())
        .child(part("p", "text").text(text))
        .children(actions.iter().map(|a| action_button(a.label, a.id, None)))
}

/// Where something shown goes.
#[derive(Clone)]
pub enum Place {
    /// Just before this element (several things before the same one keep their order).
    Before(Element),
    After(Element),
    /// First child of this element.
    Prepend(Element),
    /// Last child of this element.
    Append(Element),
    /// Floating under the status menu, in the feature's own slot (a block inserted
    /// into the top bar would break its layout).
    UnderStatusMenu,
    /// The dock at the top of the contacts list, where the operator looks to see who
    /// is logged in (floating in a corner when the page has no such place).
    Dock,
    /// Over the whole page (a modal panel).
    Overlay,
}

/// One thing a feature wants on the page.
pub struct Shown {
    /// Unique on the page (a notice's id): what is kept, patched or removed.
    pub key: String,
    pub place: Place,
    pub node: Node,
    /// The action button to focus when it first appears.
    pub focus: Option<String>,
}

impl Shown {
    pub fn new(key: &str, place: Place, node: Node) -> Self {
        Shown {
            key: key.to_string(),
            place,
            node,
            focus: None,
        }
    }

    /// Puts the focus on action `id`'s button when it first appears.
    pub fn focus(mut self, id: &str) -> Self {
        self.focus = Some(id.to_string());
        self
    }
}

/// Who wants something shown: a feature, or the page loop itself (that a feature
/// stopped working).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Page,
    Feature(FeatureId),
}

impl Owner {
    /// Its floating slot's name (`controls::SLOTS`).
    pub fn as_str(self) -> &'static str {
        match self {
            Owner::Page => "page",
            Owner::Feature(id) => id.as_str(),
        }
    }
}

/// What is on the page now.
struct Rendered {
    owner: Owner,
    key: String,
    el: Element,
    node: Node,
}

/// Where the shared places are on this pass (found by the page loop).
pub struct Anchors<'a> {
    pub status_menu: Option<&'a Element>,
    pub contacts: Option<&'a Element>,
}

/// What the extension has on the page, kept in step with what the features want.
#[derive(Default)]
pub struct Stage {
    rendered: Vec<Rendered>,
    /// The leaving dock, while it is on the page.
    dock: Option<Element>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Before,
    After,
    Prepend,
    Append,
}

impl Stage {
    /// Makes the page show exactly `wanted` (by owner, in order).
    pub fn reconcile(&mut self, doc: &Document, wanted: &[(Owner, &[Shown])], at: &Anchors) {
        let is_wanted = |owner: Owner, key: &str| {
            wanted
                .iter()
                .any(|(o, list)| *o == owner && list.iter().any(|s| s.key == key))
        };
        self.rendered.retain(|r| {
            let keep = is_wanted(r.owner, &r.key);
            if !keep {
                r.el.remove();
            }
            keep
        });
        // Runs of elements that go to the same place, in order.
        let mut runs: Vec<(Side, Element, Vec<Element>)> = Vec::new();
        let mut focus = Vec::new();
        for (owner, list) in wanted {
            for shown in *list {
                let at_index = self.rendered.iter().position(|r| r.key == shown.key);
                let el = match at_index {
                    Some(i) => {
                        let r = &mut self.rendered[i];
                        if r.node != shown.node {
                            let Some(el) = shown.node.patch(doc, &r.el, &r.node) else {
                                continue;
                            };
                            r.el = el;
                            r.node = shown.node.clone();
                        }
                        r.el.clone()
                    }
                    None => {
                        let Some(el) = shown.node.render(doc) else {
                            continue;
                        };
                        if let Some(id) = &shown.focus {
                            focus.push((el.clone(), id.clone()));
                        }
                        self.rendered.push(Rendered {
                            owner: *owner,
                            key: shown.key.clone(),
                            el: el.clone(),
                            node: shown.node.clone(),
                        });
                        el
                    }
                };
                let Some((side, anchor)) = self.resolve(doc, &shown.place, *owner, at) else {
                    continue;
                };
                match runs
                    .iter_mut()
                    .find(|(s, a, _)| *s == side && a.is_same_node(Some(&anchor)))
                {
                    Some(run) => run.2.push(el),
                    None => runs.push((side, anchor, vec![el])),
                }
            }
        }
        for (side, anchor, els) in &runs {
            place_run(*side, anchor, els);
        }
        // The dock goes when nothing is in it.
        if let Some(dock) = self.dock.take() {
            if dock.child_element_count() > 0 {
                self.dock = Some(dock);
            } else {
                dock.remove();
            }
        }
        for (el, id) in focus {
            let selector = format!("[{ACTION_ATTR}=\"{}\"]", id.replace('"', ""));
            if let Some(b) = el.query_selector(&selector).ok().flatten() {
                if let Some(b) = super::as_html(&b) {
                    let _ = b.focus();
                }
            }
        }
    }

    /// The element a place is relative to, and which side of it.
    fn resolve(
        &mut self,
        doc: &Document,
        place: &Place,
        owner: Owner,
        at: &Anchors,
    ) -> Option<(Side, Element)> {
        Some(match place {
            Place::Before(a) => (Side::Before, a.clone()),
            Place::After(a) => (Side::After, a.clone()),
            Place::Prepend(a) => (Side::Prepend, a.clone()),
            Place::Append(a) => (Side::Append, a.clone()),
            Place::UnderStatusMenu => (
                Side::Append,
                super::controls::floating_slot(doc, at.status_menu, owner.as_str())?,
            ),
            Place::Dock => {
                let dock = super::panel::dock(doc, self.dock.as_ref(), at.contacts)?;
                self.dock = Some(dock.clone());
                (Side::Append, dock)
            }
            Place::Overlay => (Side::Append, doc.body()?.into()),
        })
    }
}

/// Puts `els` as one run at `side` of `anchor`, in order — unless they are there already.
fn place_run(side: Side, anchor: &Element, els: &[Element]) {
    let next = |e: &Element| match side {
        Side::After | Side::Prepend => e.next_element_sibling(),
        Side::Before | Side::Append => e.previous_element_sibling(),
    };
    // From the anchor outwards: the run in order (After, Prepend) or backwards.
    let mut expected: Vec<&Element> = els.iter().collect();
    if matches!(side, Side::Before | Side::Append) {
        expected.reverse();
    }
    let mut at = match side {
        Side::Before | Side::After => next(anchor),
        Side::Prepend => anchor.first_element_child(),
        Side::Append => anchor.last_element_child(),
    };
    let placed = expected.iter().all(|want| {
        let ok = at.as_ref().is_some_and(|a| a.is_same_node(Some(want)));
        at = at.as_ref().and_then(next);
        ok
    });
    if placed {
        return;
    }
    match side {
        Side::Before => {
            for el in els {
                let _ = anchor.before_with_node_1(el);
            }
        }
        Side::After => {
            for el in els.iter().rev() {
                let _ = anchor.after_with_node_1(el);
            }
        }
        Side::Prepend => {
            for el in els.iter().rev() {
                let _ = anchor.prepend_with_node_1(el);
            }
        }
        Side::Append => {
            for el in els {
                let _ = anchor.append_with_node_1(el);
            }
        }
    }
}

/// Whether a node is part of what the extension added.
pub fn is_own(node: &web_sys::Node) -> bool {
    let el = match node.dyn_ref::<Element>() {
        Some(e) => Some(e.clone()),
        None => node.parent_element(),
    };
    el.and_then(|e| e.closest(&format!("[{UI_ATTR}]")).ok().flatten())
        .is_some()
}
