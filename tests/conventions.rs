//! Meta-tests: the conventions a newcomer relies on to find any feature's code, test
//! and fixture in under a minute, checked on every `cargo test`.
//!
//! They parse what they check — Rust with `syn`, the end-to-end tests with a small
//! JavaScript tokenizer, JSON with serde — so a comment, a string or a stray word
//! never passes (or fails) one. Each check has a `*_is_caught` companion below that
//! feeds it a broken example and expects the failure.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use lh3_shift::core::features::{FeatureId, FEATURES};
use lh3_shift::core::settings::Server;
use proc_macro2::{TokenStream, TokenTree};
use serde_json::Value;
use syn::visit::Visit;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn files_in(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(files_in(&p, ext));
        } else if p.extension().is_some_and(|e| e == ext) {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn parse_rust(path: &Path) -> syn::File {
    syn::parse_file(&read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn rel(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// `new-chats` ↔ `src/features/new_chats.rs`.
fn file_for(id: &str) -> String {
    id.replace('-', "_")
}

/// `new-chats` ↔ `NewChats`: the `FeatureId` variant the catalog pairs with the id.
fn variant_of(id: &str) -> String {
    FeatureId::parse(id).map_or_else(String::new, |f| format!("{f:?}"))
}

/// A path's identifiers: `a::b::<T>::c` → [a, b, c].
fn segments(path: &syn::Path) -> Vec<String> {
    path.segments.iter().map(|s| s.ident.to_string()).collect()
}

// ---- the registry ---------------------------------------------------------------------

/// What `src/features/mod.rs` declares: its `pub mod`s, and the module of each
/// `Box::new(..)` in `registry()`'s body, in order.
#[derive(Debug, Default)]
struct Registry {
    modules: Vec<String>,
    registered: Vec<(String, String)>,
}

fn registry_of(file: &syn::File) -> Registry {
    let mut r = Registry::default();
    for item in &file.items {
        match item {
            syn::Item::Mod(m) if m.content.is_none() => r.modules.push(m.ident.to_string()),
            syn::Item::Fn(f) if f.sig.ident == "registry" => {
                struct Boxes<'a>(&'a mut Vec<(String, String)>);
                impl<'ast> Visit<'ast> for Boxes<'_> {
                    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
                        if let syn::Expr::Path(p) = &*call.func {
                            if segments(&p.path) == ["Box", "new"] {
                                if let Some(arg) = call.args.first() {
                                    if let Some(found) = module_and_type(arg) {
                                        self.0.push(found);
                                    }
                                }
                            }
                        }
                        syn::visit::visit_expr_call(self, call);
                    }

                    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
                        // `vec![Box::new(..), ..]`: the list is tokens until parsed.
                        type List = syn::punctuated::Punctuated<syn::Expr, syn::Token![,]>;
                        if let Ok(list) = mac.parse_body_with(List::parse_terminated) {
                            for e in &list {
                                self.visit_expr(e);
                            }
                        }
                    }
                }
                Boxes(&mut r.registered).visit_block(&f.block);
            }
            _ => {}
        }
    }
    r
}

/// `module::Type`, `module::Type::default()`, `module::Type { .. }` → (module, Type).
fn module_and_type(e: &syn::Expr) -> Option<(String, String)> {
    let path = match e {
        syn::Expr::Path(p) => &p.path,
        syn::Expr::Struct(s) => &s.path,
        syn::Expr::Call(c) => match &*c.func {
            syn::Expr::Path(p) => &p.path,
            _ => return None,
        },
        _ => return None,
    };
    match segments(path).as_slice() {
        [m, t] | [m, t, _] => Some((m.clone(), t.clone())),
        _ => None,
    }
}

/// The id `impl Feature for <ty>` returns: a string literal, a `const` of the file, or
/// a `FeatureId` variant (as its kebab-case id).
fn feature_id_in(file: &syn::File, ty: &str) -> Result<String, String> {
    let consts: BTreeMap<String, String> = file
        .items
        .iter()
        .filter_map(|i| match i {
            syn::Item::Const(c) => literal_text(&c.expr).map(|s| (c.ident.to_string(), s)),
            _ => None,
        })
        .collect();
    for item in &file.items {
        let syn::Item::Impl(imp) = item else { continue };
        let Some((_, trait_path, _)) = &imp.trait_ else {
            continue;
        };
        if trait_path
            .segments
            .last()
            .is_none_or(|s| s.ident != "Feature")
        {
            continue;
        }
        let syn::Type::Path(self_ty) = &*imp.self_ty else {
            continue;
        };
        if self_ty.path.segments.last().is_none_or(|s| s.ident != ty) {
            continue;
        }
        for it in &imp.items {
            let syn::ImplItem::Fn(f) = it else { continue };
            if f.sig.ident != "id" {
                continue;
            }
            let Some(syn::Stmt::Expr(body, None)) = f.block.stmts.last() else {
                return Err(format!("`{ty}::id` does not end in an expression"));
            };
            if let Some(s) = literal_text(body) {
                return Ok(s);
            }
            if let syn::Expr::Path(p) = body {
                let names = segments(&p.path);
                if let [one] = names.as_slice() {
                    if let Some(s) = consts.get(one) {
                        return Ok(s.clone());
                    }
                }
                if let [.., enum_name, variant] = names.as_slice() {
                    if enum_name == "FeatureId" {
                        return Ok(variant.clone());
                    }
                }
            }
            return Err(format!(
                "`{ty}::id` returns something this test cannot read (a literal, a const of the file, or FeatureId::Variant)"
            ));
        }
        return Err(format!("`impl Feature for {ty}` has no `fn id`"));
    }
    Err(format!("no `impl Feature for {ty}`"))
}

