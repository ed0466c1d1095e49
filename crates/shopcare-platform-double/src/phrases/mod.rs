//! Realistic buyer and seller wording for the generated world.
//!
//! Review texts, chat messages and product titles in the languages of TikTok Shop markets
//! (en, id, ms, th, vi, es, zh). Texts are composed from static phrase tables (one file per
//! language) with random choices: opener × core × detail × closer, joiners, emoji, casual
//! abbreviations, dropped diacritics and the odd typo, so thousands of distinct texts come out.
//! Reputation features and the review classifier are demonstrated and benchmarked on these
//! texts, so a complaint text always talks about its complaint in the words of its category.
//!
//! Everything is deterministic given the random number generator and allocates little beyond the
//! output string.

mod en;
mod es;
mod id;
mod lexicon;
mod ms;
mod th;
mod vi;
mod zh;

use lexicon::{Lexicon, Phrases, Script};
use rand::Rng;

/// Product category of a listing; decides the wording of product praise and complaints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    Apparel,
    Skincare,
    Electronics,
    Home,
    Food,
}

impl Category {
    pub const ALL: [Self; 5] = [
        Self::Apparel,
        Self::Skincare,
        Self::Electronics,
        Self::Home,
        Self::Food,
    ];
}

/// Root cause a review text talks about; `None` means praise or a neutral text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Complaint {
    None,
    ShippedLate,
    StalledTracking,
    Damaged,
    WrongVariant,
    MissingPart,
    PoorQuality,
    NotAsDescribed,
    SlowReplies,
    PriceValue,
}

impl Complaint {
    pub const ALL: [Self; 10] = [
        Self::None,
        Self::ShippedLate,
        Self::StalledTracking,
        Self::Damaged,
        Self::WrongVariant,
        Self::MissingPart,
        Self::PoorQuality,
        Self::NotAsDescribed,
        Self::SlowReplies,
        Self::PriceValue,
    ];

    /// Complaints about the product, which a 4★ review pairs with praise for the service
    /// (and the others with praise for the product) so the two halves never contradict.
    fn is_about_product(self) -> bool {
        matches!(
            self,
            Self::WrongVariant | Self::MissingPart | Self::PoorQuality | Self::NotAsDescribed
        )
    }
}

/// What a buyer writes to a seller about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChatTopic {
    WhereIsMyOrder,
    Damaged,
    MissingPart,
    SizeQuestion,
    HowToUse,
    ChangeAddress,
    Thanks,
}

impl ChatTopic {
    pub const ALL: [Self; 7] = [
        Self::WhereIsMyOrder,
        Self::Damaged,
        Self::MissingPart,
        Self::SizeQuestion,
        Self::HowToUse,
        Self::ChangeAddress,
        Self::Thanks,
    ];
}

/// Languages buyers of a market write in; the first one is the main language.
/// `region` is an ISO country code (case-insensitive); unknown regions get English.
pub fn languages_for_region(region: &str) -> &'static [&'static str] {
    const REGIONS: [(&str, &[&str]); 9] = [
        ("US", &["en", "es"]),
        ("GB", &["en"]),
        ("ID", &["id", "en"]),
        ("MY", &["ms", "en", "zh"]),
        ("TH", &["th", "en"]),
        ("VN", &["vi"]),
        ("PH", &["en"]),
        ("SG", &["en", "zh"]),
        ("MX", &["es"]),
    ];
    let region = region.trim();
    REGIONS
        .iter()
        .find(|(code, _)| code.eq_ignore_ascii_case(region))
        .map_or(&["en"], |(_, languages)| *languages)
}

