//! Runs the Playwright console test (`tests/browser/console.spec.mjs`) in Debian's
//! chromium when the browser and the node modules are installed; otherwise says why
//! it was skipped. Install: `apt-get install -y chromium nodejs npm` and
//! `npm ci --prefix crates/shopcare/tests/browser`.

use std::path::Path;
use std::process::Command;

#[test]
fn console_works_in_a_real_browser() {
    let browser_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let chromium = Path::new("/usr/bin/chromium");
    let modules = browser_dir.join("node_modules/playwright-core");
    if !chromium.exists() || !modules.exists() {
        eprintln!(
            "browser test skipped: needs /usr/bin/chromium ({}) and {} ({})",
            chromium.exists(),
            modules.display(),
            modules.exists()
        );
        return;
    }
    let status = Command::new("node")
        .arg("console.spec.mjs")
        .current_dir(&browser_dir)
        .env("SHOPCARE_BIN", env!("CARGO_BIN_EXE_shopcare"))
        .status()
        .expect("node runs");
    assert!(
        status.success(),
        "the browser test failed (see its output above)"
    );
}
