//! Painel: forms, sessions, CSRF, throttling and tenancy over HTTP (reqwest
//! with a cookie jar, every case on SQLite and PostgreSQL), and one
//! end-to-end run in headless Chromium.

mod activities;
mod browser;
mod browserless;
mod clients;
mod deals;
mod financial;
mod forms;
mod isolation;
mod signin;
mod signup;
mod vehicles;
mod webhooks;
