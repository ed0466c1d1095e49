# Complaint families described indirectly: what buyers write when they tell what
# happened instead of naming the fault ("the motor started smoking", "only the stand
# showed up", "left in a locker across town"). Grouped by meaning, in every language.

# Burning, smoke, sparks, melting: the product failed.
@ en
q 2.4 | smoking ; started smoking ; smoke came out ; smoke coming ; caught fire ; burning smell ; smells burnt ; smelled burnt ; burnt smell ; sparked ; sparks ; sparking ; melted ; melting ; overheats ; overheated ; overheating ; got too hot ; gets too hot ; shorted ; short circuit ; fried itself ; blew a fuse ; tripped the breaker
@ id,ms
q 2.4 | berasap ; keluar asap ; ada asap ; asapnya ; bau gosong ; gosong ; bau hangus ; hangus ; terbakar ; kebakar ; meleleh ; leleh ; korslet ; konslet ; konsleting ; korsleting ; cepat panas ; overheat
@ th
q 2.4 | มีควัน ; ควันออก ; ควันขึ้น ; กลิ่นไหม้ ; ไหม้ ; ละลาย ; ไฟช็อต ; ช็อต ; ร้อนจัด ; มีประกายไฟ
@ vi
q 2.4 | bốc khói ; có khói ; ra khói ; mùi khét ; khét ; bị cháy ; chập điện ; chập ; chảy nhựa ; nóng ran ; quá nóng ; tóe lửa
@ es
q 2.4 | salió humo ; sale humo ; echa humo ; echó humo ; humo ; se quemó ; quemado ; olor a quemado ; se derritió ; derretido ; chispas ; echó chispas ; se recalienta ; se calienta mucho ; cortocircuito
@ zh
q 2.4 | 冒烟 ; 冒出烟 ; 有烟 ; 烧了 ; 烧坏 ; 烧焦 ; 糊味 ; 焦味 ; 烧焦味 ; 短路 ; 发烫 ; 烫手 ; 融化 ; 冒火花 ; 跳闸

# What the listing said against what came: listing words make a complaint "not as described".
@ en
topic 0 t:claim | sold as ; listed as ; listing says ; the listing ; description says ; the description ; pictures show ; photo shows ; in the photos ; in the pictures ; product page ; the ad ; the advert ; promised
nad 2.2 | barely covers ; barely fits ; doesn't cover ; does not cover ; won't cover ; too short for ; too narrow for ; too small for ; barely reaches ; fits a child ; fits a kid ; looks nothing like ; nothing like the picture ; nothing like the photo ; particle board ; plywood ; plastic not metal ; not real leather ; fake leather ; not solid wood
@ id,ms
topic 0 t:claim | katanya ; kata iklan ; di iklan ; iklan kata ; iklannya ; diiklankan ; dijual sebagai ; dijual sbg ; ditulis ; tertulis ; di deskripsi ; deskripsinya ; difoto ; di foto ; di gambar ; gambarnya ; kata penjual
nad 2.2 | ngepas ; pas-pasan ; muat-muat ; muat muat ; kekecilan ; kebesaran ; kepanjangan ; kependekan ; papan partikel ; papan serpai ; kayu olahan ; bukan kayu solid ; bukan kulit asli ; kulit sintetis ; beda jauh ; jauh beda ; beda dengan gambar ; beza dengan gambar ; tak sama gambar ; tidak sama dengan gambar ; gak sama kayak gambar ; zonk
@ th
topic 0 t:claim | ขายว่า ; โฆษณาว่า ; โฆษณา ; บอกว่า ; เขียนว่า ; ในรูป ; ตามรูป ; ในคำอธิบาย ; ในโฆษณา ; ที่แท้ ; จริงๆแล้ว ; แต่จริงๆ
nad 2.2 | แทบไม่พอ ; ไม่พอดี ; เล็กกว่า ; ใหญ่กว่า ; สั้นกว่า ; ไม้อัด ; ปาร์ติเคิลบอร์ด ; ไม่ใช่ไม้จริง ; หนังเทียม ; ไม่ตรงรูป ; ไม่เหมือนรูป ; คนละเรื่อง
@ vi
topic 0 t:claim | bán là ; quảng cáo ; quảng cáo là ; ghi là ; mô tả là ; mô tả ; trong hình ; hình thì ; ảnh thì ; thực ra ; hóa ra ; thực tế
nad 2.2 | vừa khít ; còn vừa ; chật ; rộng thùng thình ; gỗ ép ; gỗ công nghiệp ; không phải gỗ thật ; da giả ; khác hình ; khác xa ; không giống hình ; khác ảnh ; không như hình
@ es
topic 0 t:claim | lo venden como ; venden como ; vendido como ; anunciado como ; anunciada como ; anuncian ; el anuncio ; la publicación ; la descripción ; dice ser ; supuestamente ; en la foto ; en las fotos ; en realidad ; resulta que
nad 2.2 | apenas cubre ; apenas entra ; no cubre ; queda chico ; queda chica ; queda grande ; aglomerado ; contrachapado ; no es madera ; no es cuero ; cuero sintético ; nada que ver ; no se parece ; diferente a la foto ; distinto a la foto
@ zh
topic 0 t:claim | 卖的是 ; 宣传 ; 宣传是 ; 号称 ; 说是 ; 描述说 ; 描述 ; 详情页 ; 图片上 ; 图上 ; 其实 ; 实际上 ; 实际是
nad 2.2 | 铺不满 ; 盖不住 ; 偏小 ; 偏大 ; 刨花板 ; 密度板 ; 不是实木 ; 人造革 ; 跟图片不一样 ; 和图片不一样 ; 与图片不符 ; 货不对板 ; 差太多

