//! Allocator settings for a process that streams large uploads.

/// Keeps glibc from handing the upload buffers back to the kernel between pieces.
///
/// Both ends of an upload handle a buffer of about a megabyte per piece: `harbor submit`
/// reads, seals and sends one and frees it on another thread once sent; the PSO reads a
/// piece's body into one, writes and opens it, and frees it. glibc served those from
/// `mmap` or trimmed the heap top as soon as they were freed, so every piece paid for
/// fresh, zeroed pages: 0.1 to 0.4 CPU-seconds per gigabyte in the client and about 0.15
/// in the PSO (docs/benchmarks.md). Buffers below 4 MiB now come from the heap, and up to
/// 64 MiB of freed heap is kept for reuse. Call it at the start of `main`, before any
/// thread starts. Elsewhere than glibc it does nothing.
#[allow(unsafe_code)] // the one call into the C allocator, below
pub fn keep_freed_buffers() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator parameters; it is called before other threads
    // exist, as glibc asks.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 4 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 64 << 20);
    }
}
