//! `review_manipulation`: asking only for five-star/positive reviews, asking to
//! change, update or remove a review, making help or a refund depend on the review,
//! and steering unhappy buyers away from reviewing (or asking only happy ones).
//!
//! Market packs: under [`RulePack::OneUpdateQuestion`] (ID, TH) one optional
//! question whether the buyer would like to update/edit their review is allowed —
//! no removal, no rating named, no reward, no remedy or condition in that sentence.
//! Everywhere else any change or removal request is a finding.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::{pattern, preceded_by, Context, Hits};
use crate::compliance::lexicon::{
    INDEPENDENT_RE, REFUSAL_RE, REVIEW, REVIEW_RE, REWARD_RE, THANKS_FOR_RE,
};
use crate::compliance::RulePack;

const POSITIVE_MESSAGE: &str = "Asks for a positive or five-star review. Review requests must leave the rating entirely to the buyer.";
const POSITIVE_SUGGESTION: &str = "Ask for an honest review instead, e.g. \"When you have used it for a while, an honest review with details (fit, quality, how you use it) helps other buyers.\"";
const CHANGE_STRICT_MESSAGE: &str = "Asks the buyer to change, update or remove a review. This market's policy forbids any request to change or remove a review.";
const CHANGE_LENIENT_MESSAGE: &str = "Asks the buyer to change or remove a review. In this market only one optional question — whether the buyer would like to update the review after the issue is resolved — is allowed, with no rating named, no reward and no condition.";
const CHANGE_SUGGESTION: &str = "Delete the request. Solve the problem in platform chat and confirm what you did; the buyer can edit the review on their own if they wish.";
const GATING_MESSAGE: &str = "Makes help, a refund or a replacement depend on the buyer's review.";
const GATING_SUGGESTION: &str = "Offer the remedy unconditionally (\"we will send a replacement by Friday\") and do not mention the review in the same message.";
const STEERING_MESSAGE: &str = "Discourages negative reviews or asks only satisfied buyers to review; platforms treat this as review manipulation.";
const STEERING_SUGGESTION: &str = "Invite every buyer to review honestly. You may separately say \"if anything is wrong, message us here and we will help\" without mentioning reviews or ratings.";

const POSITIVE_SOURCE: &str = r"(?:\b(?:5|five)[- ]?stars?(?: \w+)?|\b5\s*★|★★★★★|⭐⭐⭐⭐⭐|\b(?:positive|good|great|nice|glowing|top|high|perfect|excellent|best|favou?rable) (?:reviews?|ratings?|feedback|scores?|marks)\b|\bfull (?:stars|marks)\b|\bbintang (?:5|lima)\b|\b(?:5|lima) bintang\b|\b(?:ulasan|review|penilaian|rating|komen) (?:positif|baik|bagus|yang baik|yang bagus|terbaik|mantap)\b|\b(?:5|nam) sao\b|\bdanh gia (?:tot|tich cuc|cao|5 sao|nam sao)\b|\b(?:5|cinco) estrellas\b|\b(?:resena|opinion|calificacion|valoracion)(?:es)? (?:positiva|buena|excelente|alta|perfecta)s?\b|\b(?:buena|excelente|positiva) (?:resena|opinion|calificacion|valoracion)\b|五星|5星|好评|满分|(?:5|ห้า)\s*ดาว|ดาวเต็ม|รีวิวดี|รีวิวเชิงบวก|คะแนนเต็ม|รีวิวบวก)";
static POSITIVE: LazyLock<Regex> = LazyLock::new(|| pattern(POSITIVE_SOURCE));

/// Words after "5 star" that make it a description, not a rating request.
static NOT_A_RATING: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?:service|quality|hotel|experience|product|treatment|support|resort|restaurant|rated|materials?|standard|luxury|comfort)$",
    )
});