# Paid or ordered one thing, only part of it came.
@ en
topic 0 t:ord | paid for ; i paid for ; ordered the ; bought the ; the bundle ; the set ; the kit ; the combo
wm 2.2 | only got the ; only came with ; came without ; arrived without ; minus the ; no sign of the ; where is the rest ; rest never came ; rest is missing
@ id,ms
topic 0 t:ord | bayar ; sudah bayar ; udah bayar ; dah bayar ; set lengkap ; paket lengkap ; satu set
wm 2.2 | yang sampai cuma ; yang datang cuma ; cuma datang ; cuma sampai ; hanya sampai ; cuma dapat ; cuma dapet ; yang sampai hanya ; gak ada isinya ; kurang satu ; kurang 1 ; ga lengkap ; gak lengkap ; tidak lengkap ; tak lengkap
@ th
topic 0 t:ord | จ่ายเงิน ; จ่ายไป ; ชุดเต็ม ; ทั้งชุด
wm 2.2 | มาแค่ ; ได้แค่ ; ได้มาแค่ ; ส่งมาแค่ ; ไม่ครบ ; ขาดไป ; ขาดอีก ; ไม่มีในกล่อง
@ vi
topic 0 t:ord | trả tiền ; đã trả ; mua bộ ; trọn bộ ; combo
wm 2.2 | chỉ nhận được ; chỉ giao ; chỉ gửi ; thiếu ; không đủ ; không có trong hộp ; giao thiếu ; gửi thiếu
@ es
topic 0 t:ord | pagué ; pague ; pagué por ; el paquete con ; el juego ; el kit ; el combo
wm 2.2 | solo llegó ; solo llego ; solo vino ; solo venía ; nada más llegó ; llegó sin ; vino sin ; faltaba ; faltó ; falta el ; falta la ; incompleto ; incompleta
@ zh
topic 0 t:ord | 付了 ; 付款 ; 买了一套 ; 整套 ; 套装
wm 2.2 | 只到了 ; 只收到 ; 只有一个 ; 只发了 ; 少了 ; 少发 ; 漏发 ; 缺了 ; 缺少 ; 不齐 ; 没有配件

# Spills, leaks and thin packing: the packing failed.
@ en
topic 0 t:pkn | bag ; plastic bag ; flimsy bag ; thin bag ; mailing bag ; poly bag ; jiffy bag
pk 2.4 | no padding ; without padding ; no protection ; unprotected ; no bubble wrap ; without bubble wrap ; loose in the box ; rattling around ; thrown in a bag ; just a bag ; only a bag
dmg 2.4 | spilled ; spilt ; spilled everywhere ; seeped ; oozed ; soaked through ; stained everything
@ id,ms
topic 0 t:pkn | kantong ; kantong plastik ; kresek ; plastik tipis ; amplop ; sampul ; polymailer ; pouch
pk 2.4 | tanpa pelapik ; tanpa pelindung ; tanpa bubble ; tanpa bubble wrap ; gak dibubble ; ga dibubble ; tidak dibubble ; tak dibubble ; tak berlapik ; asal bungkus ; cuma dibungkus plastik ; cuma plastik
dmg 2.4 | tumpah ; bocor ; rembes ; merembes ; netes ; menetes ; belepotan ; basah semua ; meresap
@ th
topic 0 t:pkn | ถุง ; ถุงพลาสติก ; ซองพลาสติก ; ซองบาง
pk 2.4 | ไม่มีกันกระแทก ; ไม่ห่อ ; ไม่ได้ห่อ ; ห่อไม่ดี ; แพ็คไม่ดี ; แพ็คมาแย่
dmg 2.4 | รั่ว ; เลอะ ; ไหลออก ; เปื้อน
@ vi
topic 0 t:pkn | túi ; túi nilon ; túi mỏng ; bao thư ; phong bì
pk 2.4 | không chống sốc ; không bọc ; không có chống sốc ; đóng gói sơ sài ; gói sơ sài ; bọc sơ sài
dmg 2.4 | rò ; rò rỉ ; rỉ ra ; chảy ra ; đổ ra ; thấm ra ; tràn ra ; dính hết ; bẩn hết
@ es
topic 0 t:pkn | bolsa ; bolsita ; bolsa de plástico ; bolsa delgada ; sobre
pk 2.4 | sin protección ; sin burbuja ; sin relleno ; sin plástico burbuja ; mal empacado ; mal embalado ; suelto en la caja
dmg 2.4 | se salió ; se derramó ; derramado ; derramada ; goteaba ; gotea ; se regó ; manchó ; manchado todo ; empapado
@ zh
topic 0 t:pkn | 袋子 ; 塑料袋 ; 信封 ; 快递袋 ; 文件袋
pk 2.4 | 没有防护 ; 没有任何防护 ; 没防护 ; 没有泡沫 ; 没有气泡膜 ; 包装简陋 ; 包装太差 ; 随便一包
dmg 2.4 | 漏了 ; 漏液 ; 洒了 ; 撒了 ; 渗出 ; 渗透 ; 弄脏 ; 流出来

