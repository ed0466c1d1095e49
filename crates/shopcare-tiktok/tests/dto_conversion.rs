//! Platform-shaped JSON (hand-written from the reference's field lists) parsed into DTOs
//! and converted into core types, including the lenient corners: unknown statuses,
//! `CANCEL`, numeric ids, extra fields, empty strings.

use chrono::{TimeZone, Utc};
use shopcare_core::{
    ActorRole, AfterSalesKind, ArbitrationStatus, CancelStatus, OrderStatus, PackageStatus,
    ReturnStatus, SenderRole, ShopId, Timestamp, TrackingStage,
};
use shopcare_tiktok::dto::{self, *};
use shopcare_tiktok::signing::verify_webhook;

fn shop() -> ShopId {
    ShopId::new("7494049642642441621")
}

fn at(seconds: i64) -> Timestamp {
    Utc.timestamp_opt(seconds, 0).unwrap()
}

fn data<T: serde::de::DeserializeOwned>(envelope: &str) -> T {
    let envelope: Envelope<T> = serde_json::from_str(envelope).unwrap();
    assert_eq!(envelope.code, 0);
    envelope.data.unwrap()
}

const ORDER_PAGE: &str = r#"{
  "code": 0, "message": "Success", "request_id": "202203070749000101890810281E8C70B7",
  "data": {
    "next_page_token": "aDU2dHRUZ0lRZz09",
    "total_count": 2,
    "orders": [
      {
        "id": "576486316948490001",
        "status": "AWAITING_SHIPMENT",
        "create_time": 1699990000, "update_time": 1700000000, "paid_time": 1699990060,
        "user_id": "7021436810468230000",
        "buyer_message": "", "cancel_reason": "", "cancellation_initiator": "",
        "rts_sla_time": 1700172800, "rts_time": 0, "delivery_time": 0, "collection_time": 0,
        "tracking_number": "", "shipping_provider": "", "shipping_type": "TIKTOK",
        "is_replacement_order": false, "replaced_order_id": "",
        "packages": [{"id": "1153132168123859000"}],
        "payment": {"currency": "IDR", "sub_total": "150000", "shipping_fee": "9000",
                    "seller_discount": "0", "platform_discount": "5000", "tax": "0",
                    "total_amount": "154000"},
        "recipient_address": {"name": "B***", "phone_number": "(+62)8***", "full_address": "Jl. ***"},
        "line_items": [
          {"id": "577086512123755000", "sku_id": "1729582718312380000",
           "product_id": "1729582718312370000", "product_name": "Kaos polos",
           "sku_name": "Hitam, L", "seller_sku": "KP-HTM-L", "original_price": "80000",
           "sale_price": "75000", "currency": "IDR", "display_status": "AWAITING_SHIPMENT",
           "package_id": "1153132168123859000", "package_status": "TO_FULFILL"},
          {"id": "577086512123755001", "sku_id": "1729582718312380000",
           "product_id": "1729582718312370000", "product_name": "Kaos polos",
           "sku_name": "Hitam, L", "seller_sku": "KP-HTM-L",
           "sale_price": "75000", "package_status": "SOMETHING_NEW"}
        ],
        "a_field_from_2027": {"nested": true}
      },
      {
        "id": 576486316948490002,
        "status": "CANCEL",
        "create_time": "1699990100",
        "user_id": 7021436810468230001,
        "cancel_reason": "Buyer changed mind", "cancellation_initiator": "BUYER",
        "payment": null, "line_items": null, "packages": null
      }
    ]
  }
}"#;

