//! Search that understands Russian word forms: text is cut into words, folded (lower case,
//! `ё` as `е`) and stemmed with Snowball's Russian stemmer (English words pass through it
//! unchanged but for their endings), so "красный" finds "Красные кеды". A query word matches
//! any indexed word it begins (the stem of "крас" begins "красн"), every query word must match.
//! One index for both databases: the same answers on SQLite and PostgreSQL.

use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

/// The stems of the words of `text`.
pub fn terms(text: &str) -> Vec<String> {
    static RUSSIAN: OnceLock<Stemmer> = OnceLock::new();
    let stemmer = RUSSIAN.get_or_init(|| Stemmer::create(Algorithm::Russian));
    let folded = text.to_lowercase().replace('ё', "е");
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| {
            let stem = stemmer.stem(word);
            // A stem never comes out empty for a word, but a one-letter word may lose it.
            if stem.is_empty() {
                word.to_owned()
            } else {
                stem.into_owned()
            }
        })
        .collect()
}

/// Words to the entries holding them.
#[derive(Debug, Default)]
pub struct SearchIndex {
    /// Sorted by term; each entry list ascending.
    terms: Vec<(Box<str>, Vec<u32>)>,
}

impl SearchIndex {
    /// The index of `(entry, text)` pairs.
    pub fn build<'a>(texts: impl Iterator<Item = (u32, &'a str)>) -> Self {
        let mut pairs: Vec<(String, u32)> = Vec::new();
        for (entry, text) in texts {
            let mut seen = terms(text);
            seen.sort_unstable();
            seen.dedup();
            pairs.extend(seen.into_iter().map(|term| (term, entry)));
        }
        pairs.sort_unstable();
        let mut terms: Vec<(Box<str>, Vec<u32>)> = Vec::new();
        for (term, entry) in pairs {
            match terms.last_mut() {
                Some((last, entries)) if **last == *term => entries.push(entry),
                _ => terms.push((term.into_boxed_str(), vec![entry])),
            }
        }
        Self { terms }
    }

    /// Which of `count` entries match every word of `query` (`None`: the query has no words,
    /// so it does not narrow anything).
    pub fn matching(&self, query: &str, count: usize) -> Option<Vec<bool>> {
        let words = terms(query);
        if words.is_empty() {
            return None;
        }
        let mut all: Option<Vec<bool>> = None;
        for word in words {
            let mut hits = vec![false; count];
            let start = self.terms.partition_point(|(term, _)| **term < *word);
            for (_, entries) in self.terms[start..]
                .iter()
                .take_while(|(term, _)| term.starts_with(word.as_str()))
            {
                for &entry in entries {
                    hits[entry as usize] = true;
                }
            }
            all = Some(match all {
                None => hits,
                Some(mut so_far) => {
                    for (kept, hit) in so_far.iter_mut().zip(hits) {
                        *kept &= hit;
                    }
                    so_far
                }
            });
        }
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_forms_and_yo_fold_together() {
        assert_eq!(terms("Красные кеды"), terms("красный кед"));
        assert_eq!(terms("Чёрный"), terms("черные"));
        assert_eq!(terms("ART-1 4601234567890"), ["art", "1", "4601234567890"]);
        assert!(terms(" ,;- ").is_empty());
    }

    #[test]
    fn every_query_word_must_begin_a_word_of_the_entry() {
        let index = SearchIndex::build(
            [
                (0, "красные кеды converse"),
                (1, "синие кеды"),
                (2, "красная футболка art-17"),
            ]
            .into_iter(),
        );
        let found = |q: &str| {
            index.matching(q, 3).map(|hits| {
                hits.iter()
                    .enumerate()
                    .filter(|(_, hit)| **hit)
                    .map(|(i, _)| i)
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(found("красный"), Some(vec![0, 2]));
        assert_eq!(found("кеды красные"), Some(vec![0]));
        assert_eq!(found("крас"), Some(vec![0, 2]), "a beginning of a word");
        assert_eq!(found("Кед"), Some(vec![0, 1]));
        assert_eq!(found("art-17"), Some(vec![2]));
        assert_eq!(found("зелёный"), Some(vec![]));
        assert_eq!(found("  "), None);
    }
}
