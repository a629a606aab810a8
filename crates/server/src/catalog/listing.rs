//! Lists and facet counts over a [`ReadModel`]: which products a storefront's query selects,
//! in which order, from which cursor; and how many products each property value, the price
//! range and stock have within a category.

use serde::Serialize;

use super::read_model::{Entry, Order, ReadModel};
use crate::domain::DomainError;
use crate::i18n::Message;
use commerceml::Decimal;

/// `sort=`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// By id (byte order): stable across changes, the cursor's own order.
    #[default]
    Id,
    Name,
    Price,
    PriceDesc,
    /// Newest first.
    New,
}

impl std::str::FromStr for Sort {
    type Err = ();

    fn from_str(text: &str) -> Result<Self, ()> {
        match text {
            "" | "id" => Ok(Self::Id),
            "name" => Ok(Self::Name),
            "price" => Ok(Self::Price),
            "-price" => Ok(Self::PriceDesc),
            "new" => Ok(Self::New),
            _ => Err(()),
        }
    }
}

/// What a list asks for.
#[derive(Debug, Clone, Default)]
pub struct Listing<'a> {
    pub sort: Sort,
    /// A category: it and everything below it.
    pub category: Option<&'a str>,
    /// Search words.
    pub query: Option<&'a str>,
    pub in_stock: bool,
    pub price_min: Option<Decimal>,
    pub price_max: Option<Decimal>,
    /// Property values: a product must have, for each name, one of the values given for it.
    pub properties: Vec<(&'a str, &'a str)>,
    /// The last product of the previous page.
    pub after: Option<&'a str>,
    pub limit: usize,
    /// `Some(true)`: what storefronts see; `None`: every product (the panel).
    pub active: Option<bool>,
    /// Only active products the visibility rules hide (the panel).
    pub hidden: bool,
}

/// A page: product ids in order, and whether more follow.
#[derive(Debug)]
pub struct Page {
    pub ids: Vec<String>,
    pub more: bool,
}

/// Facet counts within a list's filters (all but the property filters themselves).
#[derive(Debug, Serialize)]
pub struct Facets {
    /// Products selected.
    pub total: usize,
    /// Of them, in stock.
    pub in_stock: usize,
    /// Their lowest and highest shop price.
    pub price_min: Option<String>,
    pub price_max: Option<String>,
    /// Per property, its values with their counts, most frequent first.
    pub properties: Vec<FacetProperty>,
}

#[derive(Debug, Serialize)]
pub struct FacetProperty {
    pub name: String,
    pub values: Vec<FacetValue>,
}

#[derive(Debug, Serialize)]
pub struct FacetValue {
    pub value: String,
    pub count: usize,
}

/// A listing's tests, prepared once per request.
struct Filter<'m> {
    model: &'m ReadModel,
    active: Option<bool>,
    hidden: bool,
    /// Categories within the asked one.
    within: Option<Vec<bool>>,
    found: Option<Vec<bool>>,
    in_stock: bool,
    price: (Option<Decimal>, Option<Decimal>),
    /// For each property name asked, the pair indexes that satisfy it.
    properties: Vec<Vec<u32>>,
}

impl Filter<'_> {
    fn keeps(&self, index: usize, with_properties: bool) -> bool {
        let entry: &Entry = &self.model.entries[index];
        let shown = match self.active {
            _ if self.hidden => entry.active && entry.hidden != 0,
            Some(true) => entry.shown,
            Some(false) => !entry.active,
            None => true,
        };
        shown
            && self
                .within
                .as_ref()
                .is_none_or(|within| entry.category.is_some_and(|c| within[c as usize]))
            && self.found.as_ref().is_none_or(|found| found[index])
            && (!self.in_stock || entry.in_stock)
            && self
                .price
                .0
                .is_none_or(|min| entry.price.is_some_and(|p| p >= min))
            && self
                .price
                .1
                .is_none_or(|max| entry.price.is_some_and(|p| p <= max))
            && (!with_properties
                || self
                    .properties
                    .iter()
                    .all(|any| entry.pairs.iter().any(|pair| any.contains(pair))))
    }
}

