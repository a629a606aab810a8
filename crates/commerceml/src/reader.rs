//! The streaming reader: quick-xml events in, [`Item`]s out, one element stack and one draft
//! per kind of item in between. Memory is bounded by the largest single item, not the file.

use std::collections::VecDeque;
use std::io::BufRead;
use std::mem;

use quick_xml::errors::SyntaxError;
use quick_xml::events::{BytesRef, BytesStart, Event};

use crate::error::{Error, ErrorKind, Position};
use crate::input::{Input, MAX_LOOKAHEAD};
use crate::model::*;
use crate::tags::Tag;
use crate::values::{Decimal, parse_bool, parse_decimal};

/// Bounds that keep hostile or broken input from exhausting memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Deepest element nesting accepted.
    pub max_depth: usize,
    /// Most text one element may hold.
    pub max_text_bytes: usize,
    /// Most attributes one tag may carry.
    pub max_attributes: usize,
    /// Longest single tag or text run (bounds the parser's buffer).
    pub max_token_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_depth: 64,
            max_text_bytes: 8 << 20,
            max_attributes: 32,
            max_token_bytes: 16 << 20,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    None,
    Classifier,
    Catalog,
    Offers,
    Document,
}

/// A group being read; emitted before its first child group or at its end.
struct GroupDraft {
    group: Group,
    emitted: bool,
    at: Position,
}

struct PriceDraft {
    price: Price,
    has_per_unit: bool,
    at: Position,
}

struct RestDraft {
    warehouse_id: String,
    quantity: Option<Decimal>,
    at: Position,
}

/// The items being assembled. Each is `Some` only between its start and end tags.
#[derive(Default)]
struct Drafts {
    classifier: Option<Classifier>,
    catalog: Option<Catalog>,
    package: Option<OfferPackage>,
    groups: Vec<GroupDraft>,
    property: Option<(Property, Position)>,
    reference: Option<ReferenceValue>,
    price_type: Option<(PriceType, Position)>,
    warehouse: Option<(Warehouse, Position)>,
    unit: Option<Unit>,
    product: Option<(Box<Product>, Position)>,
    offer: Option<(Box<Offer>, Position)>,
    price: Option<PriceDraft>,
    rest: Option<RestDraft>,
    property_value: Option<PropertyValue>,
    requisite: Option<Requisite>,
    characteristic: Option<Characteristic>,
    tax_rate: Option<TaxRate>,
    base_unit: Option<BaseUnit>,
    order: Option<Box<Order>>,
    contractor: Option<Contractor>,
    contact: Option<(String, String)>,
    order_line: Option<OrderLine>,
    discount: Option<Discount>,
}

/// Reads a CommerceML document item by item.
///
/// ```
/// let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
/// <КоммерческаяИнформация ВерсияСхемы="2.04" ДатаФормирования="2024-01-08T15:47:02">
///   <Каталог СодержитТолькоИзменения="false"><Ид>c1</Ид><Товары>
///     <Товар><Ид>p1</Ид><Наименование> Чайник </Наименование></Товар>
///   </Товары></Каталог>
/// </КоммерческаяИнформация>"#;
/// let mut reader = commerceml::Reader::new(xml.as_bytes())?;
/// assert_eq!(reader.header().schema_version.as_deref(), Some("2.04"));
/// let mut names = Vec::new();
/// while let Some(item) = reader.next_item()? {
///     if let commerceml::Item::Product(product) = item {
///         names.push(product.name.unwrap());
///     }
/// }
/// assert_eq!(names, ["Чайник"]);
/// assert_eq!(reader.summary().unwrap().kind(), commerceml::DocumentKind::Catalog);
/// # Ok::<(), commerceml::Error>(())
/// ```
pub struct Reader<R: BufRead> {
    xml: quick_xml::Reader<Input<R>>,
    buf: Vec<u8>,
    stack: Vec<Tag>,
    /// The names of the [`Tag::Other`] elements on `stack`, in order, for paths in messages.
    other_names: Vec<Box<str>>,
    /// The innermost element's text so far, as (already validated) UTF-8 bytes.
    text: Vec<u8>,
    /// The sections open around the cursor, innermost last (a `Каталог` may sit inside a
    /// `Классификатор`, an offer package inside either).
    sections: Vec<Section>,
    drafts: Drafts,
    /// Elements the reader does not interpret, by path, for the summary.
    unused: UnusedElements,
    pending: VecDeque<Item>,
    header: Header,
    summary: Summary,
    limits: Limits,
    /// The item stepped over by [`Reader::next_item_skipping`], told when its end tag is read.
    skipped: Option<Unchanged>,
    finished: bool,
    failed: bool,
}

