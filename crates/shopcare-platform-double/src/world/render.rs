//! Platform-shaped JSON for the world's objects, built on demand.
//!
//! The views here borrow from the [`World`] and serialize straight into a byte buffer
//! (no `serde_json::Value`), which keeps serving and file writing fast. The same views
//! serve the API and the files; files add `shop_id`.

use super::*;
use serde::{Serialize, Serializer};
use std::fmt;

/// Arbitration states, indexed by [`Return::arbitration`] (0 = none).
pub const ARBITRATION_STATUSES: [&str; 5] = [
    "",
    "IN_PROGRESS",
    "SUPPORT_BUYER",
    "SUPPORT_SELLER",
    "CLOSED",
];

/// A numeric id rendered as a JSON string.
#[derive(Clone, Copy)]
pub struct Id(pub u64);

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_short(&self.0, serializer)
    }
}

/// Room for the short strings rendered without a heap allocation (ids, amounts, codes).
const SHORT_CAPACITY: usize = 96;

/// A stack buffer for [`serialize_short`]; refuses writes beyond its capacity.
struct ShortBuffer {
    bytes: [u8; SHORT_CAPACITY],
    len: usize,
}

impl fmt::Write for ShortBuffer {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        let end = self.len + text.len();
        if end > SHORT_CAPACITY {
            return Err(fmt::Error);
        }
        self.bytes[self.len..end].copy_from_slice(text.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Serializes a short `Display` value as a JSON string. Rendering JSON is the hot
/// path of order search and file writing, so this avoids both a heap string and
/// serde's character-by-character `collect_str`.
fn serialize_short<S: Serializer>(
    value: &dyn fmt::Display,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut buffer = ShortBuffer {
        bytes: [0; SHORT_CAPACITY],
        len: 0,
    };
    match fmt::write(&mut buffer, format_args!("{value}")) {
        // Only whole `str`s were copied in, so the bytes are UTF-8.
        Ok(()) => match std::str::from_utf8(&buffer.bytes[..buffer.len]) {
            Ok(text) => serializer.serialize_str(text),
            Err(_) => serializer.collect_str(value),
        },
        Err(_) => serializer.collect_str(value),
    }
}

/// A short `Display` value serialized as a JSON string without allocating.
pub struct Short<T>(pub T);

impl<T: fmt::Display> Serialize for Short<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_short(&self.0, serializer)
    }
}

/// A seller SKU code such as `AP-12-3` (category, product, variant position).
pub struct SellerSku {
    prefix: &'static str,
    product: u32,
    position: u32,
}

impl fmt::Display for SellerSku {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "{}-{}-{}",
            self.prefix, self.product, self.position
        )
    }
}

/// The image URL of a SKU id.
pub struct SkuImage(pub u64);

impl fmt::Display for SkuImage {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "https://images.shopcare.invalid/sku/{}.jpg",
            self.0
        )
    }
}

/// The tracking number of a package, by its global package number.
pub struct TrackingNumber(pub u64);

impl fmt::Display for TrackingNumber {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "SCT{:012}", self.0)
    }
}

/// An amount in minor units rendered as a decimal string (`"12.99"`, `"129000"`).
#[derive(Clone, Copy)]
pub struct Amount {
    pub minor: u64,
    pub decimals: u32,
}

impl Amount {
    pub fn new(minor: u64, currency: &str) -> Amount {
        Amount {
            minor,
            decimals: World::currency_decimals(currency),
        }
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.decimals == 0 {
            write!(formatter, "{}", self.minor)
        } else {
            let unit = 10u64.pow(self.decimals);
            write!(
                formatter,
                "{}.{:0width$}",
                self.minor / unit,
                self.minor % unit,
                width = self.decimals as usize
            )
        }
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_short(self, serializer)
    }
}

fn non_zero(value: u32) -> Option<u32> {
    (value != 0).then_some(value)
}

// ---------------------------------------------------------------------------------
// Small derived facts

impl World {
    pub fn buyer_user_id(buyer: u32) -> u64 {
        BUYER_ID_BASE + u64::from(buyer)
    }

    pub fn sku_id(sku: u32) -> u64 {
        SKU_ID_BASE + u64::from(sku)
    }

    pub fn product_id(product: u32) -> u64 {
        PRODUCT_ID_BASE + u64::from(product)
    }

    pub fn line_item_id(line_item: u32) -> u64 {
        LINE_ITEM_ID_BASE + u64::from(line_item)
    }

    pub fn return_id(index: u32) -> u64 {
        RETURN_ID_BASE + u64::from(index)
    }

    pub fn cancel_id(index: u32) -> u64 {
        CANCEL_ID_BASE + u64::from(index)
    }

    pub fn conversation_id(index: u32) -> u64 {
        CONVERSATION_ID_BASE + u64::from(index)
    }

    pub fn message_id(index: u32) -> u64 {
        MESSAGE_ID_BASE + u64::from(index)
    }

    pub fn review_id(index: u32) -> u64 {
        REVIEW_ID_BASE + u64::from(index)
    }

    pub fn seller_sku(&self, sku: u32) -> String {
        self.seller_sku_code(sku).to_string()
    }

