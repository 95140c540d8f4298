//! TLS: a certificate from files, or a self-signed one for tests and demos.

use std::path::{Path, PathBuf};

/// Writes a self-signed certificate for `localhost` and `127.0.0.1` into `dir/tls/`
/// (kept across restarts; the key `0600` in a `0700` folder) and returns (cert path, key
/// path).
pub fn self_signed(dir: &Path) -> std::io::Result<(PathBuf, PathBuf)> {
    let tls = dir.join("tls");
    let cert_path = tls.join("cert.pem");
    let key_path = tls.join("key.pem");
    if !cert_path.exists() || !key_path.exists() {
        crate::private::create_dir(&tls)?;
        let cert = rcgen::generate_simple_self_signed(vec![
            "localhost".to_owned(),
            "127.0.0.1".to_owned(),
        ])
        .map_err(std::io::Error::other)?;
        // A new pair (a certificate left without its key is replaced with both).
        let _ = std::fs::remove_file(&cert_path);
        let _ = std::fs::remove_file(&key_path);
        crate::private::write_new_secret(&cert_path, cert.cert.pem().as_bytes())?;
        crate::private::write_new_secret(&key_path, cert.signing_key.serialize_pem().as_bytes())?;
    }
    Ok((cert_path, key_path))
}