static REQUEST: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?:\bplease\b|\bpls\b|\bplz\b|\bkindly\b|\bleave\b|\bgive\b|\bdrop\b|\brate us\b|\bwould (?:you|love|appreciate|be grateful)\b|\bappreciate\b|\bwe'd love\b|\blove (?:a|an|to get|to see)\b|\bayudaria\w*|\bnos encantaria\b|\bagradecer\w*|\bcould you\b|\bcan you\b|\bhelp us\b|\bsupport us\b|\bconsider\b|\bhope (?:you|to get|for)\b|\bwould mean\b|\bmeans? (?:a lot|so much|the world)\b|\bask(?:ing)? (?:you|for)\b|\bremember to\b|\bdon'?t forget\b|\bneed your\b|\btolong\b|\bmohon\b|\byuk\b|\bayo\b|\bkasih\b|\bberi\w*\b|\bbantu\b|\bjangan lupa\b|\bsila\b|\bbagi\b|\btinggalkan\b|\bharap\b|\bhay\b|\bvui long\b|\bnho\b|\bgiup\b|\bcho (?:shop|minh|em|cua hang|chung toi)\b|\bxin\b|\bmong\b|\bpor favor\b|\bdeja\w*\b|\bdanos\b|\bregalanos\b|\bayudanos\b|\bnos (?:das|regalas|dejas|ayudas)\b|\bpodria\w*\b|\bpuede\w*\b|\besperamos\b|请|给|求|帮|麻烦|记得|希望|ช่วย|ขอ|รบกวน|ให้|อย่าลืม|ฝาก)",
    )
});

const CHANGE_SOURCE: &str = r"(?:\b(?:change|changing|update|updating|edit|editing|revise|revising|modify|amend|remove|removing|delete|deleting|take down|taking down|withdraw|retract|raise|increase|upgrade|bump up|reconsider)\s+(?:(?:your|ur|the|this|that|my|its|it|them|to|a|an|us|those|these)\s+)(?:[\w'-]+\s+){0,3}?(?:reviews?|ratings?|stars?|feedback|comments?|score)\b|\b(?:reviews?|ratings?|feedback)\s+(?:[\w'-]+\s+){0,3}?(?:removed|deleted|changed|updated|edited|taken down|withdrawn|revised|raised|upgraded)\b|\b(?:naikin|naikan|tambahin|ubah|mengubah|ganti|mengganti|hapus|menghapus|hapuskan|edit|mengedit|perbarui|memperbarui|update|naikkan|menaikkan|revisi|merevisi|tarik|cabut|takedown|tukar|menukar|padam|memadam|padamkan|buang|membuang|kemas ?kini|mengemaskini|tarik balik|take down)\s+(?:(?:kak|kakak|anda|kamu|dong|ya|jadi|menjadi|ke|itu|tersebut|tu|awak)\s+){0,2}(?:ulasan\w*|review\w*|rating\w*|bintang\w*|penilaian\w*|komen\w*|nilai\w*)|\b(?:ulasan|review|rating|bintang|penilaian|komen)\w*\s+(?:\w+\s+){0,2}?(?:dihapus|dihapuskan|diubah|diganti|diedit|diperbarui|dipadam|dibuang|dinaikkan|dicabut|ditarik|diupdate|di ?update|di ?edit|di ?hapus|di ?ubah|di ?ganti|dikemaskini)\b|(?:แก้ไข|แก้|ลบ|เปลี่ยน|ถอน|อัปเดต|อัพเดท|อัพเดต|ปรับ|เพิ่ม)\s*(?:รีวิว|ดาว|คะแนน|ความคิดเห็น|คอมเมนต์)|\b(?:sua|chinh sua|sua lai|xoa|xoa bo|go|go bo|doi|thay doi|cap nhat|nang|rut|rut lai|edit)\s+(?:(?:lai|giup|dum|ho|giup shop|giup em|di|len|cai|bai)\s+)*(?:danh gia|review|nhan xet|binh luan|feedback|(?:\d|nam) sao)\b|\b(?:danh gia|review)\s+(?:\w+\s+){0,2}?(?:thanh|len)\s+(?:\d|nam) sao\b|\b(?:cambiar|cambie|cambies|cambia|cambien|modificar|modifique|modifica|eliminar|elimine|elimina|elimines|eliminas|borrar|borre|borra|borres|borras|quitar|quite|quita|quitas|retirar|retire|retira|actualizar|actualice|actualiza|actualizas|editar|edite|edita|subir|suba|sube|mejorar|mejore|cambias|modificas)\s+(?:(?:su|tu|la|el|esa|ese|esta|este|sus|tus|las|los)\s+)(?:[\w'-]+\s+){0,2}?(?:resenas?|opinion|calificacion|valoracion|estrellas|comentario|review)\b|(?:修改|删除|删掉|删了|撤回|撤销|改成|改为|改一下|改下|改掉|取消|更改|去掉)\s*(?:一下)?(?:您的|你的|这个|这条)?\s*(?:评价|评论|差评|好评|评分|星|review)|删评|删差评|删掉差评|改评|改好评|改成(?:五星|5星|好评)|把\S{0,4}?(?:差评|评价|评论|评分|星级)\S{0,2}?(?:删|改|换))";
static CHANGE: LazyLock<Regex> = LazyLock::new(|| pattern(CHANGE_SOURCE));

