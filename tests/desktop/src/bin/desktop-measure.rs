//! Measures the desktop app for docs/benchmarks.md (a measurement, not a test): start to
//! the unlock screen, idle memory with the dashboard open, and the first page of a
//! 100,000-record list. Run under Xvfb with the app binary to measure:
//!
//! ```sh
//! HARBOR_DESKTOP_BIN=target/release/harbor-desktop xvfb-run -a -s "-screen 0 1920x1080x24" \
//!   cargo run --release -p harbor-desktop-e2e --bin desktop-measure -- /tmp/harbor-100k
//! ```
//!
//! The folder given holds the 100,000-record vault (made on the first run, reused after).

use harbor_desktop_e2e::{Desktop, PASSPHRASE, make_vault};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const RECORDS: usize = 100_000;

fn build_vault(dir: &Path) {
    if dir.join("vault.db").exists() {
        return;
    }
    let t = Instant::now();
    let mut s = make_vault(dir);
    let template = harbor::record_template(harbor::RecordKind::CallReview);
    let statuses = ["not_started", "in_progress", "closed"];
    for chunk in 0..(RECORDS / 10_000) {
        let inputs: Vec<serde_json::Value> = (0..10_000)
            .map(|i| {
                let n = chunk * 10_000 + i;
                let mut v = template.clone();
                v["call"]["pcr_number"] = format!("PCR-{n:07}").into();
                v["call"]["call_date"] = format!("2026-{:02}-{:02}", 1 + n % 12, 1 + n % 28).into();
                v["status"] = statuses[n % 3].into();
                v
            })
            .collect();
        s.create_records(harbor::RecordKind::CallReview, &inputs)
            .expect("records");
    }
    s.lock();
    eprintln!(
        "made {RECORDS} records in {:.1} s",
        t.elapsed().as_secs_f64()
    );
}

/// How many processes run the executable named `name`.
fn count(name: &str) -> usize {
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            std::fs::read_link(e.path().join("exe"))
                .ok()
                .is_some_and(|x| x.file_name().is_some_and(|f| f == name))
        })
        .count()
}

/// Proportional memory (KiB, shared pages divided among their users) of the processes
/// whose executable is named `name`.
fn pss_kib(name: &str) -> u64 {
    let mut total = 0;
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let path = entry.path();
        let Ok(exe) = std::fs::read_link(path.join("exe")) else {
            continue;
        };
        if exe.file_name().is_none_or(|f| f != name) {
            continue;
        }
        if let Ok(text) = std::fs::read_to_string(path.join("smaps_rollup")) {
            for line in text.lines() {
                if let Some(v) = line.strip_prefix("Pss:") {
                    total += v
                        .trim()
                        .trim_end_matches(" kB")
                        .trim()
                        .parse::<u64>()
                        .unwrap_or(0);
                }
            }
        }
    }
    total
}

/// Resident memory (KiB) of the processes whose executable is named `name`.
fn rss_kib(name: &str) -> u64 {
    let mut total = 0;
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let path = entry.path();
        let Ok(exe) = std::fs::read_link(path.join("exe")) else {
            continue;
        };
        if exe.file_name().is_none_or(|f| f != name) {
            continue;
        }
        if let Ok(status) = std::fs::read_to_string(path.join("status")) {
            for line in status.lines() {
                if let Some(v) = line.strip_prefix("VmRSS:") {
                    total += v
                        .trim()
                        .trim_end_matches(" kB")
                        .trim()
                        .parse::<u64>()
                        .unwrap_or(0);
                }
            }
        }
    }
    total
}

async fn start_to_unlock(vault: &Path) -> (f64, Desktop) {
    let t = Instant::now();
    let app = Desktop::start(vault, &[]).await;
    app.wait_text("Unlock Harbor").await;
    (t.elapsed().as_secs_f64(), app)
}

