//! The page cipher and page MAC SQLCipher runs for every page it reads or writes, through
//! aws-lc instead of OpenSSL 3.
//!
//! The algorithms, keys and bytes are SQLCipher's own (AES-256-CBC, HMAC-SHA1/256/512 over
//! the page and its number): only the library doing them changes. SQLCipher's OpenSSL 3
//! provider looked the HMAC and its digest up by name and built a fresh context for every
//! page, which cost a third as much again as the page's SHA-256 itself (`perf`, streaming a
//! gigabyte of attachments out of the vault: docs/benchmarks.md). Everything else the
//! provider does (random bytes for IVs and salts, PBKDF2, names and sizes) stays with
//! OpenSSL.
//!
//! SQLCipher lets an application "fetch the current registered provider and make minor
//! changes to it" (`sqlcipher_get_provider`). [`install`] copies the OpenSSL provider into
//! memory SQLCipher owns, puts the two functions below in the copy and registers it, once,
//! before the first database is keyed. It does so only for the SQLCipher version whose
//! `sqlcipher_provider` layout [`Provider`] declares, and only over the OpenSSL provider;
//! anything else keeps SQLCipher's own, which is slower and as correct. The tests prove
//! that both give the same bytes, and that the copy is in place with this build.
#![allow(unsafe_code)] // the provider is a C structure of C function pointers

use std::ffi::{CStr, c_char, c_int, c_void};
use std::sync::OnceLock;

/// The SQLCipher release whose provider layout [`Provider`] mirrors.
const LAYOUT_VERSION: &str = "4.19.";

const SQLITE_OK: c_int = 0;
const SQLITE_ERROR: c_int = 1;
/// `SQLCIPHER_ENCRYPT` (`SQLCIPHER_DECRYPT` is 0).
const ENCRYPT: c_int = 1;
/// `SQLCIPHER_HMAC_SHA1`, `_SHA256`, `_SHA512`.
const HMAC_SHA1: c_int = 0;
const HMAC_SHA256: c_int = 1;
const HMAC_SHA512: c_int = 2;

type Ctx = *mut c_void;
type HmacFn = unsafe extern "C" fn(
    Ctx,
    c_int,
    *const u8,
    c_int,
    *const u8,
    c_int,
    *const u8,
    c_int,
    *mut u8,
) -> c_int;
type CipherFn = unsafe extern "C" fn(
    Ctx,
    c_int,
    *const u8,
    c_int,
    *const u8,
    *const u8,
    c_int,
    *mut u8,
) -> c_int;

/// `struct sqlcipher_provider` of SQLCipher 4.19 (`src/sqlcipher.h`), field for field.
#[repr(C)]
#[derive(Clone, Copy)]
struct Provider {
    init: Option<unsafe extern "C" fn() -> c_int>,
    shutdown: Option<unsafe extern "C" fn()>,
    get_provider_name: Option<unsafe extern "C" fn(Ctx) -> *const c_char>,
    add_random: Option<unsafe extern "C" fn(Ctx, *const c_void, c_int) -> c_int>,
    random: Option<unsafe extern "C" fn(Ctx, *mut c_void, c_int) -> c_int>,
    hmac: Option<HmacFn>,
    kdf: Option<
        unsafe extern "C" fn(
            Ctx,
            c_int,
            *const u8,
            c_int,
            *const u8,
            c_int,
            c_int,
            c_int,
            *mut u8,
        ) -> c_int,
    >,
    cipher: Option<CipherFn>,
    get_cipher: Option<unsafe extern "C" fn(Ctx) -> *const c_char>,
    get_key_sz: Option<unsafe extern "C" fn(Ctx) -> c_int>,
    get_iv_sz: Option<unsafe extern "C" fn(Ctx) -> c_int>,
    get_block_sz: Option<unsafe extern "C" fn(Ctx) -> c_int>,
    get_hmac_sz: Option<unsafe extern "C" fn(Ctx, c_int) -> c_int>,
    ctx_init: Option<unsafe extern "C" fn(*mut Ctx) -> c_int>,
    ctx_free: Option<unsafe extern "C" fn(*mut Ctx) -> c_int>,
    fips_status: Option<unsafe extern "C" fn(Ctx) -> c_int>,
    get_provider_version: Option<unsafe extern "C" fn(Ctx) -> *const c_char>,
    next: *mut Provider,
}

