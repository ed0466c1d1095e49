//! `personal_data`: buyer names, phone numbers, e-mail addresses, street
//! addresses, payment card numbers, national ids and dates of birth.
//!
//! Names are found three ways: a greeting or title followed by a name ("Hi Sarah",
//! "Dear Mr Tan", "Kak Rina", "chị Lan", "คุณสมชาย", "亲爱的王小姐"), a
//! capitalised given name + surname pair from the team's gazetteers
//! (`data/*.txt`) next to personal context ("buyer Maria Lopez"), and Chinese
//! surname + honorific ("王小姐"). Numbers are validated (phonenumber, Luhn, the
//! Thai id checksum) so order numbers, tracking numbers and prices stay clean.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::{following, pattern, preceded_by, Context, Hits};
use crate::compliance::text::fold;
use crate::compliance::TextKind;

const NAME_MESSAGE: &str = "Contains what looks like a buyer's name. Names are personal data and must not appear in replies or messages the platform may show publicly.";
const NAME_SUGGESTION: &str = "Use a neutral greeting instead (\"Hi there\", \"Halo Kak\", \"Chào bạn\", \"สวัสดีค่ะ\", \"Hola\", \"您好\").";
const PHONE_MESSAGE: &str = "Contains a phone number. Phone numbers are personal data.";
const PHONE_SUGGESTION: &str =
    "Remove the number; refer to \"your order\" and continue in platform chat.";
const EMAIL_MESSAGE: &str = "Contains an e-mail address. E-mail addresses are personal data.";
const EMAIL_SUGGESTION: &str = "Remove the address; keep the conversation in platform chat.";
const ADDRESS_MESSAGE: &str = "Contains a street address. Addresses are personal data.";
const ADDRESS_SUGGESTION: &str =
    "Remove the address; say \"the delivery address on your order\" instead.";
const CARD_MESSAGE: &str = "Contains a payment card number.";
const CARD_SUGGESTION: &str =
    "Remove the card number entirely; never ask for or repeat card details.";
const ID_MESSAGE: &str = "Contains a national identity number.";
const ID_SUGGESTION: &str = "Remove the id number; it is never needed in a reply or message.";
const BIRTH_MESSAGE: &str = "Contains a date of birth.";
const BIRTH_SUGGESTION: &str = "Remove the date of birth.";

fn word_set(source: &str) -> HashSet<String> {
    source
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(fold)
        .collect()
}

static GIVEN_NAMES: LazyLock<HashSet<String>> =
    LazyLock::new(|| word_set(include_str!("../data/given_names.txt")));
static SURNAMES: LazyLock<HashSet<String>> =
    LazyLock::new(|| word_set(include_str!("../data/surnames.txt")));
static STOPWORDS: LazyLock<HashSet<String>> =
    LazyLock::new(|| word_set(include_str!("../data/name_stopwords.txt")));
static THAI_NAMES: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut names: Vec<String> = word_set(include_str!("../data/thai_given_names.txt"))
        .into_iter()
        .collect();
    names.sort_by_key(|name| std::cmp::Reverse(name.len()));
    names
});
static CHINESE_SURNAMES: LazyLock<String> = LazyLock::new(|| {
    include_str!("../data/chinese_surnames.txt")
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect()
});

const NAME_WORD: &str = r"\p{Lu}[\p{Ll}\p{M}'’]+";

static GREETING_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:^|[^\p{{L}}])(?P<greeting>(?i:hi|hello|hey|dear|hai|halo|hallo|helo|hola|thanks|thank you|thx|sorry|welcome|congrats|congratulations|good morning|good afternoon|good evening|terima kasih|makasih|maaf|selamat pagi|selamat siang|selamat sore|selamat malam|selamat datang|salam|chào|chao|xin chào|xin chao|cảm ơn|cám ơn|cam on|xin lỗi|xin loi|gracias|estimad[oa]|querid[oa]|buenos días|buenos dias|buenas tardes|buenas noches|perdón|perdon|disculpa))(?:[ \t]+(?i:so much|very much|a lot|again|lots|banyak|nhiều|nhieu|mucho|muchas))?(?P<separator>[ \t]*[,:!]?[ \t]*)(?:(?P<title>(?i:mr|mrs|ms|miss|mx|dr|mdm|madam|pak|bu|bapak|ibu|kak|kakak|mbak|mba|mas|bang|cik|encik|puan|tuan|khun|anh|chị|chi|cô|chú|bác|ông|bà|sr|sra|srta|señor|señora|señorita|don|doña|ate|kuya))\.?[ \t]+)?(?P<name>{NAME_WORD})(?:[ \t]+(?P<second>{NAME_WORD}))?(?P<after>[ \t]*(?:[,!.:?]|$))?"
    ))
    .expect("built-in greeting pattern compiles")
});

