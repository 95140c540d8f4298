//! A writer for the crash test: unlocks the vault named by HARBOR_VAULT as HARBOR_USER
//! (passphrase from HARBOR_PASSPHRASE) and creates call reviews until it is killed,
//! printing each record's id only after `create_record` has returned (committed).

use std::io::Write;

fn main() {
    let dir = std::env::var_os("HARBOR_VAULT").expect("HARBOR_VAULT");
    let user = std::env::var("HARBOR_USER").expect("HARBOR_USER");
    let pass =
        harbor::Passphrase::new(std::env::var("HARBOR_PASSPHRASE").expect("HARBOR_PASSPHRASE"));
    let mut session = harbor::unlock(std::path::Path::new(&dir), &user, &pass).expect("unlock");
    let stdout = std::io::stdout();
    for n in 0u64.. {
        let body = serde_json::json!({
            "call": {"pcr_number": format!("CRASH-{}-{n}", std::process::id()), "call_date": "2026-11-02"},
            "recommendations": "x".repeat((n % 7) as usize * 300),
        });
        let meta = session
            .create_record(harbor::RecordKind::CallReview, &body)
            .expect("create");
        let mut out = stdout.lock();
        writeln!(out, "{}", meta.id).expect("stdout");
        out.flush().expect("flush");
    }
}