    pub fn seller_sku_code(&self, sku: u32) -> SellerSku {
        let value = &self.skus[sku as usize];
        let product = &self.products[value.product as usize];
        let prefix = match product.category {
            Category::Apparel => "AP",
            Category::Skincare => "SK",
            Category::Electronics => "EL",
            Category::Home => "HO",
            Category::Food => "FD",
        };
        SellerSku {
            prefix,
            product: value.product,
            position: sku - product.first_sku,
        }
    }

    pub fn tracking_number(order: u32, package: u32) -> String {
        World::tracking_code(order, package).to_string()
    }

    pub fn tracking_code(order: u32, package: u32) -> TrackingNumber {
        TrackingNumber(u64::from(order) * 2 + u64::from(package))
    }

    /// Status of one of the order's packages (`PROCESSING|FULFILLING|COMPLETED`).
    pub fn package_status(&self, order: u32, package: u32) -> &'static str {
        let value = &self.orders[order as usize];
        match value.status {
            OrderStatus::PartiallyShipping if package == 0 && value.collection_time > 0 => {
                "FULFILLING"
            }
            OrderStatus::PartiallyShipping | OrderStatus::AwaitingCollection => "PROCESSING",
            OrderStatus::InTransit => "FULFILLING",
            OrderStatus::Delivered | OrderStatus::Completed => "COMPLETED",
            _ => "CANCELLED",
        }
    }

    /// Creation time of a package: when it was marked ready to ship.
    pub fn package_create_time(&self, order: u32, package: u32) -> u32 {
        let value = &self.orders[order as usize];
        value.rts_time + package * u32::from(value.second_package_delay_hours) * 3_600
    }

    /// Sum of the order's line item prices, before discounts.
    pub fn order_items_minor(&self, order: u32) -> u64 {
        self.order_line_items(order)
            .map(|item| self.skus[self.line_items[item as usize].sku as usize].price_minor)
            .sum()
    }

    /// The product category of the order's first line item.
    pub fn order_category(&self, order: u32) -> Category {
        let first = self.orders[order as usize].first_line_item;
        let sku = &self.skus[self.line_items[first as usize].sku as usize];
        self.products[sku.product as usize].category
    }
}

fn shipping_provider(region: &str) -> (&'static str, &'static str) {
    match region {
        "US" => ("USPS", "6617675021119438597"),
        "GB" => ("Evri", "7117858858072016686"),
        "ID" | "PH" => ("J&T Express", "6967742022476891906"),
        "TH" => ("Flash Express", "7035410451402672897"),
        "VN" => ("Giao Hang Nhanh", "7108235063452358402"),
        "MX" => ("Estafeta", "7261204515237528326"),
        _ => ("Ninja Van", "6971066290347509505"),
    }
}

fn calling_code(region: &str) -> &'static str {
    match region {
        "US" => "1",
        "GB" => "44",
        "ID" => "62",
        "TH" => "66",
        "VN" => "84",
        "MY" => "60",
        "PH" => "63",
        "MX" => "52",
        "SG" => "65",
        _ => "1",
    }
}

/// (country, state, city) for a masked address in the region.
fn locality(region: &str, buyer: u32) -> (&'static str, &'static str, &'static str) {
    let choices: &[(&str, &str, &str)] = match region {
        "US" => &[
            ("United States", "California", "Los Angeles"),
            ("United States", "Texas", "Houston"),
            ("United States", "New York", "Brooklyn"),
        ],
        "GB" => &[
            ("United Kingdom", "England", "Manchester"),
            ("United Kingdom", "Scotland", "Glasgow"),
        ],
        "ID" => &[
            ("Indonesia", "DKI Jakarta", "Jakarta Selatan"),
            ("Indonesia", "Jawa Barat", "Bandung"),
        ],
        "TH" => &[
            ("Thailand", "Bangkok", "Chatuchak"),
            ("Thailand", "Chiang Mai", "Mueang"),
        ],
        "VN" => &[
            ("Vietnam", "Ho Chi Minh", "Quan 1"),
            ("Vietnam", "Ha Noi", "Cau Giay"),
        ],
        "MY" => &[
            ("Malaysia", "Selangor", "Petaling Jaya"),
            ("Malaysia", "Johor", "Johor Bahru"),
        ],
        "PH" => &[
            ("Philippines", "Metro Manila", "Quezon City"),
            ("Philippines", "Cebu", "Cebu City"),
        ],
        "MX" => &[
            ("Mexico", "Ciudad de Mexico", "Coyoacan"),
            ("Mexico", "Jalisco", "Guadalajara"),
        ],
        _ => &[("Singapore", "Singapore", "Tampines")],
    };
    choices[buyer as usize % choices.len()]
}

// ---------------------------------------------------------------------------------
// Orders

#[derive(Serialize)]
struct PaymentView<'a> {
    currency: &'a str,
    sub_total: Amount,
    shipping_fee: Amount,
    seller_discount: Amount,
    platform_discount: Amount,
    tax: Amount,
    original_total_product_price: Amount,
    original_shipping_fee: Amount,
    total_amount: Amount,
}

#[derive(Serialize)]
struct DistrictView {
    address_level_name: &'static str,
    address_name: &'static str,
}