/// A listing title in the style of the market, e.g. "Oversized Cotton Tee Unisex Streetwear".
pub fn product_title<R: Rng>(rng: &mut R, category: Category, language: &str) -> String {
    let titles = &lexicon_for(language).titles;
    let mut title = String::with_capacity(64);
    if rng.gen_bool(0.25) {
        title.push_str(pick(rng, titles.prefixes));
        title.push(' ');
    }
    title.push_str(pick(rng, titles.heads.get(category)));
    let tails = titles.tails.get(category);
    let (first_tail, second_tail) = pick_two(rng, tails);
    title.push(' ');
    title.push_str(first_tail);
    if rng.gen_bool(0.4) && second_tail != first_tail {
        title.push(' ');
        title.push_str(second_tail);
    }
    title
}

/// SKU variant names of a category (size, colour, volume, flavour...), the same in every market.
pub fn variant_names(category: Category) -> &'static [&'static str] {
    match category {
        Category::Apparel => &[
            "Black / S",
            "Black / M",
            "Black / L",
            "Black / XL",
            "White / M",
            "White / L",
            "Beige / M",
            "Navy / L",
            "Sage Green / M",
            "Grey / XXL",
        ],
        Category::Skincare => &[
            "30ml",
            "50ml",
            "100ml",
            "Travel Size 15ml",
            "Twin Pack 2 x 30ml",
            "Refill 200ml",
        ],
        Category::Electronics => &[
            "Black",
            "White",
            "Midnight Blue",
            "Pink",
            "USB-C",
            "Lightning",
            "1m Cable",
            "2m Cable",
        ],
        Category::Home => &[
            "Small", "Medium", "Large", "Grey", "Cream", "Set of 3", "Set of 6",
        ],
        Category::Food => &[
            "Original 250g",
            "Spicy 250g",
            "Cheese 250g",
            "Seaweed 500g",
            "Original 1kg",
            "Mixed Box of 3",
        ],
    }
}

/// A buyer review for a rating (1–5; other values are clamped) and the root cause it talks about.
///
/// 4–5★ without complaint praise; 3★ is lukewarm; 1–2★ with a complaint complain about it in the
/// words of the category; 3–5★ with a complaint mix praise with a milder form of the complaint
/// ("great but arrived late"). Unknown languages get English.
pub fn review_text<R: Rng>(
    rng: &mut R,
    language: &str,
    rating: u8,
    complaint: Complaint,
    category: Category,
) -> String {
    let lexicon = lexicon_for(language);
    let reviews = &lexicon.reviews;
    let mut composer = Composer::new(rng, lexicon.script);
    let tone = match (rating.clamp(1, 5), complaint) {
        (4..=5, Complaint::None) => {
            compose_praise(&mut composer, rng, lexicon, category, rating >= 5);
            Tone::Positive
        }
        (3, Complaint::None) => {
            if rng.gen_bool(0.25) {
                composer.add(rng, reviews.lukewarm_short);
            } else {
                composer.add(rng, reviews.lukewarm_cores);
                if rng.gen_bool(0.3) {
                    composer.add(rng, reviews.praise_product.get(category));
                }
                if rng.gen_bool(0.4) {
                    composer.add(rng, reviews.lukewarm_closers);
                }
            }
            Tone::Neutral
        }
        (_, Complaint::None) => {
            if rng.gen_bool(0.5) {
                composer.add(rng, reviews.negative_openers);
            }
            composer.add(rng, reviews.negative_general);
            if rng.gen_bool(0.5) {
                composer.add(rng, reviews.negative_closers);
            }
            Tone::Negative
        }
        (4..=5, complaint) => {
            composer.add(rng, praise_for_mixed_review(lexicon, complaint, category));
            composer.connect(
                pick(rng, reviews.contrasts),
                pick(rng, reviews.mild_complaints.get(complaint)),
            );
            if rng.gen_bool(0.3) {
                composer.add(rng, reviews.praise_closers);
            }
            Tone::Positive
        }
        (3, complaint) => {
            match rng.gen_range(0..3) {
                0 => {
                    composer.add(rng, reviews.lukewarm_cores);
                    composer.connect(
                        pick(rng, reviews.contrasts),
                        pick(rng, reviews.mild_complaints.get(complaint)),
                    );
                }
                1 => {
                    composer.add(rng, praise_for_mixed_review(lexicon, complaint, category));
                    composer.connect(
                        pick(rng, reviews.contrasts),
                        pick(rng, reviews.mild_complaints.get(complaint)),
                    );
                    composer.add(rng, reviews.lukewarm_closers);
                }
                _ => {
                    let core = complaint_core(rng, lexicon, complaint, category);
                    composer.clause(rng, core);
                    composer.add(rng, reviews.lukewarm_closers);
                }
            }
            Tone::Neutral
        }
        (_, complaint) => {
            compose_complaint(&mut composer, rng, lexicon, complaint, category);
            Tone::Negative
        }
    };
    composer.finish(rng, lexicon, tone)
}

