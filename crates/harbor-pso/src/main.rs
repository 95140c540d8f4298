//! `harbor-pso`: run the reference PSO.

use clap::{Parser, Subcommand};
use harbor_pso::limits::Limits;
use harbor_pso::store::Store;
use std::path::PathBuf;

/// The reference PSO intake server for Harbor.
#[derive(Debug, Parser)]
#[command(name = "harbor-pso", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create the PSO's data folder and key pair.
    Init {
        /// The data folder.
        #[arg(long)]
        data: PathBuf,
    },
    /// Manage agencies.
    #[command(subcommand)]
    Agency(AgencyCommand),
    /// Serve the intake API over HTTPS.
    Serve {
        /// The data folder.
        #[arg(long)]
        data: PathBuf,
        /// Address to listen on (port 0 picks a free port).
        #[arg(long, default_value = "127.0.0.1:8443")]
        listen: String,
        /// TLS certificate (PEM).
        #[arg(long, requires = "tls_key", conflicts_with = "self_signed")]
        tls_cert: Option<PathBuf>,
        /// TLS private key (PEM).
        #[arg(long)]
        tls_key: Option<PathBuf>,
        /// Use a self-signed certificate, written to DATA/tls/cert.pem for clients to trust.
        #[arg(long)]
        self_signed: bool,
        #[command(flatten)]
        limits: LimitArgs,
        /// Also serve `PUT /bench/sink`, which reads and discards a request body of any
        /// size: the plain TLS upload the submission benchmark compares against. Never
        /// for production.
        #[arg(long)]
        bench_sink: bool,
    },
    /// Show what arrived.
    #[command(subcommand)]
    Submissions(SubmissionsCommand),
}

/// What one agency may hold of the server (see `docs/protocol.md`, "Limits").
#[derive(Debug, clap::Args)]
struct LimitArgs {
    /// Items one manifest may declare.
    #[arg(long, default_value_t = Limits::default().max_items)]
    max_items: usize,
    /// Attachments one manifest may declare.
    #[arg(long, default_value_t = Limits::default().max_attachments)]
    max_attachments: usize,
    /// Largest snapshot an item may declare, in bytes.
    #[arg(long, default_value_t = Limits::default().max_item_bytes)]
    max_item_bytes: u64,
    /// Largest attachment a manifest may declare, in bytes.
    #[arg(long, default_value_t = Limits::default().max_attachment_bytes)]
    max_attachment_bytes: u64,
    /// Submissions one agency may have open at once (more: 429 `quota_exceeded`).
    #[arg(long, default_value_t = Limits::default().max_open_submissions)]
    max_open_submissions: u64,
    /// Sealed bytes one agency's open submissions may declare together.
    #[arg(long, default_value_t = Limits::default().max_open_bytes)]
    max_open_bytes: u64,
    /// Seconds a submission may stay open before it is discarded with its parts.
    #[arg(long, default_value_t = Limits::default().open_expiry.as_secs())]
    open_expiry_secs: u64,
    /// Seconds one request may take, body included (then 408).
    #[arg(long, default_value_t = Limits::default().request_timeout.as_secs())]
    request_timeout_secs: u64,
    /// Connections served at once; past that a new one is closed at once.
    #[arg(long, default_value_t = Limits::default().max_connections)]
    max_connections: usize,
}

impl LimitArgs {
    fn limits(&self) -> Limits {
        Limits {
            max_items: self.max_items,
            max_attachments: self.max_attachments,
            max_item_bytes: self.max_item_bytes,
            max_attachment_bytes: self.max_attachment_bytes,
            max_open_submissions: self.max_open_submissions,
            max_open_bytes: self.max_open_bytes,
            open_expiry: std::time::Duration::from_secs(self.open_expiry_secs),
            request_timeout: std::time::Duration::from_secs(self.request_timeout_secs),
            max_connections: self.max_connections,
        }
    }
}

#[derive(Debug, Subcommand)]
enum AgencyCommand {
    /// Add an agency; prints its enrolment token once.
    Add {
        /// The agency's name.
        name: String,
        /// The data folder.
        #[arg(long)]
        data: PathBuf,
    },
    /// Replace an agency's token (the old one stops working); prints the new one once.
    /// The agency then enrols again with it (`harbor pso enroll`), keeping its signing key.
    Token {
        /// The agency's id (as `agency add` printed it).
        agency_id: String,
        /// The data folder.
        #[arg(long)]
        data: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum SubmissionsCommand {
    /// List every stored item (decrypted) and its attachments, for a PSO analyst.
    List {
        /// The data folder.
        #[arg(long)]
        data: PathBuf,
        /// Also write each attachment's content into this folder, named by its blob id.
        #[arg(long)]
        attachments_out: Option<PathBuf>,
    },
}

/// Keeps glibc from handing each piece's buffer back to the kernel once it is freed: every
/// piece's megabyte had been fresh zeroed pages (page faults and clearing were 5% of the
/// PSO's profile; docs/benchmarks.md). Below 4 MiB from the heap, up to 64 MiB of freed
/// heap kept. Called first in `main`, before any thread starts; elsewhere than glibc it
/// does nothing.
#[allow(unsafe_code)] // the one call into the C allocator, below
fn keep_freed_buffers() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator parameters; no other thread exists yet.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 4 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 64 << 20);
    }
}

