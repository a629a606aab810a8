//! The owner's edit of a product on the site: its name and description as the storefront shows
//! them, and the fields locked against the exchange. A field the owner changes is locked with
//! it: otherwise the next pass would put the accounting system's value back.

use vitrina_store::{Db, LockedField, ProductEdit, StoreError, TenantId};

use super::import::search_text;
use crate::domain::{DomainError, input};
use crate::i18n::Message;

/// Longest name and description the panel takes, in characters.
const MAX_NAME: usize = 1_000;
const MAX_DESCRIPTION: usize = 100_000;

/// What the product page's form sends.
#[derive(Debug, Clone)]
pub struct EditForm {
    pub name: String,
    pub description: String,
    /// The fields ticked as locked.
    pub locks: Vec<LockedField>,
}

/// Saves the edit, locking what it changes besides what was ticked.
#[tracing::instrument(skip(db, form))]
pub async fn save(
    db: &Db,
    tenant: TenantId,
    product: &str,
    form: EditForm,
) -> Result<(), DomainError> {
    let name = form.name.trim().to_owned();
    input::line("name", &name, MAX_NAME)?;
    if name.is_empty() {
        return Err(DomainError::Invalid(Message::ProductNameEmpty));
    }
    let description = form.description.trim().replace("\r\n", "\n");
    input::text("description", &description, MAX_DESCRIPTION)?;
    let unknown = || {
        DomainError::NotFound(Message::UnknownProduct {
            product: product.to_owned(),
        })
    };
    let (current, _) = db
        .find_product(tenant, product)
        .await?
        .ok_or_else(unknown)?;
    let description = (!description.is_empty()).then_some(description);
    let mut locks = form.locks;
    if current.name.as_deref() != Some(name.as_str()) {
        locks.push(LockedField::Name);
    }
    if current.description != description {
        locks.push(LockedField::Description);
    }
    locks.sort_by_key(|field| field.as_str());
    locks.dedup();
    let barcodes: Vec<String> = current
        .barcodes
        .as_deref()
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or_default();
    let mut parts = vec![name.as_str(), current.sku.as_deref().unwrap_or("")];
    parts.extend(barcodes.iter().map(String::as_str));
    let edit = ProductEdit {
        search_text: search_text(&parts),
        name,
        description,
        locks,
    };
    match db.edit_product(tenant, product, &edit).await {
        Err(StoreError::NotFound) => Err(unknown()),
        other => Ok(other?),
    }
}
