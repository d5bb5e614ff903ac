//! (wasm-only layer; see design notes)
