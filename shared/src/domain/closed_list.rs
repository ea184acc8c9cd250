//! Closed lists: a Rust enum whose variants each have one stable code (the
//! JSON form), the full list for documentation and the sites, and parsing of
//! the code typed or chosen by a user.

/// Declares a closed list: its stable codes, parsing and the full list.
macro_rules! closed_list {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:tt),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash,
            serde::Serialize, serde::Deserialize, utoipa::ToSchema,
        )]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $code)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// A code as given: `required` when blank, `not_in_list` when unknown.
            pub fn parse(value: &str) -> Result<Self, $crate::domain::validation::FieldCode> {
                let value = value.trim();
                if value.is_empty() {
                    return Err($crate::domain::validation::FieldCode::Required);
                }
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.code() == value)
                    .ok_or($crate::domain::validation::FieldCode::NotInList)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

pub(crate) use closed_list;
