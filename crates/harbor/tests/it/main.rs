//! Integration tests of the service API (`harbor`): one test binary, one module per area.

mod attachments;
mod backup;
mod desktop;
mod disclosures;
mod encryption;
mod extraction;
mod import;
mod packets;
mod policy;
mod promote;
mod records;
mod roles;
mod support;
mod tamper;
mod unlock;
