//! Work a submission can do before it needs it.

/// Seeds the TLS library's random generator on a background thread.
///
/// aws-lc, the cryptography under rustls, seeds its generator the first time a process
/// asks it for random bytes: about 30 ms of one core, which `harbor submit` used to pay in
/// its first TLS handshake (creating the submission took 48 ms, 17 ms with this; see
/// docs/benchmarks.md). Called before the unlock, it runs on another core while the
/// passphrase's key derivation runs on this one. The bytes themselves are thrown away.
pub fn seed_random_in_background() {
    std::thread::spawn(|| {
        let mut byte = [0u8; 1];
        let _ = aws_lc_rs::rand::fill(&mut byte);
    });
}
