//! Opening the store with its token-encryption key: `SHOPCARE_SECRET_KEY` when set,
//! else the key file, created (mode 0600) on first use.

use crate::config::Settings;
use anyhow::Context;
use shopcare_store::{open_store, SecretKey, Store};
use std::sync::Arc;

pub fn load_secret_key(settings: &Settings) -> anyhow::Result<SecretKey> {
    if let Some(key) = &settings.secret_key {
        return SecretKey::from_base64(key.expose())
            .context("SHOPCARE_SECRET_KEY is not a base64 32-byte key");
    }
    let path = &settings.secret_key_file;
    match std::fs::read_to_string(path) {
        Ok(text) => SecretKey::from_base64(text.trim())
            .with_context(|| format!("{} does not hold a base64 32-byte key", path.display())),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            let key = SecretKey::generate();
            write_private(path, &key.to_base64())
                .with_context(|| format!("cannot create the key file {}", path.display()))?;
            Ok(key)
        }
        Err(error) => Err(error).with_context(|| format!("cannot read {}", path.display())),
    }
}

fn write_private(path: &std::path::Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()
}

/// Opens the store named by `--db` (or the settings) and migrates it.
pub async fn open(settings: &Settings, db_flag: Option<&str>) -> anyhow::Result<Arc<dyn Store>> {
    let url = db_flag.unwrap_or(&settings.db);
    let key = load_secret_key(settings)?;
    open_store(url, &key)
        .await
        .with_context(|| format!("cannot open the store at {url}"))
}