#[derive(Serialize)]
struct AddressView {
    name: String,
    phone_number: String,
    full_address: String,
    address_line1: String,
    address_line2: &'static str,
    address_line3: &'static str,
    address_line4: &'static str,
    postal_code: String,
    region_code: &'static str,
    district_info: [DistrictView; 3],
}

fn address_view(region: &'static str, buyer: u32) -> AddressView {
    const INITIALS: &[u8] = b"ABCDEGHIJKLMNPRSTVWY";
    let (country, state, city) = locality(region, buyer);
    let first = INITIALS[buyer as usize % INITIALS.len()] as char;
    let last = INITIALS[(buyer as usize / 7) % INITIALS.len()] as char;
    AddressView {
        name: format!("{first}*** {last}***"),
        phone_number: format!(
            "(+{}){}*****{:02}",
            calling_code(region),
            2 + buyer % 7,
            buyer % 100
        ),
        full_address: format!("{country},{state},{city},***"),
        address_line1: format!("{}** ***", buyer % 9 + 1),
        address_line2: "",
        address_line3: "",
        address_line4: "",
        postal_code: format!("{}****", buyer % 9 + 1),
        region_code: region,
        district_info: [
            DistrictView {
                address_level_name: "Country",
                address_name: country,
            },
            DistrictView {
                address_level_name: "State",
                address_name: state,
            },
            DistrictView {
                address_level_name: "City",
                address_name: city,
            },
        ],
    }
}

#[derive(Serialize)]
struct PackageRefView {
    id: Id,
}

#[derive(Serialize)]
struct LineItemView<'a> {
    id: Id,
    sku_id: Id,
    product_id: Id,
    product_name: &'a str,
    sku_name: &'a str,
    seller_sku: Short<SellerSku>,
    sku_image: Short<SkuImage>,
    original_price: Amount,
    sale_price: Amount,
    currency: &'a str,
    display_status: &'static str,
    package_status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    package_id: Option<Id>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tracking_number: Option<Short<TrackingNumber>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    shipping_provider_name: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cancel_reason: Option<&'static str>,
    sku_type: &'static str,
    is_gift: bool,
}

/// A Partner API order object (reference §5.1).
#[derive(Serialize)]
pub struct OrderView<'a> {
    id: Id,
    #[serde(skip_serializing_if = "Option::is_none")]
    shop_id: Option<&'a str>,
    status: &'static str,
    user_id: Id,
    create_time: u32,
    update_time: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    paid_time: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rts_sla_time: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rts_time: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    collection_time: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    delivery_time: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cancel_time: Option<u32>,
    buyer_message: &'static str,
    seller_note: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    cancel_reason: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cancellation_initiator: Option<&'static str>,
    is_buyer_request_cancel: bool,
    is_on_hold_order: bool,
    is_sample_order: bool,
    is_replacement_order: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    tracking_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    shipping_provider: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    shipping_provider_id: Option<&'static str>,
    shipping_type: &'static str,
    fulfillment_type: &'static str,
    delivery_type: &'static str,
    packages: Vec<PackageRefView>,
    payment: PaymentView<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    recipient_address: Option<AddressView>,
    line_items: Vec<LineItemView<'a>>,
}

impl World {
    fn order_cancel_reason(&self, order: u32) -> Option<(&'static str, &'static str)> {
        let value = &self.orders[order as usize];
        if value.status != OrderStatus::Cancelled {
            return None;
        }
        Some(if value.paid_time == 0 {
            ("Payment not completed in time", "SYSTEM")
        } else if value.has_flag(order_flags::SELLER_CANCELLED) {
            ("Out of stock", "SELLER")
        } else {
            ("No longer needed", "BUYER")
        })
    }