/// Problems with the registry in `mod_rs` against the catalog, reading each
/// registered feature's file through `feature_file`.
fn registry_problems(
    mod_rs: &syn::File,
    feature_file: impl Fn(&str) -> Option<syn::File>,
) -> Vec<String> {
    let r = registry_of(mod_rs);
    let mut problems = Vec::new();
    for info in FEATURES {
        let module = file_for(info.id);
        if !r.modules.contains(&module) {
            problems.push(format!("feature `{}`: no `pub mod {module};`", info.id));
        }
        let boxes: Vec<&(String, String)> =
            r.registered.iter().filter(|(m, _)| *m == module).collect();
        match boxes.as_slice() {
            [(_, ty)] => match feature_file(&module) {
                None => problems.push(format!("feature `{}`: no file", info.id)),
                Some(file) => match feature_id_in(&file, ty) {
                    Ok(id) if id == info.id || id == variant_of(info.id) => {}
                    Ok(id) => problems.push(format!(
                        "feature `{}`: `{module}::{ty}` says its id is `{id}`",
                        info.id
                    )),
                    Err(e) => problems.push(format!("feature `{}`: {e}", info.id)),
                },
            },
            [] => problems.push(format!(
                "feature `{}` is not a `Box::new({module}::..)` in `registry()`",
                info.id
            )),
            _ => problems.push(format!("feature `{}` is registered twice", info.id)),
        }
    }
    for (m, ty) in &r.registered {
        if !FEATURES.iter().any(|i| file_for(i.id) == *m) {
            problems.push(format!("`{m}::{ty}` is registered but not in the catalog"));
        }
    }
    problems
}

#[test]
fn every_feature_file_is_catalogued_and_every_catalogued_feature_has_a_file() {
    let dir = root().join("src/features");
    let files: Vec<String> = files_in(&dir, "rs")
        .iter()
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().to_string()))
        .filter(|s| s != "mod")
        .collect();
    for f in &files {
        assert!(
            FEATURES.iter().any(|info| file_for(info.id) == *f),
            "src/features/{f}.rs has no entry in core::features::FEATURES"
        );
    }
    for info in FEATURES {
        assert!(
            files.contains(&file_for(info.id)),
            "feature `{}` has no file src/features/{}.rs",
            info.id,
            file_for(info.id)
        );
    }
}

#[test]
fn every_feature_is_registered_with_its_own_id() {
    let dir = root().join("src/features");
    let mod_rs = parse_rust(&dir.join("mod.rs"));
    let problems = registry_problems(&mod_rs, |m| {
        let p = dir.join(format!("{m}.rs"));
        p.exists().then(|| parse_rust(&p))
    });
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn an_unregistered_or_mislabelled_feature_is_caught() {
    let dir = root().join("src/features");
    let real = read(&dir.join("mod.rs"));
    let files = |m: &str| {
        let p = dir.join(format!("{m}.rs"));
        p.exists().then(|| parse_rust(&p))
    };
    // A registry line turned into a comment, or a mention in a string, does not count.
    let commented = real.replacen(
        "Box::new(staffing_check::StaffingCheck)",
        "// Box::new(staffing_check::StaffingCheck)",
        1,
    );
    assert_ne!(commented, real, "the example registry line moved");
    let problems = registry_problems(&syn::parse_file(&commented).unwrap(), files);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("`staffing-check` is not")),
        "{problems:?}"
    );
    // A feature registered under another's file: its id does not match.
    let swapped = real.replacen(
        "Box::new(status_guard::StatusGuard)",
        "Box::new(status_guard::StatusGuard), Box::new(staffing_check::StaffingCheck)",
        1,
    );
    let problems = registry_problems(&syn::parse_file(&swapped).unwrap(), files);
    assert!(
        problems.iter().any(|p| p.contains("registered twice")),
        "{problems:?}"
    );
    let wrong_id = syn::parse_file(
        "struct X; const ID: &str = \"login-guard\"; impl Feature for X { fn id(&self) -> &'static str { ID } }",
    )
    .unwrap();
    assert_eq!(feature_id_in(&wrong_id, "X").unwrap(), "login-guard");
    assert!(feature_id_in(&wrong_id, "Y").is_err());
}

// ---- the README -------------------------------------------------------------------------

/// The ids named in backticks in the README's headings.
fn readme_heading_ids(readme: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    let mut fenced = false;
    for line in readme.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced || !line.starts_with('#') {
            continue;
        }
        for (i, part) in line.split('`').enumerate() {
            if i % 2 == 1 {
                ids.insert(part.to_string());
            }
        }
    }
    ids
}

#[test]
fn every_feature_has_a_readme_section() {
    let ids = readme_heading_ids(&read(&root().join("README.md")));
    for info in FEATURES {
        assert!(
            ids.contains(info.id),
            "README.md has no heading naming `{}` (one section per feature, or per group)",
            info.id
        );
    }
}