# Where and how the parcel was handed over: the carrier's doing.
@ en
dl 2.4 | locker ; parcel locker ; pickup point ; pick-up point ; left at the door ; left on the porch ; left with a neighbour ; left with a neighbor ; dropped at ; dropped off at ; without asking me ; didn't knock ; never knocked ; said he knocked ; claimed he knocked ; no delivery attempt ; didn't even try ; never rang
@ id,ms
dl 2.4 | loker ; dititip ; dititipkan ; dititipin ; ditaruh di ; ditinggal di ; dilempar ; dilempar kurir ; kurir bilang ; kurirnya bilang ; tanpa konfirmasi ; gak ngetok ; tidak mengetuk ; tak ketuk ; tidak ada yang antar ; driver bilang
@ th
dl 2.4 | ล็อกเกอร์ ; ตู้ล็อกเกอร์ ; ฝากไว้ ; ฝากไว้กับ ; วางไว้หน้าบ้าน ; วางทิ้งไว้ ; โยนของ ; ไม่โทรมา ; ไม่กดกริ่ง ; ไรเดอร์บอก ; คนส่งของบอก
@ vi
dl 2.4 | tủ locker ; tủ nhận hàng ; gửi nhờ ; để trước cửa ; vứt trước cửa ; shipper bảo ; shipper nói ; không gọi ; không gõ cửa
@ es
dl 2.4 | locker ; casillero ; punto de recogida ; lo dejaron ; dejaron el paquete ; lo tiraron ; con el vecino ; sin preguntarme ; sin avisar ; no tocó ; nunca tocó ; el repartidor dijo
@ zh
dl 2.4 | 快递柜 ; 驿站 ; 放门口 ; 扔门口 ; 丢门口 ; 没打电话 ; 没敲门 ; 快递员说 ; 快递小哥说 ; 代收点

# The seller shut the buyer out of the conversation.
@ en
cs 2.6 | closed the chat ; ended the chat ; stop messaging ; stopped replying ; told me to stop ; told me off ; hung up ; muted me ; left me on read
@ id,ms
cs 2.6 | chatnya ditutup ; tutup chat ; menutup chat ; nyuruh berhenti ; suruh berhenti ; disuruh berhenti ; berhenti chat ; berhenti mesej ; jangan chat lagi ; diblokir ; diblok ; block saya ; cuma di read ; hanya dibaca
@ th
cs 2.6 | ปิดแชท ; ให้เลิกทัก ; ไม่ให้ทัก ; ห้ามทัก ; บล็อกแชท ; อ่านไม่ตอบ ; ไม่ตอบแชท
@ vi
cs 2.6 | tắt chat ; đóng chat ; đừng nhắn ; đừng nhắn nữa ; không cho nhắn ; chặn tin nhắn ; bị chặn ; đã xem không trả lời ; seen không rep
@ es
cs 2.6 | cerró el chat ; cerraron el chat ; dejara de escribir ; dejara de escribirle ; deje de escribir ; dejé de recibir respuesta ; me bloqueó ; me bloquearon ; me dejó en visto ; me dejaron en visto
@ zh
cs 2.6 | 关了对话 ; 关闭对话 ; 关了聊天 ; 别再发消息 ; 叫我别 ; 不让我问 ; 拉黑 ; 把我拉黑 ; 已读不回 ; 不理人

