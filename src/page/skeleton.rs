//! "Copy page skeleton": the web client's structure without its content, so an operator
//! can report a page change without leaking a chat.
//!
//! Kept: tag names, attribute names, the values of `role` and `type`, ARIA state tokens
//! (`aria-hidden="true"`, `aria-sort="ascending"`, … — a fixed vocabulary), our own
//! `data-lh3-*` marks, and text or values that are exactly one of the locator table's
//! words ("Operator", "Chat History", …). Everything else — every other text node and
//! attribute value — becomes `#N`, its length in characters. Runs of siblings with the
//! same shape (10,000 history rows) are written once with a count.

use wasm_bindgen::JsCast;
use web_sys::{Element, Node};

use crate::core::locators::{normalize_text, Locator};

/// Attributes whose values are a fixed vocabulary with no room for patron data.
const KEEP_VALUE: &[&str] = &["role", "type"];

/// ARIA attributes whose values are tokens from the ARIA specification.
const ARIA_TOKEN_ATTRS: &[&str] = &[
    "aria-hidden",
    "aria-expanded",
    "aria-pressed",
    "aria-checked",
    "aria-selected",
    "aria-disabled",
    "aria-current",
    "aria-modal",
    "aria-live",
    "aria-sort",
    "aria-haspopup",
    "aria-orientation",
    "aria-busy",
    "aria-atomic",
    "aria-readonly",
    "aria-required",
    "aria-invalid",
    "aria-multiselectable",
    "aria-autocomplete",
    "aria-relevant",
];

const ARIA_TOKENS: &[&str] = &[
    "true",
    "false",
    "mixed",
    "undefined",
    "page",
    "step",
    "location",
    "date",
    "time",
    "polite",
    "assertive",
    "off",
    "ascending",
    "descending",
    "none",
    "other",
    "menu",
    "listbox",
    "tree",
    "grid",
    "dialog",
    "horizontal",
    "vertical",
    "inline",
    "list",
    "both",
    "grammar",
    "spelling",
    "additions",
    "removals",
    "text",
    "all",
];

/// Levels below this are summarised (a hostile page may nest without end).
const MAX_DEPTH: usize = 120;
/// The whole skeleton stops growing past this many characters.
const MAX_CHARS: usize = 1_000_000;

/// Elements whose content is never page structure.
const SKIP_CONTENT: &[&str] = &["script", "style", "noscript", "template"];

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// The words of a locator table: the only page text a skeleton may contain.
pub fn locator_words(table: &[Locator]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |w: &str| {
        let n = normalize_text(w);
        if !n.is_empty() && !out.contains(&n) {
            out.push(n);
        }
    };
    for l in table {
        l.find.words().into_iter().for_each(&mut add);
    }
    out
}

struct Walk<'a> {
    words: &'a [String],
    used: usize,
    truncated: bool,
}

/// `"Operator"` when the text is exactly a locator word, else `#N` (its length).
fn redact(text: &str, words: &[String]) -> String {
    let norm = normalize_text(text);
    if !norm.is_empty() && words.contains(&norm) {
        // The word as the table spells it (normalised), never the page's own bytes.
        return format!("\"{norm}\"");
    }
    format!("#{}", text.chars().count())
}

fn attr_value(name: &str, value: &str, words: &[String]) -> String {
    let lower = value.trim().to_ascii_lowercase();
    let keep = KEEP_VALUE.contains(&name)
        && !lower.is_empty()
        && lower.len() <= 40
        && lower
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == ' ');
    if keep {
        return format!("\"{lower}\"");
    }
    if ARIA_TOKEN_ATTRS.contains(&name)
        && lower.split_whitespace().all(|t| ARIA_TOKENS.contains(&t))
        && !lower.is_empty()
    {
        return format!("\"{lower}\"");
    }
    if name.starts_with("data-lh3-")
        && lower.len() <= 20
        && lower.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return format!("\"{lower}\"");
    }
    if name.starts_with("aria-") || name == "title" || name == "alt" || name == "placeholder" {
        return redact(value, words);
    }
    format!("#{}", value.chars().count())
}

/// An attribute name as it may appear in the skeleton (names are markup, but a hostile
/// page can still make them long or odd).
fn safe_name(name: &str) -> String {
    let n: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .take(60)
        .collect();
    n.to_ascii_lowercase()
}

fn open_tag(el: &Element, words: &[String]) -> (String, String) {
    let tag = safe_name(&el.tag_name());
    let mut s = format!("<{tag}");
    let names = el.get_attribute_names();
    let mut list: Vec<String> = names.iter().filter_map(|n| n.as_string()).collect();
    crate::core::short_sort::sort_by(&mut list, |a, b| a < b);
    for raw in list {
        let name = safe_name(&raw);
        let value = el.get_attribute(&raw).unwrap_or_default();
        if value.is_empty() {
            s.push(' ');
            s.push_str(&name);
        } else {
            s.push_str(&format!(" {name}={}", attr_value(&name, &value, words)));
        }
    }
    s.push('>');
    (tag, s)
}

