//! One event path. ONE capture-phase listener on `window` per event kind turns a DOM
//! event into a typed `PageEvent` and hands it to the page loop (`content.rs`), which
//! routes it through the registry to each enabled feature: a feature answers
//! `Verdict::Allow` or `Verdict::Block` and may queue `Effect`s (`page::effects`) that
//! the loop runs after the dispatch, with nothing borrowed.
//!
//! The listeners are `Fn` closures: carrying out a choice (pressing End, choosing Logout
//! again) dispatches an event that comes back through the same listener while it runs,
//! and a `FnMut` closure cannot be re-entered. Every event the extension itself
//! dispatches is made by `new_event`, which enters it in `OURS`: such an event is
//! seen by the loop as `is_ours()` and passes every gate (the operator already chose).

use std::cell::{Cell, RefCell};

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, Event, KeyboardEvent};

use super::notices::{is_own, ACTION_ATTR};

/// What happened, by kind. The listeners are on `window`, in the capture phase: they
/// run before any of the page's own handlers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Click,
    /// The mouse button went down (before focus moves).
    MouseDown,
    KeyDown,
    /// An edit is about to happen in a text field.
    BeforeInput,
    Input,
    Change,
    Paste,
    Drop,
    Submit,
    FocusIn,
    /// The tab is about to close or reload (listened for only while a feature asks).
    BeforeUnload,
    /// The keyboard shortcut "insert the top suggestion" (from the worker, no DOM event).
    InsertTopSuggestion,
    /// The pointer came over an element (listened for only while the element picker
    /// of the page check's Fix… is open).
    Hover,
}

/// The DOM event names, one listener each.
const KINDS: &[(&str, Kind)] = &[
    ("click", Kind::Click),
    ("mousedown", Kind::MouseDown),
    ("keydown", Kind::KeyDown),
    ("beforeinput", Kind::BeforeInput),
    ("input", Kind::Input),
    ("change", Kind::Change),
    ("paste", Kind::Paste),
    ("drop", Kind::Drop),
    ("submit", Kind::Submit),
    ("focusin", Kind::FocusIn),
];

/// A feature's answer to an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Verdict {
    #[default]
    Allow,
    /// The page must not see it (its default action is cancelled too).
    Block,
}

/// A key pressed, as the features need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// `KeyboardEvent.key`: "Enter", "Escape", "a", …
    pub name: String,
    pub shift: bool,
    /// Ctrl or ⌘ held.
    pub command: bool,
}

/// A DOM event, typed for the features.
pub struct PageEvent {
    kind: Kind,
    target: Option<Element>,
    raw: Option<Event>,
}

impl PageEvent {
    fn from_dom(kind: Kind, e: Event) -> Self {
        let target = e.target().and_then(|t| t.dyn_into::<Element>().ok());
        PageEvent {
            kind,
            target,
            raw: Some(e),
        }
    }

    /// An event with no DOM event behind it (a command from the worker).
    pub fn command(kind: Kind) -> Self {
        PageEvent {
            kind,
            target: None,
            raw: None,
        }
    }

    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The element it happened on.
    pub fn target(&self) -> Option<&Element> {
        self.target.as_ref()
    }

    /// The key, for a key press.
    pub fn key(&self) -> Option<Key> {
        let k = self.raw.as_ref()?.dyn_ref::<KeyboardEvent>()?;
        Some(Key {
            name: k.key(),
            shift: k.shift_key(),
            command: k.ctrl_key() || k.meta_key(),
        })
    }

    /// Whether it happened on `el` or inside it.
    pub fn within(&self, el: &Element) -> bool {
        self.target
            .as_ref()
            .is_some_and(|t| el.contains(Some(t.unchecked_ref())))
    }

    /// The first of `elements` it happened on or inside.
    pub fn within_any<'a>(&self, elements: &'a [Element]) -> Option<&'a Element> {
        elements.iter().find(|el| self.within(el))
    }

    /// The nearest element around the target (itself included) that `selector` matches.
    pub fn closest(&self, selector: &str) -> Option<Element> {
        self.target.as_ref()?.closest(selector).ok().flatten()
    }

    /// The action id of the extension's button it happened on (`data-lh3-action`).
    pub fn action(&self) -> Option<String> {
        self.closest(&format!("[{ACTION_ATTR}]"))?
            .get_attribute(ACTION_ATTR)
    }

    /// A press of one of the extension's action buttons with id `id`.
    pub fn is_action(&self, id: &str) -> bool {
        self.kind == Kind::Click && self.action().as_deref() == Some(id)
    }

    /// Whether it happened inside something the extension added.
    pub fn on_own_ui(&self) -> bool {
        self.target.as_ref().is_some_and(|t| is_own(t))
    }

    /// Dispatched by the extension itself to carry out a choice the operator made: it
    /// passes through (see `new_event`).
    pub fn is_ours(&self) -> bool {
        self.raw.as_ref().is_some_and(is_ours)
    }

    fn settle(&self, verdict: Verdict) {
        let Some(e) = &self.raw else { return };
        if verdict != Verdict::Block {
            return;
        }
        e.prevent_default();
        match e.dyn_ref::<web_sys::BeforeUnloadEvent>() {
            // The browser asks "Leave page?"; its text is the browser's own.
            Some(b) => b.set_return_value("You are still logged in to LibraryH3lp."),
            None => e.stop_immediate_propagation(),
        }
    }
}