static TITLE_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:^|[^\p{{L}}])(?P<title>Mr|Mrs|Ms|Mx|Dr|Mdm|Madam|Pak|Bu|Bapak|Ibu|Kak|Kakak|Mbak|Mba|Mas|Bang|Cik|Encik|Puan|Tuan|Khun|Sr|Sra|Srta|Señor|Señora|Señorita|Doña|Ate|Kuya|pak|bu|kak|kakak|mbak|bang|cik|encik|puan|tuan|khun|chị|cô|chú|bác|ông|bà|anh|Chị|Cô|Chú|Bác|Ông|Bà|señor|señora)\.?[ \t]+(?P<name>{NAME_WORD})(?:[ \t]+(?P<second>{NAME_WORD}))?"
    ))
    .expect("built-in title pattern compiles")
});

static LOWERCASE_TITLE_NAME: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:kak|kakak|pak|bu|mbak|mba|bang|cik|encik)\s+(?P<name>[a-z]+)\b")
});

static PERSONAL_CONTEXT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?:\bbuyer|\bcustomer|\bpembeli|\bpelanggan|\bkhach|\bcliente|\bcomprador|\brecipient|\bpenerima|\bnguoi nhan|\bdestinatari|\breceiver|\batas nama\b|\ba\.n\.|\bgiao cho\b|\bgui cho\b|\benviado a\b|\ba nombre de\b|\baddressed to\b|\bdelivered to\b|\bshipped to\b|\bsent to\b|\bdikirim (?:ke|untuk)\b|\bname\b|\bnama\b|\bnombre\b|'s (?:order|parcel|package|address|review|account|phone)|\border\b|\bpesanan\b|\bdon hang\b|\bpedido\b|\breview\b|\bulasan\b|\bdanh gia\b|\bresena\b|收件人|买家|顾客|ผู้รับ|ลูกค้า)",
    )
});

static CHINESE_HONORIFIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"[{}](?:先生|小姐|女士|太太|老板|阿姨|同学)",
        CHINESE_SURNAMES.as_str()
    ))
    .expect("built-in Chinese honorific pattern compiles")
});

static CHINESE_DEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"亲爱的\s*(?P<name>\p{Han}{2,3})").expect("built-in pattern compiles")
});

const CHINESE_NOT_NAMES: [&str; 14] = [
    "顾客",
    "买家",
    "朋友",
    "亲",
    "用户",
    "宝",
    "客户",
    "家人",
    "会员",
    "小伙伴",
    "您",
    "你",
    "各位",
    "粉丝",
];

const THAI_NOT_NAMES: [&str; 10] = [
    "ลูกค้า",
    "ภาพ",
    "ค่า",
    "สมบัติ",
    "แม่",
    "พ่อ",
    "ประโยชน์",
    "ธรรม",
    "ความ",
    "ครู",
];

