//! `shopcare support stats --db URL --as-of DATE --json` on a hand-built store: the flags
//! kept by shopcare (chatbot period, blocked buyer) and the reply outbox (which agent sent
//! which message) change the figures exactly as computed by hand in the comments.

use chrono_tz::Tz;
use shopcare_core::{
    BuyerId, Conversation, ConversationId, Currency, Message, MessageId, SenderRole, Shop, ShopId,
    Timestamp,
};
use shopcare_store::{
    open_store, ChatPeriodRecord, NewSupportReply, Record, SecretKey, SupportReplyState,
};
use std::process::Command;

const SECRET_KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn shop(id: &str, region: &str, time_zone: Tz, currency: &str) -> Shop {
    Shop {
        id: ShopId::new(id),
        cipher: format!("cipher-{id}"),
        name: format!("Shop {id}"),
        region: region.to_owned(),
        currency: Currency::parse(currency).unwrap(),
        time_zone,
    }
}

fn chat(id: &str, buyer: &str, messages: &[(&str, SenderRole, &str)]) -> Vec<Record> {
    let mut records = vec![Record::Conversation(Conversation {
        id: ConversationId::new(id),
        shop_id: ShopId::new("us-1"),
        buyer: Some(BuyerId::new(buyer)),
        create_time: at(messages[0].2),
        update_time: at(messages[messages.len() - 1].2),
    })];
    for (index, (message_id, role, time)) in messages.iter().enumerate() {
        records.push(Record::Message(Message {
            id: MessageId::new(*message_id),
            conversation_id: ConversationId::new(id),
            shop_id: ShopId::new("us-1"),
            index: i64::try_from(index).unwrap(),
            sender_role: role.clone(),
            kind: "TEXT".to_owned(),
            text: "text".to_owned(),
            create_time: at(time),
            is_visible: true,
        }));
    }
    records
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn support_stats_reports_rates_and_percentiles_per_shop_and_agent() {
    use SenderRole::{Buyer, Shop as Seller};
    let directory = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", directory.path().join("store.db").display());
    let store = open_store(&url, &SecretKey::from_base64(SECRET_KEY).unwrap())
        .await
        .unwrap();
    store
        .upsert_shops(&[
            shop("us-1", "US", Tz::America__Los_Angeles, "USD"),
            shop("id-1", "ID", Tz::Asia__Jakarta, "IDR"),
        ])
        .await
        .unwrap();
    let mut records = Vec::new();
    // Answered by ana through shopcare after 2 h.
    records.extend(chat(
        "c1",
        "b1",
        &[
            ("m1", Buyer, "2026-03-10T18:00:00Z"),
            ("m2", Seller, "2026-03-10T20:00:00Z"),
        ],
    ));
    // Saturday 10:00 PST with the chatbot on: due Monday 12:00 PDT (19:00 UTC); the
    // answer at 18:30 UTC, 48.5 h later, is on time for both rates.
    records.extend(chat(
        "c2",
        "b2",
        &[
            ("m3", Buyer, "2026-03-07T18:00:00Z"),
            ("m4", Seller, "2026-03-09T18:30:00Z"),
        ],
    ));
    // A blocked buyer: excluded.
    records.extend(chat(
        "c3",
        "troll",
        &[("m5", Buyer, "2026-03-11T00:00:00Z")],
    ));
    // The seller opened the chat: excluded.
    records.extend(chat(
        "c4",
        "b4",
        &[
            ("m6", Seller, "2026-03-12T00:00:00Z"),
            ("m7", Buyer, "2026-03-12T01:00:00Z"),
        ],
    ));
    // Answered after 15 h: late for 12 h, on time for 24 h.
    records.extend(chat(
        "c5",
        "b5",
        &[
            ("m8", Buyer, "2026-03-13T00:00:00Z"),
            ("m9", Seller, "2026-03-13T15:00:00Z"),
        ],
    ));
    store.apply(&records, None).await.unwrap();
    store
        .add_chat_period(&ChatPeriodRecord {
            shop_id: ShopId::new("us-1"),
            kind: "chatbot".to_owned(),
            starts_at: at("2026-01-01T00:00:00Z"),
            ends_at: None,
        })
        .await
        .unwrap();
    store
        .set_buyer_blocked(
            &ShopId::new("us-1"),
            "troll",
            true,
            at("2026-03-01T00:00:00Z"),
        )
        .await
        .unwrap();
    store
        .create_support_reply(&NewSupportReply {
            reply_id: "reply-1".to_owned(),
            command_key: "c1:ana:1".to_owned(),
            conversation_id: "c1".to_owned(),
            shop_id: ShopId::new("us-1"),
            text: "On it, answer within 24 hours.".to_owned(),
            agent: "ana".to_owned(),
            created_at: at("2026-03-10T19:59:00Z"),
        })
        .await
        .unwrap();
    store
        .update_support_reply(
            "reply-1",
            SupportReplyState::Sent,
            Some("m2"),
            None,
            at("2026-03-10T20:00:00Z"),
        )
        .await
        .unwrap();
    drop(store);

    let output = Command::new(env!("CARGO_BIN_EXE_shopcare"))
        .args([
            "support",
            "stats",
            "--db",
            &url,
            "--as-of",
            "2026-03-31",
            "--json",
        ])
        .env("SHOPCARE_SECRET_KEY", SECRET_KEY)
        .current_dir(directory.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["as_of"], "2026-03-31");
    let shops = report["shops"].as_array().unwrap();
    assert_eq!(shops.len(), 2);
    let quiet = &shops[0];
    assert_eq!(quiet["shop_id"], "id-1");
    assert_eq!(quiet["inquiries"], 0);
    assert!(quiet["response_rate_12h"]["rate"].is_null());

    let us = &shops[1];
    assert_eq!(us["shop_id"], "us-1");
    assert_eq!(us["window"]["from"], "2026-03-01T08:00:00Z");
    assert_eq!(us["window"]["until"], "2026-03-31T07:00:00Z");
    assert_eq!(us["inquiries"], 3);
    assert_eq!(us["responded"], 3);
    assert_eq!(us["excluded"]["blocked_buyer"], 1);
    assert_eq!(us["excluded"]["seller_initiated"], 1);
    // Sorted times 2 h, 15 h, 48.5 h: nearest rank 2 of 3 for p50, 3 of 3 for p90.
    assert_eq!(us["first_response_seconds"]["p50"], 15 * 3600);
    assert_eq!(us["first_response_seconds"]["p90"], 48 * 3600 + 1800);
    assert_eq!(us["response_rate_12h"]["met"], 2);
    assert_eq!(us["response_rate_12h"]["decided"], 3);
    assert_eq!(us["response_rate_24h"]["met"], 3);
    assert_eq!(us["response_rate_24h"]["rate"], 1.0);
    let agents = us["agents"].as_array().unwrap();
    assert_eq!(agents.len(), 1);
    assert_eq!(agents[0]["agent"], "ana");
    assert_eq!(agents[0]["inquiries"], 1);
    assert_eq!(agents[0]["first_response_seconds"]["p50"], 7200);

    // The table form runs too and names the agent.
    let table = Command::new(env!("CARGO_BIN_EXE_shopcare"))
        .args(["support", "stats", "--db", &url, "--as-of", "2026-03-31"])
        .env("SHOPCARE_SECRET_KEY", SECRET_KEY)
        .current_dir(directory.path())
        .output()
        .unwrap();
    assert!(table.status.success());
    assert!(String::from_utf8_lossy(&table.stdout).contains("  ana"));
}
