//! Phone numbers and e-mail addresses in a text, shared by `personal_data` (a
//! number quoted in a reply) and `off_platform_redirect` (a number offered as a
//! contact channel: "WhatsApp us at …").
//!
//! Phone candidates are digit runs with the usual separators; a candidate counts
//! only when the `phonenumber` crate validates it for a plausible region (the
//! market's, then the buyers' usual ones), or when it is written in an
//! unmistakable phone layout (+country code, or "(555) 201-3344"). Order numbers
//! (18–19 digits), tracking numbers (letters attached), prices, percentages and
//! dates are never phone numbers.

use std::ops::Range;
use std::sync::LazyLock;

use phonenumber::country::Id as Region;
use regex::Regex;

use super::rules::{pattern, preceded_by, Context};

static PHONE_CANDIDATE: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?:\+\s?\d|\(\d|\b\d)[\d \t().\-/]{6,22}\d\b"));

static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"\b[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b"));

static DATE_LAYOUT: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$"));

static NANP_LAYOUT: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"^(?:\+?1[ .-]?)?\(?\d{3}\)?[ .-]?\d{3}[ .-]\d{4}$"));

/// Words that make a digit run an order, tracking, product or money figure.
static NOT_A_PHONE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?:order|pesanan|resi|awb|tracking|track|lacak|invoice|inv|sku|barcode|ean|upc|isbn|model|serial|batch|lot|ma don|don hang|van don|ma van|pedido|guia|rastreo|paquete|订单|单号|快递|运单|编号|คำสั่งซื้อ|พัสดุ|เลขที่|#|\brp\.?|\bidr|\brm|\$|\busd|\bthb|฿|\bvnd|₫|\bphp|₱|\bsgd|\bmxn|¥|￥|€|£|\bnik\b|\bktp\b|\bssn\b|\bcccd\b|\bcmnd\b|\bcard\b|\bkartu\b|บัตร|\bid\b)[^\n]{0,12}$",
    )
});

static NOT_A_PHONE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"^\s?(?:%|đ|d\b|vnd|k\b|baht|บาท|元|块|円|pcs|kg|g\b|gr\b|ml|mm|cm|m\b|x\b|mah|w\b|v\b|hz)",
    )
});

/// A phone word right before a bare digit run ("tel", "hp", "โทร", "电话").
static PHONE_WORD_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?:\bphone|\btel\b|\btelp|\bhp\b|\bmobile|\bcell|\bnumber|\bno\.?|\bnomor|\bnombor|\bcall|\btext|\bsms|\bwhats ?app|\bwa\b|\bhotline|\bsdt|\bso dien thoai|\bgoi|\bzalo|\btelefono|\bcelular|\bllam\w*|\bmarque\w*|电话|手机|号码|微信|โทร|เบอร์|ไลน์|line)\W{0,4}$",
    )
});

/// Contact wording that offers the seller's channel rather than quoting a buyer's.
static CONTACT_OFFER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?:\b(?:call|text|sms|ring|phone|whats ?app|wa|contact|reach|message|msg|chat|email|e-mail|mail|write to|dm|add)\b(?: \w+){0,2} (?:us|me)\b|\b(?:our|my)\b(?: \w+){0,2} (?:number|phone|hotline|whats ?app|wa|email|e-mail|line|zalo|contact|mobile|cell|address)\b|\bhotline\b|\bgive us a (?:call|ring)\b[^\n]{0,6}|\b(?:hubungi|kontak|telepon|telefon|chat|wa|whatsapp|sms|email|hub|japri)\b(?: \w+){0,2} (?:kami|saya|admin|toko|kita|cs)\b|\b(?:nomor|nombor|no|email|wa|whatsapp) (?:kami|saya|admin|toko|cs)\b|\b(?:lien he|nhan tin|ib|inbox|ket ban)\b|\b(?:sdt|so dien thoai|hotline|email|zalo) (?:cua )?(?:shop|chung toi|em|minh)\b|\b(?:llamanos|llame al|llama al|escribenos|contactanos|marcanos|nuestro (?:numero|telefono|correo|whatsapp)|nuestro)\b|联系我们|联系电话|客服电话|加我|打(?:我们的)?电话|致电|拨打|微信|ติดต่อ|โทรหา(?:ร้าน|เรา|แอดมิน)|โทรมา|ได้ที่|แอดไลน์|ไลน์|ทัก|\b(?:call|text|sms|whats ?app|wa|hubungi|telp|tel|hotline|lien he|zalo|sdt|llama|llamar|contact|email|e-mail|mail|correo|line)\b(?:\W{1,3}(?:us|me|kami|saya|admin|aja|saja|ya|shop|toko|cs|at|on|ke|di|to|via|now|sekarang|qua|al))*\W{0,6}$)",
    )
});

/// Wording before an e-mail address that offers it as a channel.
static EMAIL_OFFER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?:\b(?:e-?mails?|e-?mel|mail|correo|gmail)\b|อีเมล|邮件|邮箱|\bcontact\b|\breach\b|\bwrite\b|\bhubungi\b|\bkontak\b|\blien he\b|\bescrib\w*|\bcontacta\w*|ติดต่อ|联系)",
    )
});

/// A phone number or e-mail address found in the folded text.
pub struct Contact {
    /// Range in the folded text.
    pub range: Range<usize>,
    pub is_email: bool,
    /// True when the text offers it as a way to reach the seller.
    pub offered_as_channel: bool,
}