static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?:\bno\.?\s*\d+[a-z]?\s*,?\s*(?:jalan|jln|jl|lorong|lrg|persiaran|lebuh)\b\.?\s+[a-z0-9]+(?:\s+\d+[a-z]?\b)?|\b(?:jl|jln|jalan|gg|gang|lorong|lrg|komplek|perumahan|perum|taman|tmn)\.?\s+[a-z0-9][\w .'/-]{1,40}?\b(?:no|nomor|nombor)\.?\s*\d+[a-z]?\b|\brt\.?\s*0?\d{1,3}\s*/\s*rw\.?\s*0?\d{1,3}\b|\b(?:blok|blk)\.?\s*[a-z]?\d+[a-z]?\b|\bblock\s+\d+[a-z]?\b|\bunit\s+#?\d+[-/]\d+\b|#\d{1,3}-\d{2,4}\b|\b(?:apt|apartment|suite)\.?\s*#?\d+[a-z]?\b|\b\d{1,5}[a-z]?\s+(?:[a-z]+\s+){1,3}(?:street|avenue|road|lane|drive|boulevard|highway|parkway|terrace|crescent)\b|\b\d{1,5}[a-z]?\s+(?:[a-z]+\s+){1,2}(?:st|ave|rd|blvd)\b\.?|\bsoi\s+(?:\d+|[a-z]+(?:\s+\d+)?)\b|ซอย\s*[\p{Thai}\d]+|\d+/\d+\s*(?:หมู่|ม\.|ถนน|ถ\.|ซอย|ซ\.)|บ้านเลขที่\s*\d+|หมู่(?:ที่)?\s*\d+\s*(?:ต\.|ตำบล)|\b(?:so|so nha)\s+\d+[a-z]?(?:/\d+)*\s*,?\s*(?:duong|pho|ngo|hem|kiet|ngach)\s+[a-z0-9]|\b\d+[a-z]?(?:/\d+)+\s+(?:duong|pho|ngo|hem)\s+[a-z]|\b\d+\s+(?:duong|pho)\s+[a-z]+|\b(?:ngo|hem|ngach|kiet)\s+\d+(?:/\d+)?\s+(?:duong|pho|ngo)\b|\b(?:calle|avenida|avda|carrera|cra|colonia)\.?\s+[a-z0-9][\w .]{1,30}?\s*(?:#|no\.?|num\.?|numero)?\s*\d+\b|\bc\.?\s?p\.?\s*\d{5}\b|\p{Han}{1,8}(?:路|街|大道|巷|弄)\d+号|\d+号(?:楼|院)\d*|\d+(?:栋|幢)\d*(?:单元)?\d*(?:室)?)",
    )
});

static DIGIT_RUN: LazyLock<Regex> = LazyLock::new(|| pattern(r"\b\d(?:[ -]?\d){11,18}\b"));

static CARD_CONTEXT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?:\bcard\b|\bkartu\b|\bkad\b|\bvisa\b|\bmaster ?card\b|\bamex\b|\bcredit\b|\bdebit\b|\bso the\b|\bthe (?:tin dung|ngan hang|visa)\b|\btarjeta\b|卡号|信用卡|银行卡|บัตร)[^\n]{0,30}$",
    )
});

static NATIONAL_ID_CONTEXT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?:\bnik\b|\bktp\b|\bnomor induk\b|\bno\.? ktp\b|\bmykad\b|\bic\b|\bno\.? kp\b|\bkad pengenalan\b|\bcccd\b|\bcmnd\b|\bcan cuoc\b|\bssn\b|\bsocial security\b|\bid card\b|\bcitizen id\b|\bnational id\b|\bid number\b|\bcurp\b|\bpassport\b|\bpaspor\b|\bdni\b|\bine\b|身份证|บัตรประชาชน|เลขประจำตัว|เลขบัตร)[^\n]{0,30}$",
    )
});

static SPECIFIC_ID: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?:\b\d{6}-\d{2}-\d{4}\b|\b\d-\d{4}-\d{5}-\d{2}-\d\b|\b[a-z]{4}\d{6}[hm][a-z]{5}[a-z0-9]\d\b)",
    )
});

static CONTEXT_ID: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?:\b\d{3}-\d{2}-\d{4}\b|\b\d{17}[\dx]\b|\b[a-z]?\d{6,16}\b)"));

static BIRTH: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?:\bborn\b|\bdate of birth\b|\bdob\b|\bbirthday\b|\bbirth ?date\b|\blahir\b|\btanggal lahir\b|\btgl\.? lahir\b|\bttl\b|\btarikh lahir\b|\bngay sinh\b|\bsinh ngay\b|\bsinh nam\b|\bnacid[oa]\b|\bfecha de nacimiento\b|\bcumpleanos\b|出生|生日|วันเกิด|เกิดวันที่|ปีเกิด)[^\n]{0,30}?(?:\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b\d{4}[/.-]\d{1,2}[/.-]\d{1,2}\b|\b\d{1,2}\s+(?:de\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|januari|februari|maret|mei|juni|juli|agustus|oktober|desember|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|thang)\w*(?:\s+(?:de\s+)?\d{1,4})?|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\s+\d{1,2}(?:,?\s+\d{4})?|\b(?:19|20)\d{2}\b|\d{4}年\d{1,2}月\d{1,2}日|\d{1,2}月\d{1,2}日|\d{1,2}\s*(?:ม\.ค\.|ก\.พ\.|มี\.ค\.|เม\.ย\.|พ\.ค\.|มิ\.ย\.|ก\.ค\.|ส\.ค\.|ก\.ย\.|ต\.ค\.|พ\.ย\.|ธ\.ค\.|มกราคม|กุมภาพันธ์|มีนาคม|เมษายน|พฤษภาคม|มิถุนายน|กรกฎาคม|สิงหาคม|กันยายน|ตุลาคม|พฤศจิกายน|ธันวาคม)(?:\s*\d{4})?)",
    )
});

