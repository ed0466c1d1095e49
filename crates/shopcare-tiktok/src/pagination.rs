//! Cursor pagination (reference §7): `page_token` in the query, `next_page_token` in
//! `data`, `""` on the last page.

use crate::dto::{
    CancellationDto, CancellationSearchPage, ConversationDto, ConversationsPage, MessageDto,
    MessagesPage, OrderDto, OrderSearchPage, PackageDto, PackageSearchPage, ProductDto,
    ProductSearchPage, ReturnDto, ReturnSearchPage,
};
use crate::error::ApiError;
use std::collections::HashSet;
use std::future::Future;

/// One page of results, whatever the endpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// `None` on the last page (the platform sends `""`).
    pub next_page_token: Option<String>,
    pub total_count: Option<i64>,
}

/// The endpoint-specific page DTOs, seen as pages.
pub trait IntoPage {
    type Item;
    fn into_page(self) -> Page<Self::Item>;
}

fn next_token(token: Option<String>) -> Option<String> {
    token.filter(|token| !token.is_empty())
}

macro_rules! impl_into_page {
    ($($page:ty => $item:ty, $field:ident, $total:expr;)+) => {$(
        impl IntoPage for $page {
            type Item = $item;
            fn into_page(self) -> Page<$item> {
                let total: fn(&Self) -> Option<i64> = $total;
                Page {
                    total_count: total(&self),
                    items: self.$field.unwrap_or_default(),
                    next_page_token: next_token(self.next_page_token),
                }
            }
        }
    )+};
}

impl_into_page! {
    OrderSearchPage => OrderDto, orders, |page| page.total_count;
    PackageSearchPage => PackageDto, packages, |page| page.total_count;
    ReturnSearchPage => ReturnDto, return_orders, |page| page.total_count;
    CancellationSearchPage => CancellationDto, cancellations, |page| page.total_count;
    ProductSearchPage => ProductDto, products, |page| page.total_count;
    ConversationsPage => ConversationDto, conversations, |_| None;
    MessagesPage => MessageDto, messages, |_| None;
}

/// Walks pages by calling `fetch(page_token)` until the platform says there are no
/// more. A page token seen twice stops the walk with an error instead of looping.
///
/// ```no_run
/// # use shopcare_tiktok::{dto::OrderSearch, ApiError, Paginator, TikTokClient};
/// # async fn walk(client: TikTokClient, cipher: String, token: String) -> Result<(), ApiError> {
/// let search = OrderSearch { update_time_ge: Some(1_700_000_000), ..OrderSearch::default() };
/// let mut pages = Paginator::new(|page_token: Option<String>| {
///     let (client, search, cipher, token) =
///         (client.clone(), search.clone(), cipher.clone(), token.clone());
///     async move {
///         client.search_orders(&cipher, &token, &search, 100, page_token.as_deref()).await
///     }
/// });
/// while let Some(page) = pages.next_page().await {
///     let page = page?;
///     println!("{} orders", page.items.len());
/// }
/// # Ok(())
/// # }
/// ```
pub struct Paginator<F> {
    fetch: F,
    next_token: Option<String>,
    started: bool,
    finished: bool,
    seen_tokens: HashSet<String>,
}

impl<F, Fut, P> Paginator<F>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<P, ApiError>>,
    P: IntoPage,
{
    /// Starts from the first page.
    pub fn new(fetch: F) -> Self {
        Self {
            fetch,
            next_token: None,
            started: false,
            finished: false,
            seen_tokens: HashSet::new(),
        }
    }

    /// Continues from a token saved earlier (e.g. a checkpoint after a crash).
    pub fn resume(fetch: F, page_token: String) -> Self {
        let mut paginator = Self::new(fetch);
        paginator.next_token = next_token(Some(page_token));
        paginator.started = paginator.next_token.is_some();
        paginator.finished = paginator.next_token.is_none();
        paginator
    }

    /// The token of the page the next call will fetch (`None` = first page or done).
    pub fn next_page_token(&self) -> Option<&str> {
        self.next_token.as_deref()
    }

    /// The next page, or `None` when the walk is over. After an error the walk stops.
    pub async fn next_page(&mut self) -> Option<Result<Page<P::Item>, ApiError>> {
        if self.finished || (self.started && self.next_token.is_none()) {
            return None;
        }
        self.started = true;
        let result = (self.fetch)(self.next_token.clone()).await;
        let page = match result {
            Ok(page) => page.into_page(),
            Err(error) => {
                self.finished = true;
                return Some(Err(error));
            }
        };
        if let Some(token) = &page.next_page_token {
            if !self.seen_tokens.insert(token.clone()) {
                self.finished = true;
                return Some(Err(ApiError::Decode {
                    endpoint: "pagination".to_owned(),
                    message: format!("page token {token:?} came back twice"),
                }));
            }
        }
        self.next_token = page.next_page_token.clone();
        Some(Ok(page))
    }

    /// Every item of every remaining page.
    pub async fn collect_all(mut self) -> Result<Vec<P::Item>, ApiError> {
        let mut items = Vec::new();
        while let Some(page) = self.next_page().await {
            items.extend(page?.items);
        }
        Ok(items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dto::OrderDto;

    fn page(ids: &[&str], next: &str) -> OrderSearchPage {
        OrderSearchPage {
            orders: Some(
                ids.iter()
                    .map(|id| OrderDto {
                        id: Some((*id).to_owned()),
                        ..OrderDto::default()
                    })
                    .collect(),
            ),
            total_count: Some(3),
            next_page_token: Some(next.to_owned()),
        }
    }

    #[tokio::test]
    async fn walks_until_the_empty_token() {
        let mut requested = Vec::new();
        let items = Paginator::new(|token: Option<String>| {
            requested.push(token.clone());
            let result = match token.as_deref() {
                None => Ok(page(&["1", "2"], "t/2+=")),
                Some("t/2+=") => Ok(page(&["3"], "")),
                Some(other) => Err(ApiError::InvalidArgument(other.to_owned())),
            };
            async move { result }
        })
        .collect_all()
        .await
        .unwrap();
        let ids: Vec<_> = items.into_iter().map(|order| order.id.unwrap()).collect();
        assert_eq!(ids, ["1", "2", "3"]);
        assert_eq!(requested, [None, Some("t/2+=".to_owned())]);
    }

    #[tokio::test]
    async fn a_repeated_token_stops_the_walk() {
        let error = Paginator::new(|_token: Option<String>| async { Ok(page(&["1"], "same")) })
            .collect_all()
            .await
            .unwrap_err();
        assert!(error.to_string().contains("came back twice"), "{error}");
    }

    #[tokio::test]
    async fn resume_starts_from_the_saved_token() {
        let mut paginator = Paginator::resume(
            |token: Option<String>| {
                let result = match token.as_deref() {
                    Some("saved") => Ok(page(&["9"], "")),
                    _ => Err(ApiError::InvalidArgument("expected the saved token".into())),
                };
                async move { result }
            },
            "saved".to_owned(),
        );
        let first = paginator.next_page().await.unwrap().unwrap();
        assert_eq!(first.items.len(), 1);
        assert!(paginator.next_page().await.is_none());
    }
}
