//! What features ask the page layer to do after they decided: look again, record an
//! event of the shift, tell the worker, or carry out on the web client a choice the
//! operator just made. Features queue `Effect`s; the page loop runs them after the
//! dispatch or the pass is over, with nothing borrowed, so the events they dispatch
//! come back through the one event path (as the extension's own: they pass the gates).

use web_sys::Element;

use super::controls::{fill, press, turn_on};
use crate::core::checklist::ShiftHistoryEvent;
use crate::core::messages::ContentToBackground;

// A handful per event or pass, each run at once: boxing buys nothing.
#[allow(clippy::large_enum_variant)]
pub enum Effect {
    /// Look at the page again (what a feature shows changed with the operator's choice).
    Flush,
    /// An event of the shift, for the checklist's shift log.
    Record(ShiftHistoryEvent),
    /// A message to the worker (a system notification).
    Send(ContentToBackground),
    /// Press a button or link, as the operator would.
    Press(Element),
    /// Type a value into a field, or choose it in a drop-down (`input` and `change`).
    Fill(Element, String),
    /// Tick a checkbox or radio, unless it is on already.
    TurnOn(Element),
    /// Choose a status in the status control (a select, or a dropdown button's menu,
    /// which the app draws a frame later).
    ChooseStatus(Element, String),
    /// Put text at the cursor of a typing area (never sends); `name` says what it was.
    Insert {
        input: Element,
        text: String,
        name: String,
    },
    Focus(Element),
}

/// What running the effects came to.
#[derive(Default)]
pub struct Outcome {
    /// A pass over the page is wanted.
    pub flush: bool,
    /// The name of the text inserted, if any.
    pub inserted: Option<String>,
}

/// Runs `effects` in order. Call it with nothing borrowed: the events it dispatches
/// reach the page loop again.
pub fn run(effects: Vec<Effect>) -> Outcome {
    let mut out = Outcome::default();
    for effect in effects {
        match effect {
            Effect::Flush => out.flush = true,
            // The worker is the shift log's only writer.
            Effect::Record(event) => crate::ext::shift_log::record(event),
            Effect::Send(msg) => send(msg),
            Effect::Press(el) => {
                press(&el);
                out.flush = true;
            }
            Effect::Fill(el, value) => {
                fill(&el, &value);
                out.flush = true;
            }
            Effect::TurnOn(el) => {
                turn_on(&el);
                out.flush = true;
            }
            Effect::ChooseStatus(menu, word) => {
                wasm_bindgen_futures::spawn_local(async move {
                    super::controls::choose_status(menu, word).await;
                });
                out.flush = true;
            }
            Effect::Insert { input, text, name } => {
                if super::controls::insert_at_cursor(&input, &text) {
                    out.inserted = Some(name);
                }
            }
            Effect::Focus(el) => {
                if let Some(el) = super::as_html(&el) {
                    let _ = el.focus();
                }
            }
        }
    }
    out
}

fn send(msg: ContentToBackground) {
    wasm_bindgen_futures::spawn_local(async move {
        // The worker may be restarting: what the page shows still stands.
        let _ = crate::ext::send_message(&msg).await;
    });
}
