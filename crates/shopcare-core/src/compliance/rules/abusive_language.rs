//! `abusive_language`: insults, accusations, threats and coercion aimed at the
//! buyer, in all seven languages.
//!
//! Three tiers: slurs and insults that are abusive wherever they appear; words
//! that are only abusive when aimed at someone ("liar", "penipu", "骗子" next to
//! "you"/"buyer", not in "we are not scammers" or "beware of scammers"); and
//! threat phrases ("we will sue you", "awas kamu", "走着瞧"). Harmless idioms
//! ("kill the power", "bloody good", "sick deal", "gila murah") match none of them.

use std::sync::LazyLock;

use regex::Regex;

use super::{pattern, preceded_by, Context, Hits};

const INSULT_MESSAGE: &str = "Insults the buyer. Abusive or rude wording breaks platform communication rules and is never acceptable in a reply.";
const INSULT_SUGGESTION: &str = "Remove the insult and state the facts calmly, e.g. \"We understand this is frustrating. Let's look at your order together in chat.\"";
const ACCUSATION_MESSAGE: &str =
    "Accuses the buyer (liar, scammer, fraud). Accusations are treated as abusive language.";
const ACCUSATION_SUGGESTION: &str = "Describe what you observed without judgement (\"our records show the parcel was delivered on …\") and ask for evidence in chat; use the platform's appeal or report tools for disputes.";
const THREAT_MESSAGE: &str = "Threatens or coerces the buyer. Threats are abusive language.";
const THREAT_SUGGESTION: &str = "Remove the threat. If you believe a review breaks the rules, use the platform's report tool instead of contacting the buyer about it.";

const INSULT_SOURCE: &str = r"(?:\b(?:idiots?|moron|morons|imbecile|dumbass|asshole|bastard|bitch|fuck\w*|f\*+k|f\*+ck|motherfucker|retard(?:ed)?|scumbag|stfu|screw you|damn you|go to hell|piss off|get lost|loser|shut up|pathetic|do (?:lua dao|mat day|khon nan|an hai|cho)|tolol|goblok|bego|bangsat|brengsek|kampret|bajingan|keparat|sialan|kontol|memek|bangang|bengap|pukimak|sundal|haram jadah|mampus|kurang ajar|dasar (?:bodoh|tolol|goblok|bego|gila|anjing|babi|miskin|kampungan|pembeli \w+|penipu|pembohong|tukang tipu|maling|pencuri|penyamun)|(?:anjing|babi|monyet|setan) (?:lu|lo|kau|kamu|loe)|bodoh|oc cho|do dien|khon nan|vo hoc|mat day|dit me|\bvcl\b|cut di|idiota|estupid[oa]|imbecil|pendej[oa]|cabron|mierda|put[oa]|gilipollas|pinche|callate|tarad[oa]|babos[oa]|malditos?|malditas?)\b|ไอ้ควาย|อีควาย|ควายจริง|เหี้ย|สัส|ไอ้บ้า|อีบ้า|ไอ้โง่|อีโง่|หุบปาก|ไปตาย|ชาติชั่ว|ระยำ|ส้นตีน|มึง|傻逼|傻b|白痴|笨蛋|蠢货|蠢猪|滚开|滚蛋|给我滚|你滚|去死|神经病|混蛋|王八蛋|他妈|妈的|贱人|脑残|有病吧|你有病|你是不是有病)";
static INSULT: LazyLock<Regex> = LazyLock::new(|| pattern(INSULT_SOURCE));

