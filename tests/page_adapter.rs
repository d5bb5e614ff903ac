//! Tier 2: the page adapter in a real browser (wasm-bindgen-test in headless Chromium).
//! Run by `./build.sh test`; natively this file compiles to nothing.
#![cfg(target_arch = "wasm32")]

use lh3_shift::core::history::HistoryCounts;
use lh3_shift::core::locators::{default_table, ids};
use lh3_shift::core::messages::{LocatorState, PageReport};
use lh3_shift::core::settings::Settings;
use lh3_shift::features::new_chats::NewChats;
use lh3_shift::features::{Feature, PageView};
use lh3_shift::page::locate::Locate;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Document, Element};

wasm_bindgen_test_configure!(run_in_browser);

fn doc() -> Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Puts test markup into a fresh container (our own markup, never page data). The
/// test runner's own output lives in the body too, so only our container is replaced.
fn mount(html: &str) -> Element {
    let d = doc();
    let body = d.body().unwrap();
    if let Some(old) = d.get_element_by_id("lh3-test-root") {
        old.remove();
    }
    let root = d.create_element("div").unwrap();
    root.set_id("lh3-test-root");
    root.set_inner_html(html);
    body.append_child(&root).unwrap();
    root
}

/// One full pass of Feature `new-chats` over the mounted page, as on the page's first load.
fn flush() -> PageReport {
    let mut feature = NewChats::default();
    let d = doc();
    let mut locate = Locate::new(default_table());
    let settings = Settings::default();
    let mut report = PageReport::default();
    let now = chrono::DateTime::from_timestamp(1_790_000_000, 0).unwrap();
    let ctx = lh3_shift::core::shift::context(&settings, now);
    let snapshot = Default::default();
    let mut memory = Default::default();
    let mut f = PageView {
        owner: lh3_shift::features::FeatureId::NewChats,
        doc: &d,
        locate: &mut locate,
        settings: &settings,
        snapshot: &snapshot,
        shift: &ctx,
        now,
        local_offset: chrono::FixedOffset::east_opt(0).unwrap(),
        memory: &mut memory,
        records: &[],
        full: true,
        report: &mut report,
        wakes: &mut Vec::new(),
        effects: &mut Vec::new(),
        shown: Vec::new(),
        ask_before_leaving: false,
        flash_title: None,
    };
    feature.update(&mut f).unwrap();
    report.locators = locate.health();
    report
}

/// The marks on the rows that `rows` selects, in page order.
fn states_of(root: &Element, rows: &str) -> Vec<Option<String>> {
    let rows = root.query_selector_all(rows).unwrap();
    (0..rows.length())
        .map(|i| {
            rows.item(i)
                .unwrap()
                .dyn_into::<Element>()
                .unwrap()
                .get_attribute("data-lh3-chat-state")
        })
        .collect()
}

fn states(root: &Element) -> Vec<Option<String>> {
    states_of(root, "tbody tr")
}

/// The state the page check gives locator `id`.
fn locator_state(report: &PageReport, id: &str) -> LocatorState {
    report.locators.iter().find(|l| l.id == id).unwrap().state
}

const HISTORY: &str = r#"
<table class="x9f">
  <thead><tr><th>Queue</th><th>Guest</th><th>Started</th><th>Operator</th><th>Duration</th></tr></thead>
  <tbody>
    <tr><td>all_colleges</td><td>Guest 6CYJ</td><td>10:02</td><td></td><td></td></tr>
    <tr><td>all_colleges</td><td>Guest 77AB</td><td>10:05</td><td>amy</td><td></td></tr>
    <tr><td>all_backup</td><td>Guest 1QQ2</td><td>09:40</td><td>raj</td><td>12:31</td></tr>
    <tr><td>all_backup</td><td>Guest 3ZZ9</td><td>09:41</td></tr>
  </tbody>
</table>"#;

