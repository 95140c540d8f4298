//! Unit tests of the generator's internals.

use super::*;

fn opts(seed: u64, count: usize) -> GeneratorOptions {
    GeneratorOptions {
        seed,
        count,
        ..GeneratorOptions::default()
    }
}

/// Every call fires exactly the rules it was built to fire (per the generator's reading of the
/// rules), so nothing fires by accident.
#[test]
fn planned_triggers_are_exactly_the_fired_ones() {
    for seed in [1u64, 2, 3] {
        let o = opts(seed, 12_000);
        for i in 0..o.count {
            let call = build::build_call(&o, i);
            let fired: Vec<String> = rules::evaluate(&call.facts)
                .into_iter()
                .map(str::to_owned)
                .collect();
            assert_eq!(
                call.facts.intended_triggers, fired,
                "seed {seed} call {i} ({}): planned vs fired",
                call.facts.scenario
            );
        }
    }
}

/// Writes a batch to `HARBOR_GEN_DIR` and prints trigger shares (run with `--ignored`).
#[test]
#[ignore = "manual: statistics and sample output"]
fn stats() {
    let count: usize = std::env::var("HARBOR_GEN_COUNT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let o = opts(42, count);
    let start = std::time::Instant::now();
    let mut bytes = 0usize;
    let mut by_rule: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_scenario: BTreeMap<String, usize> = BTreeMap::new();
    let dir = std::env::var("HARBOR_GEN_DIR").ok();
    for f in generate(&o) {
        bytes += f.xml.len();
        if let Some(d) = &dir {
            std::fs::create_dir_all(d).unwrap();
            std::fs::write(Path::new(d).join(&f.file_name), &f.xml).unwrap();
        }
        for c in &f.calls {
            *by_scenario.entry(c.scenario.clone()).or_default() += 1;
            for t in &c.intended_triggers {
                *by_rule.entry(t.clone()).or_default() += 1;
            }
        }
    }
    let el = start.elapsed();
    println!("{count} reports, {bytes} bytes in {el:?}");
    for id in TRIGGER_RULE_IDS {
        let n = by_rule.get(id).copied().unwrap_or(0);
        println!("{id:28} {n:6} {:5.1}%", n as f64 * 100.0 / count as f64);
    }
    for (s, n) in by_scenario {
        println!("  {s:28} {n:6} {:5.1}%", n as f64 * 100.0 / count as f64);
    }
}
