//! Features fail alone. The content module is built with `panic = "abort"`: a panic
//! records its message (the hook below) and then traps. Each call into a feature goes
//! through `guarded`, which calls it back through JavaScript (`Reflect.apply`) with a
//! `catch`: the trap becomes a JavaScript exception at that boundary, the Rust frame
//! that made the call resumes with an error, and the shadow stack is put back when that
//! frame returns. What the failed feature held stays as it was — it is never run again
//! this page life — while the page loop's own state was held by the frame that resumes.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `Reflect.apply(f, undefined, [])`: calls `f` from JavaScript, so a trap in it
    /// is caught here instead of unwinding every Rust frame up to the event loop.
    #[wasm_bindgen(js_namespace = Reflect, js_name = apply, catch)]
    fn apply(f: &mut dyn FnMut(), this: &JsValue, args: &js_sys::Array)
        -> Result<JsValue, JsValue>;
}

thread_local! {
    /// The last panic's message, taken by the guard that caught it.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Records each panic's message (and says it in the console) before the trap.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let what = info.payload_as_str().unwrap_or("a panic");
        let message = match info.location() {
            Some(at) => format!("{what} (at {}:{})", at.file(), at.line()),
            None => what.to_string(),
        };
        web_sys::console::error_1(&format!("LibraryH3lp Shift Helper: {message}").into());
        LAST_PANIC.with(|p| {
            if let Ok(mut p) = p.try_borrow_mut() {
                *p = Some(message);
            }
        });
    }));
}

/// Runs `f`; a panic (or a JavaScript exception) in it is an `Err` with its message.
pub fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    let mut f = Some(f);
    let mut out = None;
    let mut call = || {
        if let Some(f) = f.take() {
            out = Some(f());
        }
    };
    LAST_PANIC.with(|p| p.borrow_mut().take());
    let result = apply(&mut call, &JsValue::UNDEFINED, &js_sys::Array::new());
    match (result, out) {
        (Ok(_), Some(out)) => Ok(out),
        (Ok(_), None) => Err("it was not run".to_string()),
        (Err(e), _) => Err(LAST_PANIC
            .with(|p| p.borrow_mut().take())
            .unwrap_or_else(|| js_message(&e))),
    }
}

fn js_message(e: &JsValue) -> String {
    js_sys::Reflect::get(e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "an error in the page".to_string())
}
