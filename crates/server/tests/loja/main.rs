//! Loja API catalogue (issue 4): products, varieties, grids, categories,
//! search and bulk updates. Every case runs on SQLite and on PostgreSQL.

mod repository;
