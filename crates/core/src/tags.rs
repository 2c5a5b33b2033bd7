//! Which tags apply to a product (ecommloja-api.md E22). The doc gives the
//! tag types but not their rules; these are the spec's resolution.

use chrono::{DateTime, Duration, Utc};

/// Stock at or below which "Últimas Unidades" (type 5) applies.
pub const LAST_UNITS_THRESHOLD: i64 = 5;

/// What the rules need to know of a tag.
#[derive(Debug, Clone, Copy)]
pub struct TagRule {
    /// Type code 1–6.
    pub tag_type: i16,
    /// Days since registration for type 2.
    pub days: i64,
    /// Minimum price for types 3–5, centavos.
    pub minimum_price: i64,
    /// Category of a type-6 tag.
    pub category_id: i64,
}

/// What the rules need to know of a product.
#[derive(Debug, Clone)]
pub struct ProductFacts {
    /// Registration time.
    pub registered: DateTime<Utc>,
    /// Price, centavos.
    pub price: i64,
    /// Promotional price, centavos (0 = none).
    pub promotional_price: i64,
    /// Stock.
    pub stock: i64,
    /// Ids of the (type-1) categories the product is linked to.
    pub categories: Vec<i64>,
}

/// Does `tag` apply to the product? `linked` says whether it is linked
/// explicitly (type 1 applies only so; any type applies when linked).
pub fn applies(tag: &TagRule, product: &ProductFacts, linked: bool, now: DateTime<Utc>) -> bool {
    if linked {
        return true;
    }
    let on_sale = product.promotional_price > 0 && product.promotional_price < product.price;
    match tag.tag_type {
        2 => tag.days > 0 && product.registered >= now - Duration::days(tag.days),
        3 => on_sale && product.price >= tag.minimum_price,
        4 => on_sale && product.promotional_price >= tag.minimum_price,
        5 => {
            product.stock > 0
                && product.stock <= LAST_UNITS_THRESHOLD
                && product.price >= tag.minimum_price
        }
        6 => product.categories.contains(&tag.category_id),
        _ => false,
    }
}

/// Is `code` a tag type (1–6)?
pub fn is_tag_type(code: i64) -> bool {
    (1..=6).contains(&code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product() -> ProductFacts {
        ProductFacts {
            registered: Utc::now() - Duration::days(3),
            price: 10_000,
            promotional_price: 8_000,
            stock: 4,
            categories: vec![7],
        }
    }

    fn rule(tag_type: i16, days: i64, minimum_price: i64, category_id: i64) -> TagRule {
        TagRule {
            tag_type,
            days,
            minimum_price,
            category_id,
        }
    }

    #[test]
    fn each_type_has_its_rule() {
        let p = product();
        let now = Utc::now();
        for (tag, linked, expected, why) in [
            (rule(1, 0, 0, 0), false, false, "simple tags need a link"),
            (rule(1, 0, 0, 0), true, true, "linked simple tag"),
            (
                rule(2, 7, 0, 0),
                false,
                true,
                "registered 3 days ago, tag lasts 7",
            ),
            (rule(2, 2, 0, 0), false, false, "tag lasts only 2 days"),
            (rule(2, 0, 0, 0), false, false, "days = 0 never matches"),
            (
                rule(3, 0, 10_000, 0),
                false,
                true,
                "discount, price at the minimum",
            ),
            (
                rule(3, 0, 10_001, 0),
                false,
                false,
                "price below the minimum",
            ),
            (
                rule(4, 0, 8_000, 0),
                false,
                true,
                "offer, promo at the minimum",
            ),
            (
                rule(4, 0, 8_001, 0),
                false,
                false,
                "promo below the minimum",
            ),
            (rule(5, 0, 0, 0), false, true, "4 units left"),
            (rule(6, 0, 0, 7), false, true, "in category 7"),
            (rule(6, 0, 0, 8), false, false, "not in category 8"),
            (rule(9, 0, 0, 0), false, false, "unknown type"),
        ] {
            assert_eq!(applies(&tag, &p, linked, now), expected, "{why}");
        }
        let no_sale = ProductFacts {
            promotional_price: 0,
            stock: 50,
            ..product()
        };
        assert!(
            !applies(&rule(3, 0, 0, 0), &no_sale, false, now),
            "no promotion, no discount tag"
        );
        assert!(
            !applies(&rule(5, 0, 0, 0), &no_sale, false, now),
            "50 units are not the last ones"
        );
    }
}
