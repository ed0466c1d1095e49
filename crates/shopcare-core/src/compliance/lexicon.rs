//! Word lists shared by several rules, as regex fragments over folded text
//! (lower case, no Latin diacritics). `\b` is an ASCII word boundary (see
//! `rules::pattern`). Thai and Chinese entries carry no boundaries: those scripts
//! are written without spaces.

use std::sync::LazyLock;

use regex::Regex;

use super::rules::pattern;

/// A review or rating, as a noun or as "rate us".
pub const REVIEW: &str = r"(?:\breviews?\b|\breviewing\b|\breviewed\b|\bratings?\b|\brate (?:us|the|this|our|it|your)\b|\b(?:\d|one|two|three|four|five)[- ]?stars?\b|\bstars?\b|★|⭐|\b(?:leave|give|write|post)\w* (?:us )?(?:a |an |some |your )?(?:\w+ )?feedback\b|\btestimonials?\b|\bulasan\w*|\bulas\b|\bmengulas\b|\bpenilaian\b|\b(?:beri|kasih|berikan)(?:kan)? nilai\b|\bbintang\w*|\breview(?:nya|mu)\b|\brating(?:nya)?\b|\bdanh gia\b|\bnhan xet\b|\bbinh luan\b|\b(?:\d|nam|mot) sao\b|\bresenas?\b|\bopinion(?:es)?\b|\bcalificacion(?:es)?\b|\bcalifica(?:nos|r)?\b|\bvaloracion(?:es)?\b|\bestrellas?\b|\bcomentarios?\b|评价|好评|差评|评论|评分|打分|五星|星评|晒图|追评|รีวิว|(?:\d|ห้า|หนึ่ง|สอง|สาม|สี่|ให้|เต็ม)\s*ดาว|ดาวเต็ม|ให้คะแนน|คะแนนรีวิว|ความคิดเห็น|คอมเมนต์)";

/// A reward a seller could offer.
pub const REWARD: &str = r"(?:\d+\s*%\s*off\b|\boff (?:your|ur) next\b|\bdiscounts?\b|\bcoupons?\b|\bvouchers?\b|\bpromo codes?\b|\bcash ?back\b|\brebates?\b|\bgift ?cards?\b|\bfree (?:gift|sample|item|product|samples|shipping|bottle|pair|one|refill|accessory|accessories|delivery)s?\b|\bgifts?\b|\bfreebies?\b|\bprizes?\b|\blucky draws?\b|\bgiveaways?\b|\braffles?\b|\bprize draws?\b|\bvip\b|\brewards?\b|\bbonus\b|\b(?:loyalty )?points\b|\bmoney back\b|\brefund(?:ed|s)?\b|\bpay you\b|\$\s?\d|\bstore credit\b|\bcommission\b|\bdiskon(?:nya)?\b|\bpotongan\b|\bkupon(?:nya)?\b|\bhadiah(?:nya)?\b|\bgratis\b|\bpoin(?:nya)?\b|\bsaldo\b|\buang kembali\b|\bundian\b|\bfree ongkir\b|\bdiskaun\b|\bbaucar\b|\bpercuma\b|\bwang tunai\b|\bcabutan\b|\bganjaran\b|\bimbalan\b|\bkomisi\b|\brp\s?\d|\brm\s?\d|ส่วนลด|คูปอง|โค้ด|เงินคืน|ของแถม|แถม|ของขวัญ|ฟรี|แจก|รางวัล|ลุ้น|แคชแบ็ก|โบนัส|คืนเงิน|เครดิต|พอยท์|\d+\s*บาท|฿|\bgiam gia\b|\bgiam \d|\bma giam\b|\bphieu\b|\bhoan tien\b|\bqua tang\b|\bnhan qua\b|\btang (?:ban|ngay|kem|voucher|ma|qua|them|1|mot)\b|\b(?:duoc|se) tang\b|\bmien phi\b|\bthuong\b|\bxu\b|\bboc tham\b|\buu dai\b|\d+k\b|\bdescuentos?\b|\bcupon(?:es)?\b|\breembolso\b|\bregalos?\b|\bregalamos\b|\bte regalo\b|\bmuestras? gratis\b|\bsorteos?\b|\bpremios?\b|\bbono\b|\bdevolucion de dinero\b|\btarjeta de regalo\b|\bdinero\b|\bpuntos\b|\brecompensas?\b|优惠|折扣|打折|优惠券|红包|返现|返利|现金|礼品|礼物|赠品|赠送|送你|送您|免费|抽奖|奖励|积分|退款|返\d|\d+元|减\d)";

