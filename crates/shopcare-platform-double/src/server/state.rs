//! Shared server state: the world with its per-shop sorted indexes, tokens, the
//! double's clock, fault knobs, idempotency records and what the double received.

use super::webhooks::{WebhookAttempt, WebhookEvent};
use super::{DoubleConfig, Faults};
use crate::world::World;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Mutex, RwLock};
use tokio::sync::mpsc::UnboundedSender;

/// Entries of one shop's index, sorted by `(key(entry), entry)` ascending.
pub type SortedIndex = Vec<u32>;

/// Per-shop indexes sorted by time, so that a page costs a binary search plus the page.
#[derive(Default)]
pub struct ShopIndexes {
    pub orders_by_create: SortedIndex,
    pub orders_by_update: SortedIndex,
    pub returns_by_create: SortedIndex,
    pub returns_by_update: SortedIndex,
    pub cancellations_by_create: SortedIndex,
    pub cancellations_by_update: SortedIndex,
    /// Package entries are `order * 2 + package number`.
    pub packages_by_create: SortedIndex,
    pub packages_by_update: SortedIndex,
    pub products_by_update: SortedIndex,
    pub conversations_by_update: SortedIndex,
}

fn sorted_by(mut entries: Vec<u32>, key: impl Fn(u32) -> u32) -> SortedIndex {
    entries.sort_unstable_by_key(|entry| (key(*entry), *entry));
    entries
}

impl ShopIndexes {
    pub fn build(world: &World, shop: u16) -> ShopIndexes {
        let orders: Vec<u32> = (0..world.orders.len() as u32)
            .filter(|order| world.orders[*order as usize].shop == shop)
            .collect();
        let returns: Vec<u32> = (0..world.returns.len() as u32)
            .filter(|index| {
                world.orders[world.returns[*index as usize].order as usize].shop == shop
            })
            .collect();
        let cancellations: Vec<u32> = (0..world.cancellations.len() as u32)
            .filter(|index| {
                world.orders[world.cancellations[*index as usize].order as usize].shop == shop
            })
            .collect();
        let packages: Vec<u32> = orders
            .iter()
            .flat_map(|order| {
                (0..world.orders[*order as usize].package_count())
                    .map(move |number| order * 2 + number)
            })
            .collect();
        let products: Vec<u32> = (0..world.products.len() as u32)
            .filter(|product| world.products[*product as usize].shop == shop)
            .collect();
        let conversations: Vec<u32> = (0..world.conversations.len() as u32)
            .filter(|index| world.conversations[*index as usize].shop == shop)
            .collect();
        ShopIndexes {
            orders_by_create: sorted_by(orders.clone(), |order| {
                world.orders[order as usize].create_time
            }),
            orders_by_update: sorted_by(orders, |order| world.orders[order as usize].update_time),
            returns_by_create: sorted_by(returns.clone(), |index| {
                world.returns[index as usize].create_time
            }),
            returns_by_update: sorted_by(returns, |index| {
                world.returns[index as usize].update_time
            }),
            cancellations_by_create: sorted_by(cancellations.clone(), |index| {
                world.cancellations[index as usize].create_time
            }),
            cancellations_by_update: sorted_by(cancellations, |index| {
                world.cancellations[index as usize].update_time
            }),
            packages_by_create: sorted_by(packages.clone(), |entry| {
                world.package_create_time(entry / 2, entry % 2)
            }),
            packages_by_update: sorted_by(packages, |entry| {
                world.orders[(entry / 2) as usize].update_time
            }),
            products_by_update: sorted_by(products, |product| {
                world.products[product as usize].update_time
            }),
            conversations_by_update: sorted_by(conversations, |index| {
                world.conversations[index as usize].update_time
            }),
        }
    }
}

/// The world plus its indexes; replaced together under one lock.
pub struct IndexedWorld {
    pub world: World,
    pub shops: Vec<ShopIndexes>,
}

impl IndexedWorld {
    pub fn new(world: World) -> IndexedWorld {
        let shops = (0..world.shops.len() as u16)
            .map(|shop| ShopIndexes::build(&world, shop))
            .collect();
        IndexedWorld { world, shops }
    }

    /// Rebuilds one shop's indexes after a mutation changed times or statuses.
    pub fn reindex(&mut self, shop: u16) {
        self.shops[shop as usize] = ShopIndexes::build(&self.world, shop);
    }
}

#[derive(Debug, Clone)]
pub struct AccessToken {
    pub expires_at: i64,
}

#[derive(Debug, Clone)]
pub struct RefreshToken {
    pub expires_at: i64,
}

