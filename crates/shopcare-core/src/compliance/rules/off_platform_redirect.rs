//! `off_platform_redirect`: moving buyers to WhatsApp, LINE, Zalo, Telegram,
//! WeChat, Instagram, Facebook, e-mail, phone, other marketplaces or any external
//! link instead of platform chat.
//!
//! Links and channel ids ("wa.me/…", "LINE ID", "加微信") always count. A channel
//! name counts when something invites the buyer to use it ("chat us on WhatsApp",
//! "hubungi WA", "liên hệ Zalo", "por WhatsApp", "แอดไลน์") or an id/number follows
//! it — but not in feature copy ("shows WhatsApp notifications") and not when
//! negated ("we don't use WhatsApp").

use std::sync::LazyLock;

use regex::Regex;

use super::{following, pattern, preceded_by, Context, Hits};
use crate::compliance::lexicon::NEGATION_RE;

const MESSAGE: &str = "Moves the buyer off the platform (another app, e-mail, phone, external link or store). Platform rules require keeping buyer communication in platform chat.";
const SUGGESTION: &str = "Keep the conversation here: \"Please reply in this chat with your order number and a photo, and we will take care of it.\"";

const ALWAYS_SOURCE: &str = r"(?:https?://\S+|\bwww\.\S+|\bwa\.me/\S*|\bline\.me/\S*|\bzalo\.me/\S*|\bt\.me/\S*|\bm\.me/\S*|\bbit\.ly/\S*|\blinktr\.ee/\S*|\bline ?id\b|\bline@|@line\b|\bline official\b|\bid line\b|\bwechat ?id\b|微信号|加微信|加我微信|加v|\bvx\b|薇信|威信|ไอดีไลน์|แอดไลน์|แอด line|ไลน์\s*(?:@|ไอดี|:)|\b(?:outside|off) (?:of )?(?:the )?(?:app|platform|tiktok)\b|\bdi luar (?:aplikasi|tiktok|platform)\b|\bluar (?:aplikasi|platform)\b|\bngoai (?:ung dung|app|tiktok|san)\b|\bfuera de (?:la )?(?:app|aplicacion|plataforma|tiktok)\b|站外|平台外|私下交易|นอกแอป|นอกแพลตฟอร์ม|\b(?:order|buy|beli|pesan|mua|compra|comprar) (?:directly|direct|langsung|truc tiep|directamente)\b|\bdirect(?:ly)? from (?:us|our)\b|\bgiao dich (?:rieng|ngoai)\b)";
static ALWAYS: LazyLock<Regex> = LazyLock::new(|| pattern(ALWAYS_SOURCE));

const LINK_SOURCE: &str = r"\b[a-z0-9][a-z0-9-]{1,62}(?:\.[a-z0-9-]{2,62})*\.(?:com|net|org|co|io|shop|store|link|ly|me|site|online|app|xyz|info|biz|asia|id|my|th|vn|ph|sg|mx|us|be|tv|gg|to|ai)(?:\.[a-z]{2})?\b(?:/\S*)?";
static LINK: LazyLock<Regex> = LazyLock::new(|| pattern(LINK_SOURCE));

const CHANNEL_SOURCE: &str = r"(?:\bwhats ?app\b|\bwasap\b|\bwa\b|\bzalo\b|\btelegram\b|\bwechat\b|\bweixin\b|微信|\bline\b|ไลน์|\binstagram\b|\binsta\b|\big\b|\bfacebook\b|\bfb\b|\bfanpage\b|\bmessenger\b|เฟซบุ๊ก|เฟสบุ๊ค|เฟซบุ๊ค|อินสตาแกรม|ไอจี|脸书|电报|\blaman web (?:kami|rasmi)\b|\bemail\b|\be-mail\b|\bgmail\b|\bcorreo\b|邮箱|邮件|อีเมล|\bshopee\b|\blazada\b|\btokopedia\b|\btokped\b|\bamazon\b|\bebay\b|\bblibli\b|\bbukalapak\b|\bsendo\b|\bmercado ?libre\b|淘宝|拼多多|京东|\b(?:our|my) (?:own )?(?:website|web ?site|online store|web ?shop|webstore|site)\b|\bwebsite (?:kami|resmi|toko)\b|\bsitus (?:kami|resmi)\b|\bweb(?:site)? (?:cua shop|chinh thuc|cua chung toi)\b|\bnuestra (?:pagina|web|tienda en linea)\b|\bnuestro sitio\b|官网|官方网站|เว็บไซต์(?:ของเรา|ร้าน)|เว็บของเรา)";
static CHANNEL: LazyLock<Regex> = LazyLock::new(|| pattern(CHANNEL_SOURCE));

