//! What a process that runs Harbor sets up before anything else, the same in both faces.

/// Prepares this process for Harbor's work. Call it first in `main`, before any thread
/// starts (both binaries do):
///
/// - keeps glibc from handing upload buffers back to the kernel between pieces (see
///   `harbor_protocol::keep_freed_buffers`; elsewhere than glibc it does nothing);
/// - seeds the TLS library's random generator on a background thread, so that a first
///   submission's handshake does not pay for it (about 30 ms of one core, run while the
///   unlock derives its key on the other).
pub fn prepare_process() {
    harbor_sync::keep_freed_buffers();
    harbor_sync::seed_random_in_background();
}