#[derive(Default)]
pub struct Tokens {
    pub access: HashMap<String, AccessToken>,
    pub refresh: HashMap<String, RefreshToken>,
    pub valid_codes: HashSet<String>,
    pub used_codes: HashSet<String>,
    pub issued: u64,
}

/// A write request the double accepted (past every check), for tests to inspect.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReceivedWrite {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub body: String,
    pub idempotency_key: Option<String>,
    /// `true` when an earlier request with the same idempotency key answered instead.
    pub replayed: bool,
}

/// A webhook address registered through the Event API.
#[derive(Debug, Clone)]
pub struct Subscription {
    pub address: String,
    pub create_time: i64,
    pub update_time: i64,
}

/// The stored answer of an idempotent write.
#[derive(Clone)]
pub struct StoredAnswer {
    pub status: u16,
    pub body: Vec<u8>,
}

pub struct Shared {
    pub app_key: String,
    pub app_secret: String,
    pub access_token_lifetime: i64,
    pub refresh_token_lifetime: i64,
    pub world: RwLock<IndexedWorld>,
    pub tokens: Mutex<Tokens>,
    pub faults: Mutex<Faults>,
    /// Seconds added to the wall clock to get the double's business clock.
    pub clock_offset: AtomicI64,
    pub idempotency: Mutex<HashMap<String, StoredAnswer>>,
    pub received_writes: Mutex<Vec<ReceivedWrite>>,
    pub webhook_sender: Option<UnboundedSender<WebhookEvent>>,
    pub webhook_attempts: Mutex<Vec<WebhookAttempt>>,
    /// Event API subscriptions by (shop index, event type).
    pub subscriptions: Mutex<HashMap<(u16, String), Subscription>>,
    pub request_counter: AtomicU64,
    pub notification_counter: AtomicU64,
}

impl Shared {
    pub fn new(
        config: &DoubleConfig,
        world: World,
        webhook_sender: Option<UnboundedSender<WebhookEvent>>,
    ) -> Shared {
        let mut tokens = Tokens::default();
        tokens.valid_codes.insert(config.seller_auth_code.clone());
        Shared {
            app_key: config.app_key.clone(),
            app_secret: config.app_secret.clone(),
            access_token_lifetime: config.access_token_lifetime_seconds,
            refresh_token_lifetime: config.refresh_token_lifetime_seconds,
            world: RwLock::new(IndexedWorld::new(world)),
            tokens: Mutex::new(tokens),
            faults: Mutex::new(config.faults.clone()),
            clock_offset: AtomicI64::new(config.clock_offset_seconds),
            idempotency: Mutex::new(HashMap::new()),
            received_writes: Mutex::new(Vec::new()),
            webhook_sender,
            webhook_attempts: Mutex::new(Vec::new()),
            subscriptions: Mutex::new(HashMap::new()),
            request_counter: AtomicU64::new(0),
            notification_counter: AtomicU64::new(0),
        }
    }

    /// The real clock, used for the request timestamp window.
    pub fn wall_now(&self) -> i64 {
        chrono::Utc::now().timestamp()
    }

    /// The double's business clock: wall clock plus the offset tests moved it by.
    pub fn now(&self) -> i64 {
        self.wall_now() + self.clock_offset.load(Ordering::Relaxed)
    }

    /// A platform-looking request id: time + a counter in hex.
    pub fn request_id(&self) -> String {
        let counter = self.request_counter.fetch_add(1, Ordering::Relaxed);
        format!(
            "{}{:020X}",
            chrono::Utc::now().format("%Y%m%d%H%M%S"),
            counter
        )
    }

    pub fn notification_id(&self) -> String {
        let counter = self.notification_counter.fetch_add(1, Ordering::Relaxed);
        format!("73{:017}", counter + 1)
    }

    /// Hands an event to the webhook sender (if a webhook URL is configured).
    pub fn emit(&self, events: Vec<WebhookEvent>) {
        if let Some(sender) = &self.webhook_sender {
            for event in events {
                // The receiver lives as long as the server; a closed channel means shutdown.
                let _ = sender.send(event);
            }
        }
    }

    pub fn read_world(&self) -> std::sync::RwLockReadGuard<'_, IndexedWorld> {
        self.world
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn write_world(&self) -> std::sync::RwLockWriteGuard<'_, IndexedWorld> {
        self.world
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Locks a mutex, recovering the data if a panicking thread poisoned it.
pub fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A new `update_time` for a mutated object: the business clock, but always after the
/// previous value so incremental syncs by `update_time` see the change.
pub fn bumped(previous: u32, now: i64) -> u32 {
    let now = u32::try_from(now.max(0)).unwrap_or(u32::MAX);
    now.max(previous + 1)
}