#[test]
fn a_feature_named_only_in_prose_or_code_is_caught() {
    let ids = readme_heading_ids(
        "# Title\nThe `new-chats` feature.\n```\n### `login-guard`\n```\n### `status-guard` — Status guard\n",
    );
    assert_eq!(ids, BTreeSet::from(["status-guard".to_string()]));
}

// ---- the end-to-end tests ------------------------------------------------------------

/// The titles of the top-level `test(..)` calls of a JavaScript file: the first
/// argument when it is a string or template literal. Comments, strings and regular
/// expressions are skipped, so `// test('x')` or `/a/.test(s)` are not tests.
fn test_titles(js: &str) -> Vec<String> {
    let b: Vec<char> = js.chars().collect();
    let mut titles = Vec::new();
    let mut i = 0;
    // The last significant character before `i` (decides whether `/` starts a regex).
    let mut prev = ';';
    let mut prev_word = String::new();
    let ident = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    // Reads a string or template literal starting at `i`; returns (text, index after).
    let literal = |i: usize| -> (String, usize) {
        let q = b[i];
        let mut j = i + 1;
        let mut s = String::new();
        let mut depth = 0;
        while j < b.len() {
            let c = b[j];
            if c == '\\' {
                if let Some(n) = b.get(j + 1) {
                    s.push(*n);
                }
                j += 2;
                continue;
            }
            if q == '`' && c == '$' && b.get(j + 1) == Some(&'{') {
                depth += 1;
                s.push_str("${");
                j += 2;
                continue;
            }
            if q == '`' && depth > 0 && c == '}' {
                depth -= 1;
                s.push('}');
                j += 1;
                continue;
            }
            if c == q && depth == 0 {
                return (s, j + 1);
            }
            s.push(c);
            j += 1;
        }
        (s, j)
    };
    while i < b.len() {
        let c = b[i];
        if c == '/' && b.get(i + 1) == Some(&'/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if c == '/' && b.get(i + 1) == Some(&'*') {
            i += 2;
            while i + 1 < b.len() && !(b[i] == '*' && b[i + 1] == '/') {
                i += 1;
            }
            i += 2;
            continue;
        }
        if c == '/' && ("(,=:[!&|?{};+-*%<>~^".contains(prev) || prev_word == "return") {
            // A regular expression literal.
            let mut j = i + 1;
            let mut class = false;
            while j < b.len() && b[j] != '\n' {
                match b[j] {
                    '\\' => j += 1,
                    '[' => class = true,
                    ']' => class = false,
                    '/' if !class => break,
                    _ => {}
                }
                j += 1;
            }
            i = j + 1;
            prev = 'a';
            prev_word.clear();
            continue;
        }
        if c == '\'' || c == '"' || c == '`' {
            let (_, next) = literal(i);
            i = next;
            prev = 'a';
            prev_word.clear();
            continue;
        }
        if ident(c) {
            let start = i;
            while i < b.len() && ident(b[i]) {
                i += 1;
            }
            let word: String = b[start..i].iter().collect();
            let before = b[..start]
                .iter()
                .rev()
                .find(|c| !c.is_whitespace())
                .copied();
            if word == "test" && before != Some('.') {
                let mut j = i;
                while j < b.len() && b[j].is_whitespace() {
                    j += 1;
                }
                if b.get(j) == Some(&'(') {
                    j += 1;
                    while j < b.len() && b[j].is_whitespace() {
                        j += 1;
                    }
                    if matches!(b.get(j), Some('\'' | '"' | '`')) {
                        titles.push(literal(j).0);
                    }
                }
            }
            prev = 'a';
            prev_word = word;
            continue;
        }
        if !c.is_whitespace() {
            prev = c;
            prev_word.clear();
        }
        i += 1;
    }
    titles
}

/// Whether a title names the id as a word (`new-chats`, not `new-chats-x`).
fn names(title: &str, id: &str) -> bool {
    title.match_indices(id).any(|(at, _)| {
        let word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
        let before = title[..at].chars().next_back();
        let after = title[at + id.len()..].chars().next();
        !before.is_some_and(word) && !after.is_some_and(word)
    })
}

#[test]
fn every_feature_has_an_end_to_end_test_that_names_it() {
    let titles: Vec<String> = files_in(&root().join("tests/e2e"), "mjs")
        .iter()
        .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
        .flat_map(|p| test_titles(&read(p)))
        .collect();
    for info in FEATURES {
        assert!(
            titles.iter().any(|t| names(t, info.id)),
            "no test('…{}…') in tests/e2e/*.test.mjs covers feature `{}`",
            info.id,
            info.id
        );
    }
}

#[test]
fn a_test_named_only_in_a_comment_a_string_or_a_skipped_call_is_caught() {
    let js = r#"
        // Feature `new-chats`: test('new-chats in a comment')
        /* test('new-chats in a block comment') */
        const s = "test('new-chats in a string')";
        const r = /test('new-chats in a regex')/.test(s);
        test.skip('new-chats skipped', () => {});
        t.test('new-chats as a subtest', () => {});
        for (const csp of ['none', 'strict']) {
          test(`login-guard (${csp}): warns`, async () => { if (a / b > 1) x(); });
        }
        test ( "status-guard: tells", () => {});
    "#;
    assert_eq!(
        test_titles(js),
        vec![
            "login-guard (${csp}): warns".to_string(),
            "status-guard: tells".to_string()
        ]
    );
    assert!(names("logout-gate: lists", "logout-gate"));
    assert!(!names("logout-gate-x", "logout-gate"));
}