    /// The order as the Partner API shows it; `with_shop_id` adds `shop_id` (files).
    pub fn order_view(&self, order: u32, with_shop_id: bool) -> OrderView<'_> {
        let value = &self.orders[order as usize];
        let shop = &self.shops[value.shop as usize];
        let currency = shop.currency;
        let amount = |minor: u64| Amount::new(minor, currency);
        let items_minor = self.order_items_minor(order);
        let sub_total = items_minor.saturating_sub(u64::from(value.seller_discount_minor));
        let shipping_fee = u64::from(value.shipping_fee_minor);
        let package_count = value.package_count();
        let (provider, provider_id) = shipping_provider(shop.region);
        let cancel = self.order_cancel_reason(order);
        let shipped = package_count > 0;
        let line_items = self
            .order_line_items(order)
            .enumerate()
            .map(|(position, item)| {
                let sku = &self.skus[self.line_items[item as usize].sku as usize];
                let product = &self.products[sku.product as usize];
                let package = self.package_of_line_item(order, position as u32);
                let in_package = package < package_count;
                let (display_status, package_status) = match value.status {
                    OrderStatus::PartiallyShipping if package == 0 => {
                        ("IN_TRANSIT", self.package_status(order, 0))
                    }
                    OrderStatus::PartiallyShipping => ("AWAITING_SHIPMENT", "TO_FULFILL"),
                    OrderStatus::Cancelled => ("CANCELLED", "CANCELLED"),
                    status if in_package => (status.as_str(), self.package_status(order, package)),
                    status => (status.as_str(), "TO_FULFILL"),
                };
                let in_package =
                    in_package && !(value.status == OrderStatus::PartiallyShipping && package > 0);
                let original = if sku.product.is_multiple_of(3) {
                    sku.price_minor * 5 / 4
                } else {
                    sku.price_minor
                };
                LineItemView {
                    id: Id(World::line_item_id(item)),
                    sku_id: Id(World::sku_id(self.line_items[item as usize].sku)),
                    product_id: Id(World::product_id(sku.product)),
                    product_name: &product.title,
                    sku_name: sku.variant,
                    seller_sku: Short(self.seller_sku_code(self.line_items[item as usize].sku)),
                    sku_image: Short(SkuImage(World::sku_id(self.line_items[item as usize].sku))),
                    original_price: amount(original),
                    sale_price: amount(sku.price_minor),
                    currency,
                    display_status,
                    package_status,
                    package_id: in_package.then(|| Id(World::package_id(order, package))),
                    tracking_number: in_package
                        .then(|| Short(World::tracking_code(order, package))),
                    shipping_provider_name: in_package.then_some(provider),
                    cancel_reason: cancel.map(|(reason, _)| reason),
                    sku_type: "NORMAL",
                    is_gift: false,
                }
            })
            .collect();
        let has_address = !matches!(value.status, OrderStatus::Unpaid | OrderStatus::OnHold)
            && value.paid_time != 0;
        OrderView {
            id: Id(World::order_id(order)),
            shop_id: with_shop_id.then_some(shop.id.as_str()),
            status: value.status.as_str(),
            user_id: Id(World::buyer_user_id(value.buyer)),
            create_time: value.create_time,
            update_time: value.update_time,
            paid_time: non_zero(value.paid_time),
            rts_sla_time: non_zero(value.rts_sla_time),
            rts_time: non_zero(value.rts_time),
            collection_time: non_zero(value.collection_time),
            delivery_time: non_zero(value.delivery_time),
            cancel_time: non_zero(value.cancel_time),
            buyer_message: "",
            seller_note: "",
            cancel_reason: cancel.map(|(reason, _)| reason),
            cancellation_initiator: cancel.map(|(_, initiator)| initiator),
            is_buyer_request_cancel: value.has_flag(order_flags::BUYER_REQUESTED_CANCEL),
            is_on_hold_order: value.status == OrderStatus::OnHold,
            is_sample_order: false,
            is_replacement_order: false,
            tracking_number: shipped.then(|| World::tracking_number(order, 0)),
            shipping_provider: shipped.then_some(provider),
            shipping_provider_id: shipped.then_some(provider_id),
            shipping_type: "TIKTOK",
            fulfillment_type: "FULFILLMENT_BY_SELLER",
            delivery_type: "HOME_DELIVERY",
            packages: (0..package_count)
                .map(|package| PackageRefView {
                    id: Id(World::package_id(order, package)),
                })
                .collect(),
            payment: PaymentView {
                currency,
                sub_total: amount(sub_total),
                shipping_fee: amount(shipping_fee),
                seller_discount: amount(u64::from(value.seller_discount_minor)),
                platform_discount: amount(0),
                tax: amount(0),
                original_total_product_price: amount(items_minor),
                original_shipping_fee: amount(shipping_fee),
                total_amount: amount(sub_total + shipping_fee),
            },
            recipient_address: has_address.then(|| address_view(shop.region, value.buyer)),
            line_items,
        }
    }
}

// ---------------------------------------------------------------------------------
// Packages and tracking

#[derive(Serialize)]
struct PackageSkuView<'a> {
    id: Id,
    name: &'a str,
    image_url: String,
    quantity: u32,
}

#[derive(Serialize)]
struct PackageOrderView<'a> {
    id: Id,
    skus: Vec<PackageSkuView<'a>>,
}

/// A package as package search and detail show it.
#[derive(Serialize)]
pub struct PackageView<'a> {
    id: Id,
    status: &'static str,
    tracking_number: String,
    shipping_provider_name: &'static str,
    shipping_provider_id: &'static str,
    orders: [PackageOrderView<'a>; 1],
    order_line_item_ids: Vec<Id>,
    create_time: u32,
    update_time: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    recipient_address: Option<AddressView>,
}

