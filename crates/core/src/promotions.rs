//! Sales (promotions, ecommloja-api.md E37) applied at checkout: which
//! live sale matches a cart and how much it takes off, in centavos.

use crate::ids::CategoryId;

/// A sale (E37) as checkout sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaleRule {
    /// Category it covers; 0 = every category.
    pub category_id: CategoryId,
    /// 1 = per product, 2 = per order.
    pub aplication: i64,
    /// 1 = percentage, 2 = fixed amount.
    pub sale_type: i64,
    /// Percentage in hundredths (`3.80` % = 380) or amount in centavos.
    pub sale_value: i64,
    /// Minimum quantity of matching units.
    pub product_amount: i64,
    /// Minimum value of the matching units, centavos.
    pub minimum_value_order: i64,
    /// Store-local `YYYY-MM-DD HH:MM:SS`.
    pub start_date: String,
    /// Store-local `YYYY-MM-DD HH:MM:SS`.
    pub end_date: String,
    /// Active.
    pub status: bool,
}

/// A checkout line as sales see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaleLine {
    /// Type-1 categories of the line's product.
    pub categories: Vec<CategoryId>,
    /// Units.
    pub quantity: i64,
    /// Line total, centavos.
    pub total: i64,
}

impl SaleRule {
    fn is_live(&self, now_local: &str) -> bool {
        self.status && self.start_date.as_str() <= now_local && now_local <= self.end_date.as_str()
    }

    fn covers(&self, line: &SaleLine) -> bool {
        self.category_id == CategoryId(0) || line.categories.contains(&self.category_id)
    }

    /// What the sale takes off `base`, never more than `base` (nor below 0).
    fn off(&self, base: i64) -> i64 {
        let off = match self.sale_type {
            2 => i128::from(self.sale_value),
            // Percentage in hundredths of a percent, rounded half up; in
            // i128, where base × percentage cannot overflow.
            _ => (i128::from(base) * i128::from(self.sale_value) + 5_000) / 10_000,
        };
        i64::try_from(off.clamp(0, i128::from(base.max(0)))).unwrap_or(0)
    }

    /// The discount this sale gives these lines, in centavos.
    fn discount(&self, lines: &[SaleLine]) -> i64 {
        let matching: Vec<&SaleLine> = lines.iter().filter(|l| self.covers(l)).collect();
        // Saturating: lines reach here bounded (`order::items_total`), and
        // a saturated sum still compares correctly with the minimums.
        let units = matching
            .iter()
            .fold(0_i64, |n, l| n.saturating_add(l.quantity));
        let value = matching
            .iter()
            .fold(0_i64, |v, l| v.saturating_add(l.total));
        if matching.is_empty() || units < self.product_amount || value < self.minimum_value_order {
            return 0;
        }
        let off = if self.aplication == 1 {
            // Per product: a percentage of each line, or the amount per unit.
            matching
                .iter()
                .map(|l| match self.sale_type {
                    2 => self.sale_value.saturating_mul(l.quantity).clamp(0, l.total),
                    _ => self.off(l.total),
                })
                .fold(0_i64, i64::saturating_add)
        } else {
            self.off(value)
        };
        off.clamp(0, value)
    }
}

/// The checkout discount from the store's sales: the best single live sale
/// whose category, quantity and minimum value match (sales do not stack),
/// never more than the items' total. `now_local` is store-local
/// `YYYY-MM-DD HH:MM:SS`.
pub fn sales_discount(sales: &[SaleRule], lines: &[SaleLine], now_local: &str) -> i64 {
    let items = lines.iter().fold(0_i64, |v, l| v.saturating_add(l.total));
    sales
        .iter()
        .filter(|s| s.is_live(now_local))
        .map(|s| s.discount(lines))
        .max()
        .unwrap_or(0)
        .min(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sale(category_id: i64, aplication: i64, sale_type: i64, value: i64) -> SaleRule {
        SaleRule {
            category_id: CategoryId(category_id),
            aplication,
            sale_type,
            sale_value: value,
            product_amount: 0,
            minimum_value_order: 0,
            start_date: "2020-01-01 00:00:00".into(),
            end_date: "2030-12-31 23:59:59".into(),
            status: true,
        }
    }

    #[test]
    fn the_best_matching_live_sale_applies() {
        let lines = [
            SaleLine {
                categories: vec![CategoryId(1)],
                quantity: 2,
                total: 10_000,
            },
            SaleLine {
                categories: vec![],
                quantity: 1,
                total: 5_000,
            },
        ];
        let now = "2024-05-01 10:00:00";
        // 10 % of the whole order.
        assert_eq!(sales_discount(&[sale(0, 2, 1, 1_000)], &lines, now), 1_500);
        // 20 % of category 1 only.
        assert_eq!(sales_discount(&[sale(1, 1, 1, 2_000)], &lines, now), 2_000);
        // R$ 3 off each unit of category 1.
        assert_eq!(sales_discount(&[sale(1, 1, 2, 300)], &lines, now), 600);
        // The larger one wins; they do not stack.
        let both = [sale(0, 2, 1, 1_000), sale(1, 1, 1, 2_000)];
        assert_eq!(sales_discount(&both, &lines, now), 2_000);
        // Inactive, expired, other category, below the minimum: nothing.
        let mut off = sale(0, 2, 1, 1_000);
        off.status = false;
        assert_eq!(sales_discount(&[off], &lines, now), 0);
        let mut old = sale(0, 2, 1, 1_000);
        old.end_date = "2021-01-01 00:00:00".into();
        assert_eq!(sales_discount(&[old], &lines, now), 0);
        assert_eq!(sales_discount(&[sale(9, 2, 1, 1_000)], &lines, now), 0);
        let mut min = sale(0, 2, 1, 1_000);
        min.minimum_value_order = 20_000;
        assert_eq!(sales_discount(&[min], &lines, now), 0);
        // Never more than the items.
        assert_eq!(
            sales_discount(&[sale(0, 2, 2, 99_999)], &lines, now),
            15_000
        );
    }

    #[test]
    fn huge_values_neither_overflow_nor_exceed_the_items() {
        let max = crate::order::MAX_TOTAL;
        let lines = [
            SaleLine {
                categories: vec![CategoryId(1)],
                quantity: crate::order::MAX_LINE_QUANTITY,
                total: max,
            },
            SaleLine {
                categories: vec![CategoryId(1)],
                quantity: i64::MAX,
                total: i64::MAX,
            },
        ];
        let now = "2024-05-01 10:00:00";
        // 1,000,000 % per product, R$ huge per unit, per order: each
        // bounded by what it discounts, the sums saturate, nothing panics.
        for rule in [
            sale(1, 1, 1, 100_000_000),
            sale(1, 1, 2, i64::MAX),
            sale(1, 2, 1, i64::MAX),
            sale(0, 2, 2, i64::MAX),
        ] {
            let off = sales_discount(&[rule], &lines, now);
            assert!((0..=i64::MAX).contains(&off));
        }
        let one = [SaleLine {
            categories: vec![],
            quantity: 3,
            total: max,
        }];
        assert_eq!(sales_discount(&[sale(0, 1, 1, 1_000_000)], &one, now), max);
        assert_eq!(
            sales_discount(&[sale(0, 2, 1, 5_000)], &one, now),
            max / 2 + 1
        );
    }
}
