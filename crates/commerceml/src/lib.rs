//! A streaming reader for CommerceML 2 documents, the XML that 1C:Enterprise and MoySklad send
//! to web shops: `BufRead` in, typed items out, in constant memory.
//!
//! This crate has no database, HTTP or async dependencies so that it can be fuzzed, benchmarked
//! and published on its own.
#![forbid(unsafe_code)]