// ---- code rules, parsed ----------------------------------------------------------------

/// Every path, method call and macro token of a Rust file, with its line: what the
/// code rules below look at (comments and string contents are not code).
#[derive(Default)]
struct Code {
    /// `a::b::c` paths (also `use` trees), joined with `::`.
    paths: Vec<(String, usize)>,
    /// Method calls: name and the string literal arguments.
    calls: Vec<(String, Vec<String>, usize)>,
}

impl<'ast> Visit<'ast> for Code {
    fn visit_path(&mut self, p: &'ast syn::Path) {
        let joined = segments(p);
        let line = p
            .segments
            .first()
            .map_or(0, |s| s.ident.span().start().line);
        self.paths.push((joined.join("::"), line));
        syn::visit::visit_path(self, p);
    }

    fn visit_use_tree(&mut self, t: &'ast syn::UseTree) {
        fn walk(t: &syn::UseTree, prefix: &str, out: &mut Vec<(String, usize)>) {
            let join = |s: &str| {
                if prefix.is_empty() {
                    s.to_string()
                } else {
                    format!("{prefix}::{s}")
                }
            };
            match t {
                syn::UseTree::Path(p) => walk(&p.tree, &join(&p.ident.to_string()), out),
                syn::UseTree::Name(n) => {
                    out.push((join(&n.ident.to_string()), n.ident.span().start().line))
                }
                syn::UseTree::Rename(r) => {
                    out.push((join(&r.ident.to_string()), r.ident.span().start().line))
                }
                syn::UseTree::Glob(_) => out.push((join("*"), 0)),
                syn::UseTree::Group(g) => {
                    for t in &g.items {
                        walk(t, prefix, out);
                    }
                }
            }
        }
        walk(t, "", &mut self.paths);
    }

    fn visit_expr_method_call(&mut self, m: &'ast syn::ExprMethodCall) {
        let strings = m.args.iter().filter_map(literal_text).collect();
        self.calls
            .push((m.method.to_string(), strings, m.method.span().start().line));
        syn::visit::visit_expr_method_call(self, m);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        // Code inside macros (`format!`, `assert!`, `thread_local!`) is tokens: look at
        // its identifiers as paths of one segment and at `a::b` runs.
        fn walk(ts: TokenStream, out: &mut Vec<(String, usize)>) {
            let mut run: Vec<String> = Vec::new();
            let mut line = 0;
            let mut colons = 0;
            let flush = |run: &mut Vec<String>, line: usize, out: &mut Vec<(String, usize)>| {
                if !run.is_empty() {
                    out.push((run.join("::"), line));
                    run.clear();
                }
            };
            for tt in ts {
                match tt {
                    TokenTree::Ident(i) => {
                        if colons != 2 {
                            flush(&mut run, line, out);
                            line = i.span().start().line;
                        }
                        run.push(i.to_string());
                        colons = 0;
                    }
                    TokenTree::Punct(p) if p.as_char() == ':' => colons += 1,
                    TokenTree::Group(g) => {
                        flush(&mut run, line, out);
                        colons = 0;
                        walk(g.stream(), out);
                    }
                    _ => {
                        flush(&mut run, line, out);
                        colons = 0;
                    }
                }
            }
            flush(&mut run, line, out);
        }
        walk(mac.tokens.clone(), &mut self.paths);
        syn::visit::visit_macro(self, mac);
    }
}

/// A string literal argument, also the first literal of `&format!(..)`.
fn literal_text(e: &syn::Expr) -> Option<String> {
    match e {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(s.value()),
        syn::Expr::Reference(r) => literal_text(&r.expr),
        syn::Expr::Macro(m) => m
            .mac
            .tokens
            .clone()
            .into_iter()
            .find_map(|t| match t {
                TokenTree::Literal(l) => syn::parse_str::<syn::LitStr>(&l.to_string()).ok(),
                _ => None,
            })
            .map(|l| l.value()),
        _ => None,
    }
}

fn code_of(source: &str) -> Code {
    let file = syn::parse_file(source).expect("parses");
    let mut code = Code::default();
    code.visit_file(&file);
    code
}

fn rust_sources(dirs: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for d in dirs {
        let p = root().join(d);
        if p.is_dir() {
            out.extend(files_in(&p, "rs"));
        } else {
            out.push(p);
        }
    }
    out
}

/// `file:line what` for everything `find` reports in the Rust files of `dirs`.
fn scan(dirs: &[&str], find: impl Fn(&str) -> Vec<(String, usize)>) -> Vec<String> {
    let mut out = Vec::new();
    for p in rust_sources(dirs) {
        for (what, line) in find(&read(&p)) {
            out.push(format!("{}:{line} {what}", rel(&p)));
        }
    }
    out
}

/// Calls that write HTML (Rust's web-sys names).
const HTML_WRITES: [&str; 5] = [
    "set_inner_html",
    "set_outer_html",
    "insert_adjacent_html",
    "write_with_str",
    "writeln_with_str",
];

fn html_writes(source: &str) -> Vec<usize> {
    let code = code_of(source);
    code.calls
        .iter()
        .filter(|(name, _, _)| HTML_WRITES.contains(&name.as_str()))
        .map(|(_, _, line)| *line)
        .chain(
            code.paths
                .iter()
                .filter(|(p, _)| HTML_WRITES.iter().any(|w| p.ends_with(w)))
                .map(|(_, line)| *line),
        )
        .collect()
}