/// Adjectives that insult when aimed at the reader ("you are so stupid").
const AIMED_INSULT_SOURCE: &str = r"(?:\b(?:you(?:'re| are| r)?|u r|ur|are you|such an?|what an?)\s+(?:so |really |just |a |an |being |totally |completely |fucking |very )*(?:stupid|dumb|crazy|insane|pathetic|useless|ignorant|clueless|blind|illiterate|brainless|greedy|cheap|annoying|rude|fools?|clowns?|trash|garbage)\b|\b(?:stupid|dumb|crazy|greedy|lying|cheap|annoying|useless) (?:buyers?|customers?|people|person|woman|man|question)\b|\bcan'?t you read\b|\blearn to read\b|\buse your brain\b|\b(?:kamu|anda|lu|lo|loe|elu|kau|awak|kakak|kak) (?:itu |memang |sangat |sungguh |terlalu )?(?:bodoh|gila|bego|buta|goblok|tolol|miskin|bebal|lembab|bengap|sinting)\b|\bpembeli (?:bodoh|gila|miskin|rese|tolol)\b|\bgak bisa baca\b|\btidak bisa baca\b|\b(?:ban|may|anh|chi|khach) (?:bi |that |qua )?(?:dien|mu|dot|ngao)\b|\b(?:dien a|mu a|khong biet doc)\b|\b(?:eres|es usted|estas|esta usted) (?:un |una |muy |tan )?(?:tont[oa]|estupid[oa]|idiota|ignorante|ciego|ciega|loc[oa]|inutil)\b|\bno sabes leer\b|你(?:是)?(?:不是)?(?:真|太|很)?(?:傻|笨|蠢)|你眼瞎|你瞎吗|瞎了吗|不识字|(?:คุณ|แก|ลูกค้า)(?:นี่)?(?:มัน)?(?:โง่|บ้า|ตาบอด)|โง่(?:จริง|มาก|เอง|ชะมัด)|อ่านไม่ออกหรือ)";
static AIMED_INSULT: LazyLock<Regex> = LazyLock::new(|| pattern(AIMED_INSULT_SOURCE));

/// Vietnamese "ngu" (stupid) — verified against the original, where "ngủ" is sleep.
const VIETNAMESE_NGU_SOURCE: &str = r"\b(?:do ngu|may ngu|ngu nhu (?:bo|cho|heo|lon)|ngu ngoc|ngu vl|ngu the|qua ngu|that ngu|ngu qua|ngu vay|ban ngu|anh ngu|chi ngu|khach ngu)\b";
static VIETNAMESE_NGU: LazyLock<Regex> = LazyLock::new(|| pattern(VIETNAMESE_NGU_SOURCE));

const ACCUSATION_SOURCE: &str = r"(?:\b(?:liars?|lying|lied|scammers?|scam artist|fraud|fraudster|frauds|cheater|cheat|thief|thieves|stole|fake buyer|lies|dishonest|penipu|pembohong|bohong|tukang tipu|maling|pencuri|menipu|nipu|pendusta|kaki kencing|penyamun|lua dao|noi lao|noi doi|an cap|an trom|xao tra|mentiros[oa]s?|mientes|miente|mienten|mintio|mintiendo|estafador(?:a|es)?|tramposo|ladron(?:a|es)?|fraude)\b|骗子|撒谎|说谎|骗人|诈骗|小偷|偷了|ขี้โกหก|โกหก|มิจฉาชีพ|ต้มตุ๋น|หลอกลวง|ขโมย|ตอแหล)";
static ACCUSATION: LazyLock<Regex> = LazyLock::new(|| pattern(ACCUSATION_SOURCE));

static AIMED_AT_READER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?:\byou\b|\byour\b|\byou're\b|\bu\b|\bbuyers?\b|\bcustomers?\b|\bpeople like\b|\bdasar\b|\bkamu\b|\banda\b|\blu\b|\blo\b|\bloe\b|\belu\b|\bkau\b|\bengkau\b|\bawak\b|\bkorang\b|\bkakak\b|\bkak\b|\bpembeli\b|\bban\b|\bmay\b|\bkhach\b|\busted\b|\btu\b|\bte\b|\beres\b|\bcliente\b|\bcomprador\w*|你|您|买家|顾客|คุณ|แก|มึง|ลูกค้า|เธอ)",
    )
});

static NOT_AN_ACCUSATION: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?:\b(?:we|i)(?:'re| are| am|'m) not\b|\bnot an?\b|\bbeware\b|\bwatch out for\b|\bprotect (?:you|yourself)\b|\bhati-hati\b|\bwaspada\b|\bbukan\b|\bcoi chung\b|\bkhong phai\b|\bcuidado con\b|\bno somos\b|\bno es\b|\bno (?:le|te) (?:estamos|estoy) (?:llamando|acusando)\b|我们不是|不是|小心|谨慎|เราไม่ใช่|ไม่ใช่|ระวัง|\bnot calling you\b|\bnot accusing\b|\bnever (?:call|called|accuse)\b|\btidak menuduh\b)",
    )
});

