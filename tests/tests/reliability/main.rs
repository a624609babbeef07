//! The reliability and security battery (issue 6): each module proves one
//! guarantee of SECURITY.md and RELIABILITY.md, with bounded trial counts so
//! that it fits the CI budget. The figures are in RELIABILITY.md.

// Bad input: a clear error naming where and why, no panic, nothing written.
mod bad_input;
// Backups taken and restored through the CLI and the library, also while another process writes.
mod backup;
// Concurrent writers (threads and processes): no lost update, no "database is locked".
mod concurrency;
// Processes killed with SIGKILL mid-write leave a sound, all-or-nothing register.
mod crash;
// The fuzz targets' laws, replayed on the committed seed corpora (stable toolchain).
mod fuzz_seeds;
// Outputs (issue 11): never the register, never through a link, owner-only, formula- and terminal-safe.
mod outputs;
// Personal numbers and limits: a 個人番号 refused everywhere and masked in messages, oversized input refused.
mod privacy;
// Round-trip laws: id, level and date parse ↔ display; CSV export → import → export.
mod properties;
// Security hygiene: owner-only files, the actor on every change, hostile text kept as data.
mod security;
// Shared helpers: a seeded generator, registers with sample assets, the history checks.
mod support;