#[test]
fn orders_parse_and_convert_with_all_the_fields_that_matter() {
    let page: OrderSearchPage = data(ORDER_PAGE);
    assert_eq!(page.next_page_token.as_deref(), Some("aDU2dHRUZ0lRZz09"));
    let mut orders = page.orders.unwrap().into_iter();

    let order = order_from_dto(&shop(), orders.next().unwrap()).unwrap();
    assert_eq!(order.id.as_str(), "576486316948490001");
    assert_eq!(order.shop_id, shop());
    assert_eq!(order.status, OrderStatus::AwaitingShipment);
    assert_eq!(order.buyer.as_str(), "7021436810468230000");
    assert_eq!(order.create_time, at(1_699_990_000));
    assert_eq!(order.update_time, at(1_700_000_000));
    assert_eq!(order.paid_time, Some(at(1_699_990_060)));
    assert_eq!(order.ship_by_time, Some(at(1_700_172_800)));
    assert_eq!(order.shipped_time, None, "rts_time 0 means not shipped");
    assert_eq!(order.total.as_ref().unwrap().to_string(), "154000 IDR");
    assert_eq!(order.cancel_reason, None, "empty strings are absent");
    assert_eq!(order.tracking_number, None);
    assert!(!order.is_replacement_order);
    assert_eq!(order.package_ids.len(), 1);
    assert_eq!(order.line_items.len(), 2);
    let first = &order.line_items[0];
    assert_eq!(first.sale_price.as_ref().unwrap().to_string(), "75000 IDR");
    assert_eq!(first.package_status, Some(PackageStatus::ToFulfill));
    let second = &order.line_items[1];
    // No line-item currency: the payment currency applies.
    assert_eq!(
        second.sale_price.as_ref().unwrap().currency().as_str(),
        "IDR"
    );
    assert_eq!(
        second.package_status.as_ref().unwrap().as_str(),
        "SOMETHING_NEW"
    );

    let cancelled = order_from_dto(&shop(), orders.next().unwrap()).unwrap();
    assert_eq!(
        cancelled.id.as_str(),
        "576486316948490002",
        "numeric id kept as digits"
    );
    assert_eq!(
        cancelled.status,
        OrderStatus::Cancelled,
        "CANCEL is CANCELLED"
    );
    assert_eq!(
        cancelled.update_time,
        at(1_699_990_100),
        "falls back to create_time"
    );
    assert_eq!(cancelled.cancellation_initiator.as_deref(), Some("BUYER"));
    assert!(cancelled.line_items.is_empty());
    assert_eq!(cancelled.total, None);
}

#[test]
fn unknown_order_statuses_are_kept() {
    let dto: OrderDto = serde_json::from_str(
        r#"{"id":"1","status":"AWAITING_DRONE_PICKUP","create_time":1,"user_id":"u"}"#,
    )
    .unwrap();
    let order = order_from_dto(&shop(), dto).unwrap();
    assert!(!order.status.is_known());
    assert_eq!(order.status.as_str(), "AWAITING_DRONE_PICKUP");
}

#[test]
fn jsonl_order_lines_with_a_shop_id_parse_as_the_same_dto() {
    let line = r#"{"shop_id":"7494049642642441621","id":"9","status":"DELIVERED","create_time":1700000000,"update_time":1700100000,"delivery_time":1700100000,"user_id":"u9"}"#;
    let dto: OrderDto = serde_json::from_str(line).unwrap();
    let order = order_from_dto(&shop(), dto).unwrap();
    assert_eq!(order.delivery_time, Some(at(1_700_100_000)));
}