const THREAT_SOURCE: &str = r"(?:\b(?:we|i)(?:'ll| will| are going to| am going to|'re going to| gonna| shall) (?:sue|report|expose|find|hunt|track|shame|doxx?|blacklist|ban) you\b|\b(?:we are|we're|i am|i'm) (?:suing|reporting|exposing) you\b|\blegal action against you\b|\breport you to (?:the )?(?:police|authorities)\b|\byou(?:'ll| will) (?:regret|pay for)\b|\bmake you (?:regret|pay|sorry)\b|\b(?:we|i)(?:'ll| will| are going to|'re going to) report your (?:account|profile)\b|\bwe know where you live\b|\bor else\b|\bwatch your back\b|\b(?:kill|hurt|beat) you\b|\bpost your (?:name|address|photo|number|face)\b|\bunless you (?:remove|delete|change|take down)\b|\b(?:kami|saya|aku|gue|gw) (?:akan )?(?:laporkan|lapor|tuntut|polisikan|viralkan|sebar(?:kan)?) (?:kamu|anda|lu|lo|kakak|data)\b|\bawas (?:kamu|lu|lo|ya)\b|\blihat saja nanti\b|\btunggu (?:saja )?pembalasan\b|\bkami (?:akan )?(?:bawa|tempuh) (?:ke )?jalur hukum\b|\b(?:kami|saya) (?:akan )?(?:saman|dedahkan) (?:awak|kau|anda)\b|\bsiap kau\b|(?:จะ)?ฟ้อง(?:ร้อง)?(?:คุณ|แก|มึง)|แจ้งความ(?:จับ)?(?:คุณ|แก|มึง)|ระวังตัว|เจอกันแน่|เดี๋ยวเจอ|จะประจาน|\bkien (?:ban|anh|chi|may)\b|\bbao cong an\b|\bliu hon\b|\bboc phot (?:ban|may)\b|\bcho may biet tay\b|\b(?:te|le|los|les) (?:vamos a|voy a) (?:demandar|denunciar|reportar|exponer|encontrar)\b|\bte (?:vas|va) a arrepentir\b|\bsabemos donde vives\b|\bacciones legales contra (?:ti|usted)\b|告你|起诉你|曝光你|走着瞧|你等着|后果自负|人肉你|找你算账)";
static THREAT: LazyLock<Regex> = LazyLock::new(|| pattern(THREAT_SOURCE));

/// One pass over the text decides whether any abusive pattern can match at all.
static ANY_ABUSE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        &[
            INSULT_SOURCE,
            AIMED_INSULT_SOURCE,
            VIETNAMESE_NGU_SOURCE,
            ACCUSATION_SOURCE,
            THREAT_SOURCE,
        ]
        .join("|"),
    )
});

pub fn check(context: &Context<'_>, hits: &mut Hits<'_, '_>) {
    let folded = context.folded();
    if !ANY_ABUSE.is_match(folded) {
        return;
    }
    for found in INSULT.find_iter(folded) {
        hits.folded(found.range(), INSULT_MESSAGE, INSULT_SUGGESTION);
    }
    for found in AIMED_INSULT.find_iter(folded) {
        hits.folded(found.range(), INSULT_MESSAGE, INSULT_SUGGESTION);
    }
    for found in VIETNAMESE_NGU.find_iter(folded) {
        let original = &context.original()[context.text.original_range(found.range())];
        let means_sleep = original
            .chars()
            .any(|c| matches!(c, 'ủ' | 'ù' | 'ú' | 'ũ' | 'ụ' | 'Ủ' | 'Ù' | 'Ú' | 'Ũ' | 'Ụ'));
        if !means_sleep {
            hits.folded(found.range(), INSULT_MESSAGE, INSULT_SUGGESTION);
        }
    }
    for (offset, sentence) in context.sentence_texts() {
        for found in ACCUSATION.find_iter(sentence) {
            // "Liar!", "Estafador, …", "Nice try, scammer." address the reader.
            let before = sentence[..found.start()].trim_end();
            let after = sentence[found.end()..].trim_start();
            let vocative = (before.is_empty() || before.ends_with(','))
                && (after.is_empty() || after.starts_with([',', '!', '.', '?']));
            let aimed = vocative || AIMED_AT_READER.is_match(sentence);
            let excused = preceded_by(sentence, found.start(), 40, &NOT_AN_ACCUSATION);
            if aimed && !excused {
                hits.folded(
                    offset + found.start()..offset + found.end(),
                    ACCUSATION_MESSAGE,
                    ACCUSATION_SUGGESTION,
                );
            }
        }
    }
    for found in THREAT.find_iter(folded) {
        hits.folded(found.range(), THREAT_MESSAGE, THREAT_SUGGESTION);
    }
}
