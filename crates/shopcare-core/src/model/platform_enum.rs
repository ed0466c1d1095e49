//! A macro for platform status strings: known values become variants, anything else is
//! kept verbatim in `Other` so that a new platform value is shown, never rejected or lost.

/// Declares an enum over platform strings. Each known variant lists its canonical
/// spelling first, then any aliases the platform also uses (e.g. `CANCEL` for `CANCELLED`).
#[macro_export]
macro_rules! platform_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $canonical:literal $(| $alias:literal)* ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version of shopcare does not know yet, kept as received.
            Other(String),
        }

        impl $name {
            /// Every known variant, for exhaustive tests and pickers.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),+];

            /// The platform's canonical spelling (or the unknown value as received).
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $canonical, )+
                    $name::Other(value) => value.as_str(),
                }
            }

            /// Parses leniently: unknown strings become `Other`, never an error.
            pub fn parse(value: &str) -> Self {
                match value {
                    $( $canonical $(| $alias)* => $name::$variant, )+
                    other => $name::Other(other.to_owned()),
                }
            }

            /// Whether this is a value shopcare knows.
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Other(_))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::parse(value)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                Ok(Self::parse(&value))
            }
        }
    };
}