#[test]
fn conversion_errors_name_the_field() {
    let missing_buyer: OrderDto =
        serde_json::from_str(r#"{"id":"1","status":"UNPAID","create_time":1}"#).unwrap();
    assert_eq!(
        order_from_dto(&shop(), missing_buyer).unwrap_err().field,
        "user_id"
    );
    let bad_price: OrderDto = serde_json::from_str(
        r#"{"id":"1","status":"UNPAID","create_time":1,"user_id":"u",
            "line_items":[{"id":"a","sku_id":"s","product_id":"p","sale_price":"12,50","currency":"EUR"}]}"#,
    )
    .unwrap();
    let error = order_from_dto(&shop(), bad_price).unwrap_err();
    assert_eq!(error.field, "line_items[0].sale_price");
    let no_currency: OrderDto = serde_json::from_str(
        r#"{"id":"1","status":"UNPAID","create_time":1,"user_id":"u","payment":{"total_amount":"5"}}"#,
    )
    .unwrap();
    assert_eq!(
        order_from_dto(&shop(), no_currency).unwrap_err().field,
        "payment.total_amount"
    );
    let no_time: OrderDto =
        serde_json::from_str(r#"{"id":"1","status":"UNPAID","user_id":"u"}"#).unwrap();
    assert_eq!(
        order_from_dto(&shop(), no_time).unwrap_err().field,
        "create_time"
    );
}

#[test]
fn packages_from_search_and_detail_spellings() {
    let page: PackageSearchPage = data(
        r#"{"code":0,"message":"Success","request_id":"r","data":{"next_page_token":"","total_count":1,
        "packages":[{"id":"1153132168123859000","status":"FULFILLING","tracking_number":"JX123",
        "shipping_provider_name":"J&T","orders":[{"id":"576486316948490001","skus":[{"id":"s","quantity":2}]}],
        "create_time":1700000000,"update_time":1700050000}]}}"#,
    );
    let package = package_from_dto(&shop(), page.packages.unwrap().remove(0)).unwrap();
    assert_eq!(package.status, PackageStatus::Fulfilling);
    assert_eq!(package.order_ids[0].as_str(), "576486316948490001");
    assert_eq!(package.shipping_provider.as_deref(), Some("J&T"));

    let detail: PackageDto = data(
        r#"{"code":0,"message":"Success","request_id":"r","data":{"package_id":"5433567853345",
        "package_status":"CANCELLED","orders":[{"id":"54335448533296"}],"create_time":1635338186}}"#,
    );
    let package = package_from_dto(&shop(), detail).unwrap();
    assert_eq!(package.id.as_str(), "5433567853345");
    assert_eq!(package.status, PackageStatus::Cancelled);
    assert_eq!(package.update_time, at(1_635_338_186));
}

#[test]
fn tracking_uses_milliseconds_and_reads_stages() {
    let tracking: TrackingData = data(
        r#"{"code":0,"message":"Success","request_id":"r","data":{"tracking":[
        {"description":"Parcel picked up by carrier","update_time_millis":1700000000123},
        {"description":"Delivered to recipient","update_time_millis":1700200000000}]}}"#,
    );
    let order_id = shopcare_core::OrderId::new("576486316948490001");
    let events = tracking_from_dto(&order_id, tracking).unwrap();
    assert_eq!(events[0].stage, TrackingStage::PickedUp);
    assert_eq!(events[0].time.timestamp_millis(), 1_700_000_000_123);
    assert_eq!(events[1].stage, TrackingStage::Delivered);

    let broken: TrackingData =
        serde_json::from_str(r#"{"tracking":[{"description":"x"}]}"#).unwrap();
    assert_eq!(
        tracking_from_dto(&order_id, broken).unwrap_err().field,
        "tracking[0].update_time_millis"
    );
}

#[test]
fn returns_convert_into_after_sales_cases() {
    let page: ReturnSearchPage = data(
        r#"{"code":0,"message":"Success","request_id":"r","data":{"next_page_token":"","total_count":2,
        "return_orders":[{
          "return_id":"4035318504086604100","order_id":"576486316948490001",
          "return_type":"RETURN_AND_REFUND","return_status":"AWAITING_BUYER_SHIP",
          "arbitration_status":"","role":"BUYER","return_reason":"ecom_order_delivered_refund_and_return_reason_damaged",
          "return_reason_text":"Damaged item","shipment_type":"PLATFORM","return_tracking_number":"",
          "can_buyer_keep_item":false,
          "seller_next_action_response":[{"action":"SELLER_RESPOND_RECEIVE_PACKAGE","deadline":1700600000}],
          "refund_amount":{"currency":"USD","refund_total":"19.98","refund_subtotal":"18.00","refund_shipping_fee":"1.98","refund_tax":"0"},
          "return_line_items":[{"return_line_item_id":"rl1","order_line_item_id":"577086512123755000",
             "sku_id":"1729582718312380000","product_name":"Mug","refund_amount":{"refund_total":"9.99"}}],
          "create_time":1700000290,"update_time":1700000300},
         {"return_id":"4035318504086604101","order_id":"576486316948490002",
          "return_type":"EXCHANGE_PLUS","return_status":"RETURN_OR_REFUND_REQUEST_SOMETHING",
          "arbitration_status":"IN_PROGRESS","create_time":1700000000}]}}"#,
    );
    let mut returns = page.return_orders.unwrap().into_iter();
    let case = return_from_dto(&shop(), returns.next().unwrap()).unwrap();
    assert_eq!(case.id.as_str(), "4035318504086604100");
    assert_eq!(case.kind, AfterSalesKind::ReturnAndRefund);
    assert_eq!(case.status, ReturnStatus::AwaitingBuyerShip);
    assert_eq!(case.arbitration_status, None);
    assert_eq!(case.role, Some(ActorRole::Buyer));
    assert_eq!(case.reason_text.as_deref(), Some("Damaged item"));
    assert_eq!(case.refund_total.as_ref().unwrap().to_string(), "19.98 USD");
    assert_eq!(
        case.next_actions[0].action,
        "SELLER_RESPOND_RECEIVE_PACKAGE"
    );
    assert_eq!(case.next_actions[0].deadline, Some(at(1_700_600_000)));
    assert_eq!(
        case.line_items[0]
            .refund_amount
            .as_ref()
            .unwrap()
            .to_string(),
        "9.99 USD",
        "line item without currency takes the case currency"
    );
    assert_eq!(case.return_tracking_number, None);

    let odd = return_from_dto(&shop(), returns.next().unwrap()).unwrap();
    assert_eq!(odd.kind.as_str(), "EXCHANGE_PLUS");
    assert_eq!(odd.status.as_str(), "RETURN_OR_REFUND_REQUEST_SOMETHING");
    assert_eq!(odd.arbitration_status, Some(ArbitrationStatus::InProgress));
}

