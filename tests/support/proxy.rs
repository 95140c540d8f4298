//! A TCP proxy in front of the PSO that cuts connections mid-transfer, as a dropped Wi-Fi
//! link or a load balancer restart would: the TLS stream breaks in the middle of a request.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

/// A proxy to `127.0.0.1:target` that cuts each of the first `cuts` connections once the
/// client has sent `cut_after` bytes on it.
pub struct CutProxy {
    /// The port it listens on.
    pub port: u16,
    cuts_done: Arc<AtomicU32>,
    bytes: Arc<AtomicU64>,
}

impl CutProxy {
    /// Starts the proxy.
    pub fn start(target: u16, cut_after: u64, cuts: u32) -> CutProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().unwrap().port();
        let cuts_done = Arc::new(AtomicU32::new(0));
        let bytes = Arc::new(AtomicU64::new(0));
        let (done, total) = (cuts_done.clone(), bytes.clone());
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let Ok(server) = TcpStream::connect(("127.0.0.1", target)) else {
                    continue;
                };
                let (done, total) = (done.clone(), total.clone());
                std::thread::spawn(move || pipe(client, server, (cut_after, cuts), &done, &total));
            }
        });
        CutProxy {
            port,
            cuts_done,
            bytes,
        }
    }

    /// How many connections it has cut.
    pub fn cuts(&self) -> u32 {
        self.cuts_done.load(Ordering::SeqCst)
    }

    /// Bytes clients sent through it.
    pub fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::SeqCst)
    }
}

fn pipe(
    mut client: TcpStream,
    server: TcpStream,
    (cut_after, cuts): (u64, u32),
    done: &AtomicU32,
    total: &AtomicU64,
) {
    let (mut server_r, mut client_w) = (server.try_clone().unwrap(), client.try_clone().unwrap());
    let back = std::thread::spawn(move || {
        let _ = std::io::copy(&mut server_r, &mut client_w);
        let _ = client_w.shutdown(Shutdown::Both);
    });
    let mut server_w = server;
    let mut sent = 0u64;
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = match client.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if sent + n as u64 > cut_after
            && done
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |d| {
                    (d < cuts).then_some(d + 1)
                })
                .is_ok()
        {
            // Forward part of this read, then cut both ways mid-request.
            let part = cut_after.saturating_sub(sent) as usize;
            let _ = server_w.write_all(&buf[..part]);
            total.fetch_add(part as u64, Ordering::SeqCst);
            break;
        }
        if server_w.write_all(&buf[..n]).is_err() {
            break;
        }
        sent += n as u64;
        total.fetch_add(n as u64, Ordering::SeqCst);
    }
    let _ = server_w.shutdown(Shutdown::Both);
    let _ = client.shutdown(Shutdown::Both);
    let _ = back.join();
}