/// Change verbs that only ask for an update/edit (the ID/TH allowance).
static UPDATE_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"^(?:(?:update|updating|edit|editing|revise|revising|ubah|mengubah|mengedit|perbarui|memperbarui)\b|แก้ไข|แก้|อัปเดต|อัพเดท|อัพเดต)",
    )
});

static OPTIONAL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?:\bwould you like\b|\bif you(?:'d| would)? like\b|\bif you wish\b|\bif you want\b|\bfeel free\b|\byou may\b|\bup to you\b|\byour choice\b|\bapakah (?:kakak |kak |anda |kamu )?(?:ingin|mau|berkenan|bersedia)\b|\bjika (?:kakak |kak |anda |kamu )?(?:berkenan|bersedia|ingin|mau)\b|\bbila berkenan\b|\bkalau (?:kakak |kak )?(?:berkenan|mau|sempat)\b|\b(?:kakak|kak|anda|kamu) (?:mau|ingin|berkenan|bersedia)\b|\b(?:tidak|tak|gak|nggak) wajib\b|\bopsional\b|\bsilakan\b|หาก(?:คุณ|ลูกค้า)?(?:สะดวก|ต้องการ|ยินดี)|ถ้า(?:คุณ|ลูกค้า)?(?:สะดวก|ต้องการ|ยินดี)|ไหม|หรือไม่|มั้ย|ตามสะดวก)",
    )
});

/// Remedies a seller owes the buyer anyway: gating them on a review is manipulation.
const REMEDY_SOURCE: &str = r"(?:\brefund\w*|\breplacement\b|\breship\w*|\bexchange\b|\bcompensat\w*|\bpengembalian dana\b|\bpenggantian\b|\bganti rugi\b|\bganti barang\b|\bkirim ulang\b|\bpulangan wang\b|\bbayaran balik\b|\bbarang gantian\b|\bhoan tien\b|\bdoi hang\b|\bgui lai\b|\breembolso\b|\breemplazo\b|\bdevolucion\b|退款|换货|补发|赔偿|คืนเงิน|เปลี่ยนสินค้า|ส่งใหม่|ส่งของใหม่|ชดเชย)";
static REMEDY: LazyLock<Regex> = LazyLock::new(|| pattern(REMEDY_SOURCE));

/// Anything that ties the sentence to solving the problem; a review question in
/// such a sentence is not the unconditional question ID/TH allow.
static RESOLUTION: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?:\bhelp\b|\bprocess\w*|\bresolve\b|\bfix\b|\bsupport\b|\bassist\w*|\bbantu\w*|\bproses\w*|\bho tro\b|\bxu ly\b|\bayud\w+|\bprocesa\w*|处理|帮您|帮你|ช่วยเหลือ|ดำเนินการ)",
    )
});