#[test]
fn cancellations_convert_and_accept_both_spellings() {
    let page: CancellationSearchPage = data(
        r#"{"code":0,"message":"Success","request_id":"r","data":{"next_page_token":"",
        "cancellations":[{"cancel_id":"4035318504086699000","order_id":"576486316948490003",
          "cancel_type":"BUYER_CANCEL","cancel_status":"CANCELLATION_REQUEST_CANCEL","role":"BUYER",
          "cancel_reason":"no_longer_needed","cancel_reason_text":"No longer needed",
          "seller_next_action_response":[{"action":"SELLER_RESPOND_CANCEL","deadline":1700090000}],
          "refund_amount":{"currency":"THB","refund_total":"399"},
          "cancel_line_items":[{"cancel_line_item_id":"c1","order_line_item_id":"o1","sku_id":"s1"}],
          "create_time":1700000000,"update_time":1700000100}]}}"#,
    );
    let cancellation =
        cancellation_from_dto(&shop(), page.cancellations.unwrap().remove(0)).unwrap();
    assert_eq!(cancellation.status, CancelStatus::Cancelled);
    assert_eq!(cancellation.cancel_type, "BUYER_CANCEL");
    assert_eq!(cancellation.refund_total.unwrap().to_string(), "399 THB");
    assert_eq!(
        cancellation.next_actions[0].deadline,
        Some(at(1_700_090_000))
    );
}

#[test]
fn reject_reasons_and_records_parse() {
    let reasons: RejectReasonsData = data(
        r#"{"code":0,"message":"Success","request_id":"r","data":{"reasons":[
        {"name":"seller_reject_apply_product_has_been_used","text":"Product has been used"}]}}"#,
    );
    assert_eq!(
        reasons.reasons.unwrap()[0].name.as_deref(),
        Some("seller_reject_apply_product_has_been_used")
    );
    let records: ReturnRecordsData = data(
        r#"{"code":0,"message":"Success","request_id":"r","data":{"records":[
        {"event":"BUYER_APPLY","role":"BUYER","description":"Buyer asked for a refund","create_time":1700000290}]}}"#,
    );
    assert_eq!(records.records.unwrap()[0].create_time, Some(1_700_000_290));
}

