//! The page store's file format: any body behind a right checksum (a file damaged after its CRC
//! was written, or written by a faulty build) is read or refused, never a panic, and a page read
//! whole and read packed holds the same parts.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| server::page_cache::fuzz_read(body));