pub fn check(context: &Context<'_>, hits: &mut Hits<'_, '_>) {
    names(context, hits);
    for contact in context.contacts() {
        if contact.offered_as_channel {
            continue;
        }
        if contact.is_email {
            hits.folded(contact.range.clone(), EMAIL_MESSAGE, EMAIL_SUGGESTION);
        } else {
            hits.folded(contact.range.clone(), PHONE_MESSAGE, PHONE_SUGGESTION);
        }
    }
    let folded = context.folded();
    let has_digit = folded.bytes().any(|byte| byte.is_ascii_digit());
    if has_digit || folded.contains("soi") || folded.contains("ซอย") {
        for found in ADDRESS.find_iter(folded) {
            hits.folded(found.range(), ADDRESS_MESSAGE, ADDRESS_SUGGESTION);
        }
    }
    if has_digit {
        numbers(context, hits);
        for found in BIRTH.find_iter(folded) {
            hits.folded(found.range(), BIRTH_MESSAGE, BIRTH_SUGGESTION);
        }
    }
}

fn is_stopword(word: &str) -> bool {
    STOPWORDS.contains(&fold(word))
}

fn is_given(word: &str) -> bool {
    GIVEN_NAMES.contains(&fold(word))
}

fn is_surname(word: &str) -> bool {
    SURNAMES.contains(&fold(word))
}

fn names(context: &Context<'_>, hits: &mut Hits<'_, '_>) {
    let original = context.original();
    let greeting_or_title = GREETING_OR_TITLE.is_match(context.folded());
    if original.chars().any(char::is_uppercase) {
        if greeting_or_title {
            greeted_names(context, hits);
        }
        name_pairs_and_vocatives(context, hits);
    }
    let lowercase_titled = if greeting_or_title {
        LOWERCASE_TITLE_NAME
            .captures_iter(context.folded())
            .collect()
    } else {
        Vec::new()
    };
    for captures in lowercase_titled {
        if let Some(name) = captures.name("name") {
            if GIVEN_NAMES.contains(name.as_str()) && !STOPWORDS.contains(name.as_str()) {
                let whole = captures.get(0).map_or(name.range(), |whole| whole.range());
                hits.folded(whole, NAME_MESSAGE, NAME_SUGGESTION);
            }
        }
    }
    if original.contains('先')
        || original.contains('小')
        || original.contains('女')
        || original.contains('太')
        || original.contains('老')
        || original.contains('阿')
        || original.contains('同')
    {
        for found in CHINESE_HONORIFIC.find_iter(original) {
            hits.original(found.range(), NAME_MESSAGE, NAME_SUGGESTION);
        }
    }
    if original.contains("亲爱的") {
        chinese_dear(original, hits);
    }
    thai_names(original, hits);
}

/// A cheap gate for [`greeted_names`]: some greeting or title word is present.
static GREETING_OR_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"\b(?:hi|hello|hey|dear|hai|halo|hallo|helo|hola|thanks|thank|thx|sorry|welcome|congrats|congratulations|good|terima|makasih|maaf|selamat|salam|chao|cam|xin|gracias|estimad[oa]|querid[oa]|buen[oa]s|perdon|disculpa|mr|mrs|ms|miss|mx|dr|mdm|madam|pak|bu|bapak|ibu|kak|kakak|mbak|mba|mas|bang|cik|encik|puan|tuan|khun|anh|chi|co|chu|bac|ong|ba|sr|sra|srta|senor|senora|senorita|don|dona|ate|kuya)\b",
    )
});

