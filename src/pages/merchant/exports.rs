//! `GET /merchant/export/offers.csv` and `…/daily.csv`: the dashboard's numbers for the same
//! filter, as files a spreadsheet opens.

use super::dashboard::FilterQuery;
use crate::server::analytics::{self, csv};
use crate::server::merchant_auth::SignedInMerchant;
use crate::server::state::AppState;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Which file.
#[derive(Clone, Copy)]
enum Export {
    Offers,
    Daily,
}

pub async fn offers(
    state: State<AppState>,
    merchant: SignedInMerchant,
    query: Query<FilterQuery>,
) -> Response {
    export(state, merchant, query, Export::Offers).await
}

pub async fn daily(
    state: State<AppState>,
    merchant: SignedInMerchant,
    query: Query<FilterQuery>,
) -> Response {
    export(state, merchant, query, Export::Daily).await
}

async fn export(
    State(state): State<AppState>,
    _merchant: SignedInMerchant,
    Query(query): Query<FilterQuery>,
    which: Export,
) -> Response {
    let filter = match query.filter() {
        Ok(f) => f,
        Err(problem) => return (StatusCode::BAD_REQUEST, problem).into_response(),
    };
    let numbers = match analytics::dashboard(&state.store, &filter).await {
        Ok(n) => n,
        Err(e) => {
            tracing::error!(error = %e, "export: cannot read the numbers");
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong on our side.",
            )
                .into_response();
        }
    };
    let (name, text) = match which {
        Export::Offers => (
            "offers",
            csv::offers_csv(&numbers.offers).map_err(|e| e.to_string()),
        ),
        Export::Daily => (
            "daily",
            csv::daily_csv(&numbers.daily).map_err(|e| e.to_string()),
        ),
    };
    let text = match text {
        Ok(t) => t,
        Err(e) => {
            tracing::error!(error = %e, "export: cannot write the CSV");
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong on our side.",
            )
                .into_response();
        }
    };
    let file = format!(
        "attachment; filename=\"{name}-{}-{}.csv\"",
        super::dashboard::day(filter.from_ms),
        super::dashboard::day(filter.to_ms - 1)
    );
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, file),
        ],
        text,
    )
        .into_response()
}