#[wasm_bindgen_test]
fn rows_are_marked_by_the_procedures_rule_and_unreadable_rows_are_left_alone() {
    let root = mount(HISTORY);
    let report = flush();
    assert_eq!(
        states(&root),
        vec![
            Some("new".to_string()),
            Some("ongoing".to_string()),
            Some("completed".to_string()),
            None
        ]
    );
    assert_eq!(
        report.history,
        Some(HistoryCounts {
            new: 1,
            ongoing: 1,
            completed: 1,
            unreadable: 1
        })
    );
    let last = root.query_selector("tbody tr:last-child").unwrap().unwrap();
    assert_eq!(
        last.get_attribute("data-lh3-unreadable").as_deref(),
        Some("true")
    );
}

#[wasm_bindgen_test]
fn columns_are_found_by_header_text_whatever_their_order_and_classes() {
    let root = mount(
        r#"<table class="q1"><thead><tr>
             <th class="a">Duration</th><th class="b">Protocol</th><th>Operator</th><th>Queue</th>
           </tr></thead><tbody>
             <tr><td>3:10</td><td>web</td><td>amy</td><td>all_colleges</td></tr>
             <tr><td></td><td>sms</td><td></td><td>all_colleges</td></tr>
           </tbody></table>"#,
    );
    let report = flush();
    assert_eq!(
        states(&root),
        vec![Some("completed".to_string()), Some("new".to_string())]
    );
    assert_eq!(
        locator_state(&report, ids::HISTORY_OPERATOR),
        LocatorState::Found
    );
}

#[wasm_bindgen_test]
fn a_page_without_the_history_table_reports_it_missing_and_counts_nothing() {
    mount(
        r#"<table><thead><tr><th>Name</th><th>Size</th></tr></thead><tbody><tr><td>a</td><td>1</td></tr></tbody></table>"#,
    );
    let report = flush();
    assert_eq!(report.history, None);
    assert_ne!(
        locator_state(&report, ids::HISTORY_TABLE),
        LocatorState::Found
    );
}

#[wasm_bindgen_test]
fn markup_in_cells_stays_text() {
    let root = mount(HISTORY);
    // Page data arrives as text; the adapter reads it with textContent only.
    let cell = root
        .query_selector("tbody tr td:nth-child(4)")
        .unwrap()
        .unwrap();
    cell.set_text_content(Some("<img src=x onerror=\"window.__lh3_pwned=1\">"));
    flush();
    assert_eq!(states(&root)[0].as_deref(), Some("ongoing"));
    let pwned = js_sys::Reflect::get(&web_sys::window().unwrap(), &"__lh3_pwned".into()).unwrap();
    assert!(pwned.is_undefined());
}

#[wasm_bindgen_test]
fn colspan_cells_shift_logical_columns() {
    let root = mount(
        r#"<table><thead><tr><th colspan="2">Guest</th><th>Operator</th><th>Duration</th></tr></thead>
           <tbody><tr><td>Guest</td><td>6CYJ</td><td>amy</td><td></td></tr>
                  <tr><td colspan="2">Guest 7</td><td></td><td></td></tr></tbody></table>"#,
    );
    flush();
    assert_eq!(
        states(&root),
        vec![Some("ongoing".to_string()), Some("new".to_string())]
    );
}

// ---- page skeleton (popup → "Copy page skeleton")

const SKELETON_PAGE: &str = r#"
<nav aria-label="Contacts"><div role="group" aria-labelledby="g1"><h3 id="g1">Current Guests</h3>
  <ul><li><button type="button" title="Guest ZQ9X secret">Guest ZQ9X</button></li></ul></div></nav>
<div role="region" aria-label="Chat with Guest ZQ9X on all_colleges" data-guest="ZQ9X">
  <div role="log"><p>Guest ZQ9X: my student number is 123456789 <b>really</b></p>
  <p>answered by amy_humber</p></div>
  <textarea aria-label="Type a message">draft ZQ9X</textarea>
  <input type="text" value="ZQ9X typed" placeholder="ZQ9X">
  <img src="https://example.org/ZQ9X.png" alt="ZQ9X">
  <a href="https://example.org/?guest=ZQ9X" aria-expanded="false" aria-current="page">link ZQ9X</a>
