//! Reply and review-request drafts, written by the shopcare team, that pass the
//! guard in every language.
//!
//! A review reply follows acknowledge → clarify (move to platform chat with the
//! order number) → act with a time frame. The acknowledgement and the action vary
//! by root cause; none of them admits fault before the facts are checked, and none
//! contains personal data. Review requests ask for an honest review with the
//! details that matter for the product type, never for a rating.

/// The eight families of root cause a reply can speak to.
#[derive(Clone, Copy)]
enum CauseFamily {
    Quality,
    NotAsDescribed,
    WrongOrMissing,
    Packaging,
    Shipping,
    Service,
    PriceValue,
    General,
}

impl CauseFamily {
    fn from_root_cause(root_cause: &str) -> CauseFamily {
        match root_cause.trim() {
            "product_quality" => CauseFamily::Quality,
            "not_as_described" => CauseFamily::NotAsDescribed,
            "wrong_or_missing_item" => CauseFamily::WrongOrMissing,
            "packaging_damage" => CauseFamily::Packaging,
            "late_dispatch" | "delivery" => CauseFamily::Shipping,
            "customer_service" => CauseFamily::Service,
            "price_value" => CauseFamily::PriceValue,
            _ => CauseFamily::General,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Per-language wording: acknowledgement and action per cause family, and the
/// clarify sentence with and without an order reference (`{order}` is replaced).
struct ReplyWording {
    acknowledge: [&'static str; 8],
    act: [&'static str; 8],
    clarify_with_order: &'static str,
    clarify_without_order: &'static str,
}

const ENGLISH: ReplyWording = ReplyWording {
    acknowledge: [
        "Thank you for telling us about this, and we're sorry the product did not work as you expected.",
        "Thank you for your feedback, and we're sorry the item was not what you expected from the listing.",
        "We're sorry to read that your parcel did not match what you ordered.",
        "We're sorry the item arrived in this condition.",
        "We're sorry your order took longer than expected to reach you.",
        "We're sorry our replies did not meet your expectations.",
        "Thank you for sharing your view on the price and value.",
        "Thank you for taking the time to share this with us.",
    ],
    act: [
        "Once we have the details, our quality team will check it and offer a replacement or another solution within 24 hours.",
        "We will compare your photos with the listing and reply with a solution within 24 hours.",
        "As soon as we have checked the packing record, we will arrange the right item within 2 working days.",
        "After we see photos of the parcel and the item, we will arrange a replacement or another solution within 24 hours.",
        "We will check the shipping timeline of your order and update you in chat within 24 hours.",
        "A senior member of our team will personally follow up in chat within 12 hours.",
        "We will explain what is included and look at the options we can offer within 24 hours.",
        "Our team will look into it and reply in chat within 24 hours.",
    ],
    clarify_with_order: "Please message us in TikTok Shop chat about order {order} so we can look at the details together.",
    clarify_without_order: "Please message us in TikTok Shop chat with your order number so we can look at the details together.",
};

const INDONESIAN: ReplyWording = ReplyWording {
    acknowledge: [
        "Terima kasih sudah memberi tahu kami, dan mohon maaf produknya tidak berfungsi seperti yang diharapkan.",
        "Terima kasih atas masukannya, dan mohon maaf barang yang diterima tidak sesuai harapan dari deskripsi produk.",
        "Mohon maaf, isi paket yang diterima tidak sesuai dengan pesanan.",
        "Mohon maaf barangnya tiba dalam kondisi seperti ini.",
        "Mohon maaf pesanannya sampai lebih lama dari yang diharapkan.",
        "Mohon maaf balasan kami belum sesuai harapan.",
        "Terima kasih sudah berbagi pendapat soal harga dan nilai produknya.",
        "Terima kasih sudah meluangkan waktu untuk berbagi dengan kami.",
    ],
    act: [
        "Setelah detailnya kami terima, tim kualitas kami akan memeriksanya dan menawarkan penggantian atau solusi lain dalam 24 jam.",
        "Kami akan mencocokkan foto yang dikirim dengan deskripsi produk dan memberikan solusi dalam 24 jam.",
        "Setelah catatan pengemasan kami cek, barang yang benar akan kami atur pengirimannya dalam 2 hari kerja.",
        "Setelah melihat foto paket dan barangnya, kami akan mengatur penggantian atau solusi lain dalam 24 jam.",
        "Kami akan memeriksa riwayat pengiriman pesanan ini dan memberi kabar lewat chat dalam 24 jam.",
        "Anggota tim senior kami akan menindaklanjuti sendiri lewat chat dalam 12 jam.",
        "Kami akan menjelaskan apa saja yang termasuk dan melihat pilihan yang bisa kami tawarkan dalam 24 jam.",
        "Tim kami akan menelusurinya dan membalas lewat chat dalam 24 jam.",
    ],
    clarify_with_order: "Mohon kirim pesan ke kami lewat chat TikTok Shop dengan menyebut pesanan {order} agar bisa kami cek bersama.",
    clarify_without_order: "Mohon kirim pesan ke kami lewat chat TikTok Shop beserta nomor pesanan agar bisa kami cek bersama.",
};

const MALAY: ReplyWording = ReplyWording {
    acknowledge: [
        "Terima kasih kerana memaklumkan kepada kami, dan kami mohon maaf produk ini tidak berfungsi seperti yang dijangkakan.",
        "Terima kasih atas maklum balas anda, dan kami mohon maaf barang yang diterima tidak seperti yang dijangkakan daripada penerangan produk.",
        "Kami mohon maaf kerana isi bungkusan tidak sepadan dengan pesanan anda.",
        "Kami mohon maaf barang tiba dalam keadaan begini.",
        "Kami mohon maaf pesanan anda mengambil masa lebih lama daripada jangkaan.",
        "Kami mohon maaf balasan kami tidak memenuhi jangkaan anda.",
        "Terima kasih kerana berkongsi pandangan tentang harga dan nilai produk.",
        "Terima kasih kerana meluangkan masa untuk berkongsi dengan kami.",
    ],
    act: [
        "Selepas menerima butirannya, pasukan kualiti kami akan menyemaknya dan menawarkan penggantian atau penyelesaian lain dalam masa 24 jam.",
        "Kami akan membandingkan gambar anda dengan penerangan produk dan memberikan penyelesaian dalam masa 24 jam.",
        "Selepas kami menyemak rekod pembungkusan, kami akan menguruskan item yang betul dalam masa 2 hari bekerja.",
        "Selepas melihat gambar bungkusan dan barang, kami akan menguruskan penggantian atau penyelesaian lain dalam masa 24 jam.",
        "Kami akan menyemak perjalanan penghantaran pesanan ini dan memaklumkan anda melalui chat dalam masa 24 jam.",
        "Seorang ahli pasukan kanan akan membuat susulan sendiri melalui chat dalam masa 12 jam.",
        "Kami akan menerangkan apa yang termasuk dan meneliti pilihan yang boleh kami tawarkan dalam masa 24 jam.",
        "Pasukan kami akan menelitinya dan membalas melalui chat dalam masa 24 jam.",
    ],
    clarify_with_order: "Sila hantar mesej kepada kami melalui chat TikTok Shop tentang pesanan {order} supaya kami boleh menyemak butirannya bersama.",
    clarify_without_order: "Sila hantar mesej kepada kami melalui chat TikTok Shop bersama nombor pesanan anda supaya kami boleh menyemak butirannya bersama.",
};

const THAI: ReplyWording = ReplyWording {
    acknowledge: [
        "ขอบคุณที่แจ้งให้เราทราบ และขออภัยที่สินค้าไม่ได้ทำงานตามที่คาดหวังไว้",
        "ขอบคุณสำหรับความคิดเห็น และขออภัยที่สินค้าไม่ตรงกับที่คาดหวังจากรายละเอียดสินค้า",
        "ขออภัยที่สินค้าในพัสดุไม่ตรงกับคำสั่งซื้อ",
        "ขออภัยที่สินค้ามาถึงในสภาพนี้",
        "ขออภัยที่คำสั่งซื้อใช้เวลาจัดส่งนานกว่าที่คาดไว้",
        "ขออภัยที่การตอบกลับของเรายังไม่เป็นไปตามที่คาดหวัง",
        "ขอบคุณที่แบ่งปันความเห็นเรื่องราคาและความคุ้มค่า",
        "ขอบคุณที่สละเวลาแบ่งปันเรื่องนี้กับเรา",
    ],
    act: [
        "เมื่อได้รับรายละเอียดแล้ว ทีมตรวจคุณภาพจะตรวจสอบและเสนอการเปลี่ยนสินค้าหรือทางแก้อื่นภายใน 24 ชั่วโมง",
        "เราจะเทียบรูปถ่ายที่ได้รับกับรายละเอียดสินค้า และแจ้งทางแก้ภายใน 24 ชั่วโมง",
        "เมื่อตรวจสอบบันทึกการแพ็กแล้ว เราจะจัดส่งสินค้าที่ถูกต้องภายใน 2 วันทำการ",
        "หลังจากเห็นรูปพัสดุและสินค้าแล้ว เราจะจัดการเปลี่ยนสินค้าหรือทางแก้อื่นภายใน 24 ชั่วโมง",
        "เราจะตรวจสอบเส้นทางการจัดส่งของคำสั่งซื้อนี้และแจ้งความคืบหน้าในแชทภายใน 24 ชั่วโมง",
        "ทีมงานอาวุโสจะดูแลเรื่องนี้ด้วยตัวเองในแชทภายใน 12 ชั่วโมง",
        "เราจะอธิบายสิ่งที่รวมอยู่ในสินค้าและดูทางเลือกที่เสนอได้ภายใน 24 ชั่วโมง",
        "ทีมของเราจะตรวจสอบและตอบกลับในแชทภายใน 24 ชั่วโมง",
    ],
    clarify_with_order:
        "รบกวนส่งข้อความในแชท TikTok Shop เรื่องคำสั่งซื้อ {order} เพื่อให้เราตรวจสอบรายละเอียดร่วมกัน",
    clarify_without_order:
        "รบกวนส่งข้อความในแชท TikTok Shop พร้อมหมายเลขคำสั่งซื้อ เพื่อให้เราตรวจสอบรายละเอียดร่วมกัน",
};

const VIETNAMESE: ReplyWording = ReplyWording {
    acknowledge: [
        "Cảm ơn bạn đã cho shop biết, và shop rất tiếc sản phẩm chưa hoạt động như mong đợi.",
        "Cảm ơn bạn đã góp ý, và shop rất tiếc sản phẩm chưa đúng như bạn mong đợi từ phần mô tả.",
        "Shop rất tiếc vì kiện hàng chưa đúng với đơn hàng của bạn.",
        "Shop rất tiếc sản phẩm đến tay bạn trong tình trạng này.",
        "Shop rất tiếc đơn hàng đến chậm hơn bạn mong đợi.",
        "Shop rất tiếc vì phản hồi của shop chưa làm bạn hài lòng.",
        "Cảm ơn bạn đã chia sẻ ý kiến về giá và giá trị sản phẩm.",
        "Cảm ơn bạn đã dành thời gian chia sẻ với shop.",
    ],
    act: [
        "Sau khi nhận được thông tin, đội kiểm tra chất lượng sẽ xem xét và đề xuất đổi sản phẩm hoặc cách xử lý khác trong vòng 24 giờ.",
        "Shop sẽ đối chiếu hình ảnh bạn gửi với mô tả sản phẩm và phản hồi cách xử lý trong vòng 24 giờ.",
        "Sau khi kiểm tra lại khâu đóng gói, shop sẽ sắp xếp gửi đúng sản phẩm trong vòng 2 ngày làm việc.",
        "Sau khi xem ảnh kiện hàng và sản phẩm, shop sẽ sắp xếp đổi hàng hoặc cách xử lý khác trong vòng 24 giờ.",
        "Shop sẽ kiểm tra hành trình vận chuyển của đơn hàng và báo lại cho bạn trong khung chat trong vòng 24 giờ.",
        "Một thành viên có kinh nghiệm của shop sẽ trực tiếp theo sát trong khung chat trong vòng 12 giờ.",
        "Shop sẽ giải thích những gì đi kèm và xem xét các lựa chọn có thể hỗ trợ bạn trong vòng 24 giờ.",
        "Đội ngũ của shop sẽ tìm hiểu và phản hồi trong khung chat trong vòng 24 giờ.",
    ],
    clarify_with_order: "Bạn vui lòng nhắn cho shop trong khung chat TikTok Shop về đơn hàng {order} để shop kiểm tra chi tiết cùng bạn.",
    clarify_without_order: "Bạn vui lòng nhắn cho shop trong khung chat TikTok Shop kèm mã đơn hàng để shop kiểm tra chi tiết cùng bạn.",
};

const SPANISH: ReplyWording = ReplyWording {
    acknowledge: [
        "Gracias por contárnoslo y lamentamos que el producto no haya funcionado como esperabas.",
        "Gracias por tu comentario y lamentamos que el artículo no sea lo que esperabas según la descripción.",
        "Lamentamos que el paquete no coincida con tu pedido.",
        "Lamentamos que el artículo haya llegado en estas condiciones.",
        "Lamentamos que tu pedido haya tardado más de lo esperado.",
        "Lamentamos que nuestras respuestas no hayan estado a la altura de lo que esperabas.",
        "Gracias por compartir tu opinión sobre el precio y el valor del producto.",
        "Gracias por tomarte el tiempo de contarnos esto.",
    ],
    act: [
        "Cuando tengamos los detalles, nuestro equipo de calidad lo revisará y te ofrecerá un reemplazo u otra solución en un plazo de 24 horas.",
        "Compararemos tus fotos con la descripción del producto y te daremos una solución en un plazo de 24 horas.",
        "En cuanto revisemos el registro de empaque, gestionaremos el envío del artículo correcto en 2 días hábiles.",
        "Después de ver las fotos del paquete y del artículo, gestionaremos un reemplazo u otra solución en un plazo de 24 horas.",
        "Revisaremos el recorrido del envío de tu pedido y te daremos noticias en este chat en un plazo de 24 horas.",
        "Una persona de nuestro equipo con más experiencia te dará seguimiento en este chat en un plazo de 12 horas.",
        "Te explicaremos qué incluye y veremos qué opciones podemos ofrecerte en un plazo de 24 horas.",
        "Nuestro equipo lo revisará y te responderá en este chat en un plazo de 24 horas.",
    ],
    clarify_with_order: "Escríbenos en el chat de TikTok Shop sobre el pedido {order} para revisar los detalles juntos.",
    clarify_without_order: "Escríbenos en el chat de TikTok Shop con tu número de pedido para revisar los detalles juntos.",
};

const CHINESE: ReplyWording = ReplyWording {
    acknowledge: [
        "感谢您告诉我们，很抱歉产品没有达到您的预期。",
        "感谢您的反馈，很抱歉收到的商品与您根据描述所期待的不一致。",
        "很抱歉包裹内的商品与您的订单不符。",
        "很抱歉商品到达时是这样的状况。",
        "很抱歉您的订单比预期晚到。",
        "很抱歉我们的回复没有达到您的期望。",
        "感谢您分享对价格和价值的看法。",
        "感谢您抽出时间与我们分享。",
    ],
    act: [
        "收到详细信息后，我们的质检团队会进行核查，并在24小时内为您提供换货或其他解决方案。",
        "我们会将您的照片与商品描述进行核对，并在24小时内提出解决方案。",
        "核对打包记录后，我们会在2个工作日内安排寄出正确的商品。",
        "看到包裹和商品的照片后，我们会在24小时内安排换货或其他解决方案。",
        "我们会核查该订单的物流记录，并在24小时内在聊天中告知您进展。",
        "我们团队的资深成员会在12小时内在聊天中亲自跟进。",
        "我们会说明商品包含的内容，并在24小时内看看能为您提供哪些选择。",
        "我们的团队会进行了解，并在24小时内在聊天中回复您。",
    ],
    clarify_with_order: "请在TikTok Shop聊天中就订单{order}与我们沟通，以便我们一起核对详情。",
    clarify_without_order: "请在TikTok Shop聊天中提供订单号与我们沟通，以便我们一起核对详情。",
};

fn reply_wording(language: &str) -> &'static ReplyWording {
    match primary_language(language).as_str() {
        "id" => &INDONESIAN,
        "ms" => &MALAY,
        "th" => &THAI,
        "vi" => &VIETNAMESE,
        "es" => &SPANISH,
        "zh" => &CHINESE,
        _ => &ENGLISH,
    }
}

/// "zh-CN" → "zh", " EN " → "en".
fn primary_language(language: &str) -> String {
    language
        .trim()
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// Keeps only a plain order reference (letters, digits, dashes; at most 32), so a
/// pasted name or phone number can never end up in a public reply.
fn clean_order_reference(order_ref: Option<&str>) -> Option<String> {
    let reference = order_ref?.trim();
    let plain = !reference.is_empty()
        && reference.len() <= 32
        && reference
            .chars()
            .all(|character| character.is_ascii_alphanumeric() || character == '-')
        && reference
            .chars()
            .any(|character| character.is_ascii_digit());
    plain.then(|| reference.to_owned())
}

/// Drafts a public reply to a negative review: acknowledge, move to platform
/// chat with the order number, act within a time frame. Unknown root causes get
/// the general wording; unknown languages fall back to English.
pub fn draft_review_reply(root_cause: &str, language: &str, order_ref: Option<&str>) -> String {
    let wording = reply_wording(language);
    let family = CauseFamily::from_root_cause(root_cause).index();
    let clarify = match clean_order_reference(order_ref) {
        Some(reference) => wording.clarify_with_order.replace("{order}", &reference),
        None => wording.clarify_without_order.to_owned(),
    };
    // Chinese runs sentences together; every other language separates them.
    let separator = if primary_language(language) == "zh" {
        ""
    } else {
        " "
    };
    [
        wording.acknowledge[family],
        clarify.as_str(),
        wording.act[family],
    ]
    .join(separator)
}

/// Drafts a review request for a product type (`consumable`, `apparel`,
/// `device`, anything else = general) that asks for an honest, detailed review.
pub fn draft_review_request(product_type: &str, language: &str) -> String {
    let type_index = match product_type.trim() {
        "consumable" => 0,
        "apparel" => 1,
        "device" => 2,
        _ => 3,
    };
    let requests: [&str; 4] = match primary_language(language).as_str() {
        "id" => [
            "Halo Kak! Setelah mencoba produknya beberapa waktu, maukah menulis ulasan yang jujur? Cerita soal rasa atau aroma, tekstur, dan berapa lama produknya bertahan sangat berguna bagi pembeli lain. Apa pun pengalamannya, ulasan yang jujur sangat kami hargai.",
            "Halo Kak! Bagaimana ukurannya? Jika sempat, tolong tulis ulasan jujur tentang ukuran yang dipesan, kenyamanan saat dipakai, dan bahan setelah dicuci agar pembeli lain bisa memilih ukuran yang pas.",
            "Halo Kak! Setelah perangkatnya dipakai beberapa hari, kami akan senang membaca ulasan yang jujur. Ceritakan cara pemasangannya, daya tahan baterai, dan kinerjanya sehari-hari.",
            "Halo Kak! Kami ingin tahu bagaimana produknya bekerja selama ini. Ulasan jujur dengan sedikit detail soal kualitas dan cara pemakaiannya sangat berguna bagi pembeli lain.",
        ],
        "ms" => [
            "Hai! Selepas mencuba produk ini untuk beberapa lama, sudikah anda menulis ulasan yang jujur? Butiran tentang rasa atau bau, tekstur dan berapa lama ia tahan amat berguna kepada pembeli lain.",
            "Hai! Bagaimana saiznya? Jika ada masa, tulislah ulasan jujur tentang saiz yang dipesan, keselesaan semasa dipakai dan keadaan kain selepas dibasuh supaya pembeli lain boleh memilih saiz yang sesuai.",
            "Hai! Selepas menggunakan peranti ini beberapa hari, kami amat menghargai ulasan yang jujur. Kongsikan cara pemasangan, ketahanan bateri dan prestasinya setiap hari.",
            "Hai! Kami ingin tahu bagaimana produk ini berfungsi untuk anda. Ulasan jujur dengan sedikit butiran tentang kualiti dan cara anda menggunakannya memberi gambaran jelas kepada pembeli lain.",
        ],
        "th" => [
            "สวัสดีค่ะ หลังจากได้ลองใช้สินค้าไปสักระยะ รบกวนเขียนรีวิวตามจริงได้ไหมคะ เล่าเรื่องรสชาติหรือกลิ่น เนื้อสัมผัส และใช้ได้นานแค่ไหน จะเป็นประโยชน์กับผู้ซื้อคนอื่นมาก",
            "สวัสดีค่ะ ใส่แล้วพอดีไหมคะ หากมีเวลา รบกวนเขียนรีวิวตามจริงเรื่องไซซ์ที่สั่ง ความพอดีตอนสวมใส่ และเนื้อผ้าหลังซัก เพื่อให้ผู้ซื้อคนอื่นเลือกไซซ์ได้ถูก",
            "สวัสดีค่ะ หลังจากใช้งานอุปกรณ์ไปสักพัก เราอยากอ่านรีวิวตามจริงของคุณ เล่าถึงการตั้งค่า ความอึดของแบตเตอรี่ และการใช้งานในแต่ละวัน",
            "สวัสดีค่ะ เราอยากทราบว่าสินค้าใช้งานเป็นอย่างไรบ้าง รีวิวตามจริงพร้อมรายละเอียดเรื่องคุณภาพและวิธีใช้ จะทำให้ผู้ซื้อคนอื่นเห็นภาพชัดขึ้น",
        ],
        "vi" => [
            "Chào bạn! Sau một thời gian dùng sản phẩm, bạn có thể để lại đánh giá thật lòng không? Chia sẻ về mùi vị hoặc mùi hương, kết cấu và dùng được bao lâu sẽ giúp người mua khác dễ lựa chọn hơn.",
            "Chào bạn! Sản phẩm mặc có vừa không? Khi có thời gian, bạn hãy viết đánh giá thật lòng về size đã đặt, độ vừa vặn khi mặc và chất vải sau khi giặt để người mua khác chọn size phù hợp hơn.",
            "Chào bạn! Sau khi dùng thiết bị một thời gian, shop rất mong đọc được đánh giá thật lòng của bạn. Hãy kể về cách cài đặt, thời lượng pin và hiệu năng hằng ngày.",
            "Chào bạn! Shop muốn biết sản phẩm đang phục vụ bạn thế nào. Một đánh giá thật lòng kèm vài chi tiết về chất lượng và cách bạn sử dụng sẽ giúp người mua khác hình dung rõ hơn.",
        ],
        "es" => [
            "¡Hola! Ahora que ya has probado tu pedido, ¿nos dejarías una reseña sincera? Contar el sabor o el aroma, la textura y cuánto te dura orienta a otros compradores.",
            "¡Hola! ¿Qué tal te queda? Si tienes un momento, escribe una reseña sincera sobre la talla que pediste, cómo te queda y cómo se siente la tela después de lavarla, para que otros compradores elijan bien su talla.",
            "¡Hola! Tras unos días usando tu dispositivo, nos encantaría leer tu reseña sincera. Cuéntales a otros compradores cómo fue la configuración, cuánto dura la batería y cómo funciona en el día a día.",
            "¡Hola! Queremos saber qué tal te está funcionando tu pedido. Una reseña sincera con algunos detalles sobre la calidad y cómo lo usas da a otros compradores una idea clara.",
        ],
        "zh" => [
            "您好！使用一段时间后，能否请您写一条真实的评价？分享味道或气味、质地以及能用多久，可以让其他买家更好地做决定。",
            "您好！穿着合身吗？有空的时候，请写一条真实的评价，说说您购买的尺码、上身效果以及洗后面料的感觉，方便其他买家选对尺码。",
            "您好！设备使用几天后，我们很期待看到您真实的评价。请说说安装设置、电池续航和日常使用表现。",
            "您好！我们想了解商品用起来怎么样。一条包含质量和使用方式等细节的真实评价，能让其他买家更清楚地了解商品。",
        ],
        _ => [
            "Hi there! Now that you have had some time with your order, would you share an honest review? Details like taste or scent, texture and how long it lasts let other buyers decide with confidence. Every honest opinion is welcome, whatever it is.",
            "Hi there! How does it fit? When you have a moment, an honest review about the size you ordered, how it fits and how the fabric feels after washing lets other buyers choose the right size.",
            "Hi there! After using your device for a while, we would appreciate an honest review. Tell other buyers how setup went, how the battery holds up and how it performs day to day.",
            "Hi there! We would love to hear how your order is working for you. An honest review with a few details about quality and how you use it gives other buyers a clear picture.",
        ],
    };
    requests[type_index].to_owned()
}
