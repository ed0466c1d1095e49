//! Texts generated on demand: review texts and chat messages are not stored but
//! recomputed from a per-item seed, which keeps big worlds small in memory.

use super::{ChatTopic, MessageKind, SenderRole, World};
use crate::phrases;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Kinds of on-demand texts, mixed into the per-item seed.
const REVIEW_TEXT: u64 = 0x7265_7669_6577;
const MESSAGE_TEXT: u64 = 0x6d65_7373_6167;

/// A per-item generator: splitmix64 of (world seed, kind, item) so neighbouring items
/// get unrelated streams.
fn item_rng(seed: u64, kind: u64, item: u32) -> ChaCha8Rng {
    let mut value =
        seed ^ kind.rotate_left(17) ^ u64::from(item).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    value = (value ^ (value >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    value = (value ^ (value >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    value ^= value >> 31;
    ChaCha8Rng::seed_from_u64(value)
}

/// The text of review `review`, in the language drawn for it.
pub fn review_text(world: &World, review: u32) -> String {
    let value = &world.reviews[review as usize];
    let order = &world.orders[value.order as usize];
    let shop = &world.shops[order.shop as usize];
    let language = shop.languages[value.language as usize];
    let sku = &world.skus[world.line_items[value.line_item as usize].sku as usize];
    let category = world.products[sku.product as usize].category;
    let mut rng = item_rng(world.config.seed, REVIEW_TEXT, review);
    phrases::review_text(&mut rng, language, value.rating, value.complaint, category)
}

/// The text of chat message `message` (for an `ORDER_CARD`, the empty string).
pub fn message_text(world: &World, message: u32) -> String {
    let value = &world.messages[message as usize];
    match value.kind {
        MessageKind::OrderCard => String::new(),
        MessageKind::Custom => world
            .custom_texts
            .get(&message)
            .cloned()
            .unwrap_or_default(),
        MessageKind::Generated => {
            let conversation = &world.conversations[value.conversation as usize];
            let shop = &world.shops[conversation.shop as usize];
            let language = shop.languages[conversation.language as usize];
            let mut rng = item_rng(world.config.seed, MESSAGE_TEXT, message);
            match value.role {
                SenderRole::Buyer => phrases::buyer_message(&mut rng, language, value.topic),
                SenderRole::Shop => phrases::seller_reply(&mut rng, language, value.topic),
                SenderRole::Robot => phrases::seller_reply(&mut rng, language, ChatTopic::Thanks),
            }
        }
    }
}
