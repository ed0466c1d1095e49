//! Deterministic world generation.
//!
//! Each part of the world draws from its own ChaCha8 stream (shops, orders, after-sales,
//! chats, reviews), so changing how one part is drawn does not reshuffle the others.
//! Orders follow a timeline (paid → ready to ship → collected → delivered → completed)
//! and their status is whatever stage that timeline has reached at the world's "now";
//! with a month of data that makes most orders delivered or completed, as on real shops.

use super::*;
use crate::phrases;
use chrono::NaiveTime;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const HOUR: u32 = 3_600;
const DAY: u32 = 86_400;

/// Regions shops are opened in, in order; more shops than regions cycle through them.
const REGIONS: [&str; 9] = ["US", "ID", "TH", "VN", "MY", "PH", "GB", "MX", "SG"];

/// Shop brand names, combined with the region code.
const BRANDS: [&str; 8] = [
    "Lumen Lane",
    "Harbor & Pine",
    "Kite Street",
    "Maple Drift",
    "Orchid Row",
    "Copper Finch",
    "Tidewell",
    "Sunday Parcel",
];

/// Category weights of a shop's catalogue (apparel, skincare, electronics, home, food).
const CATEGORY_WEIGHTS: [(Category, u32); 5] = [
    (Category::Apparel, 30),
    (Category::Skincare, 25),
    (Category::Electronics, 20),
    (Category::Home, 17),
    (Category::Food, 8),
];

/// Streams of the per-part generators.
const SHOP_STREAM: u64 = 1;
const ORDER_STREAM: u64 = 2;
const AFTER_SALES_STREAM: u64 = 3;
const CHAT_STREAM: u64 = 4;
const REVIEW_STREAM: u64 = 5;

