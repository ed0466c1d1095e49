//! The endpoint table: method, path and version of every call the client makes, in one
//! place, so moving an endpoint to a newer version is a one-line change (reference §1:
//! versions are chosen per endpoint and may be mixed).

use crate::request::encode_path_segment;

/// HTTP methods the Partner API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Delete,
}

impl HttpMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Delete => "DELETE",
        }
    }
}

/// Whether an endpoint may be sent twice without harm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetrySafety {
    /// Reads and searches (even when sent as POST), and set/remove-style writes.
    Idempotent,
    /// A write the platform deduplicates when it carries an `idempotency_key`.
    IdempotentWithKey,
    /// A write that would happen twice if repeated (send a message, create a
    /// conversation, spend a single-use auth code).
    NotIdempotent,
}

/// Every Partner API endpoint the client calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    TokenGet,
    TokenRefresh,
    AuthorizedShops,
    SearchOrders,
    GetOrders,
    SearchPackages,
    GetPackage,
    OrderTracking,
    SearchReturns,
    ApproveReturn,
    RejectReturn,
    RejectReasons,
    ReturnRecords,
    SearchCancellations,
    ApproveCancellation,
    RejectCancellation,
    ListConversations,
    ListMessages,
    SendMessage,
    CreateConversation,
    SearchProducts,
    ListWebhooks,
    PutWebhook,
    DeleteWebhook,
}

/// Method, version and path shape of one endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndpointSpec {
    pub method: HttpMethod,
    /// First path segment (`order`, `return_refund`, ...); empty for the token host.
    pub group: &'static str,
    /// `YYYYMM` version segment; empty for the token host.
    pub version: &'static str,
    /// The rest of the path; each `{}` is replaced by a %-encoded argument.
    pub rest: &'static str,
    /// Needs `shop_cipher`.
    pub shop_scoped: bool,
    pub retry: RetrySafety,
}