#[test]
fn conversations_and_messages_decode_text_content() {
    let page: ConversationsPage = data(
        r#"{"code":0,"message":"Success","request_id":"r","data":{"next_page_token":"",
        "conversations":[{"id":"7351234567890","participant_count":2,"can_send_message":true,
          "unread_count":1,"create_time":1700000000,
          "participants":[{"im_user_id":"im1","user_id":"7021436810468230000","role":"BUYER","nickname":"b***"},
                          {"im_user_id":"im2","user_id":"","role":"SHOP","nickname":"Shop"}],
          "latest_message":{"id":"m9","index":"9","type":"TEXT","content":"{\"content\":\"still there?\"}",
                            "create_time":1700000900,"is_visible":true,"sender":{"im_user_id":"im1","role":"BUYER"}}}]}}"#,
    );
    let conversation =
        conversation_from_dto(&shop(), page.conversations.unwrap().remove(0)).unwrap();
    assert_eq!(
        conversation.buyer.as_ref().unwrap().as_str(),
        "7021436810468230000"
    );
    assert_eq!(conversation.update_time, at(1_700_000_900));

    let page: MessagesPage = data(
        r#"{"code":0,"message":"Success","request_id":"r","data":{"next_page_token":"abc",
        "messages":[
          {"id":"m1","index":7218,"type":"TEXT","content":"{\"content\":\"Hai, \\\"barang\\\" rusak 😞\"}",
           "create_time":1700000100,"is_visible":true,"sender":{"im_user_id":"im1","role":"BUYER"}},
          {"id":"m2","index":"7219","type":"IMAGE","content":"{\"url\":\"https://example.invalid/i.jpg\",\"width\":10}",
           "create_time":1700000200,"sender":{"role":"ROBOT"}},
          {"id":"m3","type":"NOTIFICATION","content":"not json","create_time":1700000300,"is_visible":false,
           "sender":{"role":"MODERATOR"}}]}}"#,
    );
    let conversation_id = shopcare_core::ConversationId::new("7351234567890");
    let messages: Vec<_> = page
        .messages
        .unwrap()
        .into_iter()
        .map(|message| message_from_dto(&shop(), &conversation_id, message).unwrap())
        .collect();
    assert_eq!(messages[0].text, "Hai, \"barang\" rusak 😞");
    assert_eq!(messages[0].index, 7218);
    assert_eq!(messages[0].sender_role, SenderRole::Buyer);
    assert_eq!(messages[1].index, 7219, "string index accepted");
    assert_eq!(messages[1].kind, "IMAGE");
    assert!(
        messages[1].text.contains("i.jpg"),
        "non-text content kept raw"
    );
    assert_eq!(messages[1].sender_role, SenderRole::Robot);
    assert_eq!(messages[2].text, "not json");
    assert!(!messages[2].is_visible);
    assert_eq!(messages[2].sender_role.as_str(), "MODERATOR");
}

#[test]
fn text_content_round_trips() {
    let content = dto::text_message_content("Halo \"kak\"\nterima kasih");
    assert_eq!(dto::message_text(&content), "Halo \"kak\"\nterima kasih");
}

#[test]
fn products_convert_with_prices() {
    let page: ProductSearchPage = data(
        r#"{"code":0,"message":"Success","request_id":"r","data":{"next_page_token":"","total_count":1,
        "products":[{"id":"1729582718312370000","title":"Ceramic mug","status":"ACTIVATE",
          "skus":[{"id":"1729582718312380000","seller_sku":"MUG-W",
                   "price":{"currency":"USD","sale_price":"9.99","tax_exclusive_price":"9.99"},
                   "inventory":[{"warehouse_id":"w1","quantity":12}]}],
          "create_time":1690000000,"update_time":1699000000}]}}"#,
    );
    let product = product_from_dto(&shop(), page.products.unwrap().remove(0)).unwrap();
    assert_eq!(product.status, "ACTIVATE");
    assert_eq!(
        product.skus[0].price.as_ref().unwrap().to_string(),
        "9.99 USD"
    );
    let broken: ProductDto =
        serde_json::from_str(r#"{"id":"p","create_time":1,"skus":[{"seller_sku":"x"}]}"#).unwrap();
    assert_eq!(
        product_from_dto(&shop(), broken).unwrap_err().field,
        "skus[0].id"
    );
}

