//! The built-in timeline messages, written for shopcare, for every trigger in English,
//! Indonesian, Malay, Thai, Vietnamese, Spanish and Chinese. A shop's own template for a
//! trigger and language replaces the built-in one; a language without built-ins falls
//! back to English. Short, factual, private-chat texts; the review request asks for an
//! honest opinion whatever it is and offers nothing in return.

use super::template::{validate_template, Template};
use super::Trigger;

/// Languages with built-in templates.
pub const BUILT_IN_LANGUAGES: [&str; 7] = ["en", "id", "ms", "th", "vi", "es", "zh"];

/// The message language a shop in `region` starts with.
pub fn default_language_for_region(region: &str) -> &'static str {
    match region.trim().to_ascii_uppercase().as_str() {
        "ID" => "id",
        "MY" => "ms",
        "TH" => "th",
        "VN" => "vi",
        "ES" | "MX" => "es",
        "CN" | "TW" | "HK" => "zh",
        _ => "en",
    }
}

/// A neutral form of address when the buyer's first name is unknown.
pub fn fallback_first_name(language: &str) -> &'static str {
    match language {
        "id" => "Kak",
        "ms" => "Cik",
        "th" => "คุณลูกค้า",
        "vi" => "bạn",
        "es" => "cliente",
        "zh" => "亲",
        _ => "there",
    }
}

