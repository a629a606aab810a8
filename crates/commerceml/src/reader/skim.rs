//! A quick look at an item's raw bytes, without building it: where it ends, its `Ид`, and a
//! digest of everything it says. Most of an hourly pass repeats the last one; an item whose
//! digest its caller already holds is stepped over at memchr speed instead of being read.
//!
//! The look is deliberately timid: anything it is not sure to step over exactly as the full
//! reader would read it (a comment, CDATA, a processing instruction, an entity in the `Ид`, an
//! item longer than the window) makes it give up, and the full reader takes the item.

use std::ops::Range;

use memchr::{memchr, memchr3};

/// `Ид`.
const ID: &[u8] = "Ид".as_bytes();

/// What the look found in a window that starts right after an item's start tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Skim {
    /// The item ends in the window: its content is `window[..content]`, and `window[content..]`
    /// starts with its end tag. `id` is the text of its `Ид` child, untrimmed.
    Whole { content: usize, id: Range<usize> },
    /// The window ends inside the item.
    NeedMore,
    /// The item holds something the look does not step over, or no plain `Ид`.
    Unsure,
}

/// Looks at `window` (the bytes after the start tag of an element named `name`) for the end
/// of that element.
pub(crate) fn skim(window: &[u8], name: &[u8]) -> Skim {
    let mut at = 0;
    let mut depth = 0usize;
    // The direct child open at depth 1, and where its text starts.
    let mut child: &[u8] = b"";
    let mut text_from = 0;
    let mut id: Option<Range<usize>> = None;
    loop {
        let Some(offset) = memchr(b'<', &window[at..]) else {
            return Skim::NeedMore;
        };
        let lt = at + offset;
        let Some(&next) = window.get(lt + 1) else {
            return Skim::NeedMore;
        };
        match next {
            b'!' | b'?' => return Skim::Unsure,
            b'/' => {
                let Some(gt) = memchr(b'>', &window[lt..]) else {
                    return Skim::NeedMore;
                };
                let closing = window[lt + 2..lt + gt].trim_ascii_end();
                if depth == 0 {
                    return match (closing == name, id) {
                        (true, Some(id)) => Skim::Whole { content: lt, id },
                        _ => Skim::Unsure,
                    };
                }
                if depth == 1 && id.is_none() && child == ID {
                    let text = &window[text_from..lt];
                    // An entity, markup or a carriage return: the full reader's id may differ.
                    if closing != child || memchr3(b'&', b'<', b'\r', text).is_some() {
                        return Skim::Unsure;
                    }
                    id = Some(text_from..lt);
                }
                depth -= 1;
                at = lt + gt + 1;
            }
            _ => {
                let Some(end) = tag_end(window, lt + 1) else {
                    return Skim::NeedMore;
                };
                let tag = &window[lt + 1..end];
                let empty = tag.last() == Some(&b'/');
                if depth == 0 {
                    let name_end = tag
                        .iter()
                        .position(|&b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'/'))
                        .unwrap_or(tag.len());
                    child = &tag[..name_end];
                    if id.is_some() && child == ID {
                        // Which of two ids the full reader keeps is its own business.
                        return Skim::Unsure;
                    }
                    text_from = end + 1;
                }
                if !empty {
                    depth += 1;
                } else if depth == 0 && child == ID {
                    // `<Ид/>`: the full reader reads an empty id; leave such an item to it.
                    return Skim::Unsure;
                }
                at = end + 1;
            }
        }
    }
}

/// The index of the `>` that ends the tag whose name starts at `from`, stepping over quoted
/// attribute values (which may hold `>`).
fn tag_end(window: &[u8], mut from: usize) -> Option<usize> {
    loop {
        let offset = memchr3(b'>', b'"', b'\'', &window[from..])?;
        let at = from + offset;
        match window[at] {
            b'>' => return Some(at),
            quote => {
                let close = memchr(quote, &window[at + 1..])?;
                from = at + 1 + close + 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRODUCT: &[u8] = "Товар".as_bytes();

    fn whole(window: &str) -> (String, String) {
        match skim(window.as_bytes(), PRODUCT) {
            Skim::Whole { content, id } => {
                (window[..content].to_owned(), window[id].trim().to_owned())
            }
            other => panic!("{other:?} for {window:?}"),
        }
    }

    #[test]
    fn finds_the_end_and_the_id() {
        let (content, id) = whole(
            "\n  <Ид> p1 </Ид><Наименование>Чайник</Наименование>\
             <БазоваяЕдиница Код=\"796\" Имя='a>b'>шт</БазоваяЕдиница><Пусто/>\
             <Группы><Ид>g1</Ид></Группы>\n</Товар ><Товар>",
        );
        assert_eq!(id, "p1");
        assert!(content.ends_with("</Группы>\n"), "{content}");
    }

    #[test]
    fn the_first_direct_id_counts_not_a_nested_one() {
        let (_, id) = whole("<Группы><Ид>g1</Ид></Группы><Ид>p2</Ид></Товар>");
        assert_eq!(id, "p2");
    }

    #[test]
    fn gives_up_on_what_it_cannot_step_over() {
        for window in [
            "<Ид>p1</Ид><!-- </Товар> --></Товар>",
            "<Ид>p1</Ид><Описание><![CDATA[</Товар>]]></Описание></Товар>",
            "<Ид>p1</Ид><?pi?></Товар>",
            "<Ид>p&amp;1</Ид></Товар>",
            "<Ид/></Товар>",
            "<Наименование>без ид</Наименование></Товар>",
            "<Ид>p1</Ид></Предложение>",
            "<Ид>p1<Б/></Ид></Товар>",
            "<Ид>p1</Ид><Ид>p2</Ид></Товар>",
            "<Ид>p\r1</Ид></Товар>",
        ] {
            assert_eq!(skim(window.as_bytes(), PRODUCT), Skim::Unsure, "{window}");
        }
    }

    #[test]
    fn asks_for_more_when_the_window_ends_inside() {
        let whole = "<Ид>p1</Ид><Б a=\"x>y\">t</Б></Товар>";
        for cut in 0..whole.len() - 1 {
            assert_eq!(
                skim(&whole.as_bytes()[..cut], PRODUCT),
                Skim::NeedMore,
                "cut {cut}"
            );
        }
        assert!(matches!(
            skim(whole.as_bytes(), PRODUCT),
            Skim::Whole { .. }
        ));
    }
}