/// The shape of a line: lengths masked, so rows that differ only in how long their
/// texts are count as the same shape.
fn shape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_number = false;
    for c in text.chars() {
        if in_number && c.is_ascii_digit() {
            continue;
        }
        in_number = c == '#';
        out.push(c);
    }
    out
}

impl Walk<'_> {
    /// The skeleton lines of one node, indented by `depth`.
    fn node(&mut self, node: &Node, depth: usize) -> Vec<String> {
        if self.truncated {
            return Vec::new();
        }
        let pad = "  ".repeat(depth.min(MAX_DEPTH));
        match node.node_type() {
            Node::TEXT_NODE | Node::CDATA_SECTION_NODE => {
                let text = node.node_value().unwrap_or_default();
                if text.trim().is_empty() {
                    return Vec::new();
                }
                let line = format!("{pad}{}", redact(&text, self.words));
                self.grow(line.len());
                vec![line]
            }
            Node::ELEMENT_NODE => {
                let Some(el) = node.dyn_ref::<Element>() else {
                    return Vec::new();
                };
                let (tag, open) = open_tag(el, self.words);
                // Each line is counted once, where it is made (children count their own).
                self.grow(2 * pad.len() + open.len() + tag.len() + 3);
                if VOID.contains(&tag.as_str()) {
                    return vec![format!("{pad}{open}")];
                }
                let close = format!("</{tag}>");
                if depth >= MAX_DEPTH {
                    return vec![format!("{pad}{open}<!-- deeper levels left out -->{close}")];
                }
                let mut inner = Vec::new();
                if SKIP_CONTENT.contains(&tag.as_str()) {
                    let n = el.text_content().unwrap_or_default().chars().count();
                    if n > 0 {
                        inner.push(format!("{pad}  #{n}"));
                    }
                } else {
                    if let Some(shadow) = el.shadow_root() {
                        inner.push(format!("{pad}  #shadow-root"));
                        inner.extend(self.children(shadow.unchecked_ref(), depth + 2));
                    }
                    inner.extend(self.children(el.unchecked_ref(), depth + 1));
                }
                match inner.len() {
                    0 => vec![format!("{pad}{open}{close}")],
                    1 if !inner[0].trim_start().starts_with('<') => {
                        vec![format!("{pad}{open}{}{close}", inner[0].trim_start())]
                    }
                    _ => {
                        let mut lines = Vec::with_capacity(inner.len() + 2);
                        lines.push(format!("{pad}{open}"));
                        lines.extend(inner);
                        lines.push(format!("{pad}{close}"));
                        lines
                    }
                }
            }
            _ => Vec::new(),
        }
    }

    /// The children of `parent`, with runs of same-shaped siblings written once.
    fn children(&mut self, parent: &Node, depth: usize) -> Vec<String> {
        let pad = "  ".repeat(depth.min(MAX_DEPTH));
        let mut out: Vec<String> = Vec::new();
        let mut last_shape: Option<String> = None;
        let mut repeats = 0usize;
        let mut child = parent.first_child();
        while let Some(node) = child {
            child = node.next_sibling();
            if self.truncated {
                break;
            }
            let lines = self.node(&node, depth);
            if lines.is_empty() {
                continue;
            }
            let joined = lines.join("\n");
            let this_shape = shape(&joined);
            if last_shape.as_deref() == Some(this_shape.as_str()) {
                repeats += 1;
                continue;
            }
            if repeats > 0 {
                out.push(format!("{pad}<!-- ×{repeats} more of the same shape -->"));
                repeats = 0;
            }
            out.extend(lines);
            last_shape = Some(this_shape);
        }
        if repeats > 0 {
            out.push(format!("{pad}<!-- ×{repeats} more of the same shape -->"));
        }
        if self.truncated {
            out.push(format!(
                "{pad}<!-- skeleton cut at {MAX_CHARS} characters -->"
            ));
        }
        out
    }

    /// Counts the characters kept so far; past `MAX_CHARS` the walk stops.
    fn grow(&mut self, n: usize) {
        self.used = self.used.saturating_add(n);
        if self.used > MAX_CHARS {
            self.truncated = true;
        }
    }
}

/// The skeleton of the document under `root` (normally `<html>`), as indented text.
/// `table` is the locator table in force: its words are the only page text kept.
pub fn skeleton(root: &Element, table: &[Locator]) -> String {
    let words = locator_words(table);
    let mut walk = Walk {
        words: &words,
        used: 0,
        truncated: false,
    };
    let lines = walk.node(root.unchecked_ref(), 0);
    let mut out = String::from(HEADER);
    out.push('\n');
    out.push_str(&lines.join("\n"));
    out.push('\n');
    out
}

/// The first line of every skeleton: what was removed.
pub const HEADER: &str = "<!-- LibraryH3lp web client skeleton: every text and attribute value \
     replaced by #N (its length), except role/type values, ARIA state tokens, data-lh3-* marks \
     and words from the extension's locator table. Repeated rows are written once. -->";