impl Endpoint {
    /// Every endpoint, for tables and tests.
    pub const ALL: &'static [Endpoint] = &[
        Endpoint::TokenGet,
        Endpoint::TokenRefresh,
        Endpoint::AuthorizedShops,
        Endpoint::SearchOrders,
        Endpoint::GetOrders,
        Endpoint::SearchPackages,
        Endpoint::GetPackage,
        Endpoint::OrderTracking,
        Endpoint::SearchReturns,
        Endpoint::ApproveReturn,
        Endpoint::RejectReturn,
        Endpoint::RejectReasons,
        Endpoint::ReturnRecords,
        Endpoint::SearchCancellations,
        Endpoint::ApproveCancellation,
        Endpoint::RejectCancellation,
        Endpoint::ListConversations,
        Endpoint::ListMessages,
        Endpoint::SendMessage,
        Endpoint::CreateConversation,
        Endpoint::SearchProducts,
        Endpoint::ListWebhooks,
        Endpoint::PutWebhook,
        Endpoint::DeleteWebhook,
    ];

    /// The table itself.
    pub const fn spec(self) -> EndpointSpec {
        use HttpMethod::{Delete, Get, Post, Put};
        use RetrySafety::{Idempotent, IdempotentWithKey, NotIdempotent};
        let (method, group, version, rest, shop_scoped, retry) = match self {
            Endpoint::TokenGet => (Get, "", "", "api/v2/token/get", false, NotIdempotent),
            Endpoint::TokenRefresh => (Get, "", "", "api/v2/token/refresh", false, NotIdempotent),
            Endpoint::AuthorizedShops => {
                (Get, "authorization", "202309", "shops", false, Idempotent)
            }
            Endpoint::SearchOrders => (Post, "order", "202309", "orders/search", true, Idempotent),
            Endpoint::GetOrders => (Get, "order", "202309", "orders", true, Idempotent),
            Endpoint::SearchPackages => (
                Post,
                "fulfillment",
                "202309",
                "packages/search",
                true,
                Idempotent,
            ),
            Endpoint::GetPackage => (
                Get,
                "fulfillment",
                "202309",
                "packages/{}",
                true,
                Idempotent,
            ),
            Endpoint::OrderTracking => (
                Get,
                "fulfillment",
                "202309",
                "orders/{}/tracking",
                true,
                Idempotent,
            ),
            Endpoint::SearchReturns => (
                Post,
                "return_refund",
                "202309",
                "returns/search",
                true,
                Idempotent,
            ),
            Endpoint::ApproveReturn => (
                Post,
                "return_refund",
                "202309",
                "returns/{}/approve",
                true,
                IdempotentWithKey,
            ),
            Endpoint::RejectReturn => (
                Post,
                "return_refund",
                "202309",
                "returns/{}/reject",
                true,
                IdempotentWithKey,
            ),
            Endpoint::RejectReasons => (
                Get,
                "return_refund",
                "202309",
                "reject_reasons",
                true,
                Idempotent,
            ),
            Endpoint::ReturnRecords => (
                Get,
                "return_refund",
                "202309",
                "returns/{}/records",
                true,
                Idempotent,
            ),
            Endpoint::SearchCancellations => (
                Post,
                "return_refund",
                "202309",
                "cancellations/search",
                true,
                Idempotent,
            ),
            Endpoint::ApproveCancellation => (
                Post,
                "return_refund",
                "202309",
                "cancellations/{}/approve",
                true,
                IdempotentWithKey,
            ),
            Endpoint::RejectCancellation => (
                Post,
                "return_refund",
                "202309",
                "cancellations/{}/reject",
                true,
                IdempotentWithKey,
            ),
            Endpoint::ListConversations => (
                Get,
                "customer_service",
                "202309",
                "conversations",
                true,
                Idempotent,
            ),
            Endpoint::ListMessages => (
                Get,
                "customer_service",
                "202309",
                "conversations/{}/messages",
                true,
                Idempotent,
            ),
            Endpoint::SendMessage => (
                Post,
                "customer_service",
                "202309",
                "conversations/{}/messages",
                true,
                NotIdempotent,
            ),
            Endpoint::CreateConversation => (
                Post,
                "customer_service",
                "202309",
                "conversations",
                true,
                NotIdempotent,
            ),
            Endpoint::SearchProducts => (
                Post,
                "product",
                "202309",
                "products/search",
                true,
                Idempotent,
            ),
            // Setting or removing a subscription twice leaves the same state.
            Endpoint::ListWebhooks => (Get, "event", "202309", "webhooks", true, Idempotent),
            Endpoint::PutWebhook => (Put, "event", "202309", "webhooks", true, Idempotent),
            Endpoint::DeleteWebhook => (Delete, "event", "202309", "webhooks", true, Idempotent),
        };
        EndpointSpec {
            method,
            group,
            version,
            rest,
            shop_scoped,
            retry,
        }
    }

    /// Whether the call goes to the token host (unsigned) rather than the API host.
    pub fn is_token_endpoint(self) -> bool {
        matches!(self, Endpoint::TokenGet | Endpoint::TokenRefresh)
    }

    /// The request path with `args` %-encoded into the `{}` slots, e.g.
    /// `/return_refund/202309/returns/123/approve`. Missing arguments leave the slot empty.
    pub fn path(self, args: &[&str]) -> String {
        let spec = self.spec();
        let mut path = String::from("/");
        if !spec.group.is_empty() {
            path.push_str(spec.group);
            path.push('/');
            path.push_str(spec.version);
            path.push('/');
        }
        let mut args = args.iter();
        let mut pieces = spec.rest.split("{}").peekable();
        while let Some(piece) = pieces.next() {
            path.push_str(piece);
            if pieces.peek().is_some() {
                path.push_str(
                    &args
                        .next()
                        .map(|arg| encode_path_segment(arg))
                        .unwrap_or_default(),
                );
            }
        }
        path
    }
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The template, not a filled path: `{}` marks where ids go.
        let spec = self.spec();
        if spec.group.is_empty() {
            write!(f, "{} /{}", spec.method.as_str(), spec.rest)
        } else {
            let method = spec.method.as_str();
            write!(f, "{method} /{}/{}/{}", spec.group, spec.version, spec.rest)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_follow_the_reference() {
        assert_eq!(
            Endpoint::AuthorizedShops.path(&[]),
            "/authorization/202309/shops"
        );
        assert_eq!(
            Endpoint::RejectReturn.path(&["4035318504086604100"]),
            "/return_refund/202309/returns/4035318504086604100/reject"
        );
        assert_eq!(
            Endpoint::OrderTracking.path(&["5764"]),
            "/fulfillment/202309/orders/5764/tracking"
        );
        assert_eq!(Endpoint::TokenGet.path(&[]), "/api/v2/token/get");
        assert_eq!(
            Endpoint::ApproveReturn.to_string(),
            "POST /return_refund/202309/returns/{}/approve"
        );
        assert_eq!(
            Endpoint::TokenRefresh.to_string(),
            "GET /api/v2/token/refresh"
        );
        // A hostile id cannot escape its segment.
        assert_eq!(
            Endpoint::GetPackage.path(&["1/../2?x"]),
            "/fulfillment/202309/packages/1%2F..%2F2%3Fx"
        );
    }

    #[test]
    fn only_token_endpoints_and_shop_listing_are_not_shop_scoped() {
        for endpoint in Endpoint::ALL {
            let expected = !matches!(
                endpoint,
                Endpoint::TokenGet | Endpoint::TokenRefresh | Endpoint::AuthorizedShops
            );
            assert_eq!(endpoint.spec().shop_scoped, expected, "{endpoint}");
        }
    }
}
