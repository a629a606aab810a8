//! Free text from people and clients, bounded before it goes anywhere: a length in characters
//! and no control characters (NUL above all: PostgreSQL refuses it in text, and a CR/LF can
//! split a header or a log line).

use crate::domain::DomainError;
use crate::i18n::Message;

/// One line: at most `max` characters, no control characters at all.
pub fn line(field: &str, value: &str, max: usize) -> Result<(), DomainError> {
    check(field, value, max, |c| c.is_control())
}

/// Text that may span lines (an address, a comment): tabs and line breaks allowed.
pub fn text(field: &str, value: &str, max: usize) -> Result<(), DomainError> {
    check(field, value, max, |c| {
        c.is_control() && !matches!(c, '\n' | '\r' | '\t')
    })
}

fn check(
    field: &str,
    value: &str,
    max: usize,
    forbidden: impl Fn(char) -> bool,
) -> Result<(), DomainError> {
    if value.chars().any(forbidden) {
        return Err(DomainError::Invalid(Message::ControlCharacters {
            field: field.to_owned(),
        }));
    }
    if value.chars().count() > max {
        return Err(DomainError::Invalid(Message::TooLong {
            field: field.to_owned(),
            max,
        }));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_refuse_controls_and_length() {
        assert!(line("q", "красные кеды", 200).is_ok());
        assert!(line("q", "a\0b", 200).is_err());
        assert!(line("q", "a\nb", 200).is_err());
        assert!(line("q", &"я".repeat(201), 200).is_err());
        assert!(line("q", &"я".repeat(200), 200).is_ok());
        assert!(text("comment", "строка 1\r\nстрока 2\tи", 200).is_ok());
        assert!(text("comment", "a\u{1b}b", 200).is_err());
    }
}
