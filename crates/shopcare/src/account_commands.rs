//! `shopcare user add`: console accounts from the command line, and the demo's owner.
//!
//! Passwords come from stdin only (never argv, which other local users can read in the
//! process list) and are stored as argon2 hashes.

use crate::config::Settings;
use crate::storage;
use anyhow::{bail, Context};
use rand::distributions::{Alphanumeric, DistString};
use shopcare_core::{ShopId, Timestamp};
use shopcare_server::console::hash_password;
use shopcare_store::{AccountRole, Store, UserAccount};
use std::io::BufRead;
use std::process::ExitCode;
use std::sync::Arc;

/// Environment variable that fixes the demo owner's password.
pub const DEMO_PASSWORD_VARIABLE: &str = "SHOPCARE_DEMO_PASSWORD";
/// The demo owner's username.
pub const DEMO_OWNER: &str = "owner";

#[derive(clap::Subcommand)]
pub enum UserCommand {
    /// Add a console user; the password is read from stdin.
    Add {
        name: String,
        /// `owner` (every shop) or `operator` (the shops given with --shops).
        #[arg(long)]
        role: String,
        /// Comma-separated shop ids an operator may see.
        #[arg(long, value_delimiter = ',')]
        shops: Vec<String>,
        /// Read the password from the first line of stdin (required).
        #[arg(long)]
        password_stdin: bool,
        /// Store URL: sqlite://PATH (default sqlite://shopcare.db) or postgres://...
        #[arg(long)]
        db: Option<String>,
    },
}

pub async fn run(settings: &Settings, command: UserCommand) -> anyhow::Result<ExitCode> {
    match command {
        UserCommand::Add {
            name,
            role,
            shops,
            password_stdin,
            db,
        } => {
            if !password_stdin {
                bail!("pass the password on stdin with --password-stdin (never as an argument)");
            }
            let role = match AccountRole::parse(&role) {
                AccountRole::Other(other) => {
                    bail!("unknown role {other:?}: expected owner or operator")
                }
                known => known,
            };
            let shops: Vec<ShopId> = shops
                .iter()
                .map(|shop| shop.trim())
                .filter(|shop| !shop.is_empty())
                .map(ShopId::new)
                .collect();
            if role == AccountRole::Operator && shops.is_empty() {
                bail!("an operator needs --shops ID[,ID...]");
            }
            if role == AccountRole::Owner && !shops.is_empty() {
                bail!("an owner sees every shop; leave out --shops");
            }
            let mut password = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut password)
                .context("cannot read the password from stdin")?;
            let password = password.trim_end_matches(['\r', '\n']);
            let store = storage::open(settings, db.as_deref()).await?;
            for shop in &shops {
                if store.get_shop(shop).await?.is_none() {
                    eprintln!("note: shop {shop} is not in the store yet");
                }
            }
            add_user(&store, &name, password, role, shops, chrono::Utc::now()).await?;
            println!("added user {name}");
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn add_user(
    store: &Arc<dyn Store>,
    name: &str,
    password: &str,
    role: AccountRole,
    shops: Vec<ShopId>,
    now: Timestamp,
) -> anyhow::Result<()> {
    let name = name.trim();
    if name.is_empty() || name.chars().any(char::is_whitespace) {
        bail!("a username must be non-empty and without spaces");
    }
    let password_hash = hash_password(password)?;
    let created = store
        .create_user(&UserAccount {
            username: name.to_owned(),
            password_hash,
            role,
            shops,
            created_at: now,
        })
        .await?;
    if !created {
        bail!("user {name} already exists");
    }
    Ok(())
}

/// Creates the demo's owner account (password from `SHOPCARE_DEMO_PASSWORD`, else a
/// random one) and prints how to sign in. An existing owner is left as it is.
pub async fn ensure_demo_owner(store: &Arc<dyn Store>, now: Timestamp) -> anyhow::Result<()> {
    if store.get_user(DEMO_OWNER).await?.is_some() {
        println!("console: user {DEMO_OWNER} already exists (password unchanged)");
        return Ok(());
    }
    let password = match std::env::var(DEMO_PASSWORD_VARIABLE) {
        Ok(password) if !password.is_empty() => password,
        _ => Alphanumeric.sample_string(&mut rand::thread_rng(), 16),
    };
    add_user(
        store,
        DEMO_OWNER,
        &password,
        AccountRole::Owner,
        Vec::new(),
        now,
    )
    .await?;
    println!("console: sign in as {DEMO_OWNER} with password {password}");
    Ok(())
}