/// A buyer's chat message to a seller about a topic. Unknown languages get English.
pub fn buyer_message<R: Rng>(rng: &mut R, language: &str, topic: ChatTopic) -> String {
    let lexicon = lexicon_for(language);
    let chat = &lexicon.chat;
    let separator = sentence_separator(lexicon.script);
    let mut message = String::with_capacity(120);
    let mut capitalize = rng.gen_bool(0.6);
    if rng.gen_bool(0.6) {
        let greeting = pick(rng, chat.buyer_greetings);
        message.push_str(greeting);
        message.push_str(separator);
        capitalize = greeting.ends_with(['.', '!', '?']);
    }
    push_capitalized(&mut message, pick(rng, chat.buyer.get(topic)), capitalize);
    if topic != ChatTopic::Thanks && rng.gen_bool(0.4) {
        message.push_str(separator);
        message.push_str(pick(rng, chat.buyer_closers));
    }
    casualise(rng, lexicon, message)
}

/// A seller's reply to a buyer about a topic: polite, on the platform (no phone numbers, links or
/// other apps), no rewards for reviews, no buyer names. Unknown languages get English.
pub fn seller_reply<R: Rng>(rng: &mut R, language: &str, topic: ChatTopic) -> String {
    let lexicon = lexicon_for(language);
    let chat = &lexicon.chat;
    let separator = sentence_separator(lexicon.script);
    let mut reply = String::with_capacity(200);
    if rng.gen_bool(0.85) {
        reply.push_str(pick(rng, chat.seller_greetings));
        reply.push_str(separator);
    }
    reply.push_str(pick(rng, chat.seller.get(topic)));
    if rng.gen_bool(0.75) {
        reply.push_str(separator);
        reply.push_str(pick(rng, chat.seller_closers));
    }
    reply
}

fn lexicon_for(language: &str) -> &'static Lexicon {
    // Accept tags such as "es-MX" or "zh_Hans" by their primary subtag.
    let primary = language.trim().split(['-', '_']).next().unwrap_or_default();
    const LEXICONS: [(&str, &Lexicon); 7] = [
        ("en", &en::LEXICON),
        ("id", &id::LEXICON),
        ("ms", &ms::LEXICON),
        ("th", &th::LEXICON),
        ("vi", &vi::LEXICON),
        ("es", &es::LEXICON),
        ("zh", &zh::LEXICON),
    ];
    LEXICONS
        .iter()
        .find(|(code, _)| code.eq_ignore_ascii_case(primary))
        .map_or(&en::LEXICON, |(_, lexicon)| lexicon)
}

fn compose_praise<R: Rng>(
    composer: &mut Composer,
    rng: &mut R,
    lexicon: &Lexicon,
    category: Category,
    five_stars: bool,
) {
    let reviews = &lexicon.reviews;
    if rng.gen_bool(if five_stars { 0.2 } else { 0.1 }) {
        let (first, second) = pick_two(rng, reviews.short_praise);
        composer.clause(rng, first);
        if rng.gen_bool(0.25) && second != first {
            composer.clause(rng, second);
        }
        return;
    }
    if rng.gen_bool(0.3) {
        composer.add(rng, reviews.praise_openers);
    }
    let product = pick(rng, reviews.praise_product.get(category));
    let service = pick(rng, reviews.praise_service);
    let with_both = rng.gen_bool(0.55);
    if rng.gen_bool(0.65) {
        composer.clause(rng, product);
        if with_both {
            composer.clause(rng, service);
        }
    } else {
        composer.clause(rng, service);
        if with_both {
            composer.clause(rng, product);
        }
    }
    if rng.gen_bool(0.5) {
        composer.add(rng, reviews.praise_closers);
    }
}

