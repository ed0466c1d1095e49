//! `overclaim`: claims a listing cannot back up — "No. 1", "best in the world",
//! "100 % natural", guaranteed cures, "clinically proven", "no side effects".
//!
//! Written for listing copy, and applied to every kind of text: a cure claim is no
//! truer in a chat. Bare superlatives ("the most effective", "paling ampuh") are
//! only checked in listings and review requests, where they sell; in support
//! replies "the most common fix is …" is ordinary language. Material facts ("92 %
//! cotton", "100 % cotton") are not claims.

use std::sync::LazyLock;

use regex::Regex;

use super::{pattern, Context, Hits};
use crate::compliance::TextKind;

const RANK_MESSAGE: &str = "Claims a ranking or superlative (\"No. 1\", \"best in the world\") that the listing cannot prove.";
const RANK_SUGGESTION: &str = "State a verifiable fact instead (\"rated 4.8 by 1,200 buyers\", \"made with 92 % cotton\"), or remove the claim.";
const PURITY_MESSAGE: &str =
    "Claims absolute purity or safety (\"100 % natural\", \"no side effects\").";
const PURITY_SUGGESTION: &str = "List the actual ingredients or certifications instead (\"contains aloe vera and glycerin\", \"dermatologically tested\").";
const CURE_MESSAGE: &str =
    "Promises a cure or guaranteed result. Health and result guarantees are not allowed.";
const CURE_SUGGESTION: &str = "Describe what the product does without promising outcomes (\"helps keep skin moisturised\"), and never claim to cure a condition.";
const PROOF_MESSAGE: &str = "Claims clinical or scientific proof without evidence.";
const PROOF_SUGGESTION: &str = "Remove \"clinically proven\" unless you can cite the study; say \"tested\" only for tests actually done.";

const RANK_SOURCE: &str = r"(?:\b(?:the|our|is|are|a|as|voted|ranked|jadi|menjadi|adalah|merupakan|sebagai|es|el|la|ser)\s+(?:no\.?\s?1|#\s?1|number (?:one|1)|nomor (?:satu|1)|nombor (?:satu|1)|numero (?:uno|1))\b|(?:\bno\.?\s?1|#\s?1|\bnumber (?:one|1)|\bnomor (?:satu|1)|\bnombor (?:satu|1)|\bnumero (?:uno|1))\s*(?:in|di|en|tai|trong|brand|merek|marca|best|seller|selling|choice|pilihan|terlaris|ban chay|thuong hieu|recommended|rated|product|produk|skincare|serum|worldwide|global|del|se-?\w+)\b|\b(?:best|#1|number one|no\.? ?1)\s+(?:\S+\s+){0,3}?in (?:the )?(?:world|market|country|universe|industry|asia|indonesia|malaysia|thailand|vietnam|philippines|america|usa)\b|\bworld'?s (?:best|no\.? ?1|number one|first|most \w+|#1|top)\b|\bbest on the market\b|\bunbeatable\b|\bterbaik (?:\S+\s+){0,2}?(?:di dunia|se-?dunia|sedunia|se-?indonesia|di indonesia|se-?asia|di malaysia|se-?malaysia)\b|\btermurah se-?\w+|\bso (?:1|mot) (?:the gioi|viet nam|vn|thi truong|chau a|hien nay)\b|\bhang dau (?:the gioi|viet nam)\b|\btot nhat (?:the gioi|viet nam|thi truong|hien nay)\b|\bel mejor (?:\S+\s+){0,2}?del (?:mundo|mercado|pais)\b|\bmejor del mundo\b|\bmas (?:eficaz|efectivo|potente|vendido) del (?:mercado|mundo|pais)\b|อันดับ\s*(?:1|หนึ่ง)(?:ของ|ใน)?|ที่หนึ่งในโลก|ดีที่สุดใน(?:โลก|ไทย|ประเทศ|ตลาด)|ที่สุดในโลก|第一品牌|排名第一|销量第一|全网第一|世界第一|行业第一|全国第一|第一名|销量冠军|全网最|全球最|世界上最好|最好的(?:产品|面霜|精华|选择|品牌))";
static RANK: LazyLock<Regex> = LazyLock::new(|| pattern(RANK_SOURCE));

const SUPERLATIVE_SOURCE: &str = r"(?:\bbest (?:\S+\s+){0,2}?ever\b|\bthe most (?:effective|powerful|advanced|comfortable|durable|natural|safe|trusted|reliable|innovative|luxurious|perfect|amazing|potent|nourishing)\b|\bpaling (?:ampuh|efektif|manjur|aman|alami|canggih|mujarab|berkesan|hebat)\b|\bhieu qua nhat\b|\bel mas (?:eficaz|efectivo|potente|seguro|avanzado|comodo|natural)\b|最有效|最安全|最天然|最强)";
static SUPERLATIVE: LazyLock<Regex> = LazyLock::new(|| pattern(SUPERLATIVE_SOURCE));

const PURITY_SOURCE: &str = r"(?:\b100\s?%\s?(?:natural|organic|pure|safe|effective|chemical[- ]free|herbal|risk[- ]free|alami|herbal|aman|ampuh|organik|murni|efektif|manjur|semula jadi|selamat|berkesan|tu nhien|thien nhien|huu co|thao duoc|an toan|hieu qua|natural|organico|puro|seguro|efectivo)\b|\b(?:natural|organic|alami|herbal|ampuh|organik|tu nhien|thien nhien)\s?100\s?%|\bnatural al 100\b|\b(?:no|zero|without|free of|free from) (?:any )?side[- ]effects\b|\btanpa efek samping\b|\btiada kesan sampingan\b|\bkhong (?:co )?tac dung phu\b|\bsin efectos secundarios\b|(?:ธรรมชาติ|ออร์แกนิก|สมุนไพร)\s*100\s*%|100\s*%\s*(?:ธรรมชาติ|ออร์แกนิก|ปลอดภัย|สมุนไพร)|ไม่มีผลข้างเคียง|100\s?%\s?(?:天然|纯天然|有机|安全|有效)|纯天然|无副作用|零副作用|百分百有效)";
static PURITY: LazyLock<Regex> = LazyLock::new(|| pattern(PURITY_SOURCE));

