//! The post-purchase timeline as a use-case: gathers an order's facts from the store,
//! asks the core planner what it should get, schedules the due messages as durable jobs
//! (one per order and trigger, by dedupe key and by the message log), and answers the
//! dry-run question "what would go out on this day, and why".
//!
//! The jobs themselves live in `timeline_jobs`.

use chrono::{Duration, NaiveDate, TimeZone};
use shopcare_core::timeline::{
    plan_order, validate_template, OrderFacts, OrderPlan, ShopTemplates, SkuSettings,
    TimelineSettings, Trigger,
};
use shopcare_core::{OrderId, Shop, ShopId, SkuId, Timestamp};
use shopcare_store::{NewJob, Store, StoreError, TimelineMessageRecord, TimelineMessageState};
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

/// Kind of the job that sends one timeline message; payload: [`MessageJobPayload`] JSON.
pub const TIMELINE_MESSAGE_JOB: &str = "timeline_message";
/// Kind of the periodic job that plans every recent order and enqueues what is due.
pub const TIMELINE_PLAN_JOB: &str = "timeline_plan";
/// Attempts a message job gets (only refusals before the send are retried).
pub const TIMELINE_MESSAGE_MAX_ATTEMPTS: u32 = 6;
/// How far back orders are looked at: longer than any usage window or depletion cycle.
pub const TIMELINE_LOOKBACK_DAYS: i64 = 180;

#[derive(Debug, thiserror::Error)]
pub enum TimelineServiceError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("shop {0} is not known")]
    UnknownShop(ShopId),
    #[error("order {0} is not known")]
    UnknownOrder(OrderId),
    #[error("invalid date {0:?}: expected YYYY-MM-DD")]
    InvalidDate(String),
}

/// The payload of a `timeline_message` job.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MessageJobPayload {
    pub order_id: String,
    pub trigger: String,
}

/// An order's facts with the shop configuration that applies to it.
pub struct OrderTimeline {
    pub shop: Shop,
    pub facts: OrderFacts,
    pub settings: TimelineSettings,
    pub skus: BTreeMap<SkuId, SkuSettings>,
    pub templates: ShopTemplates,
    /// The buyer's conversation with the shop, when there is one already.
    pub conversation_id: Option<String>,
}

impl OrderTimeline {
    pub fn plan(&self, now: Timestamp) -> OrderPlan {
        plan_order(
            &self.facts,
            &self.settings,
            &self.skus,
            &self.templates,
            now,
        )
    }
}

/// What one scheduling pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScheduleReport {
    pub orders: u64,
    pub enqueued: u64,
    /// Rendered texts the compliance guard refused: (order, trigger, findings).
    pub blocked: Vec<(OrderId, Trigger, Vec<String>)>,
}

/// One line of the dry run.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PreviewEntry {
    pub shop_id: String,
    pub order_id: String,
    pub trigger: String,
    /// `would_send`, `suppressed`, `blocked`, or the log state when already handled
    /// (`queued`, `sent`, `failed`...).
    pub status: String,
    pub due_at: Option<Timestamp>,
    pub reason: String,
    pub template_key: Option<String>,
    pub text: Option<String>,
    pub findings: Vec<String>,
}

/// The timeline use-case over one store.
#[derive(Clone)]
pub struct Timeline {
    store: Arc<dyn Store>,
}

impl Timeline {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// A shop's settings: saved ones, or the defaults of its region.
    pub async fn settings(&self, shop: &Shop) -> Result<TimelineSettings, TimelineServiceError> {
        Ok(self
            .store
            .timeline_settings(&shop.id)
            .await?
            .unwrap_or_else(|| TimelineSettings::for_region(&shop.region)))
    }

    async fn shop_configuration(
        &self,
        shop: &Shop,
    ) -> Result<
        (
            TimelineSettings,
            BTreeMap<SkuId, SkuSettings>,
            ShopTemplates,
        ),
        TimelineServiceError,
    > {
        let settings = self.settings(shop).await?;
        let skus = self
            .store
            .timeline_sku_settings(&shop.id)
            .await?
            .into_iter()
            .map(|sku| (sku.sku_id.clone(), sku))
            .collect();
        let mut templates = ShopTemplates::default();
        for record in self.store.timeline_templates(&shop.id).await? {
            // Saved templates were validated on the way in; one that no longer parses
            // (a trigger renamed since) falls back to the built-in text.
            let Ok(trigger) = Trigger::parse(&record.trigger) else {
                continue;
            };
            match validate_template(trigger, &record.body) {
                Ok(template) => templates.insert(&record.language, template),
                Err(error) => {
                    tracing::warn!(shop = %shop.id, trigger = %trigger, %error, "stored template ignored")
                }
            }
        }
        Ok((settings, skus, templates))
    }