</div>
<table><thead><tr><th>Queue</th><th>Guest</th><th>Operator</th><th>Duration</th></tr></thead>
<tbody>
  <tr><td>all_colleges</td><td>Guest ZQ9X</td><td></td><td></td></tr>
  <tr><td>all_backup</td><td>Guest AAAA-ZQ9X</td><td>amy_humber</td><td>4:12</td></tr>
  <tr><td>all_backup</td><td>Guest BBBB-ZQ9X-longer</td><td>bob</td><td>12:40</td></tr>
</tbody></table>
<script>window.ZQ9X = 1;</script>"#;

#[wasm_bindgen_test]
fn the_skeleton_keeps_structure_and_drops_every_text_and_value() {
    use lh3_shift::page::skeleton::skeleton;
    let root = mount(SKELETON_PAGE);
    let s = skeleton(&root, &default_table());
    assert!(!s.contains("ZQ9X"), "patron data leaked:\n{s}");
    assert!(!s.contains("123456789"));
    assert!(!s.contains("amy_humber"));
    assert!(!s.contains("example.org"));
    assert!(!s.contains("all_colleges"));
    // Structure, names, and safe values stay.
    assert!(s.contains("<table>"), "{s}");
    assert_eq!(s.matches("<th>").count(), 4, "{s}");
    assert!(s.contains(r#"role="region""#));
    assert!(s.contains(r#"type="button""#));
    assert!(s.contains(r#"aria-expanded="false""#));
    assert!(s.contains(r#"aria-current="page""#));
    assert!(
        s.contains("aria-label=#"),
        "aria values become lengths: {s}"
    );
    // Words of the locator table survive (normalised); other text becomes its length.
    assert!(s.contains(r#"<th>"operator"</th>"#), "{s}");
    assert!(s.contains(r#"aria-label="contacts""#));
    assert!(s.contains(r#"<h3 id=#2>"current guests"</h3>"#), "{s}");
    assert!(s.contains("<td>#10</td>"), "lengths are kept: {s}");
    // Rows of the same shape are written once.
    assert!(s.contains("more of the same shape"), "{s}");
    assert!(s.contains("<script>#"), "script bodies are summarised: {s}");
}

#[wasm_bindgen_test]
fn the_skeleton_survives_deep_and_wide_pages() {
    use lh3_shift::page::skeleton::skeleton;
    let root = mount("");
    let d = doc();
    // 2,000 levels deep, then 3,000 siblings: no stack overflow, bounded output.
    let mut at = root.clone();
    for _ in 0..2000 {
        let div = d.create_element("div").unwrap();
        at.append_child(&div).unwrap();
        at = div;
    }
    for i in 0..3000 {
        let p = d.create_element("p").unwrap();
        p.set_text_content(Some(&format!("row {i} ZQ9X")));
        root.append_child(&p).unwrap();
    }
    let s = skeleton(&root, &default_table());
    assert!(s.contains("deeper levels left out"));
    assert!(s.contains("more of the same shape"));
    assert!(!s.contains("ZQ9X"));
    assert!(s.len() < 200_000, "{} characters", s.len());
}

// ---- a page built like the real one: re-com boxes, no roles, words only

/// The markup re-com and Bootstrap 3 produce for the parts the evidence shows (the
/// status dropdown button, a modal panel, checkboxes and radios with their text in a
/// sibling span, tabs, an icon-only rail, panes without roles, a grid of boxes).
const RECOM: &str = r##"
<div id="v-split-52" class="rc-v-split display-flex">
 <div class="rc-h-box display-flex top-bar">
  <span>mchen_seneca is</span><input type="text" class="form-control rc-input-text" placeholder="doing this">
  <div class="btn-group dropdown">
   <button id="user-show-dropdown-button" class="btn btn-default dropdown-toggle" type="button">
     <img src="/img/busy.png" alt="busy"> BUSY <span class="caret"></span></button>
   <ul class="dropdown-menu"><li><a href="#">Available</a></li><li><a href="#">Away</a></li>
     <li><a href="#">Busy</a></li><li><a href="#">Logout</a></li></ul>
  </div>
 </div>
 <div class="rc-v-box rail">
  <div class="rc-md-icon-button"><i class="zmdi zmdi-menu"></i></div>
  <div class="rc-md-icon-button"><i class="zmdi zmdi-comments"></i></div>
  <div class="rc-md-icon-button"><i class="zmdi zmdi-view-list"></i></div>
  <div class="rc-md-icon-button"><i class="zmdi zmdi-settings"></i></div>
  <div class="rc-md-icon-button"><i class="zmdi zmdi-power"></i></div>
 </div>
 <div class="rc-v-box contacts">
  <ul class="nav nav-tabs rc-tabs"><li class=""><a>Guests &amp; Contacts</a></li>
   <li class="active"><a>I'm Staffing (2/5)</a></li></ul>
  <div class="rc-v-box tab-body">
   <div class="rc-h-box"><i class="zmdi zmdi-circle green"></i><span>all_colleges</span></div>
   <div class="rc-h-box"><i class="zmdi zmdi-circle green"></i><span>all_backup</span></div>
   <div class="rc-box">No other queues assigned today</div>
  </div>
 </div>
 <div class="rc-h-box chats">
  <div class="rc-v-box chat-box">
   <div class="rc-h-box title"><span>all_colleges</span><span>Guest 6CYJ</span><i class="zmdi zmdi-close"></i></div>
   <div class="rc-v-box log">
    <div class="msg"><span class="who">Guest 6CYJ</span> <span class="when">10:02</span> <span class="text">This chat is being transferred to a friend?</span></div>
    <div class="sys">answered by mchen_seneca</div>
    <div class="msg"><span class="who">Guest 6CYJ</span> <span class="text">thanks</span></div>
   </div>
   <div class="rc-h-box toolbar"><i class="zmdi zmdi-attachment"></i><i class="zmdi zmdi-email"></i><i class="zmdi zmdi-swap"></i><i class="zmdi zmdi-flash"></i></div>
   <textarea class="form-control"></textarea>
  </div>
  <div class="rc-v-box chat-box">
   <div class="rc-h-box title"><span>backchat</span></div>
   <div class="rc-v-box log"><div class="sys">10:40 System message: transferring to all_backup</div></div>
   <textarea class="form-control"></textarea>
  </div>
 </div>
 <div class="rc-v-box history">
  <div class="rc-h-box hdr"><div class="rc-box">Queue</div><div class="rc-box">Guest</div><div class="rc-box">Operator</div><div class="rc-box">Duration</div></div>
  <div class="rc-v-box body">
   <div class="rc-h-box"><div>all_colleges</div><div>Guest A</div><div></div><div></div></div>
   <div class="rc-h-box"><div>all_colleges</div><div>Guest B</div><div>amy</div><div></div></div>
   <div class="rc-h-box"><div>all_backup</div><div>Guest C</div><div>raj</div><div>4:10</div></div>
  </div>
 </div>
</div>
<div class="rc-modal-panel" style="position: fixed; inset: 0">
 <div class="rc-modal-panel-backdrop"></div>
 <div class="rc-v-box">
  <div class="rc-title">Choose Staffing Assignments</div>
  <div class="rc-checkbox-wrapper"><input type="checkbox" class="rc-checkbox" checked><span class="rc-checkbox-label">all_colleges</span></div>
  <div class="rc-checkbox-wrapper"><input type="checkbox" class="rc-checkbox"><span class="rc-checkbox-label">all_backup</span></div>
  <div class="rc-checkbox-wrapper"><input type="checkbox" class="rc-checkbox"><span class="rc-checkbox-label">Receive chats on ALL queues</span></div>
  <div class="rc-radio-button-wrapper"><input type="radio" name="t" class="rc-radio-button" checked><span>Use timer</span></div>
  <div class="rc-h-box"><input type="number" value="1"><span>hours</span><input type="number" value="15"><span>minutes</span></div>
  <div class="rc-radio-button-wrapper"><input type="radio" name="t" class="rc-radio-button"><span>Never auto-logout</span></div>
  <div class="rc-h-box"><button class="btn btn-primary">Connect now</button></div>
 </div>
</div>"##;

fn snapshot_of_recom() -> lh3_shift::core::snapshot::Snapshot {
    let d = doc();
    let mut locate = Locate::new(default_table());
    let settings = Settings {
        operator_name: "mchen_seneca".into(),
        ..Default::default()
    };
    lh3_shift::page::read::read_snapshot(&d, &mut locate, &settings)
}

#[wasm_bindgen_test]
fn the_status_is_read_from_a_dropdown_button_and_its_icon() {
    use lh3_shift::core::snapshot::Status;
    mount(RECOM);
    assert_eq!(snapshot_of_recom().status, Some(Status::Busy));
    // The icon alone says it when the word is not written out.
    let root = mount(
        r#"<div class="btn-group"><button type="button" class="dropdown-toggle"><img alt="away"><span class="caret"></span></button></div>
           <nav><a href="/x">Logout</a></nav>"#,
    );
    let _ = root;
    assert_eq!(snapshot_of_recom().status, Some(Status::Away));
}

#[wasm_bindgen_test]
fn a_login_box_without_roles_is_read_by_its_words() {
    use lh3_shift::core::snapshot::{QueueToggle, TimerChoice};
    mount(RECOM);
    let dialog = snapshot_of_recom()
        .login_dialog
        .expect("the login box is found");
    assert_eq!(
        dialog.queues,
        vec![
            QueueToggle {
                name: "all_colleges".into(),
                on: true
            },
            QueueToggle {
                name: "all_backup".into(),
                on: false
            },
        ]
    );
    assert_eq!(dialog.all_queues, Some(false));
    assert_eq!(dialog.timer, TimerChoice::Countdown { minutes: 75 });
}

#[wasm_bindgen_test]
fn a_selected_tab_shows_the_queues_being_staffed() {
    mount(RECOM);
    let snap = snapshot_of_recom();
    assert_eq!(
        snap.staffing,
        Some(vec!["all_colleges".to_string(), "all_backup".to_string()])
    );
    assert_eq!(snap.staffing_tally, Some((2, 5)));
    // Another tab selected: the queues are not on the page, the tally still is.
    let root = mount(RECOM);
    let tabs = root.query_selector_all(".nav-tabs li").unwrap();
    tabs.item(0)
        .unwrap()
        .dyn_into::<Element>()
        .unwrap()
        .set_class_name("active");
    tabs.item(1)
        .unwrap()
        .dyn_into::<Element>()
        .unwrap()
        .set_class_name("");
    let snap = snapshot_of_recom();
    assert_eq!(snap.staffing, None);
    assert_eq!(snap.staffing_tally, Some((2, 5)));
}

#[wasm_bindgen_test]
fn panes_without_roles_are_found_around_their_typing_areas() {
    mount(RECOM);
    let snap = snapshot_of_recom();
    assert_eq!(snap.chats.len(), 2, "{:?}", snap.chats);
    let guest = &snap.chats[0];
    assert!(!guest.is_backchat);
    assert_eq!(guest.answered_by.as_deref(), Some("mchen_seneca"));
    assert!(guest.operator_replied, "answered by me");
    // A visitor writing the words is not the page saying them.
    assert!(!guest.being_transferred);
    let backchat = &snap.chats[1];
    assert!(backchat.is_backchat);
    assert!(backchat.being_transferred, "a time-stamped system line");
}

#[wasm_bindgen_test]
fn a_grid_of_boxes_is_read_like_a_table() {
    let root = mount(RECOM);
    let report = flush();
    assert_eq!(
        states_of(&root, ".history .body > div"),
        vec![
            Some("new".to_string()),
            Some("ongoing".to_string()),
            Some("completed".to_string())
        ]
    );
    assert_eq!(report.history.map(|h| h.new), Some(1));
    // The header row is not a row.
    let hdr = root.query_selector(".history .hdr").unwrap().unwrap();
    assert!(hdr.get_attribute("data-lh3-chat-state").is_none());
}

#[wasm_bindgen_test]
fn icon_only_navigation_is_found_by_icon_names_and_the_page_check_counts() {
    let d = doc();
    mount(RECOM);
    let mut locate = Locate::new(default_table());
    let logout = locate.all(&d, ids::LOGOUT_LINK);
    assert!(
        logout
            .iter()
            .any(|e| e.query_selector(".zmdi-power").unwrap().is_some()),
        "the power icon is a way to log out"
    );
    assert!(locate.first(&d, ids::HISTORY_NAV).is_some());
    locate.check_all(&d);
    let health = locate.health();
    let state = |id: &str| health.iter().find(|h| h.id == id).unwrap().state;
    assert_eq!(state(ids::STATUS_MENU), LocatorState::Found);
    assert_eq!(state(ids::LOGIN_DIALOG), LocatorState::Found);
    assert_eq!(state(ids::CHAT_PANE), LocatorState::Found);
    assert_eq!(state(ids::AUTOLOGOUT_POPUP), LocatorState::NotShownNow);
    let panes = health.iter().find(|h| h.id == ids::CHAT_PANE).unwrap();
    assert_eq!(panes.matches, 2);
}

#[wasm_bindgen_test]
fn an_autologout_box_is_the_floating_box_around_its_two_buttons() {
    let d = doc();
    mount(
        r#"<div class="rc-modal-panel" style="position:fixed"><div class="rc-v-box">
           <p>Your auto-logout timer has run out.</p>
           <div class="rc-h-box"><input type="number" value="45"><span>minutes</span></div>
           <div class="rc-h-box"><button>Remain logged in</button><button>Log me out</button></div>
           </div></div>"#,
    );
    let mut locate = Locate::new(default_table());
    let popup = locate.first(&d, ids::AUTOLOGOUT_POPUP).expect("found");
    assert!(popup.class_list().contains("rc-modal-panel"));
    let input = locate
        .first_in(&popup, ids::AUTOLOGOUT_NEW_TIMER)
        .expect("the minutes field is inside");
    assert_eq!(input.get_attribute("value").as_deref(), Some("45"));
}

#[wasm_bindgen_test]
fn a_canned_popover_is_read_and_a_tooltip_popover_names_nothing() {
    let d = doc();
    // A re-com popover-tooltip: the text in its point names the icon beside it.
    mount(
        r#"<div class="rc-popover-anchor-wrapper rc-popover-tooltip"><div class="rc-point-wrapper">
             <div class="rc-row-button"><i class="zmdi zmdi-comment-list"></i></div>
             <div class="rc-popover-point"><div class="popover-content-wrapper"><div class="popover">
               <div class="popover-content"><div>Welcome</div><div>Thank you</div></div>
             </div></div></div></div></div>"#,
    );
    let mut locate = Locate::new(default_table());
    assert!(
        locate.first(&d, ids::CANNED_LIST).is_none(),
        "a tooltip is not the list"
    );
    // The list the canned-messages icon opens: a popover of boxes, name then text.
    mount(
        r#"<div class="popover-content-wrapper" tabindex="0"><div class="popover fade in above">
             <div class="popover-content">
               <div class="g36-54"><b>Welcome</b><div>Hi, welcome!</div></div>
               <div class="g36-54"><b>Thank you</b><div>Thanks for asking.</div></div>
             </div></div></div>"#,
    );
    let mut locate = Locate::new(default_table());
    let offered = lh3_shift::page::read::read_canned(&d, &mut locate).expect("the list is read");
    let names: Vec<&str> = offered.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["Welcome", "Thank you"]);
    assert_eq!(offered[0].text, "Hi, welcome!");
}

#[wasm_bindgen_test]
fn a_staffing_tab_of_checkboxes_counts_only_the_ticked_queues() {
    let ticked = |q: &str, on: bool| {
        format!(
            r#"<div class="rc-h-box"><input type="checkbox"{}><span>{q}</span></div>"#,
            if on { " checked" } else { "" }
        )
    };
    let rows = [
        ticked("all_colleges", true),
        ticked("all_backup", false),
        ticked("practice", true),
    ]
    .concat();
    let page = RECOM.replace(
        r#"<div class="rc-h-box"><i class="zmdi zmdi-circle green"></i><span>all_colleges</span></div>
   <div class="rc-h-box"><i class="zmdi zmdi-circle green"></i><span>all_backup</span></div>"#,
        &rows,
    );
    assert_ne!(page, RECOM, "the fixture's staffing rows were replaced");
    mount(&page);
    let snap = snapshot_of_recom();
    assert_eq!(
        snap.staffing,
        Some(vec!["all_colleges".to_string(), "practice".to_string()])
    );
}