static CONDITION: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?:\bonly (?:if|after|when|once)\b|\bonce (?:you|the)\b|\bas soon as (?:you|the)\b|\bafter (?:you|the)\b|\bif you\b|\bwhen you\b|\buntil you\b|\bprovided\b|\bas long as\b|\bfirst\b|\bsetelah\b|\bkalau\b|\bjika\b|\basal(?:kan)?\b|\bbaru (?:kami|bisa|akan)\b|\bsebaik\b|\bselepas\b|\bsau khi\b|\bneu\b|\bchi khi\b|\bkhi nao\b|\bsi (?:usted|tu|nos|cambia|elimina|borra|deja|actualiza|modifica)\b|\buna vez que\b|\bcuando\b|\bhasta que\b|\bsolo si\b|只要|如果|之后|后才|才能|才会|才给|删除后|删评后|หลังจาก|ถ้า|หาก|เมื่อ|จึงจะ|ก่อน|แล้ว(?:จะ|ค่อย))",
    )
});

static REVIEW_ACTION: LazyLock<Regex> = LazyLock::new(|| {
    pattern(&format!(
        r"(?:\b(?:leave|leaving|write|writing|give|giving|post|posting|submit|rate)\b|\b(?:beri|berikan|kasih|tulis|memberi)\b|\bdanh gia\b|\bdeje|\bescrib|给|写|รีวิว|ให้|{REVIEW})"
    ))
});

const NEGATIVE_REVIEW_SOURCE: &str = r"(?:\b(?:bad|negative|low|poor|harsh|unfair|1|one|2|two)[- ]?(?:star )?(?:reviews?|ratings?|feedback|stars?)\b|\b(?:1|one|2|two)[- ]stars?\b|\b(?:ulasan|review|komen|rating|penilaian) (?:buruk|jelek|negatif|rendah|jahat)\b|\bbintang (?:1|satu|2|dua|rendah)\b|\b(?:1|satu) bintang\b|\bdanh gia (?:xau|te|tieu cuc|thap|1 sao|kem)\b|\b(?:1|mot|2|hai) sao\b|\bresenas? (?:mala|malas|negativa|negativas)\b|\bmalas? (?:resenas?|calificacion|opinion)\b|\bcalificacion (?:baja|mala|negativa)\b|\buna estrella\b|\b1 estrella\b|差评|中差评|低分|一星|1星|รีวิว(?:ไม่ดี|แย่|เชิงลบ|ลบ)|(?:1|หนึ่ง)\s*ดาว|ดาวน้อย|คะแนน(?:ต่ำ|น้อย))";
static NEGATIVE_REVIEW: LazyLock<Regex> = LazyLock::new(|| pattern(NEGATIVE_REVIEW_SOURCE));

static DISCOURAGE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?:\bdon'?t\b|\bdo not\b|\bavoid\b|\bbefore (?:you )?(?:leave|leaving|write|writing|give|giving|post|posting|rate|rating)\b|\binstead of\b|\brather than\b|\bno need to\b|\bjangan\b|\btak (?:perlu|usah)\b|\bgak usah\b|\bsebelum\b|\bdaripada\b|\bdung\b|\bkhong nen\b|\btruoc khi\b|\bthay vi\b|\bno (?:deje|dejes|nos deje|nos dejes|ponga|pongas|de|des)\b|\bantes de\b|\ben lugar de\b|\ben vez de\b|别|不要|请勿|先别|之前|而不是|勿|อย่า|ก่อน|แทนที่จะ|ไม่ต้อง)",
    )
});

