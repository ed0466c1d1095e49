//! Identifier newtypes. Platform ids are 18–19 digit numbers that overflow some JSON
//! parsers, so they are always kept as strings; the newtypes stop a shop id being
//! passed where an order id is expected.

macro_rules! string_id {
    ($($(#[$meta:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self(value.to_owned())
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self(value)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    )+};
}

string_id!(
    /// The TikTok Shop id (`shops[].id`, webhook `shop_id`).
    ShopId,
    OrderId,
    LineItemId,
    PackageId,
    /// A return, refund or replacement request (`return_id`), or a seller-side case id.
    CaseId,
    CancellationId,
    ConversationId,
    MessageId,
    ReviewId,
    ProductId,
    SkuId,
    /// The buyer's pseudonymous platform id (`user_id`); never a name.
    BuyerId,
);