// Linked from the SQLCipher that rusqlite bundles (libsqlite3-sys, `bundled-sqlcipher`).
unsafe extern "C" {
    fn sqlcipher_get_provider() -> *mut Provider;
    fn sqlcipher_register_provider(p: *mut Provider) -> c_int;
    fn sqlcipher_malloc(size: u64) -> *mut c_void;
    fn sqlcipher_version() -> *mut c_char;
}

/// Whether this process's SQLCipher pages go through aws-lc: installs it the first time
/// (see the module's doc). Call before keying a database; connections keyed earlier keep
/// the provider they started with.
pub fn install() -> bool {
    static INSTALLED: OnceLock<bool> = OnceLock::new();
    *INSTALLED.get_or_init(|| {
        // SAFETY: sqlite3_initialize is safe to call at any time and more than once; the
        // provider is read and registered as SQLCipher documents, under its own mutex, and
        // the copy lives in memory from sqlcipher_malloc, which SQLCipher frees with the
        // rest of its providers at shutdown.
        unsafe {
            if rusqlite::ffi::sqlite3_initialize() != SQLITE_OK || !layout_is_known() {
                return false;
            }
            let current = sqlcipher_get_provider();
            if current.is_null() || !is_openssl(&*current) {
                return false;
            }
            let copy = sqlcipher_malloc(std::mem::size_of::<Provider>() as u64).cast::<Provider>();
            if copy.is_null() {
                return false;
            }
            let mut mine = *current;
            mine.hmac = Some(page_hmac);
            mine.cipher = Some(page_cipher);
            // The OpenSSL provider needs no initialising, and is already in use; it stays
            // registered behind the copy, so its shutdown (if any) runs once, from it.
            mine.init = None;
            mine.shutdown = None;
            mine.next = std::ptr::null_mut();
            copy.write(mine);
            sqlcipher_register_provider(copy) == SQLITE_OK
        }
    })
}

/// Whether the linked SQLCipher is the release [`Provider`] describes.
fn layout_is_known() -> bool {
    // SAFETY: sqlcipher_version returns a string from sqlite3_mprintf (or NULL), freed here.
    unsafe {
        let version = sqlcipher_version();
        if version.is_null() {
            return false;
        }
        let known = CStr::from_ptr(version)
            .to_bytes()
            .starts_with(LAYOUT_VERSION.as_bytes());
        rusqlite::ffi::sqlite3_free(version.cast());
        known
    }
}

/// Whether `p` is SQLCipher's OpenSSL provider, whose cipher is AES-256-CBC.
///
/// # Safety
/// `p` must be a registered provider.
unsafe fn is_openssl(p: &Provider) -> bool {
    let (Some(name), Some(cipher)) = (p.get_provider_name, p.get_cipher) else {
        return false;
    };
    // SAFETY: the OpenSSL provider's name and cipher functions ignore their context and
    // return static strings.
    unsafe {
        let name = name(std::ptr::null_mut());
        let cipher = cipher(std::ptr::null_mut());
        !name.is_null()
            && !cipher.is_null()
            && CStr::from_ptr(name).to_bytes() == b"openssl"
            && CStr::from_ptr(cipher)
                .to_bytes()
                .eq_ignore_ascii_case(b"aes-256-cbc")
    }
}

