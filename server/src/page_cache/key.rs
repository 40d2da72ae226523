//! What a kept page is found by: its typed address, canonical spelling and variant.

use app::address::{Address, Route};
use app::variant::Variant;
use std::hash::{Hash, Hasher};

/// A page as a typed address and the variant it was rendered in. It is found by the
/// address's canonical spelling, so a request spelled that way is answered without parsing; any
/// other spelling misses, is parsed, and is redirected to this one.
#[derive(Clone)]
pub(super) struct Key {
    pub(super) address: Address<Box<str>>,
    /// `address` written canonically (path and query): what the hash is taken of.
    pub(super) spelled: Box<str>,
    pub(super) variant: Variant,
}

impl Key {
    pub(super) fn new(address: &Address<&str>, variant: Variant) -> Self {
        Key {
            address: address.to_owned(),
            spelled: address.spelled().into(),
            variant,
        }
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        self.address == other.address && self.variant == other.variant
    }
}

impl Eq for Key {}

impl Hash for Key {
    fn hash<H: Hasher>(&self, h: &mut H) {
        // `spelled` is a function of `address`, so equal keys hash equally.
        self.spelled.hash(h);
        self.variant.hash(h);
    }
}

/// A request's path and query as sent, for lookups: equal to a [`Key`] only when spelled
/// canonically. Hashes as [`Key`] does.
#[derive(Hash)]
pub(super) struct Spelled<'a> {
    pub(super) spelled: &'a str,
    pub(super) variant: Variant,
}

impl quick_cache::Equivalent<Key> for Spelled<'_> {
    fn equivalent(&self, key: &Key) -> bool {
        *self.spelled == *key.spelled && self.variant == key.variant
    }
}

/// Whether the page at `key` shows anything in `t` (the front page shows every channel's newest).
pub(super) fn shows(key: &Key, t: &crate::db::Touched) -> bool {
    match &key.address.route {
        // The statement shows the site's name.
        Route::Home | Route::Search | Route::Accessibility | Route::SiteMap => true,
        Route::Channel(slug, _) => t.channels.contains(&**slug),
        Route::Article(id) => t.articles.contains(&**id),
    }
}
