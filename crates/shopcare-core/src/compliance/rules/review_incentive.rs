//! `review_incentive`: any reward (discount, voucher, cashback, gift, free sample,
//! prize draw, VIP access, money) tied to leaving a review or a rating.
//!
//! A hit needs a review word and a reward word in the same sentence — or in two
//! adjacent sentences joined by an explicit exchange cue ("… and get", "to receive",
//! "dapatkan", "nhận ngay", "y recibe", "即可", "รับ") — and no independence cue
//! ("regardless of your review", "open to everyone"). A refund alone is the normal
//! remedy, not a bonus: a refund gated on the review is `review_manipulation`.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::{pattern, Context, Hits};
use crate::compliance::lexicon::{INDEPENDENT_RE, REMEDY_ONLY_RE, REVIEW_RE, REWARD_RE};

const MESSAGE: &str = "Offers a reward in exchange for a review or rating; platform rules forbid any incentive tied to reviews (discounts, vouchers, cashback, gifts, free products, prize draws, refunds).";
const SUGGESTION: &str = "Remove the reward from the review request. Ask for an honest review on its own; run promotions separately, open to every buyer and without mentioning reviews.";

static EXCHANGE_CUE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?:\band (?:we'll|we will|you'll|you will|get|receive|claim|win|enjoy)\b|\bto (?:get|receive|claim|win|enjoy|unlock)\b|\bin (?:exchange|return)\b|\bfor (?:every|each|leaving|writing|posting|sharing|giving)\b|\b(?:when|once|after|if) you (?:leave|write|post|give|submit|share|rate)\b|\bdapat(?:kan)?\b|\bakan (?:dapat|kami kirim)|\bnhan (?:ngay|duoc|qua)\b|\bde nhan\b|\bse (?:duoc|nhan)\b|\by (?:recibe|obten|gana|te)\b|\bpara (?:recibir|obtener|ganar)\b|\ba cambio\b|\bdan (?:dapat|terima|menang)\b|รับ|แลก|ลุ้น|即可|就送|即送|返|送|领取)",
    )
});

static OPEN_TO_ALL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?:\bopen to (?:all|every)|\bfor (?:all|every) (?:buyers|customers|orders|shoppers)\b|\bsemua pembeli\b|\bsemua pelanggan\b|\btat ca khach\b|\bpara todos\b|所有顾客|所有买家|ทุกคน|ลูกค้าทุกท่าน)",
    )
});

pub fn check(context: &Context<'_>, hits: &mut Hits<'_, '_>) {
    if !REVIEW_RE.is_match(context.folded()) {
        return;
    }
    let sentences: Vec<(usize, &str)> = context.sentence_texts().collect();
    for (index, &(offset, sentence)) in sentences.iter().enumerate() {
        if let Some(range) = tied_reward(sentence) {
            hits.folded(
                offset + range.start..offset + range.end,
                MESSAGE,
                SUGGESTION,
            );
            continue;
        }
        if let Some(&(next_offset, next_sentence)) = sentences.get(index + 1) {
            let joined_end = next_offset + next_sentence.len();
            let joined = &context.folded()[offset..joined_end];
            let split_between = REVIEW_RE.is_match(sentence) && has_bonus(next_sentence)
                || has_bonus(sentence) && REVIEW_RE.is_match(next_sentence);
            if split_between && EXCHANGE_CUE.is_match(joined) && !excused(joined) {
                if let Some(range) = tied_reward(joined) {
                    hits.folded(
                        offset + range.start..offset + range.end,
                        MESSAGE,
                        SUGGESTION,
                    );
                }
            }
        }
    }
}

/// A review word and a bonus reward in `span`, returned as the range covering both.
fn tied_reward(span: &str) -> Option<Range<usize>> {
    if excused(span) {
        return None;
    }
    let review = REVIEW_RE.find(span)?;
    let reward = first_bonus(span)?;
    Some(review.start().min(reward.start)..review.end().max(reward.end))
}

fn has_bonus(span: &str) -> bool {
    first_bonus(span).is_some()
}

/// The first reward in `span` that is a bonus rather than the ordinary remedy:
/// a listed reward, or "free …"/"complimentary …"/"throw in …" naming any item
/// (but not "feel free to", "free of charge" or "free from").
fn first_bonus(span: &str) -> Option<Range<usize>> {
    let listed = REWARD_RE
        .find_iter(span)
        .find(|reward| !REMEDY_ONLY_RE.is_match(reward.as_str()))
        .map(|reward| reward.range());
    let free_item = FREE_ITEM.find_iter(span).find_map(|found| {
        let feel_free = span[..found.start()].trim_end().ends_with("feel");
        (!feel_free).then(|| found.range())
    });
    match (listed, free_item) {
        (Some(listed), Some(free)) => Some(if listed.start <= free.start {
            listed
        } else {
            free
        }),
        (listed, free) => listed.or(free),
    }
}

static FREE_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?:\b(?:free|complimentary|bonus|extra)\s+(?:[a-z-]+\s+){0,2}?(?:case|cable|charger|item|product|bag|pouch|bottle|gift|sample|samples|accessory|mask|sticker|keychain|pen|mug|cup|refill|one|pair|box|set|kit|\w+s)\b|\bthrow in\b|\bthrow(?:ing)? in an? (?:extra|free)\b)",
    )
});

/// Independence cues always excuse; "open to everyone" only when nothing says the
/// reward is in exchange for the review.
fn excused(span: &str) -> bool {
    INDEPENDENT_RE.is_match(span) || OPEN_TO_ALL.is_match(span) && !EXCHANGE_CUE.is_match(span)
}