/// A slice from SQLCipher's pointer and length, or `None` when they cannot be one.
///
/// # Safety
/// A non-null `ptr` must point to `len` readable bytes.
unsafe fn bytes<'a>(ptr: *const u8, len: c_int) -> Option<&'a [u8]> {
    let len = usize::try_from(len).ok()?;
    // SAFETY: as the caller promises.
    (!ptr.is_null()).then(|| unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// HMAC of `in1` then `in2` (the page, then its number) with `key`, written to `out`
/// (as long as the digest): SQLCipher's `hmac` provider function.
unsafe extern "C" fn page_hmac(
    _ctx: Ctx,
    algorithm: c_int,
    key: *const u8,
    key_sz: c_int,
    in1: *const u8,
    in1_sz: c_int,
    in2: *const u8,
    in2_sz: c_int,
    out: *mut u8,
) -> c_int {
    use aws_lc_rs::hmac;
    let algorithm = match algorithm {
        HMAC_SHA1 => hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY,
        HMAC_SHA256 => hmac::HMAC_SHA256,
        HMAC_SHA512 => hmac::HMAC_SHA512,
        _ => return SQLITE_ERROR,
    };
    // SAFETY: SQLCipher passes its key and page buffers with their lengths, an optional
    // second input, and an output as long as the digest (get_hmac_sz).
    unsafe {
        let (Some(key), Some(in1)) = (bytes(key, key_sz), bytes(in1, in1_sz)) else {
            return SQLITE_ERROR;
        };
        let mut mac = hmac::Context::with_key(&hmac::Key::new(algorithm, key));
        mac.update(in1);
        if !in2.is_null() {
            let Some(in2) = bytes(in2, in2_sz) else {
                return SQLITE_ERROR;
            };
            mac.update(in2);
        }
        if out.is_null() {
            return SQLITE_ERROR;
        }
        let tag = mac.sign();
        std::ptr::copy_nonoverlapping(tag.as_ref().as_ptr(), out, tag.as_ref().len());
    }
    SQLITE_OK
}

/// AES-256-CBC without padding of `in_sz` bytes (whole blocks) from `input` to `out`, with
/// `iv`, encrypting when `mode` is 1: SQLCipher's `cipher` provider function.
unsafe extern "C" fn page_cipher(
    _ctx: Ctx,
    mode: c_int,
    key: *const u8,
    key_sz: c_int,
    iv: *const u8,
    input: *const u8,
    in_sz: c_int,
    out: *mut u8,
) -> c_int {
    use aws_lc_sys::{AES_KEY, AES_cbc_encrypt, AES_set_decrypt_key, AES_set_encrypt_key};
    use zeroize::Zeroize;
    const BLOCK: usize = 16;
    let Ok(len) = usize::try_from(in_sz) else {
        return SQLITE_ERROR;
    };
    if key_sz != 32 || len % BLOCK != 0 || key.is_null() || iv.is_null() {
        return SQLITE_ERROR;
    }
    if input.is_null() || out.is_null() {
        return SQLITE_ERROR;
    }
    let mut schedule = AES_KEY {
        rd_key: [0; 60],
        rounds: 0,
    };
    // AES_cbc_encrypt advances the IV it is given: a copy, so SQLCipher's stays.
    let mut chain = [0u8; BLOCK];
    // SAFETY: the key is key_sz (32) bytes, the IV one block, and input and out are in_sz
    // bytes each (SQLCipher's page and its output buffer, which do not overlap).
    let rc = unsafe {
        std::ptr::copy_nonoverlapping(iv, chain.as_mut_ptr(), BLOCK);
        let set = if mode == ENCRYPT {
            AES_set_encrypt_key(key, 256, &mut schedule)
        } else {
            AES_set_decrypt_key(key, 256, &mut schedule)
        };
        if set == 0 {
            AES_cbc_encrypt(
                input,
                out,
                len,
                &schedule,
                chain.as_mut_ptr(),
                c_int::from(mode == ENCRYPT),
            );
            SQLITE_OK
        } else {
            SQLITE_ERROR
        }
    };
    // The key schedule is the key.
    schedule.rd_key.zeroize();
    rc
}

#[cfg(test)]
mod tests {
    use super::*;

    fn random(len: usize) -> Vec<u8> {
        let mut v = vec![0u8; len];
        getrandom::fill(&mut v).unwrap();
        v
    }

    fn is_ours(hmac: Option<HmacFn>) -> bool {
        hmac.is_some_and(|f| std::ptr::fn_addr_eq(f, page_hmac as HmacFn))
    }

    /// The provider SQLCipher set up itself (OpenSSL): the next one after ours.
    fn openssl() -> Provider {
        assert!(
            install(),
            "aws-lc page crypto is not installed with this SQLCipher"
        );
        // SAFETY: install registered our copy in front of the OpenSSL provider.
        unsafe {
            let ours = *sqlcipher_get_provider();
            assert!(is_ours(ours.hmac));
            assert!(!ours.next.is_null());
            *ours.next
        }
    }

    #[test]
    fn is_in_place_with_this_sqlcipher() {
        let theirs = openssl();
        assert!(theirs.hmac.is_some() && !is_ours(theirs.hmac));
        // A vault opened now goes through it (and so every vault test does).
        let dir = tempfile::tempdir().unwrap();
        let conn = rusqlite::Connection::open(dir.path().join("v.db")).unwrap();
        conn.execute_batch("PRAGMA key = 'k'; CREATE TABLE t(x);")
            .unwrap();
        let provider: String = conn
            .query_row("PRAGMA cipher_provider", [], |r| r.get(0))
            .unwrap();
        assert_eq!(provider, "openssl", "names stay OpenSSL's");
    }

    #[test]
    fn macs_are_openssls_for_every_algorithm() {
        let theirs = openssl().hmac.unwrap();
        for algorithm in [HMAC_SHA1, HMAC_SHA256, HMAC_SHA512] {
            for (len, second) in [(8176usize, true), (4016, true), (1, false), (65_536, true)] {
                let key = random(32);
                let page = random(len);
                let pgno = random(4);
                let (mut a, mut b) = ([0u8; 64], [0u8; 64]);
                let in2 = if second {
                    pgno.as_ptr()
                } else {
                    std::ptr::null()
                };
                // SAFETY: buffers as described; 64 bytes hold any of the digests.
                unsafe {
                    for (f, out) in [(theirs, &mut a), (page_hmac as HmacFn, &mut b)] {
                        let rc = f(
                            std::ptr::null_mut(),
                            algorithm,
                            key.as_ptr(),
                            32,
                            page.as_ptr(),
                            len as c_int,
                            in2,
                            4,
                            out.as_mut_ptr(),
                        );
                        assert_eq!(rc, SQLITE_OK);
                    }
                }
                assert_eq!(a, b, "algorithm {algorithm}, {len} bytes");
                assert_ne!(a, [0u8; 64]);
            }
        }
    }

    #[test]
    fn pages_encrypt_and_decrypt_as_openssl_does() {
        let theirs = openssl().cipher.unwrap();
        for len in [16usize, 4016, 8144, 65_488] {
            let key = random(32);
            let iv = random(16);
            let page = random(len);
            let run = |f: CipherFn, mode: c_int, input: &[u8]| {
                let mut out = vec![0u8; len];
                // SAFETY: a 32-byte key, a 16-byte IV, input and out of len bytes each.
                let rc = unsafe {
                    f(
                        std::ptr::null_mut(),
                        mode,
                        key.as_ptr(),
                        32,
                        iv.as_ptr(),
                        input.as_ptr(),
                        len as c_int,
                        out.as_mut_ptr(),
                    )
                };
                assert_eq!(rc, SQLITE_OK);
                out
            };
            let sealed = run(theirs, ENCRYPT, &page);
            assert_ne!(sealed, page);
            assert_eq!(run(page_cipher, ENCRYPT, &page), sealed, "{len} bytes");
            assert_eq!(run(page_cipher, 0, &sealed), page);
            assert_eq!(run(theirs, 0, &run(page_cipher, ENCRYPT, &page)), page);
        }
    }

    #[test]
    fn refuses_what_sqlcipher_never_asks_for() {
        let (key, iv, page) = (random(32), random(16), random(32));
        let mut out = [0u8; 64];
        // SAFETY: buffers as long as the lengths given, or refused before use.
        unsafe {
            let cipher = |key_sz: c_int, len: c_int, out: &mut [u8]| {
                page_cipher(
                    std::ptr::null_mut(),
                    0,
                    key.as_ptr(),
                    key_sz,
                    iv.as_ptr(),
                    page.as_ptr(),
                    len,
                    out.as_mut_ptr(),
                )
            };
            assert_eq!(cipher(16, 32, &mut out), SQLITE_ERROR, "AES-128 key");
            assert_eq!(cipher(32, 17, &mut out), SQLITE_ERROR, "not whole blocks");
            assert_eq!(cipher(32, -16, &mut out), SQLITE_ERROR);
            let mac = page_hmac(
                std::ptr::null_mut(),
                7,
                key.as_ptr(),
                32,
                page.as_ptr(),
                32,
                std::ptr::null(),
                0,
                out.as_mut_ptr(),
            );
            assert_eq!(mac, SQLITE_ERROR, "unknown algorithm");
        }
    }
}