/// What [`Reader::next_item_skipping`] asks before reading an item.
type Ask<'a> = &'a mut dyn FnMut(&Digest<'_>) -> bool;

impl<R: BufRead> Reader<R> {
    /// Starts reading `input` with the default [`Limits`]: detects the encoding and reads the
    /// root element, so [`Reader::header`] is ready.
    pub fn new(input: R) -> Result<Self, Error> {
        Self::with_limits(input, Limits::default())
    }

    /// Like [`Reader::new`], with explicit limits.
    pub fn with_limits(input: R, limits: Limits) -> Result<Self, Error> {
        let input = Input::new(input, limits.max_token_bytes)
            .map_err(|kind| Error::at(Position { line: 1, column: 1 }, kind))?;
        let mut xml = quick_xml::Reader::from_reader(input);
        xml.config_mut().expand_empty_elements = true;
        xml.config_mut().check_end_names = true;
        // Indentation between elements then never becomes an event at all. Values are trimmed
        // anyway; only text right after an entity or CDATA keeps its leading space (see
        // `read_one`).
        xml.config_mut().trim_text_start = true;
        let mut reader = Self {
            xml,
            buf: Vec::with_capacity(4096),
            stack: Vec::with_capacity(16),
            other_names: Vec::new(),
            text: Vec::new(),
            sections: Vec::new(),
            drafts: Drafts::default(),
            unused: UnusedElements::default(),
            pending: VecDeque::new(),
            header: Header::default(),
            summary: Summary::default(),
            limits,
            skipped: None,
            finished: false,
            failed: false,
        };
        reader.read_root()?;
        Ok(reader)
    }

    /// What the root element says.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The document's totals, once the reader has reached its end.
    pub fn summary(&self) -> Option<&Summary> {
        self.finished.then_some(&self.summary)
    }

    fn finish_summary(&mut self) -> Result<(), Error> {
        self.summary.unused = self.unused.take();
        // An empty root is honest (Bitrix answers "no orders" so); a root whose content is
        // all unknown would otherwise be a silent "success" with nothing applied.
        let recognised = self.summary.has_classifier
            || self.summary.has_catalog
            || self.summary.has_offers
            || self.summary.orders > 0;
        if !recognised && !self.summary.unused.is_empty() {
            return Err(self.error(ErrorKind::NothingRecognised));
        }
        Ok(())
    }

    /// The name of the encoding the document is in (e.g. `UTF-8`, `windows-1251`).
    pub fn encoding(&self) -> &'static str {
        self.xml.get_ref().encoding().name()
    }

    /// The next item, `Ok(None)` at the end of the document. After an error, always `Ok(None)`.
    pub fn next_item(&mut self) -> Result<Option<Item>, Error> {
        self.next(None)
    }

    /// Like [`Reader::next_item`], but asks `unchanged` about each catalog product and each
    /// offer before reading it, with the [`Digest`] of its bytes: where the answer is `true`
    /// the item is stepped over unread and comes as [`Item::Unchanged`]; otherwise it is read
    /// as usual and carries the digest. An item the quick look cannot step over safely (a
    /// comment or CDATA inside, an entity in its `Ид`, longer than a megabyte) is read in full
    /// without asking, with no digest.
    ///
    /// Summary counts of products and offers include items stepped over; its price and stock
    /// line counts, the elements it lists as unused and its `has_pictures` cover only the
    /// items read.
    ///
    /// ```
    /// let xml = r#"<КоммерческаяИнформация><Каталог><Товары>
    ///   <Товар><Ид>p1</Ид><Наименование>Чайник</Наименование></Товар>
    ///   <Товар><Ид>p2</Ид><Наименование>Кружка</Наименование></Товар>
    /// </Товары></Каталог></КоммерческаяИнформация>"#;
    /// let mut reader = commerceml::Reader::new(xml.as_bytes())?;
    /// let mut items = Vec::new();
    /// while let Some(item) = reader.next_item_skipping(&mut |digest| digest.id == "p1")? {
    ///     items.push(item);
    /// }
    /// assert!(matches!(&items[1], commerceml::Item::Unchanged(u) if u.id == "p1"));
    /// assert!(matches!(&items[2], commerceml::Item::Product(p) if p.digest.is_some()));
    /// # Ok::<(), commerceml::Error>(())
    /// ```
    pub fn next_item_skipping(
        &mut self,
        unchanged: &mut dyn FnMut(&Digest<'_>) -> bool,
    ) -> Result<Option<Item>, Error> {
        self.next(Some(unchanged))
    }

    fn next(&mut self, mut ask: Option<Ask<'_>>) -> Result<Option<Item>, Error> {
        let mut buf = mem::take(&mut self.buf);
        let result = loop {
            if let Some(item) = self.pending.pop_front() {
                break Ok(Some(item));
            }
            if self.finished || self.failed {
                break Ok(None);
            }
            // Reborrowed for this event only (a cast shortens the closure's lifetime).
            let ask_now = ask.as_mut().map(|f| &mut **f as Ask<'_>);
            let event = self.read_one(&mut buf, ask_now);
            buf.clear();
            if let Err(err) = event {
                self.failed = true;
                break Err(err);
            }
        };
        self.buf = buf;
        result
    }

    /// The innermost open section.
    fn section(&self) -> Section {
        self.sections.last().copied().unwrap_or(Section::None)
    }

    fn cursor(&self) -> Position {
        self.xml.get_ref().position()
    }

    fn error(&self, kind: ErrorKind) -> Error {
        Error::at(self.cursor(), kind)
    }

    fn xml_error(&self, err: quick_xml::Error) -> Error {
        let input = self.xml.get_ref();
        if let Some(at) = input.invalid_utf8_at() {
            return Error::at(
                at,
                ErrorKind::Encoding {
                    encoding: input.encoding().name().to_owned(),
                },
            );
        }
        let kind = match err {
            quick_xml::Error::Io(_) if self.xml.get_ref().token_too_long() => {
                ErrorKind::TokenTooLong(self.limits.max_token_bytes)
            }
            quick_xml::Error::Io(e) => ErrorKind::Io(e.to_string()),
            quick_xml::Error::Encoding(_) => ErrorKind::Encoding {
                encoding: self.xml.get_ref().encoding().name().to_owned(),
            },
            quick_xml::Error::IllFormed(quick_xml::errors::IllFormedError::MissingEndTag(name)) => {
                ErrorKind::Truncated(name)
            }
            // "Unclosed" only happens at the end of the input: the file was cut inside markup.
            quick_xml::Error::Syntax(
                SyntaxError::UnclosedTag
                | SyntaxError::UnclosedCData
                | SyntaxError::UnclosedComment
                | SyntaxError::UnclosedPI
                | SyntaxError::UnclosedSingleQuotedAttributeValue
                | SyntaxError::UnclosedDoubleQuotedAttributeValue,
            ) => ErrorKind::Truncated(self.stack.last().unwrap_or(&Tag::Root).name().to_owned()),
            other => ErrorKind::Syntax(other.to_string()),
        };
        self.error(kind)
    }

    /// Reads up to and including the root element's start tag.
    fn read_root(&mut self) -> Result<(), Error> {
        let mut buf = mem::take(&mut self.buf);
        let result = loop {
            let event = self
                .xml
                .read_event_into(&mut buf)
                .map_err(|e| self.xml_error(e))?;
            self.xml.get_mut().mark();
            match event {
                Event::Start(start) => {
                    let name = start.local_name();
                    if Tag::from_local_name(name.as_ref()) != Tag::Root {
                        let name = String::from_utf8_lossy(name.as_ref()).into_owned();
                        break Err(self.error(ErrorKind::NotCommerceMl(name)));
                    }
                    self.read_header(&start)?;
                    self.stack.push(Tag::Root);
                    break Ok(());
                }
                Event::Text(text) if is_xml_whitespace(&text) => {}
                Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) => {
                    break Err(
                        self.error(ErrorKind::Syntax("text before the first element".into()))
                    );
                }
                Event::DocType(_) => break Err(self.error(ErrorKind::DocType)),
                Event::Eof => break Err(self.error(ErrorKind::Empty)),
                Event::End(_) => {
                    break Err(
                        self.error(ErrorKind::Syntax("a closing tag before any element".into()))
                    );
                }
                Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::Empty(_) => {}
            }
            buf.clear();
        };
        buf.clear();
        self.buf = buf;
        result
    }

    fn read_header(&mut self, start: &BytesStart<'_>) -> Result<(), Error> {
        for attr in self.attributes(start)? {
            match attr.0.as_str() {
                "ВерсияСхемы" => {
                    self.header.schema_version = Some(attr.1.trim().to_owned())
                }
                "ДатаФормирования" => {
                    self.header.generated_at = Some(attr.1.trim().to_owned())
                }
                "СинхронизацияТоваров" => {
                    self.header.moysklad_sync =
                        Some(self.boolean("СинхронизацияТоваров", &attr.1)?);
                }
                "xmlns" => self.header.namespace = Some(attr.1.trim().to_owned()),
                _ => {}
            }
        }
        Ok(())
    }

    /// The attributes of a tag as (local name, unescaped value), within the attribute limit.
    fn attributes(&self, start: &BytesStart<'_>) -> Result<Vec<(String, String)>, Error> {
        let mut out = Vec::new();
        if is_xml_whitespace(start.attributes_raw()) {
            return Ok(out);
        }
        for attr in start.attributes() {
            let attr = attr.map_err(|e| self.error(ErrorKind::Syntax(e.to_string())))?;
            if out.len() == self.limits.max_attributes {
                return Err(self.error(ErrorKind::TooManyAttributes {
                    element: String::from_utf8_lossy(start.local_name().as_ref()).into_owned(),
                    limit: self.limits.max_attributes,
                }));
            }
            let value = attr
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|e| self.xml_error(e))?;
            let key = String::from_utf8_lossy(attr.key.local_name().as_ref()).into_owned();
            out.push((key, value.into_owned()));
        }
        Ok(out)
    }

    fn boolean(&self, element: &'static str, text: &str) -> Result<bool, Error> {
        parse_bool(text).ok_or_else(|| {
            self.error(ErrorKind::BadBoolean {
                element,
                value: text.trim().to_owned(),
            })
        })
    }

    fn decimal(&self, element: &'static str, text: &str) -> Result<Decimal, Error> {
        parse_decimal(text).ok_or_else(|| {
            self.error(ErrorKind::BadNumber {
                element,
                value: text.trim().to_owned(),
            })
        })
    }

    /// Reads and processes one event.
    fn read_one(&mut self, buf: &mut Vec<u8>, ask: Option<Ask<'_>>) -> Result<(), Error> {
        let event = self
            .xml
            .read_event_into(buf)
            .map_err(|e| self.xml_error(e))?;
        self.xml.get_mut().mark();
        // "a &amp; b" arrives as "a ", "&amp;", " b": the space after a reference is content.
        let splits_text = matches!(
            event,
            Event::GeneralRef(_) | Event::CData(_) | Event::Comment(_) | Event::PI(_)
        );
        self.xml.config_mut().trim_text_start = !splits_text;
        match event {
            Event::Start(start) => self.open(&start, ask),
            Event::End(_) => self.close(),
            Event::Text(text) => {
                if self.stack.is_empty() {
                    if !is_xml_whitespace(&text) {
                        return Err(self.error(ErrorKind::TrailingContent));
                    }
                    return Ok(());
                }
                if self.text.is_empty() && is_xml_whitespace(&text) {
                    return Ok(());
                }
                self.push_text(&text)
            }
            Event::CData(data) => self.push_text(&data.into_inner()),
            Event::GeneralRef(reference) => self.push_reference(&reference),
            Event::DocType(_) => Err(self.error(ErrorKind::DocType)),
            Event::Eof => match self.stack.last() {
                Some(open) => Err(self.error(ErrorKind::Truncated(open.name().to_owned()))),
                None => {
                    self.finish_summary()?;
                    self.finished = true;
                    Ok(())
                }
            },
            Event::Empty(_) | Event::Decl(_) | Event::Comment(_) | Event::PI(_) => Ok(()),
        }
    }

    fn push_text(&mut self, text: &[u8]) -> Result<(), Error> {
        let Some(&tag) = self.stack.last() else {
            return Ok(());
        };
        // Values are trimmed, so whitespace before any content never matters: skip it, which
        // also skips the indentation between elements.
        if tag == Tag::Other || (self.text.is_empty() && is_xml_whitespace(text)) {
            return Ok(());
        }
        if self.text.len() + text.len() > self.limits.max_text_bytes {
            return Err(self.error(ErrorKind::TextTooLong {
                element: tag.name().to_owned(),
                limit: self.limits.max_text_bytes,
            }));
        }
        self.text.extend_from_slice(text);
        Ok(())
    }

    fn push_reference(&mut self, reference: &BytesRef<'_>) -> Result<(), Error> {
        if let Some(c) = reference
            .resolve_char_ref()
            .map_err(|e| self.xml_error(e))?
        {
            let mut utf8 = [0; 4];
            return self.push_text(c.encode_utf8(&mut utf8).as_bytes());
        }
        let name = String::from_utf8_lossy(reference);
        match quick_xml::escape::resolve_predefined_entity(&name) {
            Some(text) => self.push_text(text.as_bytes()),
            None => Err(self.error(ErrorKind::UnknownEntity(name.into_owned()))),
        }
    }

    fn parent(&self) -> Tag {
        self.stack.last().copied().unwrap_or(Tag::Other)
    }

    fn grandparent(&self) -> Tag {
        self.stack
            .iter()
            .rev()
            .nth(1)
            .copied()
            .unwrap_or(Tag::Other)
    }

    /// A start tag: checks limits, starts drafts, then pushes the tag.
    fn open(&mut self, start: &BytesStart<'_>, ask: Option<Ask<'_>>) -> Result<(), Error> {
        if self.stack.len() >= self.limits.max_depth {
            return Err(self.error(ErrorKind::TooDeep(self.limits.max_depth)));
        }
        if self.stack.is_empty() {
            return Err(self.error(ErrorKind::TrailingContent));
        }
        let tag = Tag::from_local_name(start.local_name().as_ref());
        if tag == Tag::Other {
            let name: Box<str> = String::from_utf8_lossy(start.local_name().as_ref()).into();
            if self.parent() != Tag::Other {
                self.record_unused(&name);
            }
            self.other_names.push(name);
        }
        let raw = start.attributes_raw();
        let attributes = if raw.is_empty() {
            Vec::new()
        } else if tag.reads_attributes() {
            self.attributes(start)?
        } else {
            // Not read, only bounded: each attribute has one '=' outside its quoted value at most
            // as many as '=' overall.
            if memchr::memchr_iter(b'=', raw).count() > self.limits.max_attributes
                && start.attributes().count() > self.limits.max_attributes
            {
                return Err(self.error(ErrorKind::TooManyAttributes {
                    element: String::from_utf8_lossy(start.local_name().as_ref()).into_owned(),
                    limit: self.limits.max_attributes,
                }));
            }
            Vec::new()
        };
        let mut digest = None;
        if let (Some(ask), Some(kind)) = (ask, self.skimmable(tag)) {
            match self.skim(kind, start, ask) {
                Skimmed::SteppedOver => {
                    self.stack.push(tag);
                    return Ok(());
                }
                Skimmed::Read(hash) => digest = hash,
            }
        }
        self.on_start(tag, &attributes)?;
        if digest.is_some() {
            match (&mut self.drafts.product, &mut self.drafts.offer, tag) {
                (Some((product, _)), _, Tag::Product) => product.digest = digest,
                (_, Some((offer, _)), Tag::Offer) => offer.digest = digest,
                _ => {}
            }
        }
        self.stack.push(tag);
        self.text.clear();
        Ok(())
    }

    /// The kind of item `tag` opens, when a quick look may step over it: a catalog's product
    /// or an offer package's offer, not a document's lines.
    fn skimmable(&self, tag: Tag) -> Option<ItemKind> {
        match (self.parent(), tag, self.section()) {
            (Tag::Products, Tag::Product, Section::Catalog) => Some(ItemKind::Product),
            (Tag::Offers, Tag::Offer, Section::Offers) => Some(ItemKind::Offer),
            _ => None,
        }
    }

    /// Looks at the item `start` opens without reading it, and steps over it when `ask` says
    /// the caller holds it already.
    fn skim(&mut self, kind: ItemKind, start: &BytesStart<'_>, ask: Ask<'_>) -> Skimmed {
        // `<Товар/>`: quick-xml owes us its end tag, there are no bytes to step over. (When
        // the tag's end is no longer in the buffer, nothing can be told: read it.)
        if matches!(self.xml.get_ref().before_last_consumed(), None | Some(b'/')) {
            return Skimmed::Read(None);
        }
        let line = self.cursor().line;
        let mut want = 16 * 1024;
        loop {
            let window = self.xml.get_mut().lookahead(want);
            match skim::skim(window, start.name().as_ref()) {
                skim::Skim::Whole { content, id } => {
                    // Trimmed as the full reader trims an `Ид`.
                    let Ok(id) = std::str::from_utf8(&window[id]).map(str::trim) else {
                        return Skimmed::Read(None);
                    };
                    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
                    hasher.update(start.attributes_raw());
                    hasher.update(&[0]);
                    hasher.update(&window[..content]);
                    let hash = hasher.digest128();
                    if !ask(&Digest { kind, id, hash }) {
                        return Skimmed::Read(Some(hash));
                    }
                    let id = id.to_owned();
                    let input = self.xml.get_mut();
                    input.consume(content);
                    input.mark();
                    self.skipped = Some(Unchanged { kind, id, line });
                    return Skimmed::SteppedOver;
                }
                skim::Skim::NeedMore if window.len() >= want && want < MAX_LOOKAHEAD => {
                    want = (want * 4).min(MAX_LOOKAHEAD);
                }
                skim::Skim::NeedMore | skim::Skim::Unsure => return Skimmed::Read(None),
            }
        }
    }

    /// Counts an element the reader does not interpret under its path; the path's text is
    /// made only the first time (a hash of the open elements finds it again).
    fn record_unused(&mut self, name: &str) {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        self.stack.hash(&mut hasher);
        self.other_names.hash(&mut hasher);
        name.hash(&mut hasher);
        let key = hasher.finish();
        if !self.unused.count(key) {
            let line = self.cursor().line;
            let path = self.path_with(name);
            self.unused.add(key, path, line);
        }
    }

    /// The names of the open elements below the root, then `last`, joined by `/`.
    fn path_with(&self, last: &str) -> String {
        let mut others = self.other_names.iter();
        let mut names: Vec<&str> = self
            .stack
            .iter()
            .skip(1)
            .map(|tag| match tag {
                Tag::Other => others.next().map_or("?", |name| name),
                known => known.name(),
            })
            .collect();
        if !last.is_empty() {
            names.push(last);
        }
        names.join("/")
    }

    /// An end tag: pops it and files its text where it belongs.
    fn close(&mut self) -> Result<(), Error> {
        let tag = self.stack.pop().unwrap_or(Tag::Other);
        if let Some(unchanged) = self.skipped.take() {
            match unchanged.kind {
                ItemKind::Product => self.summary.products += 1,
                ItemKind::Offer => self.summary.offers += 1,
            }
            self.pending.push_back(Item::Unchanged(unchanged));
            return Ok(());
        }
        if tag == Tag::Other {
            self.other_names.pop();
        }
        // The text buffer is lent to `on_end` and reused, so ignored text costs no allocation.
        let bytes = mem::take(&mut self.text);
        let result = match simdutf8::basic::from_utf8(&bytes) {
            // XML turns "\r\n" and a lone "\r" into "\n".
            Ok(text) if memchr::memchr(b'\r', bytes.as_slice()).is_some() => {
                self.on_end(tag, &text.replace("\r\n", "\n").replace('\r', "\n"))
            }
            Ok(text) => self.on_end(tag, text),
            Err(_) => Err(self.error(ErrorKind::Encoding {
                encoding: self.xml.get_ref().encoding().name().to_owned(),
            })),
        };
        self.text = bytes;
        self.text.clear();
        result?;
        if self.stack.is_empty() {
            self.finish_root()?;
        }
        Ok(())
    }

    /// After `</КоммерческаяИнформация>`: only whitespace, comments and PIs may follow.
    fn finish_root(&mut self) -> Result<(), Error> {
        let mut buf = Vec::new();
        loop {
            let event = self
                .xml
                .read_event_into(&mut buf)
                .map_err(|e| self.xml_error(e))?;
            match event {
                Event::Eof => break,
                Event::Text(text) if is_xml_whitespace(&text) => {}
                Event::Comment(_) | Event::PI(_) => {}
                _ => return Err(self.error(ErrorKind::TrailingContent)),
            }
            buf.clear();
        }
        self.finish_summary()?;
        self.finished = true;
        Ok(())
    }
}