const BEFORE_REVIEWING_SOURCE: &str = r"(?:\b(?:before|instead of|rather than) (?:you )?(?:leave|leaving|write|writing|post|posting|give|giving|submit|submitting|rate|rating|review|reviewing)\b(?:\s+(?:us|a|an|any|your|the|it))*(?:\s+\w+)?\s*(?:reviews?|ratings?|feedback|stars?|us|it)?|\b(?:sebelum|daripada) (?:kakak |kak |anda |kamu )?(?:memberi|memberikan|kasih|beri|menulis|tulis|kasi|meninggalkan|review|mereview)\s*(?:ulasan|rating|bintang|review|penilaian)?|\b(?:truoc khi|thay vi) (?:ban |anh |chi |khach )?(?:danh gia|de lai danh gia|viet danh gia|cho sao)\b|\b(?:antes de|en lugar de|en vez de) (?:dejar|escribir|calificar|poner|publicar)\b|(?:评价|差评)(?:之前|前)|ก่อน(?:ให้|รีวิว|เขียนรีวิว|ให้ดาว|ให้คะแนน)|แทนที่จะ(?:รีวิว|ให้ดาว)|\b(?:please )?(?:don'?t|do not) (?:leave|write|post|give)(?: us)? (?:a |any |your )?(?:review|rating)|\bjangan (?:kasih |beri |tulis |langsung )?(?:ulasan|review|rating|bintang|ulas)\w*(?: dulu)?|\b(?:dung|khoan|chua nen) (?:voi )?danh gia\b|\bno (?:deje|dejes|escribas|escriba|pongas|ponga|publiques) (?:una |tu |su |ninguna )?(?:resena|calificacion|opinion)|先别(?:给)?评价|别急着评价|不要(?:给)?评价|อย่า(?:เพิ่ง|พึ่ง)?(?:รีวิว|ให้ดาว|ให้คะแนน))";
static BEFORE_REVIEWING: LazyLock<Regex> = LazyLock::new(|| pattern(BEFORE_REVIEWING_SOURCE));

const HAPPY_ONLY_SOURCE: &str = r"(?:\bif you(?:'re| are| were)? (?:100\s?% |completely |fully |totally |really |very |truly )?(?:happy|satisfied|pleased|love|loved|like|liked|enjoy|enjoyed|thrilled|delighted)\b|\bhappy (?:customers|buyers)\b|\bsatisfied (?:customers|buyers)\b|\b(?:kalau|jika|bila|kl|klo|apabila) (?:kakak |kak |anda |kamu |agan |sis )?(?:puas|suka|senang|happy)\b|\b(?:jika|kalau|sekiranya) (?:anda |awak )?(?:berpuas hati|puas hati|suka)\b|\bneu (?:ban |anh |chi |khach |quy khach )?(?:hai long|thich|ung y)\b|\bsi (?:te |le )?(?:gusto|gusta|encanto|encanta)\b|\bsi (?:esta|estas|quedo|quedaste) (?:satisfech|content)\w*|满意的话|如果满意|若满意|满意请|满意就|满意给|ถ้า(?:พอใจ|ชอบ|ถูกใจ)|หาก(?:พอใจ|ชอบ|ถูกใจ))";
static HAPPY_ONLY: LazyLock<Regex> = LazyLock::new(|| pattern(HAPPY_ONLY_SOURCE));

/// One pass decides whether any manipulation pattern other than gating can
/// match (gating needs a remedy word and a review word, checked apart).
static ANY_MANIPULATION: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        &[
            POSITIVE_SOURCE,
            CHANGE_SOURCE,
            NEGATIVE_REVIEW_SOURCE,
            BEFORE_REVIEWING_SOURCE,
            HAPPY_ONLY_SOURCE,
        ]
        .join("|"),
    )
});