/// JavaScript HTML writes, in code (not comments).
fn js_html_writes(js: &str) -> Vec<usize> {
    let mut out = Vec::new();
    for (i, line) in js.lines().enumerate() {
        let code = line.split("//").next().unwrap_or_default();
        if [
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
        ]
        .iter()
        .any(|w| code.contains(w))
        {
            out.push(i + 1);
        }
    }
    out
}

#[test]
fn page_text_is_never_written_as_html() {
    // Every Rust file: the page layer and the content loop as much as the features.
    let mut offenders = scan(&["src"], |s| {
        html_writes(s)
            .into_iter()
            .map(|l| (String::new(), l))
            .collect()
    });
    for p in files_in(&root().join("extension"), "js") {
        for line in js_html_writes(&read(&p)) {
            offenders.push(format!("{}:{line}", rel(&p)));
        }
    }
    assert!(offenders.is_empty(), "HTML writes: {offenders:?}");
}

#[test]
fn an_html_write_is_caught_and_a_comment_is_not() {
    let src = "fn f(e: &Element, s: &str) {\n    // e.set_inner_html(s) would run page text\n    let x = \"set_inner_html\";\n    e.set_inner_html(s);\n}\n";
    assert_eq!(html_writes(src), vec![4]);
    assert_eq!(
        js_html_writes("// el.innerHTML = x\nel.innerHTML = x;\n"),
        vec![2]
    );
}

/// The class (`.x`) and id (`#x`) selectors in a CSS selector, outside brackets and
/// quotes: what would bypass the one table of locators.
fn class_or_id_selector(css: &str) -> bool {
    let mut depth = 0;
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for c in css.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '(') => depth += 1,
            (None, ']' | ')') => depth -= 1,
            (None, '.' | '#') if depth == 0 && !prev.is_ascii_digit() => return true,
            _ => {}
        }
        prev = c;
    }
    false
}

const SELECTOR_CALLS: [&str; 4] = ["query_selector", "query_selector_all", "closest", "matches"];

fn selector_bypasses(source: &str) -> Vec<usize> {
    code_of(source)
        .calls
        .iter()
        .filter(|(name, args, _)| {
            SELECTOR_CALLS.contains(&name.as_str()) && args.iter().any(|a| class_or_id_selector(a))
        })
        .map(|(_, _, line)| *line)
        .collect()
}

#[test]
fn page_parts_are_found_only_through_the_locator_table() {
    // Features, the page layer and the content loop: a class or id selector written in
    // code would bypass the one table of locators (`core::locators`).
    let offenders = scan(&["src/features", "src/page", "src/content.rs"], |s| {
        selector_bypasses(s)
            .into_iter()
            .map(|l| (String::new(), l))
            .collect()
    });
    assert!(
        offenders.is_empty(),
        "class/id selectors outside the locator table: {offenders:?}"
    );
}

#[test]
fn a_class_or_id_selector_is_caught() {
    let src = r##"fn f(d: &Document, e: &Element) {
        d.query_selector("[data-lh3-ui=\"dock\"], button");
        e.closest(&format!(".chat-pane[{}]", 1));
        d.query_selector_all("#composer");
        d.query_selector("[title='a.b#c']");
    }"##;
    assert_eq!(selector_bypasses(src), vec![3, 4]);
}

/// What the pure core may not touch: the browser, the clock, I/O.
const IMPURE: [&str; 12] = [
    "web_sys",
    "js_sys",
    "wasm_bindgen",
    "wasm_bindgen_futures",
    "gloo_timers",
    "Utc::now",
    "Local::now",
    "SystemTime",
    "Instant",
    "std::fs",
    "std::net",
    "std::env",
];

fn impure_uses(source: &str, banned: &[&str]) -> Vec<(String, usize)> {
    code_of(source)
        .paths
        .into_iter()
        .filter(|(p, _)| {
            banned.iter().any(|b| {
                p == b
                    || p.starts_with(&format!("{b}::"))
                    || p.ends_with(&format!("::{b}"))
                    || p.contains(&format!("::{b}::"))
            })
        })
        .collect()
}

#[test]
fn the_core_is_pure() {
    let offenders = scan(&["src/core"], |s| impure_uses(s, &IMPURE));
    assert!(
        offenders.is_empty(),
        "the core takes `now` and data as arguments: {offenders:?}"
    );
}

/// Clock reads outside `src/ext` (which gives `now()` to everyone else).
const CLOCK_READS: [&str; 6] = [
    "Date::now",
    "Date::new_0",
    "Utc::now",
    "Local::now",
    "SystemTime",
    "Instant",
];

#[test]
fn the_page_layer_and_the_content_loop_read_the_clock_only_through_ext() {
    let offenders = scan(
        &[
            "src/page",
            "src/content.rs",
            "src/features",
            "src/ui",
            "src/background.rs",
            "src/watchdog.rs",
            "src/entry.rs",
        ],
        |s| impure_uses(s, &CLOCK_READS),
    );
    assert!(
        offenders.is_empty(),
        "read the clock through ext (one clock, which tests can set): {offenders:?}"
    );
}