/// The elements a document holds that the reader does not interpret, once per path.
#[derive(Default)]
struct UnusedElements {
    seen: std::collections::HashMap<u64, usize>,
    list: Vec<UnusedElement>,
}

impl UnusedElements {
    /// Most distinct paths listed; more are only counted in the last entry's absence.
    const MAX_PATHS: usize = 100;

    /// Counts one more of the path hashed as `key`; `false` when it was not seen before.
    fn count(&mut self, key: u64) -> bool {
        match self.seen.get(&key) {
            Some(&index) => {
                if let Some(entry) = self.list.get_mut(index) {
                    entry.count += 1;
                }
                true
            }
            None => false,
        }
    }

    fn add(&mut self, key: u64, path: String, line: u64) {
        // Past the limit nothing more is kept: a hostile file cannot grow memory with names.
        if self.list.len() < Self::MAX_PATHS {
            self.seen.insert(key, self.list.len());
            self.list.push(UnusedElement {
                path,
                count: 1,
                line,
            });
        }
    }

    fn take(&mut self) -> Vec<UnusedElement> {
        self.seen.clear();
        std::mem::take(&mut self.list)
    }
}

fn is_xml_whitespace(text: &[u8]) -> bool {
    text.iter()
        .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
}

impl<R: BufRead> Iterator for Reader<R> {
    type Item = Result<Item, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_item().transpose()
    }
}

impl<R: BufRead> std::iter::FusedIterator for Reader<R> {}

/// What a quick look at an item did.
enum Skimmed {
    /// Stepped over it: its end tag comes next.
    SteppedOver,
    /// Left it to be read, with its digest when the look got one.
    Read(Option<u128>),
}

mod catalog;
mod dispatch;
mod offers;
mod orders;
mod skim;
