// The migrations are compiled in (`sqlx::migrate!`): a new or changed file must rebuild the
// crate, which cargo does not know without this.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