#[test]
fn impure_code_is_caught_in_paths_uses_and_macros_but_not_in_comments_or_strings() {
    let src = r#"
        // web_sys::window() in a comment
        use js_sys::Date;
        fn a() -> &'static str { "web_sys" }
        fn b() { let _ = chrono::Utc::now(); }
        fn c() { println!("{}", js_sys::Date::now()); }
    "#;
    let found: Vec<usize> = impure_uses(src, &IMPURE).iter().map(|(_, l)| *l).collect();
    assert_eq!(found, vec![3, 5, 6]);
    let clock: Vec<usize> = impure_uses(src, &CLOCK_READS)
        .iter()
        .map(|(_, l)| *l)
        .collect();
    assert_eq!(clock, vec![5, 6]);
}

// ---- the loaders -------------------------------------------------------------------------

/// What in a loader would be a decision: a comparison, a condition, a key or kind
/// looked at. (Comments are left out; a loader's code has no such words in strings.)
fn js_decisions(js: &str) -> Vec<usize> {
    let decisions = [
        "===",
        "!==",
        "==",
        "!=",
        "if (",
        "if(",
        "switch",
        "? ",
        "startsWith",
        ".kind",
    ];
    js.lines()
        .enumerate()
        .filter(|(_, line)| {
            let code = line.split("//").next().unwrap_or_default();
            decisions.iter().any(|d| code.contains(d))
        })
        .map(|(i, _)| i + 1)
        .collect()
}

#[test]
fn javascript_only_loads_and_forwards() {
    // The loaders stay small and decide nothing: each browser event goes to Rust.
    for p in files_in(&root().join("extension"), "js") {
        let js = read(&p);
        let lines = js.lines().count();
        assert!(
            lines <= 80,
            "{} has {lines} lines: move logic into Rust",
            rel(&p)
        );
        let decided = js_decisions(&js);
        assert!(
            decided.is_empty(),
            "{} decides in JavaScript at lines {decided:?}: forward the event to Rust",
            rel(&p)
        );
    }
}

#[test]
fn a_decision_in_a_loader_is_caught() {
    let old = r#"chrome.storage.onChanged.addListener((changes, area) => {
  // Only the settings: not settings_raw_kept === anything.
  if (area === 'managed' || Object.keys(changes).some((k) => k.startsWith('settings:'))) {
    core.content_settings_changed();
  }
});"#;
    assert_eq!(js_decisions(old), vec![3]);
}

// ---- locales and the manifest --------------------------------------------------------------

fn json(path: &Path) -> Value {
    serde_json::from_str(&read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Each message's placeholders: the `$NAME$` it uses, the `placeholders` it declares,
/// and the `{name}` fields the code fills in.
fn locale_shape(messages: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for (key, m) in messages.as_object().into_iter().flatten() {
        let mut holes = BTreeSet::new();
        let text = m["message"].as_str().unwrap_or_default();
        for (i, part) in text.split('$').enumerate() {
            if i % 2 == 1
                && !part.is_empty()
                && part.chars().all(|c| c.is_alphanumeric() || c == '_')
            {
                holes.insert(format!("${}$", part.to_lowercase()));
            }
        }
        for part in text.split('{').skip(1) {
            if let Some((name, _)) = part.split_once('}') {
                holes.insert(format!("{{{name}}}"));
            }
        }
        for name in m["placeholders"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k)
        {
            holes.insert(format!("placeholder {}", name.to_lowercase()));
        }
        out.insert(key.clone(), holes);
    }
    out
}

fn locale_differences(en: &Value, other: &Value) -> Vec<String> {
    let (a, b) = (locale_shape(en), locale_shape(other));
    let mut out = Vec::new();
    for k in a.keys().filter(|k| !b.contains_key(*k)) {
        out.push(format!("{k}: missing"));
    }
    for k in b.keys().filter(|k| !a.contains_key(*k)) {
        out.push(format!("{k}: not in en"));
    }
    for (k, holes) in &a {
        if let Some(theirs) = b.get(k) {
            if holes != theirs {
                out.push(format!("{k}: placeholders {holes:?} ≠ {theirs:?}"));
            }
        }
    }
    out
}

#[test]
fn every_locale_has_the_same_messages_and_placeholders() {
    let dir = root().join("extension/_locales");
    let en = json(&dir.join("en/messages.json"));
    for entry in fs::read_dir(&dir).unwrap().flatten() {
        let lang = entry.file_name().to_string_lossy().to_string();
        if lang == "en" {
            continue;
        }
        let problems = locale_differences(&en, &json(&entry.path().join("messages.json")));
        assert!(problems.is_empty(), "_locales/{lang}: {problems:#?}");
    }
}

#[test]
fn a_missing_message_or_placeholder_is_caught() {
    let en = serde_json::json!({
        "a": { "message": "Hello $NAME$", "placeholders": { "name": { "content": "$1" } } },
        "b": { "message": "{done} of {total}" },
        "c": { "message": "x" }
    });
    let fr = serde_json::json!({
        "a": { "message": "Bonjour" , "placeholders": { "name": { "content": "$1" } } },
        "b": { "message": "{done} sur {total}" }
    });
    let problems = locale_differences(&en, &fr);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].starts_with("c: missing"));
    assert!(problems[1].starts_with("a: placeholders"));
}

/// The hosts of the LibraryH3lp servers the settings offer.
fn server_hosts() -> Vec<String> {
    Server::ALL.iter().map(|s| s.host().to_string()).collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect()
}