impl World {
    pub fn package_view(&self, order: u32, package: u32, detail: bool) -> PackageView<'_> {
        let value = &self.orders[order as usize];
        let shop = &self.shops[value.shop as usize];
        let (provider, provider_id) = shipping_provider(shop.region);
        let items: Vec<u32> = self
            .order_line_items(order)
            .enumerate()
            .filter(|(position, _)| self.package_of_line_item(order, *position as u32) == package)
            .map(|(_, item)| item)
            .collect();
        // Quantity = how many line items share the SKU (one line item per unit).
        let mut skus: Vec<PackageSkuView<'_>> = Vec::new();
        let mut seen: Vec<u32> = Vec::new();
        for item in &items {
            let sku = self.line_items[*item as usize].sku;
            if let Some(position) = seen.iter().position(|known| *known == sku) {
                skus[position].quantity += 1;
                continue;
            }
            seen.push(sku);
            skus.push(PackageSkuView {
                id: Id(World::sku_id(sku)),
                name: self.skus[sku as usize].variant,
                image_url: format!(
                    "https://images.shopcare.invalid/sku/{}.jpg",
                    World::sku_id(sku)
                ),
                quantity: 1,
            });
        }
        PackageView {
            id: Id(World::package_id(order, package)),
            status: self.package_status(order, package),
            tracking_number: World::tracking_number(order, package),
            shipping_provider_name: provider,
            shipping_provider_id: provider_id,
            orders: [PackageOrderView {
                id: Id(World::order_id(order)),
                skus,
            }],
            order_line_item_ids: items
                .iter()
                .map(|item| Id(World::line_item_id(*item)))
                .collect(),
            create_time: self.package_create_time(order, package),
            update_time: value.update_time,
            recipient_address: detail.then(|| address_view(shop.region, value.buyer)),
        }
    }

    /// Tracking events of the order's last package up to `now`, newest first:
    /// label → picked up → sorting centre → in transit → (failed attempt) → out for
    /// delivery → delivered. Stalled parcels have a gap of days after the sorting centre.
    pub fn tracking_events(&self, order: u32, now: u32) -> Vec<(&'static str, u64)> {
        let value = &self.orders[order as usize];
        let mut events: Vec<(&'static str, u32)> = Vec::new();
        if !value.status.has_packages() || value.rts_time == 0 {
            return Vec::new();
        }
        let last_package = value.package_count().saturating_sub(1);
        let label = self.package_create_time(order, last_package);
        events.push(("Shipping label created", label));
        if value.collection_time > 0 {
            let pickup = value.collection_time
                + last_package * u32::from(value.second_package_delay_hours) * 3_600;
            events.push(("Parcel picked up by carrier", pickup));
            events.push(("Arrived at sorting centre", pickup + 20 * 3_600));
            let stalled = value.has_flag(order_flags::STALLED);
            let delivery = value.delivery_time;
            if !stalled && (delivery == 0 || pickup + 36 * 3_600 < delivery - 6 * 3_600) {
                events.push(("In transit to destination hub", pickup + 36 * 3_600));
            }
            if delivery > 0 {
                if value.has_flag(order_flags::FAILED_ATTEMPT) {
                    events.push((
                        "Delivery attempt failed: recipient not available",
                        delivery - 24 * 3_600,
                    ));
                }
                events.push(("Out for delivery", delivery - 6 * 3_600));
                events.push(("Delivered", delivery));
            }
        }
        events.retain(|(_, time)| *time <= now);
        events.sort_by_key(|event| std::cmp::Reverse(event.1));
        events
            .into_iter()
            .map(|(description, time)| (description, u64::from(time) * 1_000))
            .collect()
    }
}

// ---------------------------------------------------------------------------------
// Returns

#[derive(Serialize)]
struct RefundAmountView<'a> {
    currency: &'a str,
    refund_total: Amount,
    refund_subtotal: Amount,
    refund_shipping_fee: Amount,
    refund_tax: Amount,
}

#[derive(Serialize)]
struct LineRefundView<'a> {
    currency: &'a str,
    refund_total: Amount,
}

#[derive(Serialize)]
struct SellerActionView {
    action: &'static str,
    deadline: u32,
}

#[derive(Serialize)]
struct ReturnLineItemView<'a> {
    return_line_item_id: Id,
    order_line_item_id: Id,
    sku_id: Id,
    sku_name: &'a str,
    product_name: &'a str,
    seller_sku: String,
    refund_amount: LineRefundView<'a>,
}

#[derive(Serialize)]
struct PartialRefundView<'a> {
    currency: &'a str,
    amount: Amount,
}

/// A return/refund/replacement as return search shows it (reference §5.3).
#[derive(Serialize)]
pub struct ReturnView<'a> {
    return_id: Id,
    #[serde(skip_serializing_if = "Option::is_none")]
    shop_id: Option<&'a str>,
    order_id: Id,
    return_type: &'static str,
    return_status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    arbitration_status: Option<&'static str>,
    role: &'static str,
    return_reason: &'static str,
    return_reason_text: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    shipment_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    return_tracking_number: Option<String>,
    can_buyer_keep_item: bool,
    seller_next_action_response: Vec<SellerActionView>,
    refund_amount: RefundAmountView<'a>,
    return_line_items: Vec<ReturnLineItemView<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    partial_refund: Option<PartialRefundView<'a>>,
    create_time: u32,
    update_time: u32,
}

/// (reason name, reason text) of a return caused by `issue`.
pub fn return_reason(issue: OrderIssue) -> (&'static str, &'static str) {
    match issue {
        OrderIssue::Damaged => (
            "ecom_order_delivered_refund_reason_damaged",
            "Package or item damaged",
        ),
        OrderIssue::WrongVariant => (
            "ecom_order_delivered_refund_reason_wrong_item",
            "Wrong item or variant received",
        ),
        OrderIssue::MissingPart => (
            "ecom_order_delivered_refund_reason_missing_parts",
            "Missing parts or accessories",
        ),
        OrderIssue::PoorQuality => (
            "ecom_order_delivered_refund_reason_quality",
            "Quality not as expected",
        ),
        OrderIssue::NotAsDescribed => (
            "ecom_order_delivered_refund_reason_not_as_described",
            "Item does not match the description",
        ),
        OrderIssue::ChangedMind => (
            "ecom_order_delivered_refund_reason_no_longer_needed",
            "No longer needed",
        ),
        OrderIssue::None => (
            "ecom_order_shipped_refund_reason_not_received",
            "Package not received",
        ),
    }
}

