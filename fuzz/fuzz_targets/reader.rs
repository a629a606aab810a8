//! Any bytes through the CommerceML reader: it may refuse them, it must never panic, hang or
//! grow without bound.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = commerceml::Limits {
        max_token_bytes: 1 << 16,
        max_text_bytes: 1 << 16,
        ..Default::default()
    };
    if let Ok(reader) = commerceml::Reader::with_limits(data, limits) {
        for item in reader {
            if item.is_err() {
                break;
            }
        }
    }
});