    /// Gathers everything the planner needs about `order_id`.
    pub async fn order_timeline(
        &self,
        order_id: &OrderId,
    ) -> Result<OrderTimeline, TimelineServiceError> {
        let order = self
            .store
            .get_order(order_id)
            .await?
            .ok_or_else(|| TimelineServiceError::UnknownOrder(order_id.clone()))?;
        let shop = self
            .store
            .get_shop(&order.shop_id)
            .await?
            .ok_or_else(|| TimelineServiceError::UnknownShop(order.shop_id.clone()))?;
        let (settings, skus, templates) = self.shop_configuration(&shop).await?;
        self.assemble(order, shop, settings, skus, templates).await
    }

    async fn assemble(
        &self,
        order: shopcare_core::Order,
        shop: Shop,
        settings: TimelineSettings,
        skus: BTreeMap<SkuId, SkuSettings>,
        templates: ShopTemplates,
    ) -> Result<OrderTimeline, TimelineServiceError> {
        let tracking = self.store.tracking_events(&order.id).await?;
        let context = self.store.order_timeline_context(&order.id).await?;
        let facts = OrderFacts {
            order,
            tracking,
            cases: context.cases,
            cancellations: context.cancellations,
            unresolved_chat: context.unresolved_chat,
            // The Partner API gives no buyer name; the templates' neutral form is used.
            buyer_first_name: None,
            shop_name: shop.name.clone(),
            market: shop.region.clone(),
            buyer_time_zone: shop.time_zone,
        };
        Ok(OrderTimeline {
            shop,
            facts,
            settings,
            skus,
            templates,
            conversation_id: context.conversation_id,
        })
    }

    async fn shops(&self, shop_id: Option<&ShopId>) -> Result<Vec<Shop>, TimelineServiceError> {
        match shop_id {
            Some(shop_id) => {
                Ok(vec![self.store.get_shop(shop_id).await?.ok_or_else(
                    || TimelineServiceError::UnknownShop(shop_id.clone()),
                )?])
            }
            None => Ok(self.store.list_shops().await?),
        }
    }

    /// Calls `visit` with the timeline of every order of `shop` seen in the look-back.
    async fn each_order(
        &self,
        shop: &Shop,
        now: Timestamp,
        mut visit: impl FnMut(&OrderTimeline),
    ) -> Result<u64, TimelineServiceError> {
        let (settings, skus, templates) = self.shop_configuration(shop).await?;
        if !settings.enabled {
            return Ok(0);
        }
        let since = now - Duration::days(TIMELINE_LOOKBACK_DAYS);
        let mut count = 0;
        for order_id in self.store.timeline_order_ids(Some(&shop.id), since).await? {
            let Some(order) = self.store.get_order(&order_id).await? else {
                continue;
            };
            let timeline = self
                .assemble(
                    order,
                    shop.clone(),
                    settings.clone(),
                    skus.clone(),
                    templates.clone(),
                )
                .await?;
            visit(&timeline);
            count += 1;
        }
        Ok(count)
    }

    /// Plans every recent order and enqueues a send job for each message whose moment has
    /// come and that is not in the log yet. Safe to repeat: jobs and log rows are keyed by
    /// order and trigger.
    pub async fn schedule(
        &self,
        shop_id: Option<&ShopId>,
        now: Timestamp,
    ) -> Result<ScheduleReport, TimelineServiceError> {
        let mut report = ScheduleReport::default();
        for shop in self.shops(shop_id).await? {
            let logged: HashSet<(String, String)> = self
                .store
                .timeline_messages(Some(&shop.id))
                .await?
                .into_iter()
                .map(|row| (row.order_id.into_string(), row.trigger))
                .collect();
            let mut jobs = Vec::new();
            let mut rows = Vec::new();
            report.orders += self
                .each_order(&shop, now, |timeline| {
                    let plan = timeline.plan(now);
                    for message in plan.messages.iter().filter(|m| m.eligible_at <= now) {
                        let key = (
                            message.order_id.as_str().to_owned(),
                            message.trigger.as_str().to_owned(),
                        );
                        if logged.contains(&key) {
                            continue;
                        }
                        jobs.push(message_job(
                            &message.order_id,
                            message.trigger,
                            message.due_at,
                        ));
                        rows.push(TimelineMessageRecord {
                            order_id: message.order_id.clone(),
                            trigger: message.trigger.as_str().to_owned(),
                            shop_id: timeline.shop.id.clone(),
                            state: TimelineMessageState::Queued,
                            due_at: message.due_at,
                            template_key: message.template_key.clone(),
                            text: message.text.clone(),
                            reason: message.reason.clone(),
                            conversation_id: None,
                            message_id: None,
                            created_at: now,
                            updated_at: now,
                        });
                    }
                    for skipped in plan.skipped.iter().filter(|skipped| {
                        !skipped.blocked_by.is_empty()
                            && skipped.eligible_at.is_some_and(|at| at <= now)
                    }) {
                        report.blocked.push((
                            skipped.order_id.clone(),
                            skipped.trigger,
                            skipped.blocked_by.clone(),
                        ));
                    }
                })
                .await?;
            // Jobs first: a crash before the log rows leaves jobs that log on their own,
            // and the next pass finds nothing missing.
            let added = self.store.enqueue_jobs(&jobs).await?;
            report.enqueued += added.iter().filter(|new| **new).count() as u64;
            for row in &rows {
                self.store.record_timeline_message(row).await?;
            }
        }
        for (order_id, trigger, findings) in &report.blocked {
            tracing::warn!(order = %order_id, trigger = %trigger, findings = ?findings, "timeline message blocked by the compliance guard");
        }
        Ok(report)
    }