/// What the manifest gets wrong about the servers: the content script runs on each
/// server's web client, and the module it loads is reachable from each server.
fn manifest_problems(manifest: &Value, hosts: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    let scripts = manifest["content_scripts"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let script_matches: BTreeSet<String> = scripts
        .iter()
        .flat_map(|s| strings(&s["matches"]))
        .collect();
    let want: BTreeSet<String> = hosts
        .iter()
        .map(|h| format!("https://{h}/webclient*"))
        .collect();
    if script_matches != want {
        problems.push(format!(
            "content_scripts matches {script_matches:?}, the servers need {want:?}"
        ));
    }
    let resources = manifest["web_accessible_resources"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let want: BTreeSet<String> = hosts.iter().map(|h| format!("https://{h}/*")).collect();
    for (i, r) in resources.iter().enumerate() {
        let matches: BTreeSet<String> = strings(&r["matches"]).into_iter().collect();
        if matches != want {
            problems.push(format!(
                "web_accessible_resources[{i}] matches {matches:?}, the servers need {want:?}"
            ));
        }
    }
    if resources.is_empty() {
        problems
            .push("no web_accessible_resources: the content script cannot load its module".into());
    }
    let presence = strings(&manifest["optional_host_permissions"]);
    for h in hosts {
        let covered = presence.iter().any(|p| {
            let Some(rest) = p.strip_prefix("https://") else {
                return false;
            };
            let Some((host, path)) = rest.split_once('/') else {
                return false;
            };
            path == "presence/*"
                && (host == h
                    || host
                        .strip_prefix("*.")
                        .is_some_and(|d| h.ends_with(&format!(".{d}"))))
        });
        if !covered {
            problems.push(format!(
                "optional_host_permissions do not cover https://{h}/presence/*"
            ));
        }
    }
    problems
}

#[test]
fn the_manifest_covers_exactly_the_servers_in_the_settings() {
    let problems = manifest_problems(&json(&root().join("manifest.json")), &server_hosts());
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn a_server_missing_from_the_manifest_is_caught() {
    let mut manifest = json(&root().join("manifest.json"));
    let mut hosts = server_hosts();
    hosts.push("au.libraryh3lp.com".into());
    assert_eq!(
        manifest_problems(&manifest, &hosts).len(),
        2,
        "a new server, not in the manifest"
    );
    manifest["optional_host_permissions"] =
        serde_json::json!(["https://libraryh3lp.com/presence/*"]);
    let problems = manifest_problems(&manifest, &server_hosts());
    assert_eq!(problems.len(), 4, "{problems:?}");
}

#[test]
fn every_locator_says_what_it_finds_in_every_language() {
    // The page check names each locator in the operator's language.
    let dir = root().join("extension/_locales");
    for lang in ["en", "fr"] {
        let messages = json(&dir.join(lang).join("messages.json"));
        for l in lh3_shift::core::locators::default_table() {
            let key = lh3_shift::core::catalog::locator_key(&l.id);
            let message = messages[&key]["message"].as_str().unwrap_or_default();
            assert!(
                !message.is_empty(),
                "_locales/{lang} has no {key} ({})",
                l.purpose
            );
        }
    }
}

#[test]
fn feature_ids_are_unique_and_kebab_case() {
    let mut seen = std::collections::HashSet::new();
    for info in FEATURES {
        assert!(seen.insert(info.id), "duplicate feature id {}", info.id);
        assert!(
            info.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "feature id {} is not kebab-case",
            info.id
        );
        // Its name and what it does, in the text catalog (parity between the
        // languages is checked with the locales).
        let en = json(&root().join("extension/_locales/en/messages.json"));
        for key in [info.name_key(), info.about_key()] {
            let message = en[&key]["message"].as_str().unwrap_or_default();
            assert!(!message.is_empty(), "{} has no message {key}", info.id);
        }
    }
}

/// Where a `LocalText` (a pair of English and French that a coordinator can edit) may be
/// written in code: the default settings and the presets. Everything else the product
/// says is in the catalog (`_locales`), said through `core::catalog::Said`.
const LOCAL_TEXT_HOMES: [&str; 2] = ["src/core/settings.rs", "src/core/procedure.rs"];

/// Lines that build a `LocalText` from words written in the code (`LocalText::new("…",
/// …)`, `LocalText { en: "…".into(), … }`, also with `format!`), outside test modules.
fn local_text_literals(source: &str) -> Vec<usize> {
    struct Finder(Vec<usize>);
    fn is_local_text(path: &syn::Path) -> bool {
        let names = segments(path);
        names.iter().any(|n| n == "LocalText")
    }
    fn has_words(e: &syn::Expr) -> bool {
        match e {
            syn::Expr::MethodCall(m) => has_words(&m.receiver),
            _ => literal_text(e).is_some(),
        }
    }
    impl<'ast> Visit<'ast> for Finder {
        fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
            let test_only = m.attrs.iter().any(|a| match &a.meta {
                syn::Meta::List(l) => l.path.is_ident("cfg") && l.tokens.to_string() == "test",
                _ => false,
            });
            if !test_only {
                syn::visit::visit_item_mod(self, m);
            }
        }
        fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
            if let syn::Expr::Path(p) = &*c.func {
                if is_local_text(&p.path) && c.args.iter().any(has_words) {
                    self.0.push(p.path.segments[0].ident.span().start().line);
                }
            }
            syn::visit::visit_expr_call(self, c);
        }
        fn visit_expr_struct(&mut self, s: &'ast syn::ExprStruct) {
            if is_local_text(&s.path) && s.fields.iter().any(|f| has_words(&f.expr)) {
                self.0.push(s.path.segments[0].ident.span().start().line);
            }
            syn::visit::visit_expr_struct(self, s);
        }
    }
    let mut finder = Finder(Vec::new());
    finder.visit_file(&syn::parse_file(source).expect("parses"));
    finder.0
}

#[test]
fn the_product_s_words_are_in_the_catalog_not_in_local_text_pairs() {
    let offenders: Vec<String> = scan(&["src"], |s| {
        local_text_literals(s)
            .into_iter()
            .map(|l| (String::new(), l))
            .collect()
    })
    .into_iter()
    .filter(|o| {
        !LOCAL_TEXT_HOMES
            .iter()
            .any(|h| o.starts_with(&format!("{h}:")))
    })
    .collect();
    assert!(
        offenders.is_empty(),
        "words of the product written as LocalText pairs (put them in _locales and say them \
         with core::catalog::Said): {offenders:?}"
    );
}

#[test]
fn a_local_text_pair_of_words_is_caught_and_data_and_tests_are_not() {
    let src = r#"
        fn a() -> LocalText { LocalText::new("Go back", "Revenir") }
        fn b(n: u32) -> LocalText {
            settings::LocalText { en: format!("{n} left"), fr: format!("{n} restants") }
        }
        fn c() -> LocalText { LocalText { en: "x".to_string(), fr: String::new() } }
        fn d(en: &str, fr: &str) -> LocalText { LocalText::new(en, fr) }
        fn e(s: &Suggestion) -> String { s.text.en.clone() }
        #[cfg(test)]
        mod tests { fn t() { LocalText::new("a", "b"); } }
    "#;
    assert_eq!(local_text_literals(src), vec![2, 4, 6]);
}

/// The catalog keys code names as words: `Said::new("key"`, `Said::from("key")`,
/// `t("key")`, `.get("key")` and `.fill("key"` on a catalog.
fn named_keys(source: &str) -> Vec<String> {
    // Not the test module's made-up catalogs.
    let source = source
        .split("#[cfg(test)]\nmod tests")
        .next()
        .unwrap_or_default();
    let mut out = Vec::new();
    for opener in [
        "Said::new(\"",
        "Said::from(\"",
        "t(\"",
        "words.get(\"",
        "words.fill(\"",
    ] {
        for (at, _) in source.match_indices(opener) {
            // `t(` alone, not `set(` or `at(`.
            let before = source[..at].chars().next_back().unwrap_or(' ');
            if opener.starts_with('t') && (before.is_ascii_alphanumeric() || before == '_') {
                continue;
            }
            let rest = &source[at + opener.len()..];
            let key: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if rest[key.len()..].starts_with('"') && !key.is_empty() {
                out.push(key);
            }
        }
    }
    out
}

#[test]
fn every_message_the_code_says_is_in_the_catalog() {
    let en = json(&root().join("extension/_locales/en/messages.json"));
    let mut missing = Vec::new();
    let mut named = 0;
    for p in rust_sources(&["src"]) {
        for key in named_keys(&read(&p)) {
            named += 1;
            if en.get(&key).is_none() {
                missing.push(format!("{} {key}", rel(&p)));
            }
        }
    }
    assert!(named > 300, "the keys are found ({named})");
    assert!(
        missing.is_empty(),
        "said but not in _locales/en: {missing:?}"
    );
}

/// French typography the catalog's French breaks: a narrow no-break space (U+202F)
/// before `:` (when spaced), `;`, `!` and `?`, and inside « », never a plain space there
/// (a line must not break before the sign, nor leave a guillemet alone).
fn french_typography(message: &str) -> Vec<String> {
    const NARROW: char = '\u{202f}';
    let chars: Vec<char> = message.chars().collect();
    let mut out = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        let bad = match c {
            ';' | '!' | '?' => prev != Some(NARROW),
            // Times (09:30) and addresses (https://, mailto:) are not punctuation.
            ':' => {
                prev.is_some_and(char::is_whitespace) && prev != Some(NARROW)
                    || prev.is_some_and(char::is_alphabetic)
                        && next.is_none_or(|n| n == ' ' || n == '\n')
            }
            '«' => next != Some(NARROW),
            '»' => prev != Some(NARROW),
            _ => false,
        };
        if bad {
            let from = i.saturating_sub(12);
            out.push(chars[from..(i + 2).min(chars.len())].iter().collect());
        }
    }
    out
}

#[test]
fn french_messages_keep_their_punctuation_with_its_word() {
    let fr = json(&root().join("extension/_locales/fr/messages.json"));
    let mut problems = Vec::new();
    for (key, m) in fr.as_object().unwrap() {
        let message = m["message"].as_str().unwrap_or_default();
        for at in french_typography(message) {
            problems.push(format!("{key}: …{at}…"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn a_plain_space_before_french_punctuation_is_caught() {
    assert_eq!(french_typography("Statut : disponible").len(), 1);
    assert_eq!(french_typography("Statut: disponible").len(), 1);
    assert_eq!(french_typography("Pourriez-vous vérifier?").len(), 1);
    assert_eq!(french_typography("« Away »").len(), 2);
    assert!(french_typography(
        "Statut\u{202f}: «\u{202f}Away\u{202f}»\u{202f}; à 09:30, https://x"
    )
    .is_empty());
}