fn compose_complaint<R: Rng>(
    composer: &mut Composer,
    rng: &mut R,
    lexicon: &Lexicon,
    complaint: Complaint,
    category: Category,
) {
    let reviews = &lexicon.reviews;
    if rng.gen_bool(0.08) {
        let core = complaint_core(rng, lexicon, complaint, category);
        composer.clause(rng, core);
        return;
    }
    if rng.gen_bool(0.45) {
        composer.add(rng, reviews.negative_openers);
    }
    let core = complaint_core(rng, lexicon, complaint, category);
    composer.clause(rng, core);
    if rng.gen_bool(0.55) {
        composer.add(rng, reviews.complaint_details.get(complaint));
    }
    if rng.gen_bool(0.5) {
        composer.add(rng, reviews.negative_closers);
    }
}

/// The complaint itself: in the category's words when the language has them, else generic.
fn complaint_core<R: Rng>(
    rng: &mut R,
    lexicon: &Lexicon,
    complaint: Complaint,
    category: Category,
) -> &'static str {
    let reviews = &lexicon.reviews;
    let specific = reviews.product_complaints.get(category).get(complaint);
    let generic = reviews.complaint_cores.get(complaint);
    if !specific.is_empty() && (generic.is_empty() || rng.gen_bool(0.6)) {
        pick(rng, specific)
    } else {
        pick(rng, generic)
    }
}

fn praise_for_mixed_review(lexicon: &Lexicon, complaint: Complaint, category: Category) -> Phrases {
    if complaint.is_about_product() {
        lexicon.reviews.praise_service
    } else {
        lexicon.reviews.praise_product.get(category)
    }
}

/// Overall feeling of a review, which decides its emoji.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tone {
    Positive,
    Neutral,
    Negative,
}

/// Builds one review text clause by clause.
struct Composer {
    script: Script,
    text: String,
    /// Whether clauses that start a sentence get a capital letter (casual texts stay lowercase).
    sentence_case: bool,
    capitalize_next: bool,
}

impl Composer {
    fn new<R: Rng>(rng: &mut R, script: Script) -> Self {
        Self {
            script,
            text: String::with_capacity(160),
            sentence_case: script == Script::Latin && rng.gen_bool(0.6),
            capitalize_next: true,
        }
    }

    /// Appends a random clause of a table after a random joiner.
    fn add<R: Rng>(&mut self, rng: &mut R, phrases: Phrases) {
        let piece = pick(rng, phrases);
        self.clause(rng, piece);
    }

    /// Appends a clause after a random joiner fitting the script.
    fn clause<R: Rng>(&mut self, rng: &mut R, piece: &str) {
        if piece.is_empty() {
            return;
        }
        if !self.text.is_empty() {
            let joiner = pick(rng, joiners(self.script));
            self.text.push_str(joiner);
            self.capitalize_next = joiner.trim_end().ends_with(['.', '!', '?']);
        }
        self.append(piece);
    }

    /// Appends a clause after a given connector such as ", but ".
    fn connect(&mut self, connector: &str, piece: &str) {
        if piece.is_empty() {
            return;
        }
        self.text.push_str(connector);
        self.capitalize_next = false;
        self.append(piece);
    }

    fn append(&mut self, piece: &str) {
        push_capitalized(
            &mut self.text,
            piece,
            self.capitalize_next && self.sentence_case,
        );
        self.capitalize_next = false;
    }

