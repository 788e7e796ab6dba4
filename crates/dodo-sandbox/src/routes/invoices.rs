//! `GET /invoices/payments/{payment_id}`: the invoice of a succeeded payment, as a small PDF
//! stand-in. Dodo serves it without an API key (operation `get_payment_invoice_no_auth`),
//! so the payment's `invoice_url` can be handed to a browser.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::error::{ApiError, ApiResult};
use crate::extract::DodoPath;
use crate::model::PaymentStatus;
use crate::money;
use crate::state::SandboxState;

pub async fn payment_invoice(
    State(state): State<SandboxState>,
    DodoPath(id): DodoPath<String>,
) -> ApiResult<Response> {
    let pdf = state.with_store(|s| -> ApiResult<Vec<u8>> {
        let p = s.payment(&id)?;
        let invoice_id = match (&p.invoice_id, p.status) {
            (Some(invoice), PaymentStatus::Succeeded) => invoice.clone(),
            _ => {
                return Err(ApiError::new(
                    axum::http::StatusCode::NOT_FOUND,
                    "NOT_FOUND",
                    format!("payment {id} has no invoice (only succeeded payments have one)"),
                ));
            }
        };
        let customer = s.customers.get(&p.customer_id);
        let lines = [
            format!("{} - invoice {invoice_id}", s.business.name),
            format!("Payment {}", p.id),
            format!(
                "Billed to {}",
                customer.map(|c| c.email.as_str()).unwrap_or("")
            ),
            format!("Total {}", money::format(p.total_amount, &p.currency)),
        ];
        Ok(minimal_pdf(&lines))
    })?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf"),
            (
                header::CONTENT_DISPOSITION,
                "inline; filename=\"invoice.pdf\"",
            ),
        ],
        pdf,
    )
        .into_response())
}

/// A one-page PDF showing `lines` (ASCII only; other characters become `?`). Enough for a
/// browser or `pdftotext`, with a correct cross-reference table.
pub fn minimal_pdf(lines: &[String]) -> Vec<u8> {
    let escape = |t: &str| -> String {
        t.chars()
            .map(|c| match c {
                '(' | ')' | '\\' => format!("\\{c}"),
                c if c.is_ascii() && !c.is_ascii_control() => c.to_string(),
                _ => "?".to_owned(),
            })
            .collect()
    };
    let mut content = String::from("BT /F1 14 Tf 50 780 Td 18 TL\n");
    for line in lines {
        content.push_str(&format!("({}) Tj T*\n", escape(line)));
    }
    content.push_str("ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_pdf_has_a_valid_shape() {
        let pdf = super::minimal_pdf(&["Total $49.00 (ok)".to_owned()]);
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.starts_with("%PDF-1.4"));
        assert!(text.ends_with("%%EOF\n"));
        assert!(text.contains("(Total $49.00 \\(ok\\)) Tj"));
        let xref_at: usize = text
            .rsplit("startxref\n")
            .next()
            .and_then(|t| t.lines().next())
            .and_then(|n| n.parse().ok())
            .expect("startxref");
        assert!(text[xref_at..].starts_with("xref"));
    }
}