pub fn check(context: &Context<'_>, hits: &mut Hits<'_, '_>) {
    let folded = context.folded();
    let gating_possible = REMEDY.is_match(folded) && REVIEW_RE.is_match(folded);
    if !gating_possible && !ANY_MANIPULATION.is_match(folded) {
        return;
    }
    let mut update_question_used = false;
    let sentences: Vec<(usize, &str)> = context.sentence_texts().collect();
    for (index, &(offset, sentence)) in sentences.iter().enumerate() {
        // A question followed by "then we can refund you" is tied to the resolution.
        let next_sentence = sentences.get(index + 1).map_or("", |&(_, next)| next);
        let shifted = |range: Range<usize>| offset + range.start..offset + range.end;
        let independent = INDEPENDENT_RE.is_match(sentence);

        let mut positive_requested = false;
        for found in POSITIVE.find_iter(sentence) {
            if NOT_A_RATING.is_match(found.as_str())
                || preceded_by(sentence, found.start(), 48, &THANKS_FOR_RE)
                || !(REQUEST.is_match(sentence) || REWARD_RE.is_match(sentence))
            {
                continue;
            }
            positive_requested = true;
            hits.folded(
                shifted(found.range()),
                POSITIVE_MESSAGE,
                POSITIVE_SUGGESTION,
            );
        }

        for found in CHANGE.find_iter(sentence) {
            if preceded_by(sentence, found.start(), 32, &REFUSAL_RE) {
                continue;
            }
            let allowed_question = context.pack == RulePack::OneUpdateQuestion
                && !update_question_used
                && UPDATE_ONLY.is_match(found.as_str())
                && OPTIONAL.is_match(sentence)
                && !positive_requested
                && !REWARD_RE.is_match(sentence)
                && !REMEDY.is_match(sentence)
                && !RESOLUTION.is_match(sentence)
                && !REMEDY.is_match(next_sentence)
                && !RESOLUTION.is_match(next_sentence)
                && !REWARD_RE.is_match(next_sentence)
                && !has_rating_number(found.as_str());
            if allowed_question {
                update_question_used = true;
                continue;
            }
            let message = match context.pack {
                RulePack::Strict => CHANGE_STRICT_MESSAGE,
                RulePack::OneUpdateQuestion => CHANGE_LENIENT_MESSAGE,
            };
            hits.folded(shifted(found.range()), message, CHANGE_SUGGESTION);
        }

        if !independent && REVIEW_RE.is_match(sentence) {
            if let Some(range) = gated_remedy(sentence) {
                hits.folded(shifted(range), GATING_MESSAGE, GATING_SUGGESTION);
            }
        }

        if let Some(found) = NEGATIVE_REVIEW.find(sentence) {
            if DISCOURAGE.is_match(sentence)
                && !preceded_by(sentence, found.start(), 48, &THANKS_FOR_RE)
            {
                hits.folded(
                    shifted(found.range()),
                    STEERING_MESSAGE,
                    STEERING_SUGGESTION,
                );
            }
        }
        if let Some(found) = BEFORE_REVIEWING.find(sentence) {
            hits.folded(
                shifted(found.range()),
                STEERING_MESSAGE,
                STEERING_SUGGESTION,
            );
        }
        if let Some(found) = HAPPY_ONLY.find(sentence) {
            if REVIEW_RE.is_match(sentence) && !independent {
                let end = REVIEW_RE
                    .find_iter(sentence)
                    .map(|review| review.end())
                    .max()
                    .unwrap_or(found.end());
                hits.folded(
                    shifted(found.start()..end.max(found.end())),
                    STEERING_MESSAGE,
                    STEERING_SUGGESTION,
                );
            }
        }
    }
}

/// A remedy (refund, replacement, help) made conditional on a review action.
fn gated_remedy(sentence: &str) -> Option<Range<usize>> {
    let remedy = REMEDY.find(sentence)?;
    CONDITION.find_iter(sentence).find_map(|condition| {
        let after = super::following(sentence, condition.end(), 64);
        let action = REVIEW_ACTION.find(after)?;
        let review_near =
            REVIEW_RE.is_match(after) || REVIEW_RE.is_match(&sentence[..condition.start()]);
        review_near.then(|| {
            let start = remedy.start().min(condition.start());
            let end = remedy.end().max(condition.end() + action.end());
            start..end
        })
    })
}

fn has_rating_number(request: &str) -> bool {
    request.chars().any(|character| character.is_ascii_digit())
        || request.contains("five")
        || request.contains("lima")
        || request.contains("ห้า")
}
