//! Generates the Tauri context and one permission per command, so the capability file can
//! name exactly the commands the window may call.

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(harbor_desktop_commands())),
    )
    .expect("tauri-build");
}

/// Every command the shell registers; src/lib.rs's `generate_handler!` must list the same.
fn harbor_desktop_commands() -> &'static [&'static str] {
    include!("src/command_names.rs")
}