    fn finish<R: Rng>(mut self, rng: &mut R, lexicon: &Lexicon, tone: Tone) -> String {
        self.text
            .push_str(pick(rng, final_punctuation(self.script)));
        let (emoji_rate, emoji) = match tone {
            Tone::Positive => (0.35, POSITIVE_EMOJI),
            Tone::Neutral => (0.15, NEUTRAL_EMOJI),
            Tone::Negative => (0.25, NEGATIVE_EMOJI),
        };
        if rng.gen_bool(emoji_rate) {
            if self.script != Script::Han {
                self.text.push(' ');
            }
            let chosen = pick(rng, emoji);
            for _ in 0..rng.gen_range(1..=3) {
                self.text.push_str(chosen);
            }
        }
        if !self.sentence_case && self.script == Script::Latin && rng.gen_bool(0.4) {
            self.text = self.text.to_lowercase();
        }
        casualise(rng, lexicon, self.text)
    }
}

const POSITIVE_EMOJI: Phrases = &[
    "👍", "😍", "🥰", "❤️", "💯", "🔥", "😊", "👌", "🙏", "✨", "😁", "🤩", "💕",
];
const NEUTRAL_EMOJI: Phrases = &["🙂", "😐", "🤔", "😅", "👌"];
const NEGATIVE_EMOJI: Phrases = &["😡", "😤", "😞", "👎", "😭", "🙄", "💔", "😠", "😢", "🤬"];

fn joiners(script: Script) -> Phrases {
    match script {
        Script::Latin => &[
            ". ", ". ", ". ", ", ", ", ", ", ", " ", " ", "! ", "... ", " - ",
        ],
        Script::Thai => &[" ", " ", " ", "  ", " ", "! "],
        Script::Han => &["，", "，", "，", "。", "。", "！", " ", ","],
    }
}

fn final_punctuation(script: Script) -> Phrases {
    match script {
        Script::Latin => &["", "", "", ".", ".", "!", "!!", "...", "!!!"],
        Script::Thai => &["", "", "", "", "!", "!!", "~"],
        Script::Han => &["", "", "。", "。", "！", "！！", "~"],
    }
}

fn sentence_separator(script: Script) -> &'static str {
    match script {
        Script::Han => "",
        Script::Latin | Script::Thai => " ",
    }
}

/// Gives a buyer text the texture of typing on a phone: abbreviations, missing diacritics, typos.
fn casualise<R: Rng>(rng: &mut R, lexicon: &Lexicon, mut text: String) -> String {
    if rng.gen_bool(lexicon.abbreviation_rate) {
        for (long, short) in lexicon.abbreviations {
            if rng.gen_bool(0.6) {
                if let Some(shortened) = replace_words(&text, long, short, lexicon.script) {
                    text = shortened;
                }
            }
        }
    }
    if rng.gen_bool(lexicon.plain_letters_rate) {
        text = text.chars().map(plain_letter).collect();
    }
    if lexicon.script == Script::Latin && rng.gen_bool(0.1) {
        text = with_typo(rng, &text);
    }
    text
}

/// Replaces whole-word occurrences of `from` (any occurrence for scripts without spaces).
/// Returns `None` when nothing matched, so the caller keeps its string.
fn replace_words(text: &str, from: &str, to: &str, script: Script) -> Option<String> {
    let mut result: Option<String> = None;
    let mut copied_up_to = 0;
    for (start, matched) in text.match_indices(from) {
        let end = start + matched.len();
        let is_word = script != Script::Latin
            || (!text[..start]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
                && !text[end..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric));
        if is_word {
            let out = result.get_or_insert_with(|| String::with_capacity(text.len()));
            out.push_str(&text[copied_up_to..start]);
            out.push_str(to);
            copied_up_to = end;
        }
    }
    let mut out = result?;
    out.push_str(&text[copied_up_to..]);
    Some(out)
}

