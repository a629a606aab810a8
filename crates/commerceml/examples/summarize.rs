//! Prints what a CommerceML file holds: `cargo run -p commerceml --example summarize FILE...`

use std::fs::File;
use std::io::BufReader;

fn main() {
    for path in std::env::args().skip(1) {
        let file = match File::open(&path) {
            Ok(file) => file,
            Err(err) => {
                eprintln!("{path}: {err}");
                continue;
            }
        };
        let result = commerceml::Reader::new(BufReader::new(file)).and_then(|mut reader| {
            while reader.next_item()?.is_some() {}
            Ok((
                reader.header().clone(),
                reader.encoding(),
                reader.summary().cloned(),
            ))
        });
        match result {
            Ok((header, encoding, Some(summary))) => {
                println!(
                    "{path}: {:?} {encoding} {header:?}\n  {summary:?}",
                    summary.kind()
                );
            }
            Ok(_) => println!("{path}: no summary"),
            Err(err) => println!("{path}: {err}"),
        }
    }
}