fn text(trigger: Trigger, language: &str) -> Option<&'static str> {
    use Trigger::*;
    Some(match (language, trigger) {
        ("en", OrderConfirmation) => "Thanks for your order of {item} ({variant})! We pack and hand it to the carrier within {processing_days} days. The quick-start card in the box shows the first steps.",
        ("en", LabelCreated) => "Your shipping label for {item} is ready: {tracking_link}. \"Label created\" means the parcel is packed and waiting for the carrier, so the first scan can take a day.",
        ("en", FirstCarrierScan) => "The carrier has scanned your parcel with {item}, it is on its way: {tracking_link}. If the tracking does not move for two or three days, just reply here and we will check with the carrier.",
        ("en", TrackingStalled) => "We noticed the tracking of your {item} parcel has not changed for a while: {tracking_link}. We are checking with the carrier now and will update you here.",
        ("en", Delivered) => "Your {item} has been delivered. Setup in 3 steps: unpack everything, follow the quick-start card, then try it once. If anything is missing, reply here with a photo.",
        ("en", HelpAfterDelivery) => "How is {item} ({variant}) working for you? Many buyers have questions about {help_topic} in the first days; reply here and we will walk you through it.",
        ("en", ReviewRequest) => "You have had {item} for a while now. If you have a moment, an honest review helps other buyers decide, whatever your experience has been.",
        ("en", Replenishment) => "Your {item} ({variant}) may be running low soon. If you would like to reorder, the same variant is available in our shop.",

        ("id", OrderConfirmation) => "Terima kasih sudah memesan {item} ({variant})! Pesanan kami kemas dan serahkan ke kurir dalam {processing_days} hari. Kartu panduan di dalam paket menjelaskan langkah awalnya.",
        ("id", LabelCreated) => "Label pengiriman untuk {item} sudah dibuat: {tracking_link}. \"Label dibuat\" artinya paket sudah dikemas dan menunggu kurir, jadi pemindaian pertama bisa memakan waktu sehari.",
        ("id", FirstCarrierScan) => "Paket berisi {item} sudah dipindai kurir dan sedang dalam perjalanan: {tracking_link}. Kalau pelacakan tidak bergerak 2–3 hari, balas pesan ini dan kami cek ke kurir.",
        ("id", TrackingStalled) => "Pelacakan paket {item} belum berubah beberapa waktu: {tracking_link}. Kami sedang menanyakan ke kurir dan akan mengabari di sini.",
        ("id", Delivered) => "{item} sudah sampai. Cara mulai dalam 3 langkah: buka semua isi paket, ikuti kartu panduan, lalu coba sekali. Jika ada yang kurang, balas dengan foto.",
        ("id", HelpAfterDelivery) => "Bagaimana {item} ({variant}) sejauh ini? Banyak pembeli bertanya soal {help_topic} di hari-hari pertama; balas pesan ini dan kami bantu langkah demi langkah.",
        ("id", ReviewRequest) => "Sudah beberapa waktu memakai {item}. Jika ada waktu, ulasan yang jujur membantu pembeli lain memutuskan, apa pun pengalaman Anda.",
        ("id", Replenishment) => "{item} ({variant}) mungkin akan segera habis. Jika ingin memesan lagi, varian yang sama tersedia di toko kami.",

        ("ms", OrderConfirmation) => "Terima kasih atas pesanan {item} ({variant})! Kami bungkus dan serahkan kepada kurier dalam {processing_days} hari. Kad panduan dalam kotak menunjukkan langkah pertama.",
        ("ms", LabelCreated) => "Label penghantaran untuk {item} sudah sedia: {tracking_link}. \"Label dicipta\" bermaksud bungkusan sudah siap dan menunggu kurier, jadi imbasan pertama mungkin ambil masa sehari.",
        ("ms", FirstCarrierScan) => "Kurier telah mengimbas bungkusan {item} anda dan ia dalam perjalanan: {tracking_link}. Jika penjejakan tidak bergerak 2–3 hari, balas di sini dan kami akan semak dengan kurier.",
        ("ms", TrackingStalled) => "Penjejakan bungkusan {item} anda belum berubah sejak beberapa ketika: {tracking_link}. Kami sedang menyemak dengan kurier dan akan memaklumkan anda di sini.",
        ("ms", Delivered) => "{item} anda telah sampai. Mula dalam 3 langkah: keluarkan semua isi, ikut kad panduan, kemudian cuba sekali. Jika ada yang tiada, balas dengan gambar.",
        ("ms", HelpAfterDelivery) => "Bagaimana {item} ({variant}) setakat ini? Ramai pembeli bertanya tentang {help_topic} pada hari-hari awal; balas di sini dan kami bantu langkah demi langkah.",
        ("ms", ReviewRequest) => "Anda sudah menggunakan {item} untuk seketika. Jika ada masa, ulasan yang jujur membantu pembeli lain membuat keputusan, apa pun pengalaman anda.",
        ("ms", Replenishment) => "{item} ({variant}) anda mungkin hampir habis. Jika mahu memesan semula, varian yang sama ada di kedai kami.",

        ("th", OrderConfirmation) => "ขอบคุณที่สั่ง {item} ({variant}) ค่ะ เราจะแพ็กและส่งให้ขนส่งภายใน {processing_days} วัน การ์ดแนะนำในกล่องจะบอกขั้นตอนแรกไว้ค่ะ",
        ("th", LabelCreated) => "สร้างใบปะหน้าพัสดุ {item} แล้วค่ะ: {tracking_link} \"สร้างใบปะหน้าแล้ว\" หมายถึงพัสดุแพ็กเสร็จและรอขนส่งมารับ การสแกนครั้งแรกอาจใช้เวลาหนึ่งวันค่ะ",
        ("th", FirstCarrierScan) => "ขนส่งสแกนพัสดุ {item} แล้ว กำลังเดินทางถึงคุณค่ะ: {tracking_link} หากสถานะไม่ขยับ 2–3 วัน ตอบกลับที่นี่ได้เลย เราจะตรวจสอบกับขนส่งให้ค่ะ",
        ("th", TrackingStalled) => "สถานะพัสดุ {item} ยังไม่เปลี่ยนมาสักพักแล้วค่ะ: {tracking_link} เรากำลังสอบถามขนส่งและจะแจ้งความคืบหน้าที่นี่ค่ะ",
        ("th", Delivered) => "{item} ส่งถึงแล้วค่ะ เริ่มใช้ 3 ขั้นตอน: แกะของทั้งหมด ทำตามการ์ดแนะนำ แล้วลองใช้หนึ่งครั้ง หากมีของขาด ตอบกลับพร้อมรูปถ่ายได้เลยค่ะ",
        ("th", HelpAfterDelivery) => "{item} ({variant}) ใช้งานเป็นอย่างไรบ้างคะ ผู้ซื้อหลายท่านมีคำถามเรื่อง{help_topic}ในช่วงแรก ตอบกลับที่นี่ได้เลย เราจะช่วยทีละขั้นตอนค่ะ",
        ("th", ReviewRequest) => "คุณใช้ {item} มาสักระยะแล้ว หากสะดวก รีวิวตามจริงจะช่วยให้ผู้ซื้อคนอื่นตัดสินใจได้ ไม่ว่าประสบการณ์ของคุณจะเป็นอย่างไรค่ะ",
        ("th", Replenishment) => "{item} ({variant}) ของคุณอาจใกล้หมดแล้วค่ะ หากต้องการสั่งซื้ออีกครั้ง ร้านเรามีตัวเลือกเดิมพร้อมส่งค่ะ",

        ("vi", OrderConfirmation) => "Cảm ơn bạn đã đặt {item} ({variant})! Shop sẽ đóng gói và giao cho đơn vị vận chuyển trong {processing_days} ngày. Thẻ hướng dẫn trong hộp có các bước đầu tiên.",
        ("vi", LabelCreated) => "Nhãn vận chuyển cho {item} đã được tạo: {tracking_link}. \"Đã tạo nhãn\" nghĩa là hàng đã đóng gói và đang chờ đơn vị vận chuyển, nên lần quét đầu có thể mất một ngày.",
        ("vi", FirstCarrierScan) => "Đơn vị vận chuyển đã quét kiện hàng {item}, hàng đang trên đường đến bạn: {tracking_link}. Nếu hành trình không cập nhật 2–3 ngày, bạn cứ nhắn lại đây để shop kiểm tra.",
        ("vi", TrackingStalled) => "Hành trình kiện hàng {item} chưa cập nhật một thời gian: {tracking_link}. Shop đang hỏi đơn vị vận chuyển và sẽ báo bạn tại đây.",
        ("vi", Delivered) => "{item} đã được giao. Bắt đầu trong 3 bước: lấy hết đồ ra, làm theo thẻ hướng dẫn, rồi dùng thử một lần. Nếu thiếu gì, bạn nhắn lại kèm ảnh nhé.",
        ("vi", HelpAfterDelivery) => "{item} ({variant}) dùng thế nào rồi bạn? Nhiều người mua hay hỏi về {help_topic} trong những ngày đầu; bạn nhắn lại đây, shop sẽ hướng dẫn từng bước.",
        ("vi", ReviewRequest) => "Bạn đã dùng {item} được một thời gian. Nếu có chút thời gian, một đánh giá trung thực sẽ giúp người mua khác, dù trải nghiệm của bạn thế nào.",
        ("vi", Replenishment) => "{item} ({variant}) của bạn có thể sắp hết. Nếu muốn đặt lại, shop vẫn có đúng phân loại này.",

        ("es", OrderConfirmation) => "¡Gracias por tu pedido de {item} ({variant})! Lo preparamos y entregamos al transportista en {processing_days} días. La tarjeta de inicio dentro de la caja explica los primeros pasos.",
        ("es", LabelCreated) => "La etiqueta de envío de {item} ya está creada: {tracking_link}. \"Etiqueta creada\" significa que el paquete está listo y espera al transportista, así que el primer escaneo puede tardar un día.",
        ("es", FirstCarrierScan) => "El transportista ya escaneó tu paquete con {item} y está en camino: {tracking_link}. Si el seguimiento no avanza en dos o tres días, responde aquí y lo revisamos con el transportista.",
        ("es", TrackingStalled) => "Vemos que el seguimiento de tu paquete con {item} no cambia desde hace un tiempo: {tracking_link}. Lo estamos consultando con el transportista y te avisamos aquí.",
        ("es", Delivered) => "Tu {item} ya fue entregado. Empieza en 3 pasos: saca todo de la caja, sigue la tarjeta de inicio y pruébalo una vez. Si falta algo, responde aquí con una foto.",
        ("es", HelpAfterDelivery) => "¿Qué tal funciona {item} ({variant})? Muchos compradores tienen dudas sobre {help_topic} los primeros días; responde aquí y te guiamos paso a paso.",
        ("es", ReviewRequest) => "Ya llevas un tiempo con {item}. Si tienes un momento, una reseña sincera ayuda a otros compradores a decidir, sea cual sea tu experiencia.",
        ("es", Replenishment) => "Puede que tu {item} ({variant}) se esté acabando. Si quieres volver a pedirlo, la misma variante está disponible en nuestra tienda.",

        ("zh", OrderConfirmation) => "感谢您订购 {item}（{variant}）！我们会在 {processing_days} 天内打包并交给快递。包裹里的快速上手卡写有第一步的做法。",
        ("zh", LabelCreated) => "{item} 的运单已生成：{tracking_link}。“已生成运单”表示包裹已打包、正在等待快递揽收，所以第一次扫描可能需要一天。",
        ("zh", FirstCarrierScan) => "快递已扫描您装有 {item} 的包裹，正在运送途中：{tracking_link}。如果物流两三天没有更新，请在这里回复，我们会联系快递核实。",
        ("zh", TrackingStalled) => "您的 {item} 包裹物流已有一段时间没有更新：{tracking_link}。我们正在向快递查询，有消息会在这里告诉您。",
        ("zh", Delivered) => "您的 {item} 已送达。三步开始使用：取出全部物品，按照快速上手卡操作，然后试用一次。如有缺件，请回复并附上照片。",
        ("zh", HelpAfterDelivery) => "{item}（{variant}）用得还顺手吗？很多买家在头几天会对{help_topic}有疑问，在这里回复，我们一步步帮您。",
        ("zh", ReviewRequest) => "您已经使用 {item} 一段时间了。如果方便，一条真实的评价能帮助其他买家做决定，无论您的体验如何。",
        ("zh", Replenishment) => "您的 {item}（{variant}）可能快用完了。如需再次购买，店里仍有相同规格。",
        _ => return None,
    })
}

