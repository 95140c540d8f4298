//! Harbor's desktop app.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    harbor::prepare_process();
    harbor_desktop::run();
}