/// All phone numbers and e-mail addresses in the text.
pub fn find(context: &Context<'_>) -> Vec<Contact> {
    let folded = context.folded();
    let mut contacts = Vec::new();
    if folded.contains('@') {
        find_emails(folded, &mut contacts);
    }
    if folded.bytes().filter(u8::is_ascii_digit).count() >= 8 {
        find_phones(folded, context.market.as_deref(), &mut contacts);
    }
    contacts
}

fn find_emails(folded: &str, contacts: &mut Vec<Contact>) {
    for email in EMAIL.find_iter(folded) {
        contacts.push(Contact {
            range: email.range(),
            is_email: true,
            offered_as_channel: preceded_by(folded, email.start(), 40, &EMAIL_OFFER),
        });
    }
}

fn find_phones(folded: &str, market: Option<&str>, contacts: &mut Vec<Contact>) {
    for candidate in PHONE_CANDIDATE.find_iter(folded) {
        let inside_email = contacts.iter().any(|contact| {
            contact.range.start <= candidate.start() && candidate.end() <= contact.range.end
        });
        if inside_email {
            continue;
        }
        let trimmed = trim_candidate(candidate.as_str());
        let start =
            candidate.start() + (candidate.as_str().len() - candidate.as_str().trim_start().len());
        if !is_phone(folded, start, candidate.end(), trimmed, market) {
            continue;
        }
        contacts.push(Contact {
            range: start..candidate.end(),
            is_email: false,
            offered_as_channel: preceded_by(folded, start, 48, &CONTACT_OFFER),
        });
    }
}

fn trim_candidate(candidate: &str) -> &str {
    candidate.trim_matches(|character: char| character == ' ' || character == '\t')
}

fn is_phone(folded: &str, start: usize, end: usize, candidate: &str, market: Option<&str>) -> bool {
    let digits: String = candidate.chars().filter(char::is_ascii_digit).collect();
    if !(8..=15).contains(&digits.len()) {
        return false;
    }
    if digits.len() <= 8 && DATE_LAYOUT.is_match(candidate) {
        return false;
    }
    if preceded_by(folded, start, 24, &NOT_A_PHONE_BEFORE)
        || NOT_A_PHONE_AFTER.is_match(super::rules::following(folded, end, 8))
    {
        return false;
    }
    // A decimal or thousands layout ("1.250.000", "12,500.00") is money.
    if candidate.contains(',') || looks_like_grouped_money(candidate) {
        return false;
    }
    if candidate.starts_with('+') {
        let Ok(number) = phonenumber::parse(None, candidate) else {
            return false;
        };
        return number.is_valid() || digits.len() >= 10;
    }
    if NANP_LAYOUT.is_match(candidate)
        && (candidate.contains('(') || candidate.contains('-') || candidate.contains('.'))
    {
        return true;
    }
    let cued = preceded_by(folded, start, 20, &PHONE_WORD_BEFORE);
    if !digits.starts_with('0') && !cued {
        return false;
    }
    // Validating is costly (the metadata's patterns are compiled on demand), so
    // only the regions whose numbering plan fits the prefix are asked.
    plausible_regions(&digits, market)
        .into_iter()
        .any(|region| {
            phonenumber::parse(Some(region), &digits).is_ok_and(|number| number.is_valid())
        })
}

/// "1.250.000" style groups of exactly three digits after the first group.
fn looks_like_grouped_money(candidate: &str) -> bool {
    let groups: Vec<&str> = candidate.split('.').collect();
    groups.len() >= 2
        && groups[1..]
            .iter()
            .all(|group| group.len() == 3 && group.chars().all(|c| c.is_ascii_digit()))
}

/// The market's region (when its plan fits), then the regions whose national
/// numbering plan matches the leading digits; at most three.
fn plausible_regions(digits: &str, market: Option<&str>) -> Vec<Region> {
    let by_prefix: &[Region] = match digits.as_bytes() {
        [b'0', b'8', ..] => &[Region::ID, Region::TH, Region::VN],
        [b'0', b'1', ..] => &[Region::MY],
        [b'0', b'9', ..] => &[Region::PH, Region::VN, Region::TH],
        [b'0', b'3' | b'5' | b'7', ..] => &[Region::VN, Region::MY, Region::ID],
        [b'0', b'2', ..] => &[Region::TH, Region::PH, Region::ID],
        [b'0', ..] => &[Region::TH, Region::MY, Region::ID],
        [b'1', b'8' | b'9', b'0', b'0', ..] => &[Region::VN, Region::US],
        [b'6' | b'8' | b'9', ..] if digits.len() == 8 => &[Region::SG],
        _ => &[Region::US, Region::MX, Region::SG],
    };
    let market_region = match market {
        Some("ID") => Some(Region::ID),
        Some("MY") => Some(Region::MY),
        Some("TH") => Some(Region::TH),
        Some("VN") => Some(Region::VN),
        Some("PH") => Some(Region::PH),
        Some("SG") => Some(Region::SG),
        Some("US") => Some(Region::US),
        Some("MX") => Some(Region::MX),
        Some("GB") | Some("UK") => Some(Region::GB),
        _ => None,
    };
    let mut regions: Vec<Region> = market_region.into_iter().collect();
    for &region in by_prefix {
        if regions.len() < 3 && !regions.contains(&region) {
            regions.push(region);
        }
    }
    regions
}