/// The built-in template for `trigger` in `language` (English when there is none), with
/// the language actually used.
pub fn default_template(trigger: Trigger, language: &str) -> (Template, String) {
    let (source, used) = match text(trigger, language) {
        Some(source) => (source, language),
        None => (text(trigger, "en").unwrap_or_default(), "en"),
    };
    // The built-ins are checked by this module's tests; should one ever fail validation
    // it is sent as written rather than not at all.
    let template =
        validate_template(trigger, source).unwrap_or_else(|_| Template::literal(trigger, source));
    (template, used.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compliance;

    #[test]
    fn every_trigger_has_a_valid_built_in_in_every_language() {
        for language in BUILT_IN_LANGUAGES {
            for trigger in Trigger::ALL {
                let source = text(trigger, language)
                    .unwrap_or_else(|| panic!("{trigger} has no {language} text"));
                validate_template(trigger, source)
                    .unwrap_or_else(|error| panic!("{trigger}/{language}: {error}"));
            }
        }
    }

    #[test]
    fn built_ins_pass_the_compliance_guard_in_their_markets() {
        let values = super::super::TemplateValues {
            item: "Hydrating serum".into(),
            variant: "30 ml".into(),
            processing_days: "2".into(),
            tracking_link: "SPX0012345".into(),
            buyer_first_name: "Ana".into(),
            shop_name: "Glow".into(),
            help_topic: "the dosage".into(),
        };
        for (language, market) in [
            ("en", "US"),
            ("en", "GB"),
            ("id", "ID"),
            ("ms", "MY"),
            ("th", "TH"),
            ("vi", "VN"),
            ("es", "ES"),
            ("es", "MX"),
            ("zh", "SG"),
        ] {
            for trigger in Trigger::ALL {
                let (template, used) = default_template(trigger, language);
                assert_eq!(used, language);
                let text = template.render(&values);
                let verdict = compliance::check(&text, trigger.text_kind(), Some(market));
                assert!(verdict.ok, "{trigger}/{language}/{market}: {verdict:?}");
            }
        }
    }

    #[test]
    fn unknown_languages_fall_back_to_english() {
        let (template, used) = default_template(Trigger::Delivered, "fr");
        assert_eq!(used, "en");
        assert!(template.source().contains("delivered"));
        assert_eq!(default_language_for_region("th"), "th");
        assert_eq!(default_language_for_region("ZZ"), "en");
    }
}
