//! `GET /design/getDesignforProducts` (ecommloja-api.md E61).

use serde_json::{Map, Value};

use crate::endpoints::{Ctx, Reply};
use crate::envelope;

/// The 21 settings in documented order with their documented defaults.
pub const DEFAULTS: [(&str, &str); 21] = [
    ("mostrar_marca", "0"),
    ("redirect_cart", "1"),
    ("view_botao_comprar", "1"),
    ("checkout_orcamento", "0"),
    ("mostrar_lista_desejos", "0"),
    ("ocultar_sku", "0"),
    ("view_preco_logado", "0"),
    ("oculta_preco", "0"),
    ("preco_produtos_sem_estoque", "0"),
    ("info_pagamento", ""),
    ("mostrar_grafico_produtos", "0"),
    ("orcamento", "0"),
    ("text_botao_comprar", "Comprar"),
    ("orcamento_titulo", ""),
    ("orcamento_subtitulo", ""),
    ("caixa_obs", ""),
    ("agendamento", ""),
    ("hover_btn_comprar", "0"),
    ("ocultar_cep_produto", "0"),
    ("modelo_preco", "1"),
    ("view_preco_parcelado", "0"),
];

/// The store's settings: documented defaults overlaid with its own values.
pub(crate) fn get_design_for_products(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let mut conn = ctx.state.store.conn().await?;
        let overrides = conn.design().overrides(ctx.scope).await?;
        let settings: Map<String, Value> = DEFAULTS
            .iter()
            .map(|(key, default)| {
                let value = overrides
                    .iter()
                    .find(|(k, _)| k == key)
                    .map_or(*default, |(_, v)| v.as_str());
                ((*key).to_owned(), Value::String(value.to_owned()))
            })
            .collect();
        Ok(envelope::ok(&settings))
    })
}