#[test]
fn authorized_shops_become_shops_with_region_defaults() {
    let data: AuthorizedShopsData = data(
        r#"{"code":0,"message":"Success","request_id":"r","data":{"shops":[
        {"id":"7494049642642441621","name":"Toko A","region":"ID","seller_type":"LOCAL","cipher":"ROW_abc","code":"IDLC1"},
        {"id":"7494049642642441622","name":"Far away","region":"ZZ","seller_type":"CROSS_BORDER","cipher":"ROW_def","code":"X"}]}}"#,
    );
    let mut shops = data.shops.unwrap().into_iter();
    let shop = shop_from_dto(shops.next().unwrap()).unwrap();
    assert_eq!(shop.cipher, "ROW_abc");
    assert_eq!(shop.currency.as_str(), "IDR");
    assert_eq!(shop.time_zone, chrono_tz::Asia::Jakarta);
    assert_eq!(
        shop_from_dto(shops.next().unwrap()).unwrap_err().field,
        "region"
    );
}

#[test]
fn error_envelopes_with_null_data_parse() {
    let envelope: Envelope<OrderSearchPage> = serde_json::from_str(
        r#"{"code":105002,"message":"Access token is expired","request_id":"r","data":null}"#,
    )
    .unwrap();
    assert_eq!(envelope.code, 105002);
    assert!(envelope.data.is_none());
}

const W1_BODY: &str = r#"{"type":1,"tts_notification_id":"7380066284010030890","shop_id":"7495540735365777507","timestamp":1718305585,"data":{"is_on_hold_order":true,"order_id":"576653688135258178","order_status":"UNPAID","update_time":1718305585}}"#;
const W2_BODY: &str = r#"{"type":12,"tts_notification_id":"7327112393057371910","shop_id":"7494049642642441621","timestamp":1700000300,"data":{"order_id":"576486316948490001","return_role":"BUYER","return_type":"RETURN_AND_REFUND","return_status":"RETURN_OR_REFUND_REQUEST_PENDING","return_id":"4035318504086604100","create_time":1700000290,"update_time":1700000300}}"#;