fn stream(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

impl World {
    /// Generates the world of `config`. Same config, same world.
    pub fn generate(config: &WorldConfig) -> Result<World, WorldConfigError> {
        validate(config)?;
        let now = config.as_of.and_time(NaiveTime::MIN).and_utc().timestamp() as u32;
        let start = now - config.days * DAY;

        let mut shop_rng = stream(config.seed, SHOP_STREAM);
        let seller = Seller {
            open_id: format!("open_{:016x}", shop_rng.gen::<u64>()),
            name: BRANDS[shop_rng.gen_range(0..BRANDS.len())].to_string(),
            base_region: REGIONS[0].to_string(),
        };
        let orders_per_shop = config.orders / u64::from(config.shops);
        let products_per_shop = (orders_per_shop / 40).clamp(12, 60) as u32;
        let mut world = World {
            config: config.clone(),
            generated_at: now,
            seller,
            shops: Vec::with_capacity(config.shops as usize),
            products: Vec::new(),
            skus: Vec::new(),
            orders: Vec::with_capacity(config.orders as usize),
            line_items: Vec::with_capacity(config.orders as usize * 3 / 2),
            returns: Vec::new(),
            cancellations: Vec::new(),
            conversations: Vec::new(),
            messages: Vec::new(),
            custom_texts: Default::default(),
            extra_messages: Default::default(),
            reviews: Vec::new(),
        };
        for shop in 0..config.shops {
            generate_shop(&mut world, &mut shop_rng, shop, products_per_shop, start);
        }

        let mut order_rng = stream(config.seed, ORDER_STREAM);
        generate_orders(&mut world, &mut order_rng, start, now);
        let mut after_sales_rng = stream(config.seed, AFTER_SALES_STREAM);
        generate_returns_and_cancellations(&mut world, &mut after_sales_rng, now);
        let mut chat_rng = stream(config.seed, CHAT_STREAM);
        generate_conversations(&mut world, &mut chat_rng, now);
        let mut review_rng = stream(config.seed, REVIEW_STREAM);
        generate_reviews(&mut world, &mut review_rng, now);
        Ok(world)
    }
}

fn validate(config: &WorldConfig) -> Result<(), WorldConfigError> {
    if config.shops == 0 || config.shops > 1_000 {
        return Err(WorldConfigError::Shops(config.shops));
    }
    if config.orders > 20_000_000 {
        return Err(WorldConfigError::Orders(config.orders));
    }
    if config.days == 0 || config.days > 3_650 {
        return Err(WorldConfigError::Days(config.days));
    }
    let lowest = NaiveDate::from_ymd_opt(2000, 1, 1).expect("valid date");
    let highest = NaiveDate::from_ymd_opt(2100, 1, 1).expect("valid date");
    if config.as_of < lowest || config.as_of >= highest {
        return Err(WorldConfigError::AsOf(config.as_of));
    }
    Ok(())
}

fn generate_shop(
    world: &mut World,
    rng: &mut ChaCha8Rng,
    shop: u32,
    product_count: u32,
    start: u32,
) {
    let region = REGIONS[shop as usize % REGIONS.len()];
    let (time_zone, currency) = region_zone_and_currency(region);
    let languages = phrases::languages_for_region(region);
    let round = shop as usize / REGIONS.len();
    let name = if round == 0 {
        format!("{} {region}", world.seller.name)
    } else {
        format!("{} {region} {}", world.seller.name, round + 1)
    };
    let prefix = if region == "US" { "US_" } else { "ROW_" };
    let cipher = format!("{prefix}{}", random_token(rng, 27));
    let id = rng
        .gen_range(7_490_000_000_000_000_000u64..7_499_999_999_999_999_999)
        .to_string();

    let first_product = world.products.len() as u32;
    for _ in 0..product_count {
        let category = weighted(rng, &CATEGORY_WEIGHTS);
        let title = phrases::product_title(rng, category, languages[0]);
        let create_time = start - rng.gen_range(10 * DAY..400 * DAY);
        let update_time = create_time + rng.gen_range(0..9 * DAY);
        let variants = phrases::variant_names(category);
        let sku_count = rng.gen_range(1..=variants.len().min(6));
        let first_sku = world.skus.len() as u32;
        let base_cents = base_price_usd_cents(rng, category);
        let product_index = world.products.len() as u32;
        for variant in variants.choose_multiple(rng, sku_count) {
            let cents = base_cents + rng.gen_range(0..4) * 150;
            world.skus.push(Sku {
                product: product_index,
                variant,
                price_minor: local_price_minor(cents, currency),
                inventory: rng.gen_range(0..500),
            });
        }
        world.products.push(Product {
            shop: shop as u16,
            category,
            title,
            active: rng.gen_bool(0.93),
            create_time,
            update_time,
            first_sku,
            sku_count: sku_count as u8,
        });
    }
    world.shops.push(Shop {
        id,
        cipher,
        name,
        region,
        currency,
        time_zone,
        languages,
        first_product,
        product_count,
    });
}

/// IANA zone (the commercial capital's) and currency of each region in [`REGIONS`].
fn region_zone_and_currency(region: &str) -> (&'static str, &'static str) {
    match region {
        "US" => ("America/Los_Angeles", "USD"),
        "ID" => ("Asia/Jakarta", "IDR"),
        "TH" => ("Asia/Bangkok", "THB"),
        "VN" => ("Asia/Ho_Chi_Minh", "VND"),
        "MY" => ("Asia/Kuala_Lumpur", "MYR"),
        "PH" => ("Asia/Manila", "PHP"),
        "GB" => ("Europe/London", "GBP"),
        "MX" => ("America/Mexico_City", "MXN"),
        _ => ("Asia/Singapore", "SGD"),
    }
}

fn random_token(rng: &mut ChaCha8Rng, length: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    (0..length)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

fn weighted<T: Copy>(rng: &mut ChaCha8Rng, table: &[(T, u32)]) -> T {
    let total: u32 = table.iter().map(|(_, weight)| weight).sum();
    let mut pick = rng.gen_range(0..total);
    for (value, weight) in table {
        if pick < *weight {
            return *value;
        }
        pick -= weight;
    }
    table[table.len() - 1].0
}

fn base_price_usd_cents(rng: &mut ChaCha8Rng, category: Category) -> u64 {
    let dollars = match category {
        Category::Apparel => rng.gen_range(8..45),
        Category::Skincare => rng.gen_range(6..40),
        Category::Electronics => rng.gen_range(10..120),
        Category::Home => rng.gen_range(5..60),
        Category::Food => rng.gen_range(3..25),
    };
    dollars * 100
}

/// A shelf price in the shop's currency: `.99` endings where cents are usual, round
/// thousands for rupiah and dong, whole units ending in 9 for baht, pesos and pesos.
fn local_price_minor(usd_cents: u64, currency: &str) -> u64 {
    let per_dollar_hundredths: u64 = match currency {
        "GBP" => 79,
        "IDR" => 1_570_000,
        "THB" => 3_500,
        "VND" => 2_500_000,
        "MYR" => 440,
        "PHP" => 5_700,
        "SGD" => 134,
        "MXN" => 1_800,
        "EUR" => 92,
        _ => 100,
    };
    // Local price in hundredths of the local unit.
    let local_hundredths = usd_cents * per_dollar_hundredths / 100;
    match currency {
        "IDR" | "VND" => (local_hundredths / 100 / 1_000).max(1) * 1_000,
        "THB" | "PHP" | "MXN" => (local_hundredths / 1_000).max(1) * 1_000 - 100,
        _ => (local_hundredths / 100).max(1) * 100 - 1,
    }
}

fn shipping_fee_minor(rng: &mut ChaCha8Rng, currency: &str) -> u32 {
    if rng.gen_bool(0.35) {
        return 0;
    }
    let usd_cents = rng.gen_range(2..7) * 100;
    local_price_minor(usd_cents, currency) as u32
}

fn generate_orders(world: &mut World, rng: &mut ChaCha8Rng, start: u32, now: u32) {
    let count = world.config.orders as usize;
    let mut create_times: Vec<u32> = (0..count).map(|_| rng.gen_range(start..now)).collect();
    create_times.sort_unstable();

    // Bigger and smaller shops: shop k gets weight 1 + (k mod 3).
    let shop_weights: Vec<(u16, u32)> = (0..world.shops.len())
        .map(|shop| (shop as u16, 1 + (shop as u32 % 3)))
        .collect();
    let buyer_pool = (count as u32 / 2).max(10);

    for create_time in create_times {
        let shop = weighted(rng, &shop_weights);
        let order = generate_order(world, rng, shop, create_time, now, buyer_pool);
        world.orders.push(order);
    }
}

fn generate_order(
    world: &mut World,
    rng: &mut ChaCha8Rng,
    shop: u16,
    create_time: u32,
    now: u32,
    buyer_pool: u32,
) -> Order {
    let shop_value = &world.shops[shop as usize];
    let currency = shop_value.currency;
    let line_item_count: u8 = match rng.gen_range(0..100) {
        0..=69 => 1,
        70..=91 => 2,
        _ => 3,
    };
    let first_line_item = world.line_items.len() as u32;
    let first_product = shop_value.first_product;
    let product_count = shop_value.product_count;
    let mut previous_sku = None;
    let mut main_category = Category::Home;
    for position in 0..line_item_count {
        // A repeated SKU is how a quantity of two shows up (no quantity field).
        let sku = match previous_sku {
            Some(sku) if rng.gen_bool(0.3) => sku,
            _ => {
                let product =
                    &world.products[(first_product + rng.gen_range(0..product_count)) as usize];
                if position == 0 {
                    main_category = product.category;
                }
                product.first_sku + rng.gen_range(0..u32::from(product.sku_count))
            }
        };
        previous_sku = Some(sku);
        world.line_items.push(LineItem { sku });
    }
    let sub_total: u64 = (first_line_item..first_line_item + u32::from(line_item_count))
        .map(|item| world.skus[world.line_items[item as usize].sku as usize].price_minor)
        .sum();
    let shipping_fee_minor = shipping_fee_minor(rng, currency);
    let seller_discount_minor = if rng.gen_bool(0.2) {
        (sub_total * rng.gen_range(5..15) / 100) as u32
    } else {
        0
    };

    let mut order = Order {
        shop,
        status: OrderStatus::Unpaid,
        issue: OrderIssue::None,
        flags: 0,
        line_item_count,
        second_package_delay_hours: 0,
        buyer: rng.gen_range(0..buyer_pool),
        first_line_item,
        create_time,
        paid_time: 0,
        rts_sla_time: 0,
        rts_time: 0,
        collection_time: 0,
        delivery_time: 0,
        cancel_time: 0,
        update_time: create_time,
        shipping_fee_minor,
        seller_discount_minor,
    };

    // Never paid: unpaid for a day, then cancelled by the system.
    if rng.gen_bool(0.04) {
        let timeout = create_time + DAY;
        if timeout <= now {
            order.status = OrderStatus::Cancelled;
            order.cancel_time = timeout;
            order.update_time = timeout;
        }
        return order;
    }

    let paid = create_time + rng.gen_range(30..2_400);
    let hold_end = paid
        + if rng.gen_bool(0.3) {
            rng.gen_range(HOUR..4 * HOUR)
        } else {
            rng.gen_range(60..900)
        };
    let sla = paid + 2 * DAY;
    let late = rng.gen_bool(0.08);
    let rts = if late {
        sla + rng.gen_range(2 * HOUR..48 * HOUR)
    } else {
        hold_end.max(paid + rng.gen_range(HOUR..40 * HOUR))
    };
    let collection = rts + rng.gen_range(2 * HOUR..20 * HOUR);
    if line_item_count >= 2 && rng.gen_bool(0.2) {
        order.second_package_delay_hours = rng.gen_range(20..72);
    }
    let second_package_delay = u32::from(order.second_package_delay_hours) * HOUR;
    let stalled = rng.gen_bool(0.05);
    let lost = stalled && rng.gen_bool(0.4);
    let failed_attempt = rng.gen_bool(0.05);
    let mut delivery = collection + second_package_delay + rng.gen_range(DAY..5 * DAY);
    if stalled {
        delivery += rng.gen_range(4 * DAY..9 * DAY);
        order.flags |= order_flags::STALLED;
    }
    if failed_attempt {
        delivery += DAY;
        order.flags |= order_flags::FAILED_ATTEMPT;
    }
    let completed = delivery + 10 * DAY;
    let cancel_before_shipping = rng.gen_bool(0.03);
    let cancel_time = paid + rng.gen_range(HOUR..30 * HOUR);

    order.paid_time = paid.min(now);
    if paid > now {
        order.paid_time = 0;
        return order;
    }
    order.rts_sla_time = sla;
    order.update_time = paid;
    if cancel_before_shipping && cancel_time < rts && cancel_time <= now {
        order.status = OrderStatus::Cancelled;
        order.cancel_time = cancel_time;
        order.update_time = cancel_time;
        return order;
    }
    if now < hold_end {
        order.status = OrderStatus::OnHold;
        return order;
    }
    order.update_time = hold_end;
    if now < rts {
        order.status = OrderStatus::AwaitingShipment;
        return order;
    }
    order.rts_time = rts;
    order.update_time = rts;
    if late {
        order.flags |= order_flags::SHIPPED_LATE;
    }
    if second_package_delay > 0 && now < rts + second_package_delay {
        order.status = OrderStatus::PartiallyShipping;
        if now >= collection {
            order.collection_time = collection;
            order.update_time = collection;
        }
        return order;
    }
    if now < collection + second_package_delay {
        order.status = OrderStatus::AwaitingCollection;
        order.update_time = rts + second_package_delay;
        return order;
    }
    order.collection_time = collection;
    order.update_time = collection + second_package_delay;
    if lost || now < delivery {
        order.status = OrderStatus::InTransit;
        return order;
    }
    order.delivery_time = delivery;
    order.update_time = delivery;
    order.issue = draw_issue(rng, main_category);
    if now < completed {
        order.status = OrderStatus::Delivered;
        return order;
    }
    order.status = OrderStatus::Completed;
    order.update_time = completed;
    order
}

/// What went wrong after delivery; wrong variants are an apparel thing, missing
/// parts an electronics and home thing.
fn draw_issue(rng: &mut ChaCha8Rng, category: Category) -> OrderIssue {
    let (wrong_variant, missing_part) = match category {
        Category::Apparel => (30, 2),
        Category::Electronics | Category::Home => (6, 22),
        _ => (6, 6),
    };
    weighted(
        rng,
        &[
            (OrderIssue::None, 920),
            (OrderIssue::Damaged, 25),
            (OrderIssue::WrongVariant, wrong_variant),
            (OrderIssue::MissingPart, missing_part),
            (OrderIssue::PoorQuality, 30),
            (OrderIssue::NotAsDescribed, 15),
            (OrderIssue::ChangedMind, 15),
        ],
    )
}

fn generate_returns_and_cancellations(world: &mut World, rng: &mut ChaCha8Rng, now: u32) {
    for index in 0..world.orders.len() {
        let order = &world.orders[index];
        let index = index as u32;
        match order.status {
            OrderStatus::Cancelled => {
                let kind = if order.paid_time == 0 {
                    CancelKind::UnpaidTimeout
                } else if rng.gen_bool(0.6) {
                    CancelKind::Buyer
                } else {
                    CancelKind::SellerOutOfStock
                };
                if kind == CancelKind::SellerOutOfStock {
                    world.orders[index as usize].flags |= order_flags::SELLER_CANCELLED;
                }
                let order = &world.orders[index as usize];
                let create_time = if kind == CancelKind::Buyer {
                    order.cancel_time - rng.gen_range(60..2 * HOUR)
                } else {
                    order.cancel_time
                };
                let status = if kind == CancelKind::Buyer && rng.gen_bool(0.5) {
                    CancelStatus::Success
                } else {
                    CancelStatus::Complete
                };
                world.cancellations.push(Cancellation {
                    order: index,
                    kind,
                    status,
                    create_time: create_time.max(order.create_time),
                    update_time: order.cancel_time,
                    seller_deadline: 0,
                });
            }
            OrderStatus::AwaitingShipment if rng.gen_bool(0.1) => {
                // The buyer asked to cancel; the seller has 48 h to answer.
                let create_time = order
                    .update_time
                    .max(now.saturating_sub(rng.gen_range(HOUR..40 * HOUR)));
                world.cancellations.push(Cancellation {
                    order: index,
                    kind: CancelKind::Buyer,
                    status: CancelStatus::Pending,
                    create_time,
                    update_time: create_time,
                    seller_deadline: create_time + 2 * DAY,
                });
                world.orders[index as usize].flags |= order_flags::BUYER_REQUESTED_CANCEL;
            }
            status if status >= OrderStatus::InTransit && rng.gen_bool(0.01) => {
                // Asked to cancel before shipping; the seller refused and shipped.
                let create_time = order.paid_time + rng.gen_range(60..HOUR);
                world.cancellations.push(Cancellation {
                    order: index,
                    kind: CancelKind::Buyer,
                    status: CancelStatus::Cancelled,
                    create_time,
                    update_time: order.rts_time.max(create_time + 60),
                    seller_deadline: 0,
                });
                world.orders[index as usize].flags |= order_flags::BUYER_REQUESTED_CANCEL;
            }
            _ => {}
        }
        if let Some(value) = draw_return(world, rng, index, now) {
            world.returns.push(value);
        }
    }
}

fn draw_return(world: &World, rng: &mut ChaCha8Rng, index: u32, now: u32) -> Option<Return> {
    let order = &world.orders[index as usize];
    let lost_in_transit = order.status == OrderStatus::InTransit
        && order.has_flag(order_flags::STALLED)
        && order.collection_time + 5 * DAY < now;
    let (return_type, create_time) = if lost_in_transit {
        if !rng.gen_bool(0.4) {
            return None;
        }
        let create_time = order.collection_time + rng.gen_range(5 * DAY..10 * DAY);
        (ReturnType::Refund, create_time)
    } else if order.delivery_time > 0 && order.issue != OrderIssue::None {
        if order.issue != OrderIssue::ChangedMind && !rng.gen_bool(0.65) {
            return None;
        }
        let return_type = match order.issue {
            OrderIssue::Damaged => weighted(
                rng,
                &[
                    (ReturnType::Replacement, 35),
                    (ReturnType::ReturnAndRefund, 35),
                    (ReturnType::Refund, 30),
                ],
            ),
            OrderIssue::WrongVariant => weighted(
                rng,
                &[
                    (ReturnType::Replacement, 50),
                    (ReturnType::ReturnAndRefund, 50),
                ],
            ),
            OrderIssue::MissingPart => weighted(
                rng,
                &[(ReturnType::Refund, 60), (ReturnType::Replacement, 40)],
            ),
            OrderIssue::ChangedMind => ReturnType::ReturnAndRefund,
            _ => weighted(
                rng,
                &[(ReturnType::ReturnAndRefund, 70), (ReturnType::Refund, 30)],
            ),
        };
        let create_time = order.delivery_time + rng.gen_range(2 * HOUR..6 * DAY);
        (return_type, create_time)
    } else {
        return None;
    };
    if create_time >= now {
        return None;
    }
    let age = now - create_time;
    let status = draw_return_status(rng, return_type, age);
    let (update_time, seller_deadline) = match status {
        ReturnStatus::RequestPending | ReturnStatus::ReplacementPending => {
            (create_time, create_time + 2 * DAY)
        }
        ReturnStatus::BuyerShippedItem => {
            let shipped = now - rng.gen_range(HOUR..age.clamp(HOUR + 1, 60 * HOUR));
            (shipped.max(create_time), shipped.max(create_time) + 3 * DAY)
        }
        _ => {
            let span = age.clamp(2, 12 * DAY);
            (create_time + rng.gen_range(1..span), 0)
        }
    };
    let mask = if order.line_item_count > 1 && rng.gen_bool(0.6) {
        1
    } else {
        (1u8 << order.line_item_count) - 1
    };
    let items_minor: u64 = (0..u32::from(order.line_item_count))
        .filter(|position| mask & (1 << position) != 0)
        .map(|position| {
            let item = world.line_items[(order.first_line_item + position) as usize];
            world.skus[item.sku as usize].price_minor
        })
        .sum();
    let refund_minor = match (return_type, status) {
        (ReturnType::Replacement, ReturnStatus::ReplacementRefundSuccess) => items_minor,
        (ReturnType::Replacement, _) => 0,
        (_, _) if order.issue == OrderIssue::MissingPart => items_minor * 3 / 10,
        _ => items_minor,
    };
    let rejected = matches!(
        status,
        ReturnStatus::RequestReject
            | ReturnStatus::RejectReceivePackage
            | ReturnStatus::ReplacementReject
    );
    let arbitration = if rejected && rng.gen_bool(0.35) {
        rng.gen_range(1..=4)
    } else {
        0
    };
    Some(Return {
        order: index,
        return_type,
        status,
        issue: order.issue,
        line_item_mask: mask,
        arbitration,
        create_time,
        update_time,
        seller_deadline,
        refund_minor,
    })
}

/// A status fitting the return's age: fresh requests wait for the seller, old ones are settled.
fn draw_return_status(rng: &mut ChaCha8Rng, return_type: ReturnType, age: u32) -> ReturnStatus {
    use ReturnStatus::*;
    let fresh = age < 47 * HOUR;
    match return_type {
        ReturnType::Refund if fresh => weighted(rng, &[(RequestPending, 80), (RequestCancel, 20)]),
        ReturnType::Refund => weighted(
            rng,
            &[
                (RequestSuccess, 45),
                (RequestComplete, 25),
                (RequestReject, 12),
                (RequestCancel, 10),
                (AwaitingBuyerResponse, 8),
            ],
        ),
        ReturnType::ReturnAndRefund if fresh => weighted(
            rng,
            &[
                (RequestPending, 55),
                (AwaitingBuyerShip, 35),
                (BuyerShippedItem, 10),
            ],
        ),
        ReturnType::ReturnAndRefund if age < 10 * DAY => weighted(
            rng,
            &[
                (AwaitingBuyerShip, 25),
                (BuyerShippedItem, 35),
                (RequestSuccess, 15),
                (RequestReject, 10),
                (RequestCancel, 15),
            ],
        ),
        ReturnType::ReturnAndRefund => weighted(
            rng,
            &[
                (RequestComplete, 55),
                (RequestSuccess, 10),
                (RequestReject, 10),
                (RejectReceivePackage, 5),
                (RequestCancel, 20),
            ],
        ),
        ReturnType::Replacement if fresh => {
            weighted(rng, &[(ReplacementPending, 85), (ReplacementCancel, 15)])
        }
        ReturnType::Replacement => weighted(
            rng,
            &[
                (ReplacementComplete, 60),
                (ReplacementReject, 15),
                (ReplacementRefundSuccess, 15),
                (ReplacementCancel, 10),
            ],
        ),
    }
}

fn generate_conversations(world: &mut World, rng: &mut ChaCha8Rng, now: u32) {
    for index in 0..world.orders.len() as u32 {
        let order = &world.orders[index as usize];
        let category = world.products[world.skus
            [world.line_items[order.first_line_item as usize].sku as usize]
            .product as usize]
            .category;
        let stalled_now = order.status == OrderStatus::InTransit
            && order.has_flag(order_flags::STALLED)
            && order.collection_time + 4 * DAY < now;
        let chat = match order.issue {
            _ if stalled_now && rng.gen_bool(0.6) => Some((
                ChatTopic::WhereIsMyOrder,
                order.collection_time + rng.gen_range(4 * DAY..6 * DAY),
            )),
            OrderIssue::Damaged | OrderIssue::WrongVariant | OrderIssue::MissingPart
                if rng.gen_bool(0.5) =>
            {
                let topic = match order.issue {
                    OrderIssue::MissingPart => ChatTopic::MissingPart,
                    OrderIssue::WrongVariant if category == Category::Apparel => {
                        ChatTopic::SizeQuestion
                    }
                    _ => ChatTopic::Damaged,
                };
                Some((topic, order.delivery_time + rng.gen_range(HOUR..2 * DAY)))
            }
            _ if rng.gen_bool(0.06) => everyday_chat(rng, order, category),
            _ => None,
        };
        let seller_first = chat.is_none() && order.collection_time > 0 && rng.gen_bool(0.015);
        let chat = if seller_first {
            Some((ChatTopic::WhereIsMyOrder, order.collection_time + DAY))
        } else {
            chat
        };
        if let Some((topic, start)) = chat {
            if start + 60 < now {
                push_conversation(world, rng, index, topic, start, now, seller_first);
            }
        }
    }
}

/// A chat an uneventful order may still cause, fitting its stage.
fn everyday_chat(
    rng: &mut ChaCha8Rng,
    order: &Order,
    category: Category,
) -> Option<(ChatTopic, u32)> {
    if order.paid_time == 0 {
        return None;
    }
    if order.delivery_time > 0 {
        let topic = if matches!(category, Category::Skincare | Category::Electronics)
            && rng.gen_bool(0.5)
        {
            ChatTopic::HowToUse
        } else {
            ChatTopic::Thanks
        };
        return Some((topic, order.delivery_time + rng.gen_range(HOUR..3 * DAY)));
    }
    if order.collection_time > 0 {
        return Some((
            ChatTopic::WhereIsMyOrder,
            order.collection_time + rng.gen_range(DAY..3 * DAY),
        ));
    }
    let topic = if category == Category::Apparel && rng.gen_bool(0.6) {
        ChatTopic::SizeQuestion
    } else {
        ChatTopic::ChangeAddress
    };
    Some((topic, order.paid_time + rng.gen_range(300..HOUR)))
}

fn push_conversation(
    world: &mut World,
    rng: &mut ChaCha8Rng,
    order_index: u32,
    topic: ChatTopic,
    start: u32,
    now: u32,
    seller_first: bool,
) {
    let order = &world.orders[order_index as usize];
    let shop = order.shop;
    let languages = world.shops[shop as usize].languages.len();
    let language = if languages > 1 && rng.gen_bool(0.25) {
        rng.gen_range(1..languages) as u8
    } else {
        0
    };
    let conversation = world.conversations.len() as u32;
    let first_message = world.messages.len() as u32;
    let push = |world: &mut World, role, kind, topic, time: u32| {
        world.messages.push(Message {
            conversation,
            role,
            kind,
            topic,
            create_time: time,
        });
        time
    };
    let mut last = start;
    if seller_first {
        push(
            world,
            SenderRole::Shop,
            MessageKind::Generated,
            topic,
            start,
        );
        let answer = start + rng.gen_range(HOUR..20 * HOUR);
        if rng.gen_bool(0.5) && answer < now {
            last = push(
                world,
                SenderRole::Buyer,
                MessageKind::Generated,
                ChatTopic::Thanks,
                answer,
            );
        }
    } else {
        if rng.gen_bool(0.5) {
            push(
                world,
                SenderRole::Buyer,
                MessageKind::OrderCard,
                topic,
                start,
            );
        }
        last = push(
            world,
            SenderRole::Buyer,
            MessageKind::Generated,
            topic,
            start + 10,
        );
        if rng.gen_bool(0.25) {
            last = push(
                world,
                SenderRole::Robot,
                MessageKind::Generated,
                ChatTopic::Thanks,
                start + 15,
            );
        }
        // Reply delay: most within hours, some after a night (13 h) or more than a day
        // (30 h), some never.
        let delay = match rng.gen_range(0..100) {
            0..=54 => Some(rng.gen_range(120..3 * HOUR)),
            55..=62 => Some(rng.gen_range(4 * HOUR..11 * HOUR)),
            63..=74 => Some(rng.gen_range(12 * HOUR..14 * HOUR)),
            75..=84 => Some(rng.gen_range(29 * HOUR..31 * HOUR)),
            _ => None,
        };
        if let Some(delay) = delay {
            let reply = start + 10 + delay;
            if reply < now {
                last = push(
                    world,
                    SenderRole::Shop,
                    MessageKind::Generated,
                    topic,
                    reply,
                );
                let follow_up = reply + rng.gen_range(600..2 * HOUR);
                if rng.gen_bool(0.25) && follow_up < now {
                    last = push(
                        world,
                        SenderRole::Buyer,
                        MessageKind::Generated,
                        ChatTopic::Thanks,
                        follow_up,
                    );
                }
            }
        }
    }
    let message_count = world.messages.len() as u32 - first_message;
    world.conversations.push(Conversation {
        shop,
        buyer: world.orders[order_index as usize].buyer,
        order: order_index,
        topic,
        language,
        first_message,
        message_count,
        create_time: start,
        update_time: last,
    });
}

fn generate_reviews(world: &mut World, rng: &mut ChaCha8Rng, now: u32) {
    for index in 0..world.orders.len() as u32 {
        let order = &world.orders[index as usize];
        if order.delivery_time == 0 {
            continue;
        }
        let late = order.has_flag(order_flags::SHIPPED_LATE);
        let slow_delivery =
            order.has_flag(order_flags::STALLED) || order.has_flag(order_flags::FAILED_ATTEMPT);
        // Product problems weigh more than slow shipping; a change of mind is no problem.
        let product_problem = !matches!(order.issue, OrderIssue::None | OrderIssue::ChangedMind);
        let shipping_problem = late || slow_delivery;
        let review_chance = if product_problem {
            0.4
        } else if shipping_problem {
            0.3
        } else {
            0.28
        };
        if !rng.gen_bool(review_chance) {
            continue;
        }
        let created_at = order.delivery_time + rng.gen_range(6 * HOUR..12 * DAY);
        if created_at >= now {
            continue;
        }
        // Overall about 70% 5★, 15% 4★, 6% 3★, 9% 1–2★, as on real shops.
        let rating: u8 = if product_problem {
            weighted(rng, &[(1, 30), (2, 20), (3, 22), (4, 20), (5, 8)])
        } else if shipping_problem {
            weighted(rng, &[(5, 35), (4, 30), (3, 17), (2, 8), (1, 10)])
        } else {
            weighted(rng, &[(5, 840), (4, 110), (3, 25), (2, 10), (1, 15)])
        };
        let position = rng.gen_range(0..u32::from(order.line_item_count));
        let complaint = draw_complaint(rng, order, rating, late, slow_delivery);
        let languages = world.shops[order.shop as usize].languages.len();
        let language = if languages > 1 && rng.gen_bool(0.25) {
            rng.gen_range(1..languages) as u8
        } else {
            0
        };
        world.reviews.push(Review {
            order: index,
            line_item: order.first_line_item + position,
            rating,
            complaint,
            language,
            created_at,
        });
    }
}

/// The root cause a review talks about: what actually happened to the order when
/// something did, otherwise a generic complaint for low ratings.
fn draw_complaint(
    rng: &mut ChaCha8Rng,
    order: &Order,
    rating: u8,
    late: bool,
    slow_delivery: bool,
) -> Complaint {
    if rating == 5 {
        return Complaint::None;
    }
    let from_issue = match order.issue {
        OrderIssue::Damaged => Some(Complaint::Damaged),
        OrderIssue::WrongVariant => Some(Complaint::WrongVariant),
        OrderIssue::MissingPart => Some(Complaint::MissingPart),
        OrderIssue::PoorQuality => Some(Complaint::PoorQuality),
        OrderIssue::NotAsDescribed => Some(Complaint::NotAsDescribed),
        OrderIssue::ChangedMind if rating <= 3 => Some(Complaint::PriceValue),
        OrderIssue::ChangedMind | OrderIssue::None => None,
    };
    if let Some(complaint) = from_issue {
        return complaint;
    }
    if slow_delivery {
        return Complaint::StalledTracking;
    }
    if late {
        return Complaint::ShippedLate;
    }
    if rating == 4 {
        return Complaint::None;
    }
    weighted(
        rng,
        &[
            (Complaint::PoorQuality, 40),
            (Complaint::NotAsDescribed, 25),
            (Complaint::PriceValue, 20),
            (Complaint::SlowReplies, 15),
        ],
    )
}