static INVITE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?:\b(?:contact|contacting|reach|message|msg|chat|text|dm|add|follow|call|ring|email|hit us|find us|join|visit|go to|check out|click|tap|scan|send|write|via|through|hubungi|kontak|hub|tambahkan|ikuti|kunjungi|cek|klik|lewat|melalui|japri|lien he|nhan tin|ket ban|inbox|ib|goi|qua|tham gia|theo doi|truy cap|contacta\w*|escribe\w*|llama\w*|manda\w*|agrega\w*|sigue\w*|visita\w*|por|mediante|buy|order|shop|beli|mua|compra\w*|cheaper|lebih murah|re hon|mas barato|tambah|hantar|sertai|ikut|layari|kirim|gui|checkout|check out|co)\b|联系|加|添加|关注|私信|拨打|访问|去|下单|购买|ติดต่อ|แอด|ทัก|ทาง|ผ่าน|โทร|ส่ง|เพิ่มเพื่อน|ติดตาม|สั่ง)",
    )
});

static FEATURE_COPY: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?:notif\w*|\bcompatible\b|\balerts?\b|\bsupports?\b|\bworks with\b|\bthong bao\b|\bnotificaciones\b|\bpemberitahuan\b|แจ้งเตือน|通知|\bapps? like\b|\bsync\w*|\bclosed\b|\bunavailable\b|\bnot available\b|\bno longer\b|\bdeactivated\b|\btidak aktif\b|\bsudah tutup\b|\bda dong\b|\bngung\b|\bcerrad[oa]\b|\bya no\b|ปิดแล้ว|ยกเลิก|已停用|不再)",
    )
});

static HANDLE_AFTER: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"^\s*(?::|\(|-)?\s*(?:@\w|\+?\d|[a-z0-9._]+@)"));

const PHONE_CALL_SOURCE: &str = r"(?:\b(?:call|phone|ring|text|sms) (?:us|me)\b(?: crazy)?|\bgive us a (?:call|ring)\b|\bhotline\b|\bour (?:phone|number|hotline|mobile)\b|\bhubungi (?:kami )?(?:di |ke )?(?:nomor|no\.? hp|telepon)\b|\btelepon kami\b|\btelefon kami\b|\bnombor telefon kami\b|\bgoi (?:cho |dien (?:cho )?)?(?:shop|chung toi|hotline)\b|\bgoi ngay (?:cho )?(?:shop|hotline)\b|\bsdt (?:cua )?shop\b|\bllamanos\b|\bllamenos\b|\bmarquenos\b|\bllame al\b|\bllama al\b|\bmarca al\b|\bnuestro (?:numero|telefono)\b|打电话|致电|拨打|联系电话|客服电话|โทรหา(?:ร้าน|เรา|แอดมิน)|โทรมา(?:ที่|หา)?(?:ร้าน|เรา)?|เบอร์โทรร้าน|โทร\s*\d)";
static PHONE_CALL: LazyLock<Regex> = LazyLock::new(|| pattern(PHONE_CALL_SOURCE));

/// "WhatsApp kami", "Tokopedia kami", "Zalo shop": the seller's own channel.
static US_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^\s*(?:us|me|kami|saya|admin|toko kami|shop|chung toi|nosotros|我们|เรา|ร้าน)(?:\b|$)")
});