/// Greeting + name and title + name in Latin script.
fn greeted_names(context: &Context<'_>, hits: &mut Hits<'_, '_>) {
    let original = context.original();
    for captures in GREETING_NAME.captures_iter(original) {
        let (Some(greeting), Some(name)) = (captures.name("greeting"), captures.name("name"))
        else {
            continue;
        };
        if is_stopword(name.as_str()) || !dot_fits_title(original, captures.name("title")) {
            continue;
        }
        let titled = captures.name("title").is_some();
        let separator_has_comma = captures
            .name("separator")
            .is_some_and(|separator| separator.as_str().contains([',', ':', '!']));
        let vocative_greeting = matches!(
            fold(greeting.as_str()).as_str(),
            "hi" | "hello"
                | "hey"
                | "dear"
                | "hai"
                | "halo"
                | "hallo"
                | "helo"
                | "hola"
                | "chao"
                | "xin chao"
                | "estimado"
                | "estimada"
                | "querido"
                | "querida"
        );
        let second_is_name = captures
            .name("second")
            .is_some_and(|second| is_surname(second.as_str()) || is_given(second.as_str()));
        let standalone =
            !separator_has_comma && vocative_greeting && captures.name("after").is_some();
        if titled || is_given(name.as_str()) || second_is_name || standalone {
            let start = captures
                .name("title")
                .map_or(name.start(), |title| title.start());
            let end = captures
                .name("second")
                .filter(|second| is_surname(second.as_str()) || is_given(second.as_str()))
                .map_or(name.end(), |second| second.end());
            hits.original(start..end, NAME_MESSAGE, NAME_SUGGESTION);
        }
    }
    for captures in TITLE_NAME.captures_iter(original) {
        let (Some(title), Some(name)) = (captures.name("title"), captures.name("name")) else {
            continue;
        };
        if is_stopword(name.as_str()) || !dot_fits_title(original, Some(title)) {
            continue;
        }
        let vietnamese_pronoun = matches!(title.as_str(), "anh" | "Anh");
        if vietnamese_pronoun && !is_given(name.as_str()) {
            continue;
        }
        let end = captures
            .name("second")
            .filter(|second| is_surname(second.as_str()) || is_given(second.as_str()))
            .map_or(name.end(), |second| second.end());
        hits.original(title.start()..end, NAME_MESSAGE, NAME_SUGGESTION);
    }
}

/// A word of the original text with the punctuation glued to it.
struct Word<'t> {
    text: &'t str,
    start: usize,
    /// Punctuation right after the word ("," in "Maria,").
    trailing: &'t str,
}

impl Word<'_> {
    fn end(&self) -> usize {
        self.start + self.text.len()
    }

    /// "Maria", "O'Neil", "Hernández": a capital then lower-case letters.
    fn is_capitalised(&self) -> bool {
        let mut characters = self.text.chars();
        characters.next().is_some_and(char::is_uppercase)
            && self.text.chars().count() >= 2
            && characters.all(|c| {
                c.is_lowercase() || c == '\'' || c == '’' || ('\u{300}'..='\u{36f}').contains(&c)
            })
    }
}

/// Splits the text at whitespace; leading and trailing punctuation is kept apart.
fn words(original: &str) -> Vec<Word<'_>> {
    let mut words = Vec::new();
    let mut offset = 0;
    for token in original.split_inclusive(char::is_whitespace) {
        let token_start = offset;
        offset += token.len();
        let token = token.trim_end();
        let core_start = token.len()
            - token
                .trim_start_matches(|c: char| c.is_ascii_punctuation() || c == '¡' || c == '¿')
                .len();
        let core =
            token[core_start..].trim_end_matches(|c: char| c.is_ascii_punctuation() && c != '\'');
        if core.is_empty() {
            continue;
        }
        words.push(Word {
            text: core,
            start: token_start + core_start,
            trailing: &token[core_start + core.len()..],
        });
    }
    words
}