    /// The dry run: what would be sent on `date` (the shop's local day) and why, what is
    /// suppressed or blocked that day, and what the log already holds for it.
    pub async fn preview(
        &self,
        shop_id: Option<&ShopId>,
        date: NaiveDate,
    ) -> Result<Vec<PreviewEntry>, TimelineServiceError> {
        let mut entries = Vec::new();
        for shop in self.shops(shop_id).await? {
            let zone = shop.time_zone;
            let start = local_midnight(zone, date);
            let end = local_midnight(zone, date.succ_opt().unwrap_or(date));
            let now = end - Duration::milliseconds(1);
            let logged: BTreeMap<(String, String), TimelineMessageRecord> = self
                .store
                .timeline_messages(Some(&shop.id))
                .await?
                .into_iter()
                .map(|row| ((row.order_id.as_str().to_owned(), row.trigger.clone()), row))
                .collect();
            let in_day = |at: Timestamp| at >= start && at < end;
            self.each_order(&shop, now, |timeline| {
                let plan = timeline.plan(now);
                for message in plan.messages.iter().filter(|m| in_day(m.due_at)) {
                    let key = (
                        message.order_id.as_str().to_owned(),
                        message.trigger.as_str().to_owned(),
                    );
                    let status = logged
                        .get(&key)
                        .map_or("would_send", |row| row.state.as_str());
                    entries.push(PreviewEntry {
                        shop_id: shop.id.to_string(),
                        order_id: message.order_id.to_string(),
                        trigger: message.trigger.as_str().to_owned(),
                        status: status.to_owned(),
                        due_at: Some(message.due_at),
                        reason: message.reason.clone(),
                        template_key: Some(message.template_key.clone()),
                        text: Some(message.text.clone()),
                        findings: Vec::new(),
                    });
                }
                for skipped in plan
                    .skipped
                    .iter()
                    .filter(|skipped| skipped.eligible_at.is_some_and(in_day))
                {
                    let status = if skipped.blocked_by.is_empty() {
                        "suppressed"
                    } else {
                        "blocked"
                    };
                    entries.push(PreviewEntry {
                        shop_id: shop.id.to_string(),
                        order_id: skipped.order_id.to_string(),
                        trigger: skipped.trigger.as_str().to_owned(),
                        status: status.to_owned(),
                        due_at: skipped.eligible_at,
                        reason: skipped.reason.clone(),
                        template_key: None,
                        text: None,
                        findings: skipped.blocked_by.clone(),
                    });
                }
            })
            .await?;
        }
        entries.sort_by(|a, b| {
            (a.due_at, &a.shop_id, &a.order_id, &a.trigger).cmp(&(
                b.due_at,
                &b.shop_id,
                &b.order_id,
                &b.trigger,
            ))
        });
        Ok(entries)
    }
}

/// Parses a `YYYY-MM-DD` date.
pub fn parse_date(text: &str) -> Result<NaiveDate, TimelineServiceError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| TimelineServiceError::InvalidDate(text.to_owned()))
}

/// The first instant of `date` in `zone` (the earliest, should midnight be skipped).
fn local_midnight(zone: chrono_tz::Tz, date: NaiveDate) -> Timestamp {
    let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    (0..4)
        .find_map(|hour| {
            zone.from_local_datetime(&(midnight + Duration::hours(hour)))
                .earliest()
        })
        .map(|local| local.with_timezone(&chrono::Utc))
        .unwrap_or_else(|| chrono::Utc.from_utc_datetime(&midnight))
}

/// The send job of one order's trigger, due at `due_at`, keyed so it exists once.
pub fn message_job(order_id: &OrderId, trigger: Trigger, due_at: Timestamp) -> NewJob {
    let payload = MessageJobPayload {
        order_id: order_id.to_string(),
        trigger: trigger.as_str().to_owned(),
    };
    NewJob {
        kind: TIMELINE_MESSAGE_JOB.to_owned(),
        dedupe_key: shopcare_core::timeline::dedupe_key(order_id, trigger),
        payload: serde_json::to_string(&payload).unwrap_or_default(),
        due_at,
        max_attempts: TIMELINE_MESSAGE_MAX_ATTEMPTS,
    }
}
