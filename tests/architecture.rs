//! The rules of the house, read from `cargo metadata`: which crate may depend on which.
//!
//! Harbor is one service API (`harbor`) with two thin faces (the `harbor` CLI and the
//! desktop shell) over storage, NEMSIS and the wire. Cargo accepts any dependency; this
//! test fails when a dependency breaks the shape the README's "Layout" describes:
//!
//! - nothing under `crates/` depends on tauri;
//! - the two faces depend on `harbor` alone among the workspace's crates;
//! - `harbor-core` (the domain rules) does no I/O: no storage, network, async runtime or
//!   other workspace crate beneath it;
//! - the PSO server shares the wire with the agency, never its vault or its client;
//! - the wire does not depend on storage.
//!
//! Each rule is checked over every normal and build dependency, transitively, of the
//! product (dev-dependencies are the tests' business).

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

/// The workspace's dependency graph: crate name → the names of its normal and build
/// dependencies (on every platform).
struct Graph {
    deps: BTreeMap<String, BTreeSet<String>>,
    /// Workspace members: name → manifest path relative to the workspace root.
    members: BTreeMap<String, String>,
}

impl Graph {
    fn load() -> Graph {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
        let out = Command::new(cargo)
            .args(["metadata", "--format-version", "1", "--locked"])
            .current_dir(root)
            .output()
            .expect("cargo metadata runs");
        assert!(
            out.status.success(),
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let meta: Value = serde_json::from_slice(&out.stdout).expect("cargo metadata's JSON");
        let root = meta["workspace_root"].as_str().expect("workspace_root");
        let names: BTreeMap<&str, &str> = meta["packages"]
            .as_array()
            .expect("packages")
            .iter()
            .map(|p| (p["id"].as_str().unwrap(), p["name"].as_str().unwrap()))
            .collect();
        let members = meta["workspace_members"]
            .as_array()
            .expect("workspace_members")
            .iter()
            .map(|id| {
                let id = id.as_str().unwrap();
                let pkg = meta["packages"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|p| p["id"] == id)
                    .expect("a member's package");
                let manifest = pkg["manifest_path"].as_str().unwrap();
                let rel = manifest
                    .strip_prefix(root)
                    .unwrap_or(manifest)
                    .trim_start_matches('/');
                (names[id].to_owned(), rel.to_owned())
            })
            .collect();
        let mut deps = BTreeMap::new();
        for node in meta["resolve"]["nodes"].as_array().expect("resolve") {
            let name = names[node["id"].as_str().unwrap()].to_owned();
            let product: BTreeSet<String> = node["deps"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| {
                    d["dep_kinds"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|k| k["kind"].as_str() != Some("dev"))
                })
                .map(|d| names[d["pkg"].as_str().unwrap()].to_owned())
                .collect();
            deps.entry(name)
                .or_insert_with(BTreeSet::new)
                .extend(product);
        }
        Graph { deps, members }
    }

    /// Every crate `name` depends on, directly or not, with one path to it.
    fn reach(&self, name: &str) -> BTreeMap<String, Vec<String>> {
        let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut todo = vec![(name.to_owned(), vec![name.to_owned()])];
        while let Some((at, path)) = todo.pop() {
            for dep in self.deps.get(&at).into_iter().flatten() {
                if seen.contains_key(dep) {
                    continue;
                }
                let mut p = path.clone();
                p.push(dep.clone());
                seen.insert(dep.clone(), p.clone());
                todo.push((dep.clone(), p));
            }
        }
        seen
    }

    fn direct(&self, name: &str) -> &BTreeSet<String> {
        self.deps
            .get(name)
            .unwrap_or_else(|| panic!("{name} is not in the workspace's graph"))
    }

    fn is_member(&self, name: &str) -> bool {
        self.members.contains_key(name)
    }
}

/// The rules; each broken one is a line saying which rule and through which path.
fn broken_rules(g: &Graph) -> Vec<String> {
    let mut broken = Vec::new();
    let path = |p: &[String]| p.join(" → ");

    for (name, manifest) in &g.members {
        if !manifest.starts_with("crates/") {
            continue;
        }
        if let Some(p) = g.reach(name).get("tauri") {
            broken.push(format!(
                "nothing under crates/ depends on tauri: {}",
                path(p)
            ));
        }
    }

    for face in ["harbor-cli", "harbor-desktop"] {
        for dep in g.direct(face) {
            if g.is_member(dep) && dep != "harbor" {
                broken.push(format!(
                    "{face} depends on harbor alone among the workspace's crates, not on {dep}"
                ));
            }
        }
    }

    const IO: &[&str] = &[
        "rusqlite",
        "libsqlite3-sys",
        "reqwest",
        "hyper",
        "tokio",
        "rustls",
        "tauri",
        "mio",
        "socket2",
    ];
    let core = g.reach("harbor-core");
    for (dep, p) in &core {
        if IO.contains(&dep.as_str()) || g.is_member(dep) {
            broken.push(format!(
                "harbor-core does no I/O and stands on no other workspace crate: {}",
                path(p)
            ));
        }
    }

    let pso = g.reach("harbor-pso");
    for below in ["harbor-vault", "harbor-sync", "harbor"] {
        if let Some(p) = pso.get(below) {
            broken.push(format!(
                "harbor-pso shares the wire, not the agency's vault or client: {}",
                path(p)
            ));
        }
    }

    if let Some(p) = g.reach("harbor-protocol").get("harbor-vault") {
        broken.push(format!(
            "harbor-protocol (the wire) does not depend on storage: {}",
            path(p)
        ));
    }

    // The generator is for tests, the demo and benchmarks: the product's reader of real
    // ePCRs, and the wire and storage under it, never link it.
    for product in [
        "harbor-nemsis",
        "harbor-vault",
        "harbor-protocol",
        "harbor-pso",
    ] {
        if let Some(p) = g.reach(product).get("harbor-synth") {
            broken.push(format!(
                "the synthetic generator stays out of the product's reader and storage: {}",
                path(p)
            ));
        }
    }
    broken
}

#[test]
fn the_workspace_keeps_the_rules_of_the_house() {
    let g = Graph::load();
    for expected in [
        "harbor",
        "harbor-cli",
        "harbor-core",
        "harbor-desktop",
        "harbor-protocol",
        "harbor-pso",
        "harbor-synth",
    ] {
        assert!(g.is_member(expected), "{expected} is a workspace member");
    }
    let broken = broken_rules(&g);
    assert!(
        broken.is_empty(),
        "rules of the house broken:\n  {}",
        broken.join("\n  ")
    );
}

/// The checker itself: a graph that breaks every rule is caught on every rule.
#[test]
fn each_rule_catches_the_dependency_that_breaks_it() {
    let edge = |from: &str, to: &[&str]| {
        (
            from.to_owned(),
            to.iter().map(|t| (*t).to_owned()).collect::<BTreeSet<_>>(),
        )
    };
    let g = Graph {
        deps: BTreeMap::from([
            edge("harbor-cli", &["harbor", "harbor-sync"]),
            edge("harbor-desktop", &["harbor", "harbor-vault", "tauri"]),
            edge("harbor", &["harbor-vault", "harbor-sync"]),
            edge("harbor-sync", &["harbor-protocol", "reqwest"]),
            edge("harbor-vault", &["harbor-core", "rusqlite"]),
            edge("harbor-core", &["serde", "small-io"]),
            edge("small-io", &["tokio"]),
            edge("harbor-protocol", &["harbor-vault"]),
            edge("harbor-pso", &["harbor-protocol"]),
            edge("harbor-nemsis", &["tauri", "harbor-synth"]),
        ]),
        members: [
            ("harbor", "crates/harbor/Cargo.toml"),
            ("harbor-cli", "crates/harbor-cli/Cargo.toml"),
            ("harbor-core", "crates/harbor-core/Cargo.toml"),
            ("harbor-nemsis", "crates/harbor-nemsis/Cargo.toml"),
            ("harbor-protocol", "crates/harbor-protocol/Cargo.toml"),
            ("harbor-pso", "crates/harbor-pso/Cargo.toml"),
            ("harbor-sync", "crates/harbor-sync/Cargo.toml"),
            ("harbor-vault", "crates/harbor-vault/Cargo.toml"),
            ("harbor-desktop", "src-tauri/Cargo.toml"),
        ]
        .into_iter()
        .map(|(n, m)| (n.to_owned(), m.to_owned()))
        .collect(),
    };
    let broken = broken_rules(&g).join("\n");
    for expected in [
        "nothing under crates/ depends on tauri: harbor-nemsis → tauri",
        "harbor-cli depends on harbor alone among the workspace's crates, not on harbor-sync",
        "harbor-desktop depends on harbor alone among the workspace's crates, not on harbor-vault",
        "harbor-core does no I/O and stands on no other workspace crate: harbor-core → small-io → tokio",
        "harbor-pso shares the wire, not the agency's vault or client: harbor-pso → harbor-protocol → harbor-vault",
        "harbor-protocol (the wire) does not depend on storage: harbor-protocol → harbor-vault",
        "the synthetic generator stays out of the product's reader and storage: harbor-nemsis → harbor-synth",
    ] {
        assert!(
            broken.contains(expected),
            "missed {expected:?} in:\n{broken}"
        );
    }
    // The desktop shell lives outside crates/: its tauri is its own business.
    assert!(!broken.contains("nothing under crates/ depends on tauri: harbor-desktop"));
}

/// The `pub use` statements of a crate root that hand out a whole crate or module: an
/// alias of a crate (`harbor_vault as vault`, `self as core` inside braces) or a glob.
fn whole_crate_re_exports(lib_rs: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = lib_rs;
    while let Some(at) = rest.find("pub use ") {
        let stmt_end = rest[at..].find(';').map_or(rest.len(), |e| at + e);
        let stmt: String = rest[at..stmt_end]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let path = &stmt["pub use ".len()..];
        let aliases_crate =
            path.starts_with("harbor_") && !path.contains("::") && path.contains(" as ");
        if aliases_crate || stmt.contains("self as ") || stmt.contains("::*") || stmt.contains("{*")
        {
            found.push(stmt);
        }
        rest = &rest[stmt_end..];
    }
    found
}

#[test]
fn the_service_hands_the_faces_data_types_not_whole_crates() {
    let lib = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../crates/harbor/src/lib.rs"
    ))
    .expect("crates/harbor/src/lib.rs");
    let whole = whole_crate_re_exports(&lib);
    assert!(
        whole.is_empty(),
        "the service re-exports whole crates, so the faces can reach below it unseen:\n  {}",
        whole.join("\n  ")
    );
    // The checker sees each form a whole-crate re-export takes.
    let planted = "pub use harbor_protocol as protocol;\npub use harbor_core::{self as core, Action};\n\
                   pub use harbor_vault::records::*;\npub use harbor_vault::records::{Page, Record};";
    assert_eq!(
        whole_crate_re_exports(planted).len(),
        3,
        "{:?}",
        whole_crate_re_exports(planted)
    );
}
