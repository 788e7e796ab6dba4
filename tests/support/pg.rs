//! A fresh PostgreSQL database per test: the store's own helper (`store::testing`).

pub use dodo_upsell::server::store::testing::{
    drop_postgres as drop_database, fresh_postgres as fresh_database,
};
