//! What a process that runs Harbor sets up, the same in both faces.

/// Prepares this process for Harbor's work. Call it first in `main`, before any thread
/// starts (both binaries do): keeps glibc from handing upload buffers back to the kernel
/// between pieces (see `harbor_protocol::keep_freed_buffers`; elsewhere than glibc it does
/// nothing).
pub fn prepare_process() {
    harbor_sync::keep_freed_buffers();
}

/// Seeds the TLS library's random generator on a background thread, so that a first
/// submission's handshake does not pay for it (about 30 ms of one core). Call it just
/// before an unlock that may lead to a submission: the seeding then runs on another core
/// while the unlock derives its key on this one.
pub fn warm_up_tls() {
    harbor_sync::seed_random_in_background();
}