impl ReadModel {
    fn filter(&self, listing: &Listing<'_>) -> Result<Filter<'_>, DomainError> {
        let within = match listing.category {
            Some(category) => {
                let index = self
                    .category_index
                    .get(category)
                    .filter(|i| self.category_shown[**i as usize]);
                let Some(&index) = index else {
                    return Err(DomainError::NotFound(Message::UnknownCategory {
                        category: category.to_owned(),
                    }));
                };
                let mut within = vec![false; self.children.len()];
                let mut stack = vec![index];
                while let Some(c) = stack.pop() {
                    if !std::mem::replace(&mut within[c as usize], true) {
                        stack.extend(&self.children[c as usize]);
                    }
                }
                Some(within)
            }
            None => None,
        };
        let found = match listing.query {
            Some(query) => {
                crate::domain::input::line("q", query, super::view::MAX_QUERY)?;
                self.search.matching(query, self.entries.len())
            }
            None => None,
        };
        let mut names: Vec<&str> = listing.properties.iter().map(|(name, _)| *name).collect();
        names.sort_unstable();
        names.dedup();
        let properties = names
            .into_iter()
            .map(|name| {
                self.pairs
                    .iter()
                    .enumerate()
                    .filter(|(_, pair)| {
                        pair.name == name
                            && listing
                                .properties
                                .iter()
                                .any(|(n, v)| *n == name && *v == pair.value)
                    })
                    .map(|(i, _)| i as u32)
                    .collect()
            })
            .collect();
        Ok(Filter {
            model: self,
            active: listing.active,
            hidden: listing.hidden,
            within,
            found,
            in_stock: listing.in_stock,
            price: (listing.price_min, listing.price_max),
            properties,
        })
    }

    fn order(&self, sort: Sort) -> Option<&Order> {
        match sort {
            Sort::Id => None,
            Sort::Name => Some(&self.by_name),
            Sort::Price => Some(&self.by_price),
            Sort::PriceDesc => Some(&self.by_price_desc),
            Sort::New => Some(&self.by_new),
        }
    }

    /// The page a listing asks for.
    pub fn page(&self, listing: &Listing<'_>) -> Result<Page, DomainError> {
        let filter = self.filter(listing)?;
        let order = self.order(listing.sort);
        // Where the page starts in the order: after the cursor's product.
        let start = match (listing.after, order) {
            (None, _) => 0,
            // By id, a cursor whose product is gone still has its place.
            (Some(after), None) => self.entries.partition_point(|e| *e.id <= *after),
            (Some(after), Some(order)) => match self.entry_of(after) {
                Some(index) => order.rank[index] as usize + 1,
                None => return Err(DomainError::Invalid(Message::BadCursor)),
            },
        };
        let count = self.entries.len();
        let at = |place: usize| match order {
            Some(order) => order.entries[place] as usize,
            None => place,
        };
        let mut ids = Vec::with_capacity(listing.limit);
        let mut more = false;
        for place in start..count {
            let index = at(place);
            if !filter.keeps(index, true) {
                continue;
            }
            if ids.len() == listing.limit {
                more = true;
                break;
            }
            ids.push(self.entries[index].id.to_string());
        }
        Ok(Page { ids, more })
    }

    /// Facet counts for the listing's products, its property filters aside.
    pub fn facets(&self, listing: &Listing<'_>) -> Result<Facets, DomainError> {
        let filter = self.filter(listing)?;
        let mut counts = vec![0usize; self.pairs.len()];
        let (mut total, mut in_stock) = (0, 0);
        let (mut low, mut high): (Option<Decimal>, Option<Decimal>) = (None, None);
        for (index, entry) in self.entries.iter().enumerate() {
            if !filter.keeps(index, false) {
                continue;
            }
            total += 1;
            in_stock += usize::from(entry.in_stock);
            if let Some(price) = entry.price {
                low = Some(low.map_or(price, |l| l.min(price)));
                high = Some(high.map_or(price, |h| h.max(price)));
            }
            for pair in &entry.pairs {
                counts[*pair as usize] += 1;
            }
        }
        let mut by_name: Vec<FacetProperty> = Vec::new();
        let mut counted: Vec<(usize, usize)> = counts
            .into_iter()
            .enumerate()
            .filter(|(_, count)| *count > 0)
            .collect();
        counted.sort_by(|(a, x), (b, y)| {
            let (pa, pb) = (&self.pairs[*a], &self.pairs[*b]);
            pa.name
                .cmp(&pb.name)
                .then(y.cmp(x))
                .then(pa.value.cmp(&pb.value))
        });
        for (pair, count) in counted {
            let pair = &self.pairs[pair];
            let value = FacetValue {
                value: pair.value.clone(),
                count,
            };
            match by_name.last_mut() {
                Some(last) if last.name == pair.name => last.values.push(value),
                _ => by_name.push(FacetProperty {
                    name: pair.name.clone(),
                    values: vec![value],
                }),
            }
        }
        Ok(Facets {
            total,
            in_stock,
            price_min: low.map(super::canonical),
            price_max: high.map(super::canonical),
            properties: by_name,
        })
    }
}
