//! End-to-end tests: the real `harbor` binary, driven as a person or a script drives it.

mod cli;
mod contacts;
mod crash;
mod disclosures;
mod encryption;
mod import;
mod keyslots;
mod packets;
mod policy;
mod privilege;
mod promote;
mod pso;
mod throttle;