/// Rewards that are also the ordinary remedy for a problem: tied to a review
/// change they are gating (manipulation), not a bonus.
pub const REMEDY_ONLY: &str =
    r"^(?:refund(?:ed|s)?|money back|reembolso|dinero|hoan tien|退款|คืนเงิน|uang kembali)$";

/// Negation or independence: "regardless of your review", "not tied to".
pub const INDEPENDENT: &str = r"(?:\bregardless\b|\bwhether or not\b|\bwhatever you (?:rate|write|decide)\b|\bno matter\b|\b(?:does not|doesn't|do not|don't|will not|won't|never) (?:depend|affect|change|require|need)\b|\bnot (?:tied|linked|conditional|connected|dependent|related)\b|\bno strings\b|\bnothing to do with\b|\bis not required\b|\bnot required\b|\bno review (?:is )?(?:needed|required)\b|\bwith or without\b|\btanpa syarat\b|\btidak (?:bergantung|tergantung|terkait|dipengaruhi|perlu)\b|\bterlepas dari\b|\bapa pun (?:ulasan|penilaian)\b|\btak bergantung\b|\btidak kira\b|\bbat ke\b|\bkhong (?:phu thuoc|lien quan|anh huong|can)\b|\bdu (?:ban|anh|chi) danh gia\b|\bindependientemente\b|\bsin importar\b|\bno depende\b|\bno (?:esta|estan) (?:ligad|condicionad|vinculad)|\bsin condiciones\b|无论|不论|不管|与评价无关|不影响|无需评价|ไม่ว่า|ไม่เกี่ยวกับ|ไม่ขึ้นอยู่กับ|ไม่ต้องรีวิว|ไม่มีเงื่อนไข)";

/// Thanking someone for something they already did.
pub const THANKS_FOR: &str = r"(?:\bthanks? (?:you )?(?:so much |a lot )?for\b|\bthank you for\b|\bappreciate (?:the|your)\b|\bterima ?kasih (?:banyak )?(?:atas|untuk|sudah|telah|buat)\b|\bterima ?kasih (?:kerana|karena|krn)\b|\bmakasih\b|\bcam on\b|\bgracias (?:por|x)\b|谢谢|感谢|ขอบคุณ)";

/// "not", "never", "cannot" and their equivalents, for negated requests.
pub const NEGATION: &str = r"(?:\bnot\b|n't\b|\bnever\b|\bcannot\b|\bno (?:need|one)\b|\bwon't\b|\btidak\b|\btak\b|\bbukan\b|\bgak\b|\bnggak\b|\btiada\b|\bkhong\b|\bchang\b|\bno\b|\bnunca\b|\bjamas\b|不|没|别|ไม่|ห้าม)";

pub static REVIEW_RE: LazyLock<Regex> = LazyLock::new(|| pattern(REVIEW));
pub static REWARD_RE: LazyLock<Regex> = LazyLock::new(|| pattern(REWARD));
pub static REMEDY_ONLY_RE: LazyLock<Regex> = LazyLock::new(|| pattern(REMEDY_ONLY));
pub static INDEPENDENT_RE: LazyLock<Regex> = LazyLock::new(|| pattern(INDEPENDENT));
pub static THANKS_FOR_RE: LazyLock<Regex> = LazyLock::new(|| pattern(THANKS_FOR));
pub static NEGATION_RE: LazyLock<Regex> = LazyLock::new(|| pattern(NEGATION));

/// "we will not", "cannot", "kami tidak": a seller saying it will not ask (as
/// opposed to "if you don't delete …", which is still a request).
pub const REFUSAL: &str = r"(?:\b(?:we|i)(?: will| would| do| can| shall)?(?: not|n't| never)\b|\bnever\b|\bcannot\b|\bcan't\b|\bnot (?:ask|asking|request|require)\w*|\bkami (?:tidak|tak|tdk)\b|\btidak (?:bisa|dapat|akan|perlu|meminta)\b|\btak (?:boleh|akan|perlu)\b|\bshop (?:khong|se khong)\b|\bkhong (?:the|yeu cau|can)\b|\bno (?:podemos|pedimos|vamos|es necesario|necesitas)\b|\bnunca\b|เราไม่|ร้านไม่|ไม่สามารถ|ไม่ต้อง|ไม่ได้ขอ|我们不|不会|(?:^|[^能])不能|无法|不用|不需要)";

pub static REFUSAL_RE: LazyLock<Regex> = LazyLock::new(|| pattern(REFUSAL));