impl World {
    pub fn return_view(&self, index: u32, with_shop_id: bool) -> ReturnView<'_> {
        let value = &self.returns[index as usize];
        let order = &self.orders[value.order as usize];
        let shop = &self.shops[order.shop as usize];
        let currency = shop.currency;
        let amount = |minor: u64| Amount::new(minor, currency);
        let (reason, reason_text) = return_reason(value.issue);
        let positions: Vec<u32> = (0..u32::from(order.line_item_count))
            .filter(|position| value.line_item_mask & (1 << position) != 0)
            .collect();
        let share = value.refund_minor / positions.len().max(1) as u64;
        let return_line_items = positions
            .iter()
            .map(|position| {
                let item = order.first_line_item + position;
                let sku = self.line_items[item as usize].sku;
                let sku_value = &self.skus[sku as usize];
                ReturnLineItemView {
                    return_line_item_id: Id(RETURN_LINE_ITEM_ID_BASE
                        + u64::from(index) * 4
                        + u64::from(*position)),
                    order_line_item_id: Id(World::line_item_id(item)),
                    sku_id: Id(World::sku_id(sku)),
                    sku_name: sku_value.variant,
                    product_name: &self.products[sku_value.product as usize].title,
                    seller_sku: self.seller_sku(sku),
                    refund_amount: LineRefundView {
                        currency,
                        refund_total: amount(share),
                    },
                }
            })
            .collect();
        let ships_back = value.return_type != ReturnType::Refund;
        let buyer_shipped = matches!(
            value.status,
            ReturnStatus::BuyerShippedItem
                | ReturnStatus::RejectReceivePackage
                | ReturnStatus::RequestComplete
        ) && ships_back;
        ReturnView {
            return_id: Id(World::return_id(index)),
            shop_id: with_shop_id.then_some(shop.id.as_str()),
            order_id: Id(World::order_id(value.order)),
            return_type: value.return_type.as_str(),
            return_status: value.status.as_str(),
            arbitration_status: (value.arbitration > 0)
                .then(|| ARBITRATION_STATUSES[value.arbitration as usize]),
            role: "BUYER",
            return_reason: reason,
            return_reason_text: reason_text,
            shipment_type: ships_back.then_some("PLATFORM"),
            return_tracking_number: buyer_shipped
                .then(|| format!("SCR{:012}", u64::from(index) * 7 + 3)),
            can_buyer_keep_item: value.return_type == ReturnType::Refund,
            seller_next_action_response: value
                .seller_action()
                .map(|action| SellerActionView {
                    action,
                    deadline: value.seller_deadline,
                })
                .into_iter()
                .collect(),
            refund_amount: RefundAmountView {
                currency,
                refund_total: amount(value.refund_minor),
                refund_subtotal: amount(value.refund_minor),
                refund_shipping_fee: amount(0),
                refund_tax: amount(0),
            },
            return_line_items,
            partial_refund: (value.status == ReturnStatus::AwaitingBuyerResponse).then(|| {
                PartialRefundView {
                    currency,
                    amount: amount(value.refund_minor / 2),
                }
            }),
            create_time: value.create_time,
            update_time: value.update_time,
        }
    }
}

// ---------------------------------------------------------------------------------
// Cancellations

#[derive(Serialize)]
struct CancelLineItemView<'a> {
    cancel_line_item_id: Id,
    order_line_item_id: Id,
    sku_id: Id,
    product_name: &'a str,
    seller_sku: String,
    refund_amount: LineRefundView<'a>,
}

/// A cancellation as cancellation search shows it.
#[derive(Serialize)]
pub struct CancellationView<'a> {
    cancel_id: Id,
    #[serde(skip_serializing_if = "Option::is_none")]
    shop_id: Option<&'a str>,
    order_id: Id,
    cancel_type: &'static str,
    cancel_status: &'static str,
    role: &'static str,
    cancel_reason: &'static str,
    cancel_reason_text: &'static str,
    seller_next_action_response: Vec<SellerActionView>,
    refund_amount: RefundAmountView<'a>,
    cancel_line_items: Vec<CancelLineItemView<'a>>,
    create_time: u32,
    update_time: u32,
}