fn main() {
    keep_freed_buffers();
    if let Err(e) = run(Cli::parse()) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error>> {
    match cli.command {
        Command::Init { data } => {
            let store = Store::init(&data)?;
            println!(
                "PSO created in {}; receiving key {}",
                data.display(),
                store.keys.receive_public_hex()
            );
        }
        Command::Agency(AgencyCommand::Add { name, data }) => {
            let store = Store::open(&data)?;
            let (agency, token) = store.add_agency(&name)?;
            println!("agency {} ({})", agency.id, agency.name);
            println!("enrolment token (shown once): {token}");
        }
        Command::Agency(AgencyCommand::Token { agency_id, data }) => {
            let store = Store::open(&data)?;
            let token = store
                .rotate_token(&agency_id)?
                .ok_or_else(|| format!("no agency {agency_id}"))?;
            println!("enrolment token (shown once): {token}");
        }
        Command::Submissions(SubmissionsCommand::List {
            data,
            attachments_out,
        }) => {
            let store = Store::open(&data)?;
            let attachments = store.stored_attachments()?;
            if let Some(dir) = &attachments_out {
                std::fs::create_dir_all(dir)?;
            }
            let mut manifests = std::collections::HashMap::new();
            for i in store.stored_items()? {
                if !manifests.contains_key(&i.submission_id) {
                    let m = store.manifest(&i.submission_id)?;
                    manifests.insert(i.submission_id.clone(), m);
                }
                let amends = manifests[&i.submission_id]
                    .manifest
                    .items
                    .iter()
                    .find(|m| m.item_id == i.item_id)
                    .and_then(|m| m.amends.as_deref())
                    .map(|a| format!(" amends {a}"))
                    .unwrap_or_default();
                println!(
                    "{} {} {} {} {}{amends}\n  {}",
                    i.submission_id, i.agency_id, i.item_id, i.kind, i.record_id, i.snapshot
                );
                for a in attachments.iter().filter(|a| a.item_id == i.item_id) {
                    println!(
                        "  attachment {} ({}, {} bytes, sha256 {}) blob {}",
                        a.attachment_id, a.media_type, a.size, a.sha256, a.blob_id
                    );
                    if let Some(dir) = &attachments_out {
                        // The file is named by the blob id only once it parses as a UUID,
                        // in the text form this side writes: an id the agency chose is
                        // never a path. (Intake refuses such ids; a store from before
                        // that check may still hold one.)
                        let Some(name) = uuid::Uuid::parse_str(&a.blob_id)
                            .ok()
                            .map(|u| u.hyphenated().to_string())
                            .filter(|n| *n == a.blob_id)
                        else {
                            eprintln!(
                                "harbor-pso: attachment {} not written: its blob id is not a UUID",
                                a.attachment_id.escape_debug()
                            );
                            continue;
                        };
                        let mut file = std::fs::File::create_new(dir.join(name))?;
                        store.write_attachment(&a.blob_id, &mut file)?;
                    }
                }
            }
        }
        Command::Serve {
            data,
            listen,
            tls_cert,
            tls_key,
            self_signed,
            limits,
            bench_sink,
        } => {
            let store = Store::open(&data)?;
            let (cert, key) = match (tls_cert, tls_key, self_signed) {
                (Some(c), Some(k), false) => (c, k),
                (None, None, true) => harbor_pso::tls::self_signed(&data)?,
                _ => return Err("give --tls-cert and --tls-key, or --self-signed".into()),
            };
            let runtime = tokio::runtime::Runtime::new()?;
            runtime.block_on(async move {
                let config =
                    axum_server::tls_rustls::RustlsConfig::from_pem_file(&cert, &key).await?;
                let listener = std::net::TcpListener::bind(&listen)?;
                listener.set_nonblocking(true)?;
                let addr = listener.local_addr()?;
                println!("listening on https://{addr}");
                if cfg!(feature = "fault-injection") {
                    eprintln!(
                        "harbor-pso: a test build: it answers with the faults HARBOR_PSO_FAULTS names"
                    );
                }
                let max_connections = limits.max_connections;
                let shared = harbor_pso::api::Shared::with_limits(store, limits.limits());
                // Submissions left open too long go, now and every minute.
                let expiring = shared.clone();
                tokio::spawn(async move {
                    let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
                    loop {
                        every.tick().await;
                        let shared = expiring.clone();
                        let done = tokio::task::spawn_blocking(move || shared.expire_open()).await;
                        match done {
                            Ok(Ok(0)) => {}
                            Ok(Ok(n)) => {
                                eprintln!("harbor-pso: discarded {n} expired open submissions")
                            }
                            Ok(Err(e)) => {
                                eprintln!("harbor-pso: cannot discard expired submissions: {e}")
                            }
                            Err(e) => eprintln!("harbor-pso: expiry stopped: {e}"),
                        }
                    }
                });
                let mut app = harbor_pso::api::router(shared);
                if bench_sink {
                    app = app.merge(harbor_pso::api::bench_sink());
                }
                // TCP_NODELAY: each chunk's small answer goes out at once, not after the
                // client's delayed ACK (tens of milliseconds per request otherwise).
                let acceptor = harbor_pso::cap::CappedAcceptor::new(
                    axum_server::tls_rustls::RustlsAcceptor::new(config)
                        .acceptor(axum_server::accept::NoDelayAcceptor::new()),
                    max_connections,
                );
                axum_server::from_tcp(listener)?
                    .acceptor(acceptor)
                    .serve(app.into_make_service())
                    .await?;
                Ok::<(), Box<dyn std::error::Error>>(())
            })?;
        }
    }
    Ok(())
}