#[tokio::main]
async fn main() {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .expect("a folder for the 100,000-record vault");
    std::fs::create_dir_all(&dir).expect("folder");
    let vault = dir.join("vault");
    build_vault(&vault);

    // Start to the unlock screen, through WebDriver (an upper bound: it includes starting
    // WebKitWebDriver and the session).
    let mut starts = Vec::new();
    for _ in 0..5 {
        let (secs, app) = start_to_unlock(&vault).await;
        starts.push(secs);
        app.stop().await;
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    starts.sort_by(f64::total_cmp);
    println!(
        "start to unlock screen (via WebDriver): first {:.2} s, median of 5 {:.2} s",
        starts[0], starts[2]
    );

    // Measure memory with no earlier window still closing.
    let deadline = Instant::now() + Duration::from_secs(30);
    while (count("harbor-desktop") > 0 || count("WebKitWebProcess") > 0)
        && Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let (_, app) = start_to_unlock(&vault).await;
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert_eq!(count("harbor-desktop"), 1, "one app process measured");
    println!(
        "idle RSS, unlock screen (locked): app {} MiB, WebKit web process {} MiB, network process {} MiB",
        rss_kib("harbor-desktop") / 1024,
        rss_kib("WebKitWebProcess") / 1024,
        rss_kib("WebKitNetworkProcess") / 1024
    );
    app.fill("User name", "qa").await;
    app.fill("Passphrase", PASSPHRASE).await;
    let t = Instant::now();
    app.click("Unlock").await;
    app.wait_text("Trends by month").await;
    app.wait_text("By EMS event category").await;
    println!(
        "unlock to dashboard drawn ({RECORDS} records): {:.2} s",
        t.elapsed().as_secs_f64()
    );
    tokio::time::sleep(Duration::from_secs(10)).await;
    let app_rss = rss_kib("harbor-desktop");
    let web_rss = rss_kib("WebKitWebProcess");
    let net_rss = rss_kib("WebKitNetworkProcess");
    println!(
        "idle RSS, dashboard open: app {} MiB, WebKit web process {} MiB, network process {} MiB, total {} MiB",
        app_rss / 1024,
        web_rss / 1024,
        net_rss / 1024,
        (app_rss + web_rss + net_rss) / 1024
    );
    println!(
        "idle PSS, dashboard open: app {} MiB, WebKit web process {} MiB, network process {} MiB",
        pss_kib("harbor-desktop") / 1024,
        pss_kib("WebKitWebProcess") / 1024,
        pss_kib("WebKitNetworkProcess") / 1024
    );

    let mut paints = Vec::new();
    for _ in 0..5 {
        app.click("Dashboard").await;
        // The dashboard's counts are in (they hold the session while they run).
        app.wait_text("By EMS event category").await;
        let t = Instant::now();
        app.click("Call reviews").await;
        app.wait_text("Page 1").await;
        app.wait_text("Review of PCR").await;
        let wall = t.elapsed().as_secs_f64() * 1000.0;
        let in_page = app
            .client
            .execute("return window.__harborListPaint ?? null", vec![])
            .await
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(f64::NAN);
        paints.push((in_page, wall));
    }
    paints.sort_by(|a, b| a.0.total_cmp(&b.0));
    println!(
        "first page of the {RECORDS}-record list: request to next frame in the page median {:.1} ms (min {:.1}, max {:.1}); click to text seen via WebDriver median {:.0} ms",
        paints[2].0,
        paints[0].0,
        paints[4].0,
        {
            let mut w: Vec<f64> = paints.iter().map(|p| p.1).collect();
            w.sort_by(f64::total_cmp);
            w[2]
        }
    );
    let mut nexts = Vec::new();
    for _ in 0..5 {
        app.click("Next page").await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let v = app
            .client
            .execute("return window.__harborListPaint ?? null", vec![])
            .await
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(f64::NAN);
        nexts.push(v);
    }
    nexts.sort_by(f64::total_cmp);
    println!("next page (keyset): median {:.1} ms", nexts[2]);
    app.stop().await;
}
