//! Reads every CommerceML file named on the command line and prints items, seconds, MB/s and
//! the process's peak RSS: the figures `scripts/bench-parse` compares with the bare scan.
//!
//! `cargo run --release -p commerceml --example throughput -- DIR/import.xml DIR/offers.xml`

use std::fs::File;
use std::io::BufReader;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let (mut bytes, mut items) = (0u64, 0u64);
    for path in std::env::args().skip(1) {
        let file = File::open(&path)?;
        bytes += file.metadata()?.len();
        let mut reader = commerceml::Reader::new(BufReader::with_capacity(64 * 1024, file))?;
        while reader.next_item()?.is_some() {
            items += 1;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let megabytes = bytes as f64 / 1e6;
    println!(
        "commerceml: {items} items, {megabytes:.0} MB in {seconds:.3} s = {:.0} MB/s, peak RSS {} MB",
        megabytes / seconds,
        peak_rss_kb().map_or("?".into(), |kb| format!("{:.1}", kb as f64 / 1024.0)),
    );
    Ok(())
}

/// The process's high-water resident set (`VmHWM`), in KiB, where /proc exists.
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