impl World {
    pub fn cancellation_view(&self, index: u32, with_shop_id: bool) -> CancellationView<'_> {
        let value = &self.cancellations[index as usize];
        let order = &self.orders[value.order as usize];
        let shop = &self.shops[order.shop as usize];
        let currency = shop.currency;
        let amount = |minor: u64| Amount::new(minor, currency);
        let (cancel_type, role, reason, reason_text) = match value.kind {
            CancelKind::UnpaidTimeout => (
                "CANCEL",
                "SYSTEM",
                "ecom_order_unpaid_timeout",
                "Payment not completed in time",
            ),
            CancelKind::SellerOutOfStock => (
                "CANCEL",
                "SELLER",
                "seller_cancel_out_of_stock",
                "Out of stock",
            ),
            CancelKind::Buyer => (
                "BUYER_CANCEL",
                "BUYER",
                "buyer_cancel_no_longer_needed",
                "No longer needed",
            ),
        };
        let paid = order.paid_time != 0;
        let items_minor = if paid {
            self.order_items_minor(value.order)
        } else {
            0
        };
        let cancel_line_items = self
            .order_line_items(value.order)
            .enumerate()
            .map(|(position, item)| {
                let sku = self.line_items[item as usize].sku;
                let sku_value = &self.skus[sku as usize];
                CancelLineItemView {
                    cancel_line_item_id: Id(CANCEL_LINE_ITEM_ID_BASE
                        + u64::from(index) * 4
                        + position as u64),
                    order_line_item_id: Id(World::line_item_id(item)),
                    sku_id: Id(World::sku_id(sku)),
                    product_name: &self.products[sku_value.product as usize].title,
                    seller_sku: self.seller_sku(sku),
                    refund_amount: LineRefundView {
                        currency,
                        refund_total: amount(if paid { sku_value.price_minor } else { 0 }),
                    },
                }
            })
            .collect();
        CancellationView {
            cancel_id: Id(World::cancel_id(index)),
            shop_id: with_shop_id.then_some(shop.id.as_str()),
            order_id: Id(World::order_id(value.order)),
            cancel_type,
            cancel_status: value.status.as_str(),
            role,
            cancel_reason: reason,
            cancel_reason_text: reason_text,
            seller_next_action_response: (value.status == CancelStatus::Pending)
                .then_some(SellerActionView {
                    action: "SELLER_RESPOND_CANCEL",
                    deadline: value.seller_deadline,
                })
                .into_iter()
                .collect(),
            refund_amount: RefundAmountView {
                currency,
                refund_total: amount(items_minor),
                refund_subtotal: amount(items_minor),
                refund_shipping_fee: amount(0),
                refund_tax: amount(0),
            },
            cancel_line_items,
            create_time: value.create_time,
            update_time: value.update_time,
        }
    }
}

// ---------------------------------------------------------------------------------
// Conversations and messages

#[derive(Serialize)]
struct SenderView<'a> {
    im_user_id: String,
    role: &'static str,
    nickname: &'a str,
    avatar: &'static str,
}

/// A chat message (reference §5.4).
#[derive(Serialize)]
pub struct MessageView<'a> {
    id: Id,
    index: String,
    #[serde(rename = "type")]
    kind: &'static str,
    content: String,
    create_time: u32,
    is_visible: bool,
    sender: SenderView<'a>,
}

#[derive(Serialize)]
struct ParticipantView<'a> {
    im_user_id: String,
    user_id: String,
    role: &'static str,
    nickname: &'a str,
    avatar: &'static str,
}

/// A conversation; files add `shop_id` and the whole message list.
#[derive(Serialize)]
pub struct ConversationView<'a> {
    id: Id,
    #[serde(skip_serializing_if = "Option::is_none")]
    shop_id: Option<&'a str>,
    participant_count: u32,
    can_send_message: bool,
    unread_count: u32,
    create_time: u32,
    participants: [ParticipantView<'a>; 2],
    #[serde(skip_serializing_if = "Option::is_none")]
    latest_message: Option<MessageView<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    messages: Option<Vec<MessageView<'a>>>,
}

const AVATAR: &str = "https://images.shopcare.invalid/avatar/default.png";

