//! The browser's clock: the one place the extension reads the time (the core never
//! does; it takes `now` as an argument).

/// The current time, from the browser's clock (the core never reads a clock itself).
pub fn now() -> chrono::DateTime<chrono::Utc> {
    let ms = js_sys::Date::now();
    chrono::DateTime::from_timestamp_millis(ms as i64).unwrap_or_default()
}

/// The browser's UTC offset now (for "HH:MM" times the web client shows in local time).
pub fn local_offset() -> chrono::FixedOffset {
    let minutes = -(js_sys::Date::new_0().get_timezone_offset() as i32);
    chrono::FixedOffset::east_opt(minutes * 60).unwrap_or(chrono::FixedOffset::east_opt(0).unwrap())
}
