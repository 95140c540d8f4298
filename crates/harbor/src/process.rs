//! What a process that runs Harbor sets up, the same in both faces.

/// Prepares this process for Harbor's work. Call it first in `main`, before any thread
/// starts (both faces do).
///
/// It keeps glibc from handing upload buffers back to the kernel between pieces: a
/// submission reads, seals and sends about a megabyte per piece and frees it on another
/// thread once sent, and glibc served those from `mmap` or trimmed the heap top as soon as
/// they were freed, so every piece paid for fresh, zeroed pages. Buffers below 4 MiB now
/// come from the heap, and up to 64 MiB of freed heap is kept for reuse. Measured again in
/// issue 16 (docs/benchmarks.md): about 0.3 CPU-seconds less per gigabyte submitted.
/// Elsewhere than glibc it does nothing. (`harbor-pso` makes the same call for its own
/// pieces.)
#[allow(unsafe_code)] // the one call into the C allocator, below
pub fn prepare_process() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator parameters; it is called before other threads
    // exist, as glibc asks.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 4 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 64 << 20);
    }
}

/// Seeds the TLS library's random generator on a background thread, so that a first
/// submission's handshake does not pay for it (about 30 ms of one core). Call it just
/// before an unlock that may lead to a submission: the seeding then runs on another core
/// while the unlock derives its key on this one.
pub fn warm_up_tls() {
    harbor_sync::seed_random_in_background();
}
