//! Memory returned to the system after large, short-lived allocations.
//!
//! Each password hash takes a 19 MiB block (argon2id, see
//! `vitrine_core::credentials`). glibc's allocator serves a first block that
//! size with `mmap`, then raises its mmap threshold to it, so later blocks
//! come from the heap and stay in the process once freed: a burst of 32
//! concurrent logins left the server at 2.3 GB resident. With the threshold
//! fixed at 1 MiB every such block is unmapped when freed (a burst peaks
//! near 70 MB), at the cost of fresh zeroed pages per hash.

/// Fixes glibc's mmap threshold (and so disables its dynamic raise). Call
/// once at start-up, before other threads allocate.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
pub fn return_large_blocks_to_the_system() {
    const THRESHOLD: libc::c_int = 1024 * 1024;
    // SAFETY: mallopt only changes allocator parameters; it is called before
    // the runtime starts any thread, and a refusal (0) leaves the defaults.
    let set = unsafe { libc::mallopt(libc::M_MMAP_THRESHOLD, THRESHOLD) };
    if set == 0 {
        tracing::warn!("could not set the allocator's mmap threshold");
    }
}

/// Other allocators return large blocks on their own.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn return_large_blocks_to_the_system() {}
