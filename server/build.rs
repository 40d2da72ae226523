// Release builds embed target/site; rebuild when it changes. Debug builds read it from disk.
fn main() {
    if std::env::var("PROFILE").as_deref() == Ok("release") {
        println!("cargo:rerun-if-changed=../target/site");
    }
    // Both backends' migrations are embedded (`sqlx::migrate!`).
    println!("cargo:rerun-if-changed=src/db/sqlite/migrations");
    println!("cargo:rerun-if-changed=src/db/postgres/migrations");
    println!("cargo:rerun-if-changed=build.rs");
}