/// A capitalised given name + surname (or surname + given name) from the
/// gazetteers next to personal context or outside listings, and a given name
/// addressed at the end of a sentence (", María!").
fn name_pairs_and_vocatives(context: &Context<'_>, hits: &mut Hits<'_, '_>) {
    let words = words(context.original());
    for (index, first) in words.iter().enumerate() {
        if !first.is_capitalised() || is_stopword(first.text) {
            continue;
        }
        let after_comma = index > 0 && words[index - 1].trailing.ends_with(',');
        let ends_sentence = first.trailing.starts_with(['!', '.', '?']) || index + 1 == words.len();
        if after_comma && ends_sentence && is_given(first.text) {
            hits.original(first.start..first.end(), NAME_MESSAGE, NAME_SUGGESTION);
            continue;
        }
        let Some(second) = words.get(index + 1).filter(|second| {
            first.trailing.is_empty() && second.is_capitalised() && !is_stopword(second.text)
        }) else {
            continue;
        };
        let third = words
            .get(index + 2)
            .filter(|third| second.trailing.is_empty() && third.is_capitalised());
        let western = is_given(first.text) && (is_surname(second.text) || is_given(second.text));
        let family_first = is_surname(first.text)
            && (is_given(second.text) || third.is_some_and(|third| is_given(third.text)));
        if !(western || family_first) {
            continue;
        }
        let folded_start = folded_offset(context, first.start);
        let sentence = context
            .sentences
            .iter()
            .find(|range| range.contains(&folded_start))
            .map_or("", |range| &context.folded()[range.clone()]);
        let strong_pair =
            is_given(first.text) && is_surname(second.text) && context.kind != TextKind::Listing;
        if strong_pair || PERSONAL_CONTEXT.is_match(sentence) {
            let end = third
                .filter(|third| is_given(third.text) || is_surname(third.text))
                .map_or(second.end(), |third| third.end());
            hits.original(first.start..end, NAME_MESSAGE, NAME_SUGGESTION);
        }
    }
}

/// 亲爱的 + a name starting with a Chinese surname ("亲爱的陈美玲").
fn chinese_dear(original: &str, hits: &mut Hits<'_, '_>) {
    for captures in CHINESE_DEAR.captures_iter(original) {
        if let Some(name) = captures.name("name") {
            let text = name.as_str();
            let first_is_surname = text
                .chars()
                .next()
                .is_some_and(|first| CHINESE_SURNAMES.contains(first));
            if first_is_surname && !CHINESE_NOT_NAMES.iter().any(|stop| text.starts_with(stop)) {
                hits.original(name.range(), NAME_MESSAGE, NAME_SUGGESTION);
            }
        }
    }
}

/// A full stop after a title is an abbreviation ("Mr. Tan") only for abbreviated
/// titles; after "Kak." it ends a sentence and the next capital is not a name.
fn dot_fits_title(original: &str, title: Option<regex::Match<'_>>) -> bool {
    let Some(title) = title else {
        return true;
    };
    if !original[title.end()..].starts_with('.') {
        return true;
    }
    matches!(
        title.as_str().to_ascii_lowercase().as_str(),
        "mr" | "mrs" | "ms" | "mx" | "dr" | "mdm" | "sr" | "sra" | "srta"
    )
}

/// คุณ/น้อง/พี่ + a Thai given name from the gazetteer ("คุณสมชาย").
fn thai_names(original: &str, hits: &mut Hits<'_, '_>) {
    for title in ["คุณ", "น้อง", "พี่"] {
        for (at, _) in original.match_indices(title) {
            if title == "คุณ" && original[..at].ends_with("ขอบ") {
                continue;
            }
            let after_title = at + title.len();
            let rest = original[after_title..].trim_start_matches(' ');
            let skipped = original.len() - after_title - rest.len();
            if THAI_NOT_NAMES.iter().any(|stop| rest.starts_with(stop)) {
                continue;
            }
            if let Some(name) = THAI_NAMES
                .iter()
                .find(|name| rest.starts_with(name.as_str()))
            {
                hits.original(
                    at..after_title + skipped + name.len(),
                    NAME_MESSAGE,
                    NAME_SUGGESTION,
                );
            }
        }
    }
}

/// The folded offset of an original offset (first folded byte at or after it).
fn folded_offset(context: &Context<'_>, original_offset: usize) -> usize {
    let prefix = &context.original()[..original_offset];
    fold(prefix).len()
}

