//! Errors with the line and column where they occurred, in words a shop owner can act on.

use std::fmt;

/// Where in the (decoded) document something happened. Lines and columns count from 1; the
/// column counts characters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Position {
    /// Line number.
    pub line: u64,
    /// Column, in characters.
    pub column: u64,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

/// A document that cannot be read, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {}: {kind}", position.line)]
pub struct Error {
    /// Where.
    pub position: Position,
    /// What.
    pub kind: ErrorKind,
}

/// What is wrong with a document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Reading the input failed (a disk or network error, not the document's fault).
    #[error("reading the file failed: {0}")]
    Io(String),
    /// The input is empty or holds no element.
    #[error("the file is empty: no XML element in it")]
    Empty,
    /// The input is not well-formed XML.
    #[error("not well-formed XML: {0}")]
    Syntax(String),
    /// The bytes do not decode in the encoding the document declares.
    #[error("the file is not valid {encoding}; re-export it or fix its encoding declaration")]
    Encoding {
        /// The encoding that was declared (or assumed).
        encoding: String,
    },
    /// The declared encoding is not one this reader knows.
    #[error("unsupported encoding \"{0}\"")]
    UnsupportedEncoding(String),
    /// The root element is something else.
    #[error("the root element is <{0}>, not <КоммерческаяИнформация>: not a CommerceML document")]
    NotCommerceMl(String),
    /// The document ends inside an element: usually an upload that was cut short.
    #[error("the file ends before <{0}> is closed: it is incomplete (truncated upload?)")]
    Truncated(String),
    /// Non-whitespace content after the root element.
    #[error("there is content after </КоммерческаяИнформация>")]
    TrailingContent,
    /// A `<!DOCTYPE>`: refused, because it is how entity-expansion attacks begin.
    #[error("DOCTYPE declarations are not allowed in CommerceML")]
    DocType,
    /// An entity other than the five predefined ones and character references.
    #[error("unknown entity &{0}; (only &lt; &gt; &amp; &quot; &apos; and &#…; are allowed)")]
    UnknownEntity(String),
    /// Elements nested deeper than the limit.
    #[error("elements are nested deeper than {0} levels")]
    TooDeep(usize),
    /// One element's text is longer than the limit.
    #[error("<{element}> holds more than {limit} bytes of text")]
    TextTooLong {
        /// The element.
        element: String,
        /// The limit in bytes.
        limit: usize,
    },
    /// One tag has more attributes than the limit.
    #[error("<{element}> has more than {limit} attributes")]
    TooManyAttributes {
        /// The element.
        element: String,
        /// The limit.
        limit: usize,
    },
    /// A single tag or text run is longer than the limit.
    #[error("a single tag or text is longer than {0} bytes")]
    TokenTooLong(usize),
    /// A required child element is missing or empty.
    #[error("{element} has no {missing}")]
    Missing {
        /// The element that lacks it, e.g. `Цена`.
        element: &'static str,
        /// What it lacks, e.g. `ИдТипаЦены`.
        missing: &'static str,
    },
    /// A number that does not parse.
    #[error("{element} \"{value}\" is not a number")]
    BadNumber {
        /// The element, e.g. `ЦенаЗаЕдиницу`.
        element: &'static str,
        /// The text found.
        value: String,
    },
    /// An item (a group, product, offer or document) where no exporter puts one: it cannot
    /// be placed, so the document is refused rather than the item dropped in silence.
    #[error("<{element}> inside {path} is not where CommerceML puts it, so it cannot be applied")]
    Misplaced {
        /// The item's element, e.g. `Товар`.
        element: &'static str,
        /// The names of the elements around it, from below the root, e.g. `Каталог/Склад`.
        path: String,
    },
    /// The root holds no classifier, catalog, offer package or document at all.
    #[error(
        "the file holds no Классификатор, Каталог, ПакетПредложений or Документ: nothing to apply"
    )]
    NothingRecognised,
    /// A boolean that is neither true nor false.
    #[error("{element} \"{value}\" is neither true nor false")]
    BadBoolean {
        /// The element or attribute.
        element: &'static str,
        /// The text found.
        value: String,
    },
}

impl Error {
    pub(crate) fn at(position: Position, kind: ErrorKind) -> Self {
        Self { position, kind }
    }
}