/// One slip of the thumb: two letters swapped, one dropped or one doubled.
fn with_typo<R: Rng>(rng: &mut R, text: &str) -> String {
    let bytes = text.as_bytes();
    let is_letter_pair = |pair: &[u8]| pair[0].is_ascii_lowercase() && pair[1].is_ascii_lowercase();
    let candidate_count = bytes.windows(2).filter(|pair| is_letter_pair(pair)).count();
    if candidate_count == 0 {
        return text.to_owned();
    }
    let chosen = rng.gen_range(0..candidate_count);
    let Some(position) = bytes
        .windows(2)
        .enumerate()
        .filter(|(_, pair)| is_letter_pair(pair))
        .nth(chosen)
        .map(|(position, _)| position)
    else {
        return text.to_owned();
    };
    // Both bytes are ASCII, so slicing around them stays on character boundaries.
    let (first, second) = (bytes[position] as char, bytes[position + 1] as char);
    let mut out = String::with_capacity(text.len() + 1);
    out.push_str(&text[..position]);
    match rng.gen_range(0..3) {
        0 => {
            out.push(second);
            out.push(first);
        }
        1 => out.push(second),
        _ => {
            out.push(first);
            out.push(first);
            out.push(second);
        }
    }
    out.push_str(&text[position + 2..]);
    out
}

/// The letter without tone marks or accents, as typed on a keyboard without them (ñ is kept).
fn plain_letter(letter: char) -> char {
    match letter {
        'à'..='å' => 'a',
        'À'..='Å' => 'A',
        'è'..='ë' => 'e',
        'È'..='Ë' => 'E',
        'ì'..='ï' => 'i',
        'Ì'..='Ï' => 'I',
        'ò'..='ö' => 'o',
        'Ò'..='Ö' => 'O',
        'ù'..='ü' => 'u',
        'Ù'..='Ü' => 'U',
        'ý' | 'ÿ' => 'y',
        'Ý' => 'Y',
        'ă' => 'a',
        'Ă' => 'A',
        'đ' => 'd',
        'Đ' => 'D',
        'ĩ' => 'i',
        'Ĩ' => 'I',
        'ũ' | 'ư' => 'u',
        'Ũ' | 'Ư' => 'U',
        'ơ' => 'o',
        'Ơ' => 'O',
        // Vietnamese letters with tone marks (Latin Extended Additional): runs of one base
        // letter each, upper case on even code points.
        '\u{1EA0}'..='\u{1EF9}' => {
            let index = letter as u32 - 0x1EA0;
            let base = match index {
                0..=23 => 'a',
                24..=39 => 'e',
                40..=43 => 'i',
                44..=67 => 'o',
                68..=81 => 'u',
                _ => 'y',
            };
            if index & 1 == 0 {
                base.to_ascii_uppercase()
            } else {
                base
            }
        }
        _ => letter,
    }
}

/// Appends `piece`, with its first letter in upper case when `capitalize` (no effect on scripts
/// without letter case).
fn push_capitalized(text: &mut String, piece: &str, capitalize: bool) {
    let mut chars = piece.chars();
    match chars.next() {
        Some(first) if capitalize => {
            text.extend(first.to_uppercase());
            text.push_str(chars.as_str());
        }
        _ => text.push_str(piece),
    }
}

fn pick<R: Rng>(rng: &mut R, phrases: Phrases) -> &'static str {
    if phrases.is_empty() {
        return "";
    }
    phrases[rng.gen_range(0..phrases.len())]
}

/// Two phrases, different whenever the table has more than one.
fn pick_two<R: Rng>(rng: &mut R, phrases: Phrases) -> (&'static str, &'static str) {
    match phrases.len() {
        0 => ("", ""),
        1 => (phrases[0], phrases[0]),
        count => {
            let first = rng.gen_range(0..count);
            let offset = rng.gen_range(1..count);
            (phrases[first], phrases[(first + offset) % count])
        }
    }
}

#[cfg(test)]
mod tests;
