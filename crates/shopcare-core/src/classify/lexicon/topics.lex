# Topic words: context for resolving "damaged" (packing or product) and "slow"
# (dispatch, courier or chat replies), plus durations ("two weeks").
@ en
n:dl 1.6 p0 t:arr | arrived ; arrive ; arrives ; arriving ; came ; come ; reached ; delivered ; received ; got here ; showed up ; turned up ; receive ; arival ; arrivd ; recieved ; recived
topic 0 t:pkn | box ; boxes ; package ; packaging ; packing ; packed ; parcel ; carton ; wrapping ; bubble wrap ; envelope ; outer box ; packet ; pouch ; mailer ; padding ; wrap ; seal ; sealed
topic 0 t:dsp | ship out ; shipped out ; dispatch ; dispatched ; dispatching ; processing ; process ; processed ; to ship ; to send ; send out ; sent out ; to pack ; pack the ; prepare ; handover ; hand over ; hand it ; to post ; posted ; post it ; pick up ; pickup ; pickup ; to dispatch ; ready to ship ; ship my ; ship it ; send it ; sending
topic 0 t:svc | reply ; replies ; replied ; response ; respond ; responded ; responding ; answer ; answered ; answering ; chat ; chats ; message ; messages ; messaged ; customer service ; customer support ; support ; admin ; inbox ; contact ; contacted
topic 0 t:dur | weeks ; week ; month ; months ; fortnight ; 10 days ; 12 days ; 14 days ; 15 days ; 20 days ; 3 weeks ; 30 days ; ages ; forever
topic 0 t:use | using ; used ; use it ; after using ; wearing ; wore ; worn ; after a week ; after 2 days ; after two days ; within a week ; lasted
fast 1.2 | fast ; quick ; quickly ; speedy ; rapid ; on time ; early ; earlier than expected ; ahead of schedule ; fast shipping ; fast delivery ; quick delivery ; super fast ; prompt ; promptly ; swift ; in no time ; next day ; same day
@ id,ms
n:dl 1.6 p0 t:arr | sampai ; sampe ; nyampe ; nyampai ; tiba ; datang ; dtg ; dateng ; diterima ; terima ; nerima ; trima ; tba ; smpai ; smpe ; smp ; tiba2 ; nyampek ; sampainya
topic 0 t:pkn | kotak ; dus ; dusnya ; kardus ; karton ; packing ; packingan ; pakingan ; paking ; kemasan ; bungkus ; bungkusan ; bungkusnya ; bubble ; bubble wrap ; buble ; plastik ; paket ; pek ; bungkusnye ; kotaknya ; pembungkus ; balutan ; pembungkusan ; packaging ; box ; boxnya ; segel
topic 0 t:dsp | dikirim ; kirim ; krim ; ngirim ; dikrim ; proses ; diproses ; dikemas ; dipacking ; dipack ; packing nya ; diposkan ; poskan ; pos barang ; hantar ; dihantar ; menghantar ; siapkan ; disiapkan ; pengemasan ; dispatch ; ship ; dipos ; resi ; input resi ; kirimnya ; kirimnye ; nak pos
topic 0 t:svc | balas ; dibalas ; dibales ; bales ; balasan ; respon ; respons ; direspon ; fast respon ; fast response ; chat ; chatnya ; ngechat ; pesan ; inbox ; admin ; adminnya ; cs ; jawab ; dijawab ; menjawab ; layanan ; pelayanan ; tanya ; bertanya ; ditanya ; whatsapp ; wa
topic 0 t:dur | minggu ; mgg ; mggu ; bulan ; bln ; seminggu ; 2 minggu ; dua minggu ; 3 minggu ; sebulan ; 10 hari ; 12 hari ; 14 hari ; 15 hari ; 20 hari ; berminggu ; berminggu-minggu ; berbulan
topic 0 t:use | dipakai ; dipake ; pakai ; pake ; guna ; digunakan ; gunakan ; menggunakan ; pemakaian ; setelah pakai ; lepas pakai ; dicuci ; cuci ; dipakainya ; memakai ; baru pakai ; baru dipakai
fast 1.2 | cepat ; cepet ; cpt ; cpat ; kilat ; laju ; pantas ; express ; ekspres ; fast ; tepat waktu ; on time ; sehari sampai ; sehari sampe ; 1 hari sampai ; cepet banget ; gercep ; sat set ; satset ; kilat banget
@ th
n:dl 1.6 p0 t:arr | ได้รับ ; ได้ของ ; ของมาถึง ; มาถึง ; ถึงแล้ว ; ส่งถึง ; ได้แล้ว ; รับของ
topic 0 t:pkn | กล่อง ; แพ็ค ; แพค ; แพ็ก ; บับเบิ้ล ; บับเบิล ; กันกระแทก ; ห่อ ; หีบห่อ ; ซอง ; พัสดุ ; บรรจุภัณฑ์
topic 0 t:dsp | แพ็คของ ; จัดส่งของ ; ร้านส่ง ; ส่งออก ; เตรียมของ
topic 0 t:svc | ตอบ ; ตอบแชท ; แชท ; ทักแชท ; ทัก ; ถาม ; แอดมิน ; บริการ ; ข้อความ
topic 0 t:dur | สัปดาห์ ; อาทิตย์ ; เดือน ; 10 วัน ; 14 วัน ; 15 วัน ; 2 อาทิตย์ ; สองอาทิตย์ ; หลายวัน
topic 0 t:use | ใช้ไป ; ใช้ได้ ; ใช้งาน ; หลังใช้ ; ใส่ไป ; ซัก ; ใช้มา
fast 1.2 | ส่งเร็ว ; เร็ว ; ไว ; ไวมาก ; รวดเร็ว ; ทันใจ ; ส่งไว ; ได้ไว ; ตรงเวลา
@ vi
n:dl 1.6 p0 t:arr | nhận ; nhận được ; nhận hàng ; đến ; tới ; giao tới ; giao đến ; về tới ; hàng về ; về ; nhan ; nhan duoc ; nhan hang
topic 0 t:pkn | hộp ; thùng ; gói ; đóng gói ; bọc ; bong bóng ; xốp ; chống sốc ; bao bì ; hộp giấy ; túi ; gói hàng ; đóng hộp ; bọc hàng ; tem
topic 0 t:dsp | gửi hàng ; gửi ; chuẩn bị hàng ; xử lý đơn ; đóng hàng ; bàn giao ; giao cho đơn vị vận chuyển
topic 0 t:svc | trả lời ; rep ; nhắn tin ; tin nhắn ; chat ; tư vấn ; phản hồi ; hỏi ; chăm sóc khách hàng ; cskh ; thái độ
topic 0 t:dur | tuần ; tháng ; nửa tháng ; 10 ngày ; 12 ngày ; 14 ngày ; 15 ngày ; 20 ngày ; cả tuần ; mấy tuần
topic 0 t:use | dùng ; sử dụng ; xài ; mặc ; đeo ; giặt ; dùng thử ; dùng được
fast 1.2 | nhanh ; giao nhanh ; giao hàng nhanh ; nhanh chóng ; siêu nhanh ; đúng hẹn ; sớm ; thần tốc ; giao sớm ; nhanh lắm
@ es
n:dl 1.6 p0 t:arr | llegó ; llego ; llegaron ; llegue ; llegara ; recibí ; recibi ; recibido ; recibimos ; entregado ; entregaron ; entrega ; vino ; vinieron ; arribó
topic 0 t:pkn | caja ; cajas ; empaque ; embalaje ; empaquetado ; paquete ; envoltorio ; burbuja ; plástico burbuja ; sobre ; bolsa ; cartón ; empacado ; empacaron ; envuelto ; sellado
topic 0 t:dsp | enviar ; enviaron ; despachar ; despacharon ; despacho ; mandar ; mandaron ; procesar ; procesaron ; preparar ; prepararon ; en enviarlo ; en mandarlo ; en despacharlo
topic 0 t:svc | responder ; responde ; respondió ; respondieron ; respuesta ; contestar ; contesta ; contestó ; contestan ; mensaje ; mensajes ; chat ; atención ; servicio ; soporte
topic 0 t:dur | semanas ; semana ; mes ; meses ; quince días ; 15 días ; 10 días ; 20 días ; un mes
topic 0 t:use | usar ; usarlo ; usándolo ; uso ; usado ; lavar ; lavado ; después de usar ; al usar ; puesto
fast 1.2 | rápido ; rapido ; rápida ; rapida ; rapidez ; a tiempo ; antes de tiempo ; puntual ; pronto ; veloz ; llegó rápido ; super rápido
@ zh
n:dl 1.6 p0 t:arr | 收到 ; 到货 ; 到了 ; 送到 ; 寄到 ; 拿到 ; 到手
topic 0 t:pkn | 包装 ; 盒子 ; 箱子 ; 纸箱 ; 外箱 ; 外包装 ; 快递盒 ; 泡沫 ; 气泡膜 ; 包裹 ; 打包 ; 封口
topic 0 t:dsp | 发货 ; 发出 ; 出库 ; 备货 ; 拖着不发 ; 寄出
topic 0 t:svc | 客服 ; 回复 ; 回消息 ; 回信息 ; 回答 ; 咨询 ; 聊天 ; 售后 ; 态度
topic 0 t:dur | 星期 ; 礼拜 ; 个月 ; 一周 ; 两周 ; 半个月 ; 十天 ; 十几天 ; 二十天 ; 一个月 ; 好几天
topic 0 t:use | 用了 ; 使用 ; 穿了 ; 洗了 ; 用过 ; 戴了 ; 用着
fast 1.2 | 很快 ; 快递快 ; 物流快 ; 发货快 ; 速度快 ; 神速 ; 及时 ; 迅速 ; 挺快 ; 超快 ; 很及时
@ en
topic 0 t:ord | i ordered ; ordered ; i bought ; bought ; purchased ; i chose ; i picked ; i selected
@ id,ms
topic 0 t:ord | pesan ; pesen ; order ; beli ; saya pesan ; saya order ; aku pesan ; pilih ; checkout
@ th
topic 0 t:ord | สั่ง ; ซื้อ ; เลือก
@ vi
topic 0 t:ord | đặt ; mua ; chọn ; đặt hàng
@ es
topic 0 t:ord | pedí ; pedi ; compré ; compre ; ordené ; ordene ; elegí ; escogí
@ zh
topic 0 t:ord | 买的 ; 拍的 ; 下单 ; 订的 ; 选的
