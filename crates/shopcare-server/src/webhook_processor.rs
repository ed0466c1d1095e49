//! The `webhook` job: after an event is durable, fetch the object it names through the
//! Partner API and upsert it. Webhooks are hints, the API is the truth — so an event
//! re-delivered or processed late still converges on the platform's current state.

use crate::jobs::{JobError, JobHandler};
use crate::platform::{PlatformAccess, PlatformError};
use async_trait::async_trait;
use shopcare_core::{Conversation, OrderStatus, ShopId, Timestamp};
use shopcare_store::{Job, Record};
use shopcare_tiktok::dto::{self, CancellationSearch, ReturnSearch, WebhookData};

pub const WEBHOOK_JOB: &str = "webhook";

pub struct WebhookProcessor {
    access: PlatformAccess,
}

impl WebhookProcessor {
    pub fn new(access: PlatformAccess) -> Self {
        Self { access }
    }

    async fn fetch_records(
        &self,
        shop_id: &ShopId,
        data: WebhookData,
    ) -> Result<Vec<Record>, PlatformError> {
        let bad = |what: &'static str| {
            move |error: shopcare_tiktok::ConvertError| PlatformError::BadData {
                what,
                message: error.to_string(),
            }
        };
        let records = match data {
            WebhookData::OrderStatusChange(dto::OrderStatusChangeData {
                order_id: Some(order_id),
                ..
            })
            | WebhookData::RecipientAddressUpdate(dto::RecipientAddressUpdateData {
                order_id: Some(order_id),
                ..
            }) => {
                let access = self.access.shop_access(shop_id).await?;
                let client = self.access.client();
                let mut records = Vec::new();
                for order in client
                    .get_orders(&access.shop.cipher, &access.access_token, &[&order_id])
                    .await?
                {
                    let order = dto::order_from_dto(shop_id, order).map_err(bad("order"))?;
                    if matches!(
                        order.status,
                        OrderStatus::InTransit
                            | OrderStatus::AwaitingCollection
                            | OrderStatus::PartiallyShipping
                    ) {
                        let tracking = client
                            .order_tracking(
                                &access.shop.cipher,
                                &access.access_token,
                                order.id.as_str(),
                            )
                            .await?;
                        let events =
                            dto::tracking_from_dto(&order.id, tracking).map_err(bad("tracking"))?;
                        records.push(Record::Tracking {
                            order_id: order.id.clone(),
                            shop_id: shop_id.clone(),
                            events,
                        });
                    }
                    records.push(Record::Order(order));
                }
                records
            }
            WebhookData::PackageUpdate(update) => {
                let access = self.access.shop_access(shop_id).await?;
                let mut records = Vec::new();
                for entry in update.package_list.unwrap_or_default() {
                    let Some(package_id) = entry.package_id else {
                        continue;
                    };
                    let package = self
                        .access
                        .client()
                        .get_package(&access.shop.cipher, &access.access_token, &package_id)
                        .await?;
                    records.push(Record::Package(
                        dto::package_from_dto(shop_id, package).map_err(bad("package"))?,
                    ));
                }
                records
            }
            WebhookData::ReturnStatusChange(dto::ReturnStatusChangeData {
                return_id: Some(return_id),
                ..
            }) => {
                let access = self.access.shop_access(shop_id).await?;
                let search = ReturnSearch {
                    return_ids: vec![return_id],
                    ..ReturnSearch::default()
                };
                let page = self
                    .access
                    .client()
                    .search_returns(&access.shop.cipher, &access.access_token, &search, 10, None)
                    .await?;
                page.return_orders
                    .unwrap_or_default()
                    .into_iter()
                    .map(|case| {
                        dto::return_from_dto(shop_id, case)
                            .map(Record::Case)
                            .map_err(bad("return"))
                    })
                    .collect::<Result<_, _>>()?
            }
            WebhookData::CancellationStatusChange(dto::CancellationStatusChangeData {
                cancel_id: Some(cancel_id),
                ..
            }) => {
                let access = self.access.shop_access(shop_id).await?;
                let search = CancellationSearch {
                    cancel_ids: vec![cancel_id],
                    ..CancellationSearch::default()
                };
                let page = self
                    .access
                    .client()
                    .search_cancellations(
                        &access.shop.cipher,
                        &access.access_token,
                        &search,
                        10,
                        None,
                    )
                    .await?;
                page.cancellations
                    .unwrap_or_default()
                    .into_iter()
                    .map(|cancellation| {
                        dto::cancellation_from_dto(shop_id, cancellation)
                            .map(Record::Cancellation)
                            .map_err(bad("cancellation"))
                    })
                    .collect::<Result<_, _>>()?
            }
            WebhookData::NewMessage(message) => {
                // The event carries the whole message; the conversation row may not exist
                // yet, so a minimal one is upserted (a later sync fills in the buyer).
                let message =
                    dto::message_from_webhook(shop_id, message).map_err(bad("message"))?;
                let conversation = Conversation {
                    id: message.conversation_id.clone(),
                    shop_id: shop_id.clone(),
                    buyer: None,
                    create_time: message.create_time,
                    update_time: message.create_time,
                };
                vec![Record::Conversation(conversation), Record::Message(message)]
            }
            WebhookData::SellerDeauthorization(_)
            | WebhookData::UpcomingAuthorizationExpiration(_) => {
                tracing::warn!(shop = %shop_id, "the seller's authorization is ending: reconnect with `shopcare connect`");
                Vec::new()
            }
            // Events without an id to fetch, agent join/leave, and unknown types are kept
            // in the event log and need no fetch.
            _ => Vec::new(),
        };
        Ok(records)
    }
}

fn job_error(error: PlatformError) -> JobError {
    match &error {
        PlatformError::Api(api) if api.is_retryable() => JobError::retry(error),
        PlatformError::Api(_) | PlatformError::BadData { .. } | PlatformError::NotConnected(_) => {
            JobError::permanent(error)
        }
        PlatformError::Store(_) => JobError::retry(error),
    }
}

#[async_trait]
impl JobHandler for WebhookProcessor {
    fn kind(&self) -> &'static str {
        WEBHOOK_JOB
    }

    async fn run(&self, job: &Job, _now: Timestamp) -> Result<(), JobError> {
        let store = self.access.store();
        let event = store
            .webhook_event(&job.payload)
            .await
            .map_err(JobError::retry)?
            .ok_or_else(|| {
                JobError::permanent(format!("webhook event {} is not stored", job.payload))
            })?;
        let envelope = match dto::parse_webhook(event.body.as_bytes()) {
            Ok(envelope) => envelope,
            Err(error) => {
                // Stored for the record; nothing to fetch from a body we cannot read.
                tracing::warn!(event = %event.notification_id, %error, "webhook body not understood; kept, skipped");
                return Ok(());
            }
        };
        let shop_id = ShopId::new(envelope.shop_id);
        let records = self
            .fetch_records(&shop_id, envelope.data)
            .await
            .map_err(job_error)?;
        if !records.is_empty() {
            store.apply(&records, None).await.map_err(JobError::retry)?;
        }
        Ok(())
    }
}