/// The page loop's entry for events.
pub type Handler = fn(&PageEvent) -> Verdict;
type Listener = Closure<dyn Fn(Event)>;

thread_local! {
    /// The events the extension made (`new_event`): weakly held, so nothing to forget.
    static OURS: js_sys::WeakSet = js_sys::WeakSet::new();
    static HANDLER: Cell<Option<Handler>> = const { Cell::new(None) };
    static LISTENER: RefCell<Option<Listener>> = const { RefCell::new(None) };
    static UNLOAD: RefCell<Option<Listener>> = const { RefCell::new(None) };
    static HOVER: RefCell<Option<Listener>> = const { RefCell::new(None) };
}

fn is_ours(e: &Event) -> bool {
    OURS.with(|o| o.has(e.unchecked_ref()))
}

/// `new class(kind, init)` with the page's own event constructor (`Event`,
/// `InputEvent`, `MouseEvent`, …), entered as the extension's own so that it passes
/// the gates; `None` where the browser has no such constructor.
pub fn new_event(class: &str, kind: &str, init: &[(&str, JsValue)]) -> Option<Event> {
    let ctor: js_sys::Function = js_sys::Reflect::get(&js_sys::global(), &class.into())
        .ok()?
        .dyn_into()
        .ok()?;
    let init = crate::ext::object(init).ok()?;
    let e = js_sys::Reflect::construct(&ctor, &js_sys::Array::of2(&kind.into(), &init))
        .ok()?
        .dyn_into::<Event>()
        .ok()?;
    OURS.with(|o| o.add(e.unchecked_ref()));
    Some(e)
}

fn dispatch(kind: Kind, e: Event) {
    let Some(handler) = HANDLER.with(Cell::get) else {
        return;
    };
    let ev = PageEvent::from_dom(kind, e);
    let verdict = handler(&ev);
    ev.settle(verdict);
}

/// Installs the listeners, one per kind, all handing their events to `handler` (and
/// one for `resize`, which only the page layer's floating notices care about).
pub fn listen(handler: Handler) -> Result<(), JsValue> {
    HANDLER.with(|h| h.set(Some(handler)));
    if LISTENER.with(|l| l.borrow().is_some()) {
        return Ok(());
    }
    let window = web_sys::window().ok_or("no window")?;
    let listener = Closure::<dyn Fn(Event)>::new(|e: Event| {
        let name = e.type_();
        if name == "resize" {
            // The page layer's own business: floating notices measure again.
            super::controls::window_resized();
            return;
        }
        if let Some(kind) = KINDS.iter().find(|(n, _)| *n == name).map(|k| k.1) {
            dispatch(kind, e);
        }
    });
    for name in KINDS.iter().map(|k| k.0).chain(["resize"]) {
        window.add_event_listener_with_callback_and_bool(
            name,
            listener.as_ref().unchecked_ref(),
            true,
        )?;
    }
    LISTENER.with(|l| *l.borrow_mut() = Some(listener));
    Ok(())
}

/// Listens for the tab closing only while `on`: a `beforeunload` listener costs the
/// page its back-forward cache in some browsers, so none is left when nothing asks.
pub fn watch_leaving(on: bool) {
    watch_while(&UNLOAD, "beforeunload", Kind::BeforeUnload, on);
}

/// Listens for the pointer moving over elements only while `on` (the element picker):
/// a page never pays for it otherwise.
pub fn watch_hover(on: bool) {
    watch_while(&HOVER, "mouseover", Kind::Hover, on);
}

/// One listener for `name`, kept in `slot` while `on`.
fn watch_while(
    slot: &'static std::thread::LocalKey<RefCell<Option<Listener>>>,
    name: &'static str,
    kind: Kind,
    on: bool,
) {
    let Some(window) = web_sys::window() else {
        return;
    };
    slot.with(|u| {
        let mut u = u.borrow_mut();
        match (on, u.is_some()) {
            (true, false) => {
                let listener = Closure::<dyn Fn(Event)>::new(move |e: Event| {
                    dispatch(kind, e);
                });
                if window
                    .add_event_listener_with_callback_and_bool(
                        name,
                        listener.as_ref().unchecked_ref(),
                        true,
                    )
                    .is_ok()
                {
                    *u = Some(listener);
                }
            }
            (false, true) => {
                if let Some(listener) = u.take() {
                    let _ = window.remove_event_listener_with_callback_and_bool(
                        name,
                        listener.as_ref().unchecked_ref(),
                        true,
                    );
                }
            }
            _ => {}
        }
    });
}
