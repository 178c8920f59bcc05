using System.Text;
using static Payments.Server.Hosting.Html;

namespace Payments.Server.Features.Receipts;

/// <summary>
/// The one receipt template: the HTML receipt page and the PDF (Chromium prints this same string).
/// Everything interpolated is HTML-encoded and wrapped in &lt;bdi&gt; so right-to-left names do not
/// reorder the text around them. The output depends only on the receipt, never on the time of
/// rendering, because the PDF cache is keyed by its hash. It loads nothing: CSS is inline, fonts
/// are the system's, and a Content-Security-Policy forbids every fetch.
/// </summary>
public static class ReceiptTemplate
{
    public static string Render(Receipt r)
    {
        var merchant = r.Merchant;
        var html = new StringBuilder()
            .Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>Receipt ").Append(E(r.Number)).Append(" – ").Append(E(merchant.Name)).Append("</title>")
            .Append("<style>").Append(Css).Append("</style></head><body><main class=\"receipt\">")
            .Append("<header><div class=\"merchant\"><h1><bdi>").Append(E(merchant.Name)).Append("</bdi></h1>");
        if (merchant.AddressLines.Count > 0)
            html.Append("<address>").AppendJoin("<br>", merchant.AddressLines.Select(l => $"<bdi>{E(l)}</bdi>")).Append("</address>");
        if (merchant.VatId is not null)
            html.Append("<p>VAT ID <bdi>").Append(E(merchant.VatId)).Append("</bdi></p>");
        html.Append("</div><div class=\"title\"><h2>Receipt</h2><table class=\"meta\">")
            .Append(Row("Receipt number", r.Number, "receipt_number"))
            .Append(Row("Date paid", r.PaidDateTime, "paid_at"))
            .Append("</table></div></header>")
            .Append("<table class=\"items\"><thead><tr><th>Description</th><th class=\"qty\">Qty</th><th class=\"num\">Amount</th></tr></thead>")
            .Append("<tbody><tr><td><bdi data-field=\"description\">").Append(E(r.Description)).Append("</bdi></td>")
            .Append("<td class=\"qty\">1</td><td class=\"num\">").Append(E(r.Amount.ToString())).Append("</td></tr></tbody><tfoot>")
            .Append(TaxLines(r.Tax))
            .Append(Total("Total paid", r.Amount.ToString(), "amount"));
        if (r.Refunded.IsPositive)
        {
            html.Append(Total("Refunded", (-r.Refunded).ToString(), "refunded"))
                .Append(Total("Net paid", (r.Amount - r.Refunded).ToString(), "net"));
        }
        html.Append("</tfoot></table><table class=\"meta payment\">")
            .Append(Row("Status", r.StatusDisplayName, "status"))
            .Append(Row("Paid with", r.ProviderDisplayName, "provider"));
        if (r.WalletDisplayName is { } wallet) html.Append(Row("Wallet", wallet, "wallet"));
        if (r.ProviderReference is not null)
            html.Append(Row("Provider reference", r.ProviderReference, "provider_reference"));
        if (r.Tax is { } tax)
        {
            html.Append(Row("Customer", tax.CustomerName, "customer_name"));
            if (tax.CustomerVatId is not null) html.Append(Row("Customer VAT ID", tax.CustomerVatId, "customer_vat_id"));
            if (tax.MerchantVatId is not null) html.Append(Row("Our VAT ID", tax.MerchantVatId, "merchant_vat_id"));
            html.Append(Row("Invoice", tax.InvoiceId, "invoice_id"));
        }
        html.Append("</table>");
        if (r.Tax is { ReverseCharge: true })
            html.Append("<p class=\"notice\" data-field=\"reverse_charge\">").Append(E(ReceiptTax.ReverseChargeNotice)).Append("</p>");
        return html.Append("<p class=\"thanks\">Thank you for your purchase.</p>")
            .Append("<p class=\"screen-only\"><a href=\"pdf\" download>Download PDF</a></p>")
            .Append("</main></body></html>")
            .ToString();
    }

    /// <summary>Net, VAT at its rate (none, for reverse charge) and gross, above the total; nothing for a payment without an invoice.</summary>
    private static string TaxLines(ReceiptTax? tax) => tax is null
        ? ""
        : Total("Net", tax.Net.ToString(), "net_amount") +
          Total(tax.ReverseCharge ? "VAT (reverse charge, 0 %)" : $"VAT {tax.RatePercent} %", tax.Vat.ToString(), "vat_amount") +
          Total("Gross", tax.Gross.ToString(), "gross_amount");

    private static string Row(string label, string value, string field) =>
        $"<tr><th>{E(label)}</th><td data-field=\"{field}\"><bdi>{E(value)}</bdi></td></tr>";

    private static string Total(string label, string amount, string field) =>
        $"<tr class=\"total\"><th colspan=\"2\">{E(label)}</th><td class=\"num\" data-field=\"{field}\">{E(amount)}</td></tr>";

    // System fonts only. Noto covers Latin, Thai and most scripts; Noto CJK covers Japanese, Chinese,
    // Korean (the test command installs both); Chromium falls back per character through fontconfig.
    private const string Css = """
        @page { size: A4; margin: 18mm 16mm; }
        * { box-sizing: border-box; }
        body { margin: 0; color: #1a1a1a; background: #fff;
               font: 10.5pt/1.45 "Noto Sans", "DejaVu Sans", "Noto Sans Thai", "Noto Sans CJK JP", sans-serif; }
        .receipt { max-width: 46rem; margin: 0 auto; padding: 1.5rem; }
        header { display: flex; justify-content: space-between; gap: 2rem; margin-bottom: 2rem; }
        .merchant { flex: 1 1 auto; min-width: 0; }
        .title { flex: 0 0 auto; }
        h1 { font-size: 15pt; margin: 0 0 .4rem; }
        h2 { font-size: 20pt; margin: 0 0 .4rem; text-align: right; letter-spacing: .04em; }
        address { font-style: normal; color: #444; }
        table { border-collapse: collapse; }
        .meta th { text-align: left; font-weight: normal; color: #555; padding: .1rem 1rem .1rem 0; white-space: nowrap; }
        .meta td { padding: .1rem 0; }
        .meta td[data-field=receipt_number], .meta td[data-field=paid_at] { white-space: nowrap; }
        .items { width: 100%; margin-bottom: 1.5rem; }
        .items th, .items td { padding: .45rem .3rem; text-align: left; border-bottom: 1px solid #ddd; }
        .items thead th { border-bottom: 2px solid #1a1a1a; }
        .items .qty { width: 3rem; text-align: center; }
        .items .num { text-align: right; white-space: nowrap; }
        .items tfoot th { text-align: right; }
        .items tfoot tr.total:first-child th, .items tfoot tr.total:first-child td { font-weight: bold; font-size: 12pt; }
        .thanks { margin-top: 2rem; color: #444; }
        @media print { .screen-only { display: none; } .receipt { padding: 0; max-width: none; } }
        """;
}