fn numbers(context: &Context<'_>, hits: &mut Hits<'_, '_>) {
    let folded = context.folded();
    for found in SPECIFIC_ID.find_iter(folded) {
        let digits: Vec<u32> = found
            .as_str()
            .chars()
            .filter_map(|c| c.to_digit(10))
            .collect();
        let thai_dashed = digits.len() == 13 && found.as_str().contains('-');
        if thai_dashed && !thai_id_checksum_ok(&digits) {
            continue;
        }
        hits.folded(found.range(), ID_MESSAGE, ID_SUGGESTION);
    }
    for found in CONTEXT_ID.find_iter(folded) {
        if preceded_by(folded, found.start(), 40, &NATIONAL_ID_CONTEXT) {
            hits.folded(found.range(), ID_MESSAGE, ID_SUGGESTION);
        }
    }
    for found in DIGIT_RUN.find_iter(folded) {
        let digits: Vec<u32> = found
            .as_str()
            .chars()
            .filter_map(|c| c.to_digit(10))
            .collect();
        if digits.len() == 13 && !found.as_str().contains(' ') && thai_id_checksum_ok(&digits) {
            let cued = preceded_by(folded, found.start(), 40, &NATIONAL_ID_CONTEXT);
            if cued {
                hits.folded(found.range(), ID_MESSAGE, ID_SUGGESTION);
                continue;
            }
        }
        if !(13..=19).contains(&digits.len()) || !luhn_ok(&digits) {
            continue;
        }
        let grouped = is_grouped_by_four(found.as_str());
        let cued = preceded_by(folded, found.start(), 40, &CARD_CONTEXT);
        let card_prefix = matches!(digits.len(), 15 | 16) && has_card_prefix(&digits);
        let order_like = preceded_by(folded, found.start(), 30, &ORDER_CONTEXT);
        if cued
            || (!order_like && (grouped || card_prefix && following(folded, found.end(), 1) != "-"))
        {
            hits.folded(found.range(), CARD_MESSAGE, CARD_SUGGESTION);
        }
    }
}

static ORDER_CONTEXT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?:order|pesanan|resi|awb|tracking|track|lacak|invoice|ma don|don hang|van don|pedido|guia|rastreo|订单|单号|快递|运单|คำสั่งซื้อ|พัสดุ|#|\bnik\b|\bktp\b|\bid\b)[^\n]{0,20}$",
    )
});

fn is_grouped_by_four(run: &str) -> bool {
    let groups: Vec<&str> = run.split([' ', '-']).collect();
    groups.len() >= 3
        && groups[..groups.len() - 1]
            .iter()
            .all(|group| group.len() == 4)
}

fn has_card_prefix(digits: &[u32]) -> bool {
    match digits {
        [4, ..] => true,
        [5, second, ..] => (1..=5).contains(second),
        [2, second, ..] => (2..=7).contains(second),
        [3, 4, ..] | [3, 7, ..] => true,
        [6, 0, 1, 1, ..] | [6, 5, ..] => true,
        _ => false,
    }
}

fn luhn_ok(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(index, &digit)| {
            if index % 2 == 1 {
                let doubled = digit * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                digit
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The Thai national id's mod-11 check digit.
fn thai_id_checksum_ok(digits: &[u32]) -> bool {
    if digits.len() != 13 {
        return false;
    }
    let weighted: u32 = digits[..12]
        .iter()
        .enumerate()
        .map(|(index, &digit)| digit * (13 - index as u32))
        .sum();
    (11 - weighted % 11) % 10 == digits[12]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_accepts_test_card_and_rejects_neighbour() {
        let good: Vec<u32> = "4111111111111111"
            .chars()
            .filter_map(|c| c.to_digit(10))
            .collect();
        let bad: Vec<u32> = "4111111111111112"
            .chars()
            .filter_map(|c| c.to_digit(10))
            .collect();
        assert!(luhn_ok(&good));
        assert!(!luhn_ok(&bad));
    }

    #[test]
    fn thai_checksum_accepts_valid_and_rejects_changed_digit() {
        let digits =
            |text: &str| -> Vec<u32> { text.chars().filter_map(|c| c.to_digit(10)).collect() };
        assert!(thai_id_checksum_ok(&digits("1101700203450")));
        assert!(!thai_id_checksum_ok(&digits("1101700203451")));
        assert!(!thai_id_checksum_ok(&digits("110170020345")));
    }
}
