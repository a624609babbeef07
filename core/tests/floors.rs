//! The library's modules stand on floors, bottom up; a module may use what
//! stands on its own floor or below, never above, so that there are no
//! module circles. This test reads every source file and checks each
//! `crate::` path outside comments and tests against the floors in
//! ARCHITECTURE.md.

use std::path::{Path, PathBuf};

/// Bottom up: each floor's top-level modules.
const FLOORS: &[&[&str]] = &[
    &["error", "text", "mynumber"],
    &["parse", "policy"],
    &["model"],
    &["table", "record", "query", "messages"],
    &["store"],
    &["audit"],
    &[
        "write",
        "register",
        "backup",
        "outfile",
        "undo",
        "policy_change",
        "checkpoint",
        "as_of",
    ],
    &["sheet", "rules", "campaign"],
    &["wire", "report", "changes", "test_backend"],
];

/// The type a floor's errors may name from the model floor: ids are data.
const ALLOWED_UPWARD: &[(&str, &str)] = &[("error", "model::AssetId")];

fn floor(module: &str) -> Option<usize> {
    FLOORS.iter().position(|floor| floor.contains(&module))
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs")
            // Test modules (`tests.rs`, `xlsx_tests.rs`) may use any floor.
            && path
                .file_name()
                .is_some_and(|n| !n.to_string_lossy().ends_with("tests.rs"))
        {
            out.push(path);
        }
    }
}

/// The top-level module a source file belongs to.
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap();
    let first = relative.components().next().unwrap();
    first
        .as_os_str()
        .to_string_lossy()
        .trim_end_matches(".rs")
        .to_owned()
}

#[test]
fn every_module_uses_only_its_floor_and_those_below() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut wrong = Vec::new();
    for file in &files {
        let module = module_of(&src, file);
        if module == "lib" {
            continue;
        }
        let own = floor(&module).unwrap_or_else(|| panic!("`{module}` is on no floor"));
        let text = std::fs::read_to_string(file).unwrap();
        // Tests may reach anywhere.
        let code = text
            .split("#[cfg(test)]")
            .next()
            .and_then(|code| code.split("#[cfg(all(test").next())
            .unwrap_or("");
        for (number, line) in code.lines().enumerate() {
            let line = line.trim_start();
            if line.starts_with("//") {
                continue;
            }
            for (at, _) in line.match_indices("crate::") {
                let path = &line[at + "crate::".len()..];
                // `crate::{a, b::c}` names several modules at once.
                let paths: Vec<&str> = match path.strip_prefix('{') {
                    Some(group) => group
                        .split(['}', ';'])
                        .next()
                        .unwrap_or("")
                        .split(',')
                        .map(str::trim)
                        .collect(),
                    None => vec![path],
                };
                for path in paths {
                    let used: String = path
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    let Some(used_floor) = floor(&used) else {
                        continue;
                    };
                    let allowed = ALLOWED_UPWARD
                        .iter()
                        .any(|(from, to)| *from == module && path.starts_with(to));
                    if used_floor > own && !allowed {
                        wrong.push(format!(
                            "{}:{}: `{module}` (floor {own}) uses `{used}` (floor {used_floor})",
                            file.display(),
                            number + 1
                        ));
                    }
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A file's module path within its crate: `rules::check` for
/// `src/rules/check.rs`, `rules` for `src/rules/mod.rs`.
fn unit_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts
        .last()
        .is_some_and(|p| p == "mod" || p == "lib" || p == "main")
    {
        parts.pop();
    }
    parts.join("::")
}

/// The units a file's code names: `crate::a::b` and `super::b` paths,
/// resolved to the longest unit that exists.
fn used_units(unit: &str, code: &str, units: &[String]) -> Vec<String> {
    let parent = unit.rsplit_once("::").map_or("", |(parent, _)| parent);
    let mut used = Vec::new();
    for line in code.lines() {
        let line = line.trim_start();
        if line.starts_with("//") {
            continue;
        }
        for (prefix, base) in [("crate::", String::new()), ("super::", parent.to_owned())] {
            for (at, _) in line.match_indices(prefix) {
                if prefix == "super::" && at > 0 && line[..at].ends_with("::") {
                    continue;
                }
                let rest = &line[at + prefix.len()..];
                let groups: Vec<&str> = match rest.strip_prefix('{') {
                    Some(group) => group
                        .split(['}', ';'])
                        .next()
                        .unwrap_or("")
                        .split(',')
                        .collect(),
                    None => vec![rest],
                };
                for path in groups {
                    let path: String = path
                        .trim()
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
                        .collect();
                    let mut full = if base.is_empty() {
                        path.clone()
                    } else {
                        format!("{base}::{path}")
                    };
                    while !full.is_empty() && !units.contains(&full) {
                        full = full
                            .rsplit_once("::")
                            .map_or(String::new(), |(p, _)| p.to_owned());
                    }
                    if !full.is_empty() && full != unit && !unit.starts_with(&format!("{full}::")) {
                        used.push(full);
                    }
                }
            }
        }
    }
    used.sort();
    used.dedup();
    used
}

// Depth-first search with colours: a grey unit met again closes a circle.
fn visit(
    at: usize,
    units: &[String],
    edges: &[Vec<String>],
    colour: &mut [u8],
    path: &mut Vec<String>,
) -> Option<Vec<String>> {
    colour[at] = 1;
    path.push(units[at].clone());
    for next in &edges[at] {
        let Some(index) = units.iter().position(|u| u == next) else {
            continue;
        };
        if colour[index] == 1 {
            let start = path.iter().position(|u| u == next).unwrap_or(0);
            let mut circle = path[start..].to_vec();
            circle.push(next.clone());
            return Some(circle);
        }
        if colour[index] == 0
            && let Some(circle) = visit(index, units, edges, colour, path)
        {
            return Some(circle);
        }
    }
    path.pop();
    colour[at] = 2;
    None
}

/// The first circle of module uses in a crate's sources, if any.
fn circle(src: &Path) -> Option<Vec<String>> {
    let mut files = Vec::new();
    sources(src, &mut files);
    let units: Vec<String> = files.iter().map(|f| unit_of(src, f)).collect();
    let edges: Vec<Vec<String>> = files
        .iter()
        .zip(&units)
        .map(|(file, unit)| {
            let text = std::fs::read_to_string(file).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            used_units(unit, code, &units)
        })
        .collect();
    let mut colour = vec![0u8; units.len()];
    for start in 0..units.len() {
        if colour[start] == 0
            && let Some(circle) = visit(start, &units, &edges, &mut colour, &mut Vec::new())
        {
            return Some(circle);
        }
    }
    None
}

#[test]
fn no_module_circles_in_the_library_the_cli_or_the_bindings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for krate in ["bindings-python/src", "core/src", "cli/src"] {
        if let Some(circle) = circle(&root.join(krate)) {
            panic!("{krate}: {}", circle.join(" → "));
        }
    }
}
