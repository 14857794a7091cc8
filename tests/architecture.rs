//! The shape of the code: no import cycle among the modules of `src/`.
use std::process::Command;

#[test]
fn modules_have_no_import_cycle() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/module_cycles.py");
    let output = Command::new("python3")
        .arg(script)
        .output()
        .unwrap_or_else(|e| panic!("failed to run {script} (is python3 installed?): {e}"));
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