const CURE_SOURCE: &str = r"(?:\bguaranteed (?:to )?(?:cure|heal|work|results?|whiten\w*|weight loss|lose|grow|remove|fix|clear)\b|\b(?:results?|cure|weight loss|whitening) guaranteed\b|\b(?:cures?|cured|heals?|eliminates?|reverses?|treats?) (?:\S+\s+){0,2}?(?:acne|cancer|diabetes|eczema|psoriasis|hair loss|baldness|hypertension|high blood pressure|covid|insomnia|arthritis|all diseases|any disease|depression|obesity|infertility|gout|asthma)\b|\bmiracle (?:cure|cream|serum|pill|oil|product|results?)\b|\binstant(?:ly)? (?:results|cure|whitening|weight loss)\b|\bpermanent(?:ly)? (?:cure|whitening|results|hair removal)\b|\bworks for everyone\b|\blose \d+\s?(?:kg|lbs?|pounds) in \d+ (?:days?|weeks?)\b|\bdijamin (?:\S+\s+)?(?:sembuh|ampuh|berhasil|putih|langsing|hilang|manjur|tumbuh|efektif|kurus|berkesan)\b|\bmenyembuhkan (?:\S+\s+){0,2}?(?:jerawat|kanker|diabetes|asam urat|kolesterol|darah tinggi|hipertensi|segala penyakit|semua penyakit|eksim|kebotakan|maag|stroke|penyakit)\b|\bsembuh total\b|\bobat (?:ajaib|segala penyakit)\b|\bpenawar (?:segala|semua) penyakit\b|\bhasil instan\b|รักษา(?:หาย|โรค|มะเร็ง|เบาหวาน|สิว|ผมร่วง|ได้ทุกโรค)|หายขาด|รับประกัน(?:ผล|หาย|ขาว|ผอม)|เห็นผล(?:ทันที|100)|ขาวใน\s*\d+\s*วัน|ผอมใน\s*\d+\s*วัน|ปาฏิหาริย์|\bchua (?:khoi (?:hoan toan|benh|100|dut diem)|dut diem|tan goc|bach benh)\b|\btri dut diem\b|\bdac tri\b|\bkhoi han\b|\bcam ket (?:khoi|trang|giam|hieu qua|100)\b|\bthan duoc\b|\btrang (?:da )?(?:sau|trong) \d+ ngay\b|\bcura (?:\S+\s+){0,2}?(?:acne|cancer|diabetes|calvicie|artritis|todas las enfermedades|la gastritis)\b|\bresultados (?:garantizados|inmediatos)\b|\bgarantiza(?:do|mos)? (?:\S+\s+)?(?:cura|resultados|que funciona)\b|\bmilagros[oa]\b|根治|治愈|包治|药到病除|保证治好|彻底治好|神奇功效|神奇效果|特效药|奇效)";
static CURE: LazyLock<Regex> = LazyLock::new(|| pattern(CURE_SOURCE));

const PROOF_SOURCE: &str = r"(?:\b(?:clinically|scientifically|medically|dermatologically) proven\b|\bproven by (?:science|doctors|studies)\b|\bterbukti (?:secara )?klinis\b|\bterbukti secara klinikal\b|\bterbukti secara saintifik\b|(?:พิสูจน์|รับรอง)(?:แล้ว)?ทางคลินิก|\b(?:da duoc )?chung minh lam sang\b|\b(?:clinica|cientifica)mente (?:probado|comprobado)\b|临床证明|临床验证|科学证明)";
static PROOF: LazyLock<Regex> = LazyLock::new(|| pattern(PROOF_SOURCE));

/// One pass over the text decides whether any claim pattern can match at all.
static ANY_CLAIM: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        &[
            RANK_SOURCE,
            SUPERLATIVE_SOURCE,
            PURITY_SOURCE,
            CURE_SOURCE,
            PROOF_SOURCE,
        ]
        .join("|"),
    )
});

pub fn check(context: &Context<'_>, hits: &mut Hits<'_, '_>) {
    let folded = context.folded();
    if !ANY_CLAIM.is_match(folded) {
        return;
    }
    for found in RANK.find_iter(folded) {
        hits.folded(found.range(), RANK_MESSAGE, RANK_SUGGESTION);
    }
    if matches!(context.kind, TextKind::Listing | TextKind::ReviewRequest) {
        for found in SUPERLATIVE.find_iter(folded) {
            hits.folded(found.range(), RANK_MESSAGE, RANK_SUGGESTION);
        }
    }
    for found in PURITY.find_iter(folded) {
        hits.folded(found.range(), PURITY_MESSAGE, PURITY_SUGGESTION);
    }
    for found in CURE.find_iter(folded) {
        hits.folded(found.range(), CURE_MESSAGE, CURE_SUGGESTION);
    }
    for found in PROOF.find_iter(folded) {
        hits.folded(found.range(), PROOF_MESSAGE, PROOF_SUGGESTION);
    }
}
