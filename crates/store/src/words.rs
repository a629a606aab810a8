//! Stored words: the fixed vocabularies kept in text columns (job states, call outcomes, order
//! statuses), each an enum whose one mapping to and from text is made by [`words!`].

/// A stored word no variant spells: a row written by something other than this code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{word:?} is not a {kind}")]
pub struct UnknownWord {
    /// The enum's name.
    pub kind: &'static str,
    pub word: String,
}

/// Declares an enum of stored words: `Display` and `FromStr` through one table of variants and
/// their words, `as_str`, and `ALL` / `WORDS` in declaration order.
#[macro_export]
macro_rules! words {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = $word:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name {
            $( $(#[$variant_meta])* $variant, )+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];
            /// Every word, in declaration order.
            pub const WORDS: &'static [&'static str] = &[$($word,)+];

            /// The stored word.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( Self::$variant => $word, )+
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::UnknownWord;

            fn from_str(word: &str) -> ::std::result::Result<Self, Self::Err> {
                match word {
                    $( $word => Ok(Self::$variant), )+
                    _ => Err($crate::UnknownWord {
                        kind: stringify!($name),
                        word: word.to_owned(),
                    }),
                }
            }
        }
    };
}

/// Lets a [`words!`] enum be bound and read as a text column on both backends.
macro_rules! sql_word {
    ($name:ty) => {
        impl<DB: sqlx::Database> sqlx::Type<DB> for $name
        where
            str: sqlx::Type<DB>,
        {
            fn type_info() -> DB::TypeInfo {
                <str as sqlx::Type<DB>>::type_info()
            }

            fn compatible(ty: &DB::TypeInfo) -> bool {
                <str as sqlx::Type<DB>>::compatible(ty)
            }
        }

        impl<'q, DB: sqlx::Database> sqlx::Encode<'q, DB> for $name
        where
            &'static str: sqlx::Encode<'q, DB>,
        {
            fn encode_by_ref(
                &self,
                buf: &mut <DB as sqlx::Database>::ArgumentBuffer,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&'static str as sqlx::Encode<'q, DB>>::encode(self.as_str(), buf)
            }
        }

        impl<'r, DB: sqlx::Database> sqlx::Decode<'r, DB> for $name
        where
            &'r str: sqlx::Decode<'r, DB>,
        {
            fn decode(
                value: <DB as sqlx::Database>::ValueRef<'r>,
            ) -> Result<Self, sqlx::error::BoxDynError> {
                let word = <&'r str as sqlx::Decode<'r, DB>>::decode(value)?;
                Ok(word.parse()?)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    words! {
        /// A test vocabulary.
        enum Colour {
            Red = "red",
            DarkBlue = "dark_blue",
        }
    }

    #[test]
    fn every_word_reads_back_as_its_variant() {
        for (variant, word) in Colour::ALL.iter().zip(Colour::WORDS) {
            assert_eq!(variant.to_string(), *word);
            assert_eq!(word.parse::<Colour>(), Ok(*variant));
        }
        let unknown = "Red".parse::<Colour>().unwrap_err();
        assert_eq!(unknown.to_string(), "\"Red\" is not a Colour");
    }
}