impl World {
    pub fn message_view(&self, message: u32) -> MessageView<'_> {
        let value = &self.messages[message as usize];
        let conversation = &self.conversations[value.conversation as usize];
        let shop = &self.shops[conversation.shop as usize];
        let (kind, content) = match value.kind {
            MessageKind::OrderCard => (
                "ORDER_CARD",
                serde_json::json!({ "order_id": World::order_id(conversation.order).to_string() })
                    .to_string(),
            ),
            _ => (
                "TEXT",
                serde_json::json!({ "content": self.message_text(message) }).to_string(),
            ),
        };
        let (im_user_id, nickname): (String, &str) = match value.role {
            SenderRole::Buyer => (
                format!("im_b_{}", World::buyer_user_id(conversation.buyer)),
                "buyer",
            ),
            SenderRole::Shop => (format!("im_s_{}", shop.id), shop.name.as_str()),
            SenderRole::Robot => (format!("im_r_{}", shop.id), "Assistant"),
        };
        MessageView {
            id: Id(World::message_id(message)),
            index: (message - conversation.first_message).to_string(),
            kind,
            content,
            create_time: value.create_time,
            is_visible: true,
            sender: SenderView {
                im_user_id,
                role: value.role.as_str(),
                nickname,
                avatar: AVATAR,
            },
        }
    }

    /// Buyer messages after the shop's last message (robots do not count as answers).
    pub fn unread_count(&self, conversation: u32) -> u32 {
        let messages = self.conversation_messages(conversation);
        let mut unread = 0;
        for message in messages.into_iter().rev() {
            match self.messages[message as usize].role {
                SenderRole::Shop => break,
                SenderRole::Buyer => unread += 1,
                SenderRole::Robot => {}
            }
        }
        unread
    }

    /// Message indexes of a conversation, oldest first: the generated ones, then
    /// those added later (sent through the API or a control route).
    pub fn conversation_messages(&self, conversation: u32) -> Vec<u32> {
        let value = &self.conversations[conversation as usize];
        let mut messages: Vec<u32> =
            (value.first_message..value.first_message + value.message_count).collect();
        if let Some(extra) = self.extra_messages.get(&conversation) {
            messages.extend_from_slice(extra);
        }
        messages
    }

    pub fn conversation_view(
        &self,
        conversation: u32,
        with_shop_id_and_messages: bool,
    ) -> ConversationView<'_> {
        let value = &self.conversations[conversation as usize];
        let shop = &self.shops[value.shop as usize];
        let messages = self.conversation_messages(conversation);
        let latest = messages.last().copied();
        ConversationView {
            id: Id(World::conversation_id(conversation)),
            shop_id: with_shop_id_and_messages.then_some(shop.id.as_str()),
            participant_count: 2,
            can_send_message: true,
            unread_count: self.unread_count(conversation),
            create_time: value.create_time,
            participants: [
                ParticipantView {
                    im_user_id: format!("im_b_{}", World::buyer_user_id(value.buyer)),
                    user_id: World::buyer_user_id(value.buyer).to_string(),
                    role: "BUYER",
                    nickname: "buyer",
                    avatar: AVATAR,
                },
                ParticipantView {
                    im_user_id: format!("im_s_{}", shop.id),
                    user_id: String::new(),
                    role: "SHOP",
                    nickname: &shop.name,
                    avatar: AVATAR,
                },
            ],
            latest_message: latest.map(|message| self.message_view(message)),
            messages: with_shop_id_and_messages.then(|| {
                messages
                    .iter()
                    .map(|message| self.message_view(*message))
                    .collect()
            }),
        }
    }
}

// ---------------------------------------------------------------------------------
// Products

#[derive(Serialize)]
struct PriceView<'a> {
    currency: &'a str,
    sale_price: Amount,
    tax_exclusive_price: Amount,
}

#[derive(Serialize)]
struct InventoryView {
    warehouse_id: String,
    quantity: u32,
}

#[derive(Serialize)]
struct ProductSkuView<'a> {
    id: Id,
    seller_sku: String,
    sales_attributes: [SalesAttributeView<'a>; 1],
    price: PriceView<'a>,
    inventory: [InventoryView; 1],
}

#[derive(Serialize)]
struct SalesAttributeView<'a> {
    name: &'static str,
    value_name: &'a str,
}

/// A product as product search and detail show it (reference §5.5).
#[derive(Serialize)]
pub struct ProductView<'a> {
    id: Id,
    title: &'a str,
    status: &'static str,
    skus: Vec<ProductSkuView<'a>>,
    sales_regions: [&'static str; 1],
    create_time: u32,
    update_time: u32,
}

impl World {
    pub fn product_view(&self, product: u32) -> ProductView<'_> {
        let value = &self.products[product as usize];
        let shop = &self.shops[value.shop as usize];
        let currency = shop.currency;
        let skus = (value.first_sku..value.first_sku + u32::from(value.sku_count))
            .map(|sku| {
                let sku_value = &self.skus[sku as usize];
                ProductSkuView {
                    id: Id(World::sku_id(sku)),
                    seller_sku: self.seller_sku(sku),
                    sales_attributes: [SalesAttributeView {
                        name: "Variant",
                        value_name: sku_value.variant,
                    }],
                    price: PriceView {
                        currency,
                        sale_price: Amount::new(sku_value.price_minor, currency),
                        tax_exclusive_price: Amount::new(sku_value.price_minor, currency),
                    },
                    inventory: [InventoryView {
                        warehouse_id: format!("72{:017}", u64::from(value.shop) + 1),
                        quantity: sku_value.inventory,
                    }],
                }
            })
            .collect();
        ProductView {
            id: Id(World::product_id(product)),
            title: &value.title,
            status: if value.active {
                "ACTIVATE"
            } else {
                "SELLER_DEACTIVATED"
            },
            skus,
            sales_regions: [shop.region],
            create_time: value.create_time,
            update_time: value.update_time,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_render_with_the_currency_decimals() {
        assert_eq!(Amount::new(1299, "USD").to_string(), "12.99");
        assert_eq!(Amount::new(5, "USD").to_string(), "0.05");
        assert_eq!(Amount::new(129_000, "IDR").to_string(), "129000");
    }

    #[test]
    fn ids_render_as_json_strings() {
        let json = serde_json::to_string(&Id(576_400_000_000_000_001)).unwrap();
        assert_eq!(json, "\"576400000000000001\"");
    }

    #[test]
    fn short_values_and_values_longer_than_the_buffer_both_render() {
        let long = "x".repeat(300);
        assert_eq!(
            serde_json::to_string(&Short(&long)).unwrap(),
            format!("\"{long}\"")
        );
        assert_eq!(
            serde_json::to_string(&Short(SkuImage(7))).unwrap(),
            "\"https://images.shopcare.invalid/sku/7.jpg\""
        );
        assert_eq!(
            serde_json::to_string(&Short("quote \" and é")).unwrap(),
            r#""quote \" and é""#
        );
    }
}