static HESITATE: LazyLock<Regex> = LazyLock::new(|| pattern(r"(?:hesitate|ragu|ngai|dude)"));

/// One pass decides whether any link, channel or call wording is present.
static ANY_CHANNEL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        &[
            ALWAYS_SOURCE,
            LINK_SOURCE,
            CHANNEL_SOURCE,
            PHONE_CALL_SOURCE,
        ]
        .join("|"),
    )
});

pub fn check(context: &Context<'_>, hits: &mut Hits<'_, '_>) {
    let folded = context.folded();
    let offered_contacts = context
        .contacts()
        .iter()
        .any(|contact| contact.offered_as_channel);
    if !offered_contacts && !ANY_CHANNEL.is_match(folded) {
        return;
    }
    let negated = |at: usize| {
        preceded_by(folded, at, 28, &NEGATION_RE) && !preceded_by(folded, at, 28, &HESITATE)
    };
    for found in ALWAYS.find_iter(folded) {
        if !negated(found.start()) && !found.as_str().contains("tiktok") {
            hits.folded(found.range(), MESSAGE, SUGGESTION);
        }
    }
    let emails = context.contacts();
    for found in LINK.find_iter(folded) {
        let in_email = emails.iter().any(|contact| {
            contact.is_email
                && contact.range.start <= found.start()
                && found.end() <= contact.range.end
        });
        if in_email || found.as_str().contains("tiktok") || negated(found.start()) {
            continue;
        }
        hits.folded(found.range(), MESSAGE, SUGGESTION);
    }
    for contact in emails {
        if contact.offered_as_channel {
            hits.folded(contact.range.clone(), MESSAGE, SUGGESTION);
        }
    }
    for found in PHONE_CALL.find_iter(folded) {
        // "Call me crazy" is an idiom, not a phone number.
        if !negated(found.start()) && !found.as_str().ends_with("crazy") {
            hits.folded(found.range(), MESSAGE, SUGGESTION);
        }
    }
    if !CHANNEL.is_match(folded) {
        return;
    }
    for (offset, sentence) in context.sentence_texts() {
        if FEATURE_COPY.is_match(sentence) {
            continue;
        }
        for found in CHANNEL.find_iter(sentence) {
            let at = offset + found.start();
            if negated(at) {
                continue;
            }
            if found.as_str() == "line" && !is_upper_line(context, at..offset + found.end()) {
                continue;
            }
            let invited = INVITE.is_match(sentence);
            let handle_follows = HANDLE_AFTER.is_match(following(sentence, found.end(), 24))
                || US_AFTER.is_match(following(sentence, found.end(), 16));
            let named_site = found.as_str().contains(' ') || !found.as_str().is_ascii();
            if handle_follows
                || invited && (found.as_str() != "wa" || wa_is_channel(sentence, found.start()))
                || named_site && invited
            {
                hits.folded(at..offset + found.end(), MESSAGE, SUGGESTION);
            }
        }
    }
}

/// "line" is an English word; only "LINE" (the app) counts.
fn is_upper_line(context: &Context<'_>, folded_range: std::ops::Range<usize>) -> bool {
    let range = context.text.original_range(folded_range);
    &context.original()[range] == "LINE"
}

/// "wa" counts as WhatsApp when an id follows or a contact verb sits right before.
fn wa_is_channel(sentence: &str, at: usize) -> bool {
    static WA_CUE: LazyLock<Regex> = LazyLock::new(|| {
        pattern(
            r"(?:\b(?:chat|hubungi|ke|via|lewat|melalui|no|nomor|nombor|contact|add|di|japri|on|by)\s*$)",
        )
    });
    static WA_AFTER: LazyLock<Regex> = LazyLock::new(|| {
        pattern(
            r"^\s*(?:(?:aja|saja|ya|ke|di)\s+){0,2}(?:kami|admin|toko|saya|kita|cs|us|me|shop|\+?\d|:)",
        )
    });
    WA_CUE.is_match(&sentence[..at]) || WA_AFTER.is_match(following(sentence, at + 2, 12))
}