# Same thing cheaper elsewhere, feeling overcharged.
@ en
pv 2.4 | ripped off ; feel ripped off ; felt ripped off ; overcharged for ; same thing for less ; paid double
@ id,ms
pv 2.4 | dirampok ; berasa dirampok ; kemahalan ; mahal banget ; mahal bgt ; mahal sangat ; cekik darah ; harga tak berbaloi ; tak berbaloi ; gak worth ; ga worth
@ th
pv 2.4 | โดนฟัน ; แพงเกินไป ; แพงเว่อร์ ; แพงเกิน ; ราคาแรง ; ไม่คุ้ม ; ไม่คุ้มราคา
@ vi
pv 2.4 | chặt chém ; đắt quá ; mắc quá ; giá cắt cổ ; không đáng tiền ; không đáng giá
@ es
pv 2.4 | me robaron ; un robo ; carísimo ; muy caro ; no vale lo que cuesta ; no vale la pena el precio
@ zh
pv 2.4 | 被宰 ; 宰客 ; 太贵 ; 贵了 ; 不值 ; 不值这个价 ; 智商税

# Carrier people named in passing: context only.
@ vi
dl 0.8 p0 t:cou | shipper ; người giao hàng ; anh shipper
@ es
dl 0.8 p0 t:cou | repartidor ; el repartidor ; mensajero
@ id,ms
dl 0.8 p0 t:cou | abang kurir ; mas kurir ; kurirnya

# A part or function that gave up.
@ en
q 2.2 | stopped working ; stopped heating ; stopped charging ; stopped spinning ; stopped turning on ; just clicks ; pulled off ; came off ; fell off ; popped off ; swelled ; swollen ; bulging ; in pieces ; were in pieces ; went dead ; quit working
@ id,ms
q 2.2 | melembung ; menggembung ; kembung ; copot ; lepas sendiri ; mati total ; gak nyala ; ga nyala ; tidak menyala ; tak menyala ; gak mau nyala ; mati terus ; ga berfungsi ; tidak berfungsi
@ th
q 2.2 | เปิดไม่ติด ; ไม่ติด ; จมลงไป ; ไม่เด้ง ; ไม่เด้งกลับ ; หลุดออก ; ใช้ไม่ได้ ; ดับเอง
@ vi
q 2.2 | không lên ; không lên đèn ; không lên nguồn ; bung ra ; tróc ; bong tróc ; liệt nút ; chết máy
@ es
q 2.2 | se despegó ; se despega ; se despegaron ; se cayó ; se zafó ; dejó de funcionar ; dejó de servir ; ya no prende ; no prende ; no enciende ; no carga
@ zh
q 2.2 | 失灵 ; 不灵了 ; 脱落 ; 开胶 ; 鼓包 ; 不亮了 ; 开不了机 ; 充不进电

# Asked and got nothing useful back.
@ en
cs 2.4 | copy-paste answer ; copy paste answer ; same answer ; canned answer ; never looked at ; didn't read my ; did not read my ; read and ignored
@ id,ms
cs 2.4 | jawabnya ketus ; ketus ; jutek ; judes ; disuruh baca sendiri ; jawaban template ; cuma dibaca ; read doang
@ th
cs 2.4 | อ่านแล้วเงียบ ; เงียบหาย ; ตอบห้วนๆ ; ตอบไม่ตรง ; ไม่สนใจลูกค้า
@ vi
cs 2.4 | cộc lốc ; trả lời cộc lốc ; im luôn ; im re ; không thèm trả lời ; seen không trả lời
@ es
cs 2.4 | nunca me contestaron ; nunca contestaron ; nunca respondieron ; respuesta automática ; me ignoraron ; contestan mal
@ zh
cs 2.4 | 没人理 ; 不理 ; 爱答不理 ; 敷衍 ; 答非所问

# Money named in the complaint.
@ en
topic 0 t:price | dollars ; bucks ; usd ; pounds ; pesos
@ id,ms
topic 0 t:price | harga ; harganya ; rupiah ; ribu ; ringgit
@ th
topic 0 t:price | ราคา ; บาท
@ vi
topic 0 t:price | giá ; giá này ; nghìn ; đồng
@ es
topic 0 t:price | precio ; ese precio ; pesos
@ zh
topic 0 t:price | 价格 ; 这个价 ; 块钱 ; 元
pv 2.2 | 有点坑 ; 坑人 ; 太坑

# "pas" is "when" in everyday Indonesian ("pas dipakai" = when used), not "fits".
@ id
skip 0 | pas dipakai ; pas dipake ; pas pakai ; pas pake ; pas pemakaian ; pas dibuka ; pas buka ; pas datang ; pas dateng ; pas sampai ; pas sampe ; pas nyampe ; pas diterima ; pas terima ; pas dicoba ; pas coba ; pas dicuci ; pas dicas ; pas dicolok ; pas mau ; pas lagi ; pas awal ; pas hari
