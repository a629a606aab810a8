//! The field lists of the catalog's row shapes. A column added here is staged, merged,
//! published, read and hashed (or, as `Identity` or `Derived`, deliberately not hashed); a
//! column of the live tables missing here fails `tests/shapes.rs`.

use super::shape::row_shape;

row_shape! {
    /// A product as one document states it; `None` = not stated (the live value stays).
    staged StagedProduct in "staged_products";
    /// A product as the storefront reads it (lists as JSON text).
    read ProductRow from "products", created_at: true;
    /// `Ид` (the product part).
    Key external_id: String,
    /// Name.
    Stated name: Option<String>,
    /// `Артикул`.
    Stated sku: Option<String>,
    /// `Описание`.
    Stated description: Option<String>,
    /// Unit label.
    Stated unit: Option<String>,
    /// The category's `Ид`; `Some("")` for none.
    Stated category_external_id: Option<String>,
    /// JSON array of barcodes.
    Stated barcodes: Option<String>,
    /// JSON array of `{name, value}`.
    Stated properties: Option<String>,
    /// JSON array of `{name, value}`.
    Stated requisites: Option<String>,
    /// Name, `Артикул` and barcodes, lower-cased, `ё` as `е`, for search.
    Derived search_text: Option<String>,
}

row_shape! {
    /// An offer as one document states it; `None` = not stated.
    staged StagedOffer in "staged_offers";
    /// An offer as the storefront reads it (lists as JSON text).
    read OfferRow from "offers", created_at: true;
    /// `Ид` as written (`product` or `product#variant`).
    Key external_id: String,
    /// The product part.
    Identity product_external_id: String,
    /// The variant part, if a variant.
    Identity variant_external_id: Option<String>,
    /// Name.
    Stated name: Option<String>,
    /// JSON array of `{name, value}`.
    Stated characteristics: Option<String>,
    /// JSON array of `{price_type, amount, currency}`.
    Stated prices: Option<String>,
    /// JSON array of `{warehouse, quantity}`.
    Stated stock: Option<String>,
    /// The file's own total (`Количество`).
    Stated quantity: Option<String>,
}
