//! The shape of one language's phrase data.
//!
//! Every language file (`en.rs`, `id.rs`, ...) fills one [`Lexicon`] with static tables. Review
//! pieces are clauses without trailing punctuation: the composer in `mod.rs` joins them with
//! commas, full stops, spaces or nothing (Thai, Chinese) and adds the final punctuation itself.
//! Chat pieces are whole sentences with their own punctuation.

use super::{Category, ChatTopic, Complaint};

/// A table of interchangeable phrases.
pub(super) type Phrases = &'static [&'static str];

/// How a language is written, which decides joiners, letter case and typo styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Script {
    /// Latin letters with spaces between words (en, id, ms, vi, es).
    Latin,
    /// Thai: no spaces between words, spaces between clauses.
    Thai,
    /// Chinese characters with full-width punctuation between clauses.
    Han,
}

/// All phrase data of one language.
pub(super) struct Lexicon {
    pub script: Script,
    pub reviews: ReviewPhrases,
    pub titles: TitlePhrases,
    pub chat: ChatPhrases,
    /// Casual shortenings buyers type (`barang` → `brg`), applied to some buyer texts.
    pub abbreviations: &'static [(&'static str, &'static str)],
    /// Share of buyer texts that get the abbreviations above.
    pub abbreviation_rate: f64,
    /// Share of buyer texts typed without diacritics (Vietnamese without tone marks, Spanish without accents).
    pub plain_letters_rate: f64,
}

/// Phrases for buyer reviews.
pub(super) struct ReviewPhrases {
    /// Whole reviews of one or two words ("ok", "mantap").
    pub short_praise: Phrases,
    /// Scene-setting before praise ("second time buying here").
    pub praise_openers: Phrases,
    /// Praise for delivery, packing and the seller, never for the product itself.
    pub praise_service: Phrases,
    /// Praise for the product, per category.
    pub praise_product: PerCategory<Phrases>,
    pub praise_closers: Phrases,
    /// Whole lukewarm reviews of a few words ("biasa aja").
    pub lukewarm_short: Phrases,
    pub lukewarm_cores: Phrases,
    pub lukewarm_closers: Phrases,
    /// Openers of a negative review that name no particular problem.
    pub negative_openers: Phrases,
    /// Negative statements without a particular root cause.
    pub negative_general: Phrases,
    pub negative_closers: Phrases,
    /// The complaint itself, wording that fits any category.
    pub complaint_cores: PerComplaint,
    /// Supporting detail for a complaint, wording that fits any category.
    pub complaint_details: PerComplaint,
    /// Product complaints in the words of one category (cracked jar, wrong size...).
    pub product_complaints: PerCategory<ProductComplaints>,
    /// A softer form of each complaint, used after a contrast in 3–5 star reviews.
    pub mild_complaints: PerComplaint,
    /// Connectors between praise and a mild complaint, with their own spacing (", but ").
    pub contrasts: Phrases,
}

/// One table per complaint other than [`Complaint::None`].
pub(super) struct PerComplaint {
    pub shipped_late: Phrases,
    pub stalled_tracking: Phrases,
    pub damaged: Phrases,
    pub wrong_variant: Phrases,
    pub missing_part: Phrases,
    pub poor_quality: Phrases,
    pub not_as_described: Phrases,
    pub slow_replies: Phrases,
    pub price_value: Phrases,
}

impl PerComplaint {
    pub(super) fn get(&self, complaint: Complaint) -> Phrases {
        match complaint {
            Complaint::None => &[],
            Complaint::ShippedLate => self.shipped_late,
            Complaint::StalledTracking => self.stalled_tracking,
            Complaint::Damaged => self.damaged,
            Complaint::WrongVariant => self.wrong_variant,
            Complaint::MissingPart => self.missing_part,
            Complaint::PoorQuality => self.poor_quality,
            Complaint::NotAsDescribed => self.not_as_described,
            Complaint::SlowReplies => self.slow_replies,
            Complaint::PriceValue => self.price_value,
        }
    }

    #[cfg(test)]
    pub(super) fn all(&self) -> [Phrases; 9] {
        [
            self.shipped_late,
            self.stalled_tracking,
            self.damaged,
            self.wrong_variant,
            self.missing_part,
            self.poor_quality,
            self.not_as_described,
            self.slow_replies,
            self.price_value,
        ]
    }
}

/// Complaints about the product itself, which read differently per category.
pub(super) struct ProductComplaints {
    pub damaged: Phrases,
    pub wrong_variant: Phrases,
    pub missing_part: Phrases,
    pub poor_quality: Phrases,
    pub not_as_described: Phrases,
}

impl ProductComplaints {
    pub(super) fn get(&self, complaint: Complaint) -> Phrases {
        match complaint {
            Complaint::Damaged => self.damaged,
            Complaint::WrongVariant => self.wrong_variant,
            Complaint::MissingPart => self.missing_part,
            Complaint::PoorQuality => self.poor_quality,
            Complaint::NotAsDescribed => self.not_as_described,
            Complaint::None
            | Complaint::ShippedLate
            | Complaint::StalledTracking
            | Complaint::SlowReplies
            | Complaint::PriceValue => &[],
        }
    }

    #[cfg(test)]
    pub(super) fn all(&self) -> [Phrases; 5] {
        [
            self.damaged,
            self.wrong_variant,
            self.missing_part,
            self.poor_quality,
            self.not_as_described,
        ]
    }
}

/// One value per product category.
pub(super) struct PerCategory<T> {
    pub apparel: T,
    pub skincare: T,
    pub electronics: T,
    pub home: T,
    pub food: T,
}

impl<T> PerCategory<T> {
    pub(super) fn get(&self, category: Category) -> &T {
        match category {
            Category::Apparel => &self.apparel,
            Category::Skincare => &self.skincare,
            Category::Electronics => &self.electronics,
            Category::Home => &self.home,
            Category::Food => &self.food,
        }
    }
}

/// Pieces of listing titles: `[prefix] head tail [tail]`.
pub(super) struct TitlePhrases {
    pub prefixes: Phrases,
    pub heads: PerCategory<Phrases>,
    pub tails: PerCategory<Phrases>,
}

/// Sentences for buyer and seller chat messages.
pub(super) struct ChatPhrases {
    pub buyer_greetings: Phrases,
    pub buyer: PerTopic,
    pub buyer_closers: Phrases,
    pub seller_greetings: Phrases,
    pub seller: PerTopic,
    pub seller_closers: Phrases,
}

/// One table per chat topic.
pub(super) struct PerTopic {
    pub where_is_my_order: Phrases,
    pub damaged: Phrases,
    pub missing_part: Phrases,
    pub size_question: Phrases,
    pub how_to_use: Phrases,
    pub change_address: Phrases,
    pub thanks: Phrases,
}

impl PerTopic {
    pub(super) fn get(&self, topic: ChatTopic) -> Phrases {
        match topic {
            ChatTopic::WhereIsMyOrder => self.where_is_my_order,
            ChatTopic::Damaged => self.damaged,
            ChatTopic::MissingPart => self.missing_part,
            ChatTopic::SizeQuestion => self.size_question,
            ChatTopic::HowToUse => self.how_to_use,
            ChatTopic::ChangeAddress => self.change_address,
            ChatTopic::Thanks => self.thanks,
        }
    }
}
