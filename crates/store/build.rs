//! `sqlx::migrate!` embeds the migration folders at compile time but does
//! not tell Cargo to watch them, so a new migration file would be left out
//! of an incremental build (sqlx documents this build script for it).
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