#[test]
fn webhook_vectors_verify_and_parse_into_typed_data() {
    assert!(verify_webhook(
        "abcdef",
        "123",
        W1_BODY.as_bytes(),
        "5dec0f11ec2f6783b8deee53c9ffbf8d024302f7c7e7fa55a35d17629031ac05"
    ));
    let event = parse_webhook(W1_BODY.as_bytes()).unwrap();
    assert_eq!(event.event_type, event_types::ORDER_STATUS_CHANGE);
    assert_eq!(
        event.tts_notification_id.as_deref(),
        Some("7380066284010030890")
    );
    assert_eq!(event.shop_id, "7495540735365777507");
    assert_eq!(event.timestamp, 1_718_305_585);
    assert_eq!(event.data.order_id(), Some("576653688135258178"));
    match event.data {
        WebhookData::OrderStatusChange(data) => {
            assert_eq!(data.is_on_hold_order, Some(true));
            assert_eq!(
                OrderStatus::parse(data.order_status.as_deref().unwrap()),
                OrderStatus::Unpaid
            );
        }
        other => panic!("unexpected {other:?}"),
    }

    let event = parse_webhook(W2_BODY.as_bytes()).unwrap();
    match event.data {
        WebhookData::ReturnStatusChange(data) => {
            assert_eq!(data.return_id.as_deref(), Some("4035318504086604100"));
            assert_eq!(
                ReturnStatus::parse(data.return_status.as_deref().unwrap()),
                ReturnStatus::RequestPending
            );
            assert_eq!(data.update_time, Some(1_700_000_300));
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn every_handled_webhook_type_parses() {
    let cases = [
        (
            1,
            r#"{"order_id":"1","order_status":"CANCEL","update_time":5}"#,
        ),
        (3, r#"{"order_id":"1","update_time":5}"#),
        (
            4,
            r#"{"sc_type":"SPLIT","role_type":"SELLER","package_list":[{"package_id":"p1","order_id_list":["1","2"]}],"update_time":5}"#,
        ),
        (6, r#"{"message":"Seller deauthorized"}"#),
        (
            7,
            r#"{"message":"Expires soon","expiration_time":"1702592000"}"#,
        ),
        (
            11,
            r#"{"order_id":"1","cancellations_role":"BUYER","cancel_status":"CANCELLATION_REQUEST_PENDING","cancel_id":"c1","create_time":5}"#,
        ),
        (
            12,
            r#"{"order_id":"1","return_role":"BUYER","return_type":"REFUND","return_status":"RETURN_OR_REFUND_REQUEST_PENDING","return_id":"r1","create_time":5,"update_time":6}"#,
        ),
        (13, r#"{"conversation_id":"cv1","create_time":5}"#),
        (
            14,
            r#"{"message_id":"m1","index":"3","conversation_id":"cv1","type":"TEXT","content":"{\"content\":\"halo\"}","create_time":5,"is_visible":true,"sender":{"im_user_id":"im1","role":"BUYER"}}"#,
        ),
    ];
    for (event_type, data) in cases {
        let body = format!(
            r#"{{"type":{event_type},"tts_notification_id":"n{event_type}","shop_id":"s","timestamp":10,"data":{data}}}"#
        );
        let event = parse_webhook(body.as_bytes()).unwrap();
        assert!(event_types::name(event_type).is_some());
        let ok = match (event_type, &event.data) {
            (1, WebhookData::OrderStatusChange(data)) => {
                OrderStatus::parse(data.order_status.as_deref().unwrap()) == OrderStatus::Cancelled
            }
            (3, WebhookData::RecipientAddressUpdate(data)) => data.update_time == Some(5),
            (4, WebhookData::PackageUpdate(data)) => {
                data.package_list.as_ref().unwrap()[0]
                    .order_id_list
                    .as_ref()
                    .unwrap()
                    .len()
                    == 2
            }
            (6, WebhookData::SellerDeauthorization(data)) => data.message.is_some(),
            (7, WebhookData::UpcomingAuthorizationExpiration(data)) => {
                data.expiration_time == Some(1_702_592_000)
            }
            (11, WebhookData::CancellationStatusChange(data)) => {
                data.cancel_id.as_deref() == Some("c1")
            }
            (12, WebhookData::ReturnStatusChange(data)) => {
                data.return_type.as_deref() == Some("REFUND")
            }
            (13, WebhookData::NewConversation(data)) => {
                data.conversation_id.as_deref() == Some("cv1")
            }
            (14, WebhookData::NewMessage(data)) => {
                let message = message_from_webhook(&shop(), data.clone()).unwrap();
                message.text == "halo"
                    && message.index == 3
                    && message.sender_role == SenderRole::Buyer
            }
            _ => false,
        };
        assert!(ok, "type {event_type}: {:?}", event.data);
    }
}

#[test]
fn unknown_webhook_types_keep_raw_data_and_bad_bodies_are_errors() {
    let event = parse_webhook(
        br#"{"type":99,"shop_id":7494049642642441621,"timestamp":"10","data":{"anything":[1,2]}}"#,
    )
    .unwrap();
    assert_eq!(event.shop_id, "7494049642642441621");
    assert_eq!(event.tts_notification_id, None);
    match event.data {
        WebhookData::Unknown(raw) => assert_eq!(raw["anything"][1], 2),
        other => panic!("unexpected {other:?}"),
    }
    assert!(parse_webhook(b"not json").is_err());
    assert!(matches!(
        parse_webhook(br#"{"type":1,"timestamp":1,"data":{}}"#),
        Err(WebhookParseError::Missing("shop_id"))
    ));
    assert!(parse_webhook(
        br#"{"type":1,"shop_id":"s","timestamp":1,"data":{"update_time":"later"}}"#
    )
    .is_err());
}

#[test]
fn request_bodies_serialise_only_what_is_set() {
    let search = OrderSearch {
        order_status: Some("AWAITING_SHIPMENT".into()),
        update_time_ge: Some(1_699_990_000),
        sort_field: Some("update_time".into()),
        ..OrderSearch::default()
    };
    assert_eq!(
        serde_json::to_string(&search).unwrap(),
        r#"{"order_status":"AWAITING_SHIPMENT","update_time_ge":1699990000}"#
    );
    let approve = ApproveReturn {
        decision: "OFFER_PARTIAL_REFUND".into(),
        buyer_keep_item: None,
        partial_refund: Some((&shopcare_core::Money::parse("4.50", "USD").unwrap()).into()),
    };
    assert_eq!(
        serde_json::to_string(&approve).unwrap(),
        r#"{"decision":"OFFER_PARTIAL_REFUND","partial_refund":{"currency":"USD","amount":"4.5"}}"#
    );
}
