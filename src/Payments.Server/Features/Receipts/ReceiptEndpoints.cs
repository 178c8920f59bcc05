using Payments.Providers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Payments.Core.Errors;
using Payments.Core.Payments;
using Payments.Server.Data;
using Payments.Server.Features.Auth;
using Payments.Server.Features.Limits;
using Payments.Server.Features.Payments;
using Payments.Server.Hosting;

namespace Payments.Server.Features.Receipts;

/// <summary>
/// Receipts of paid payments (seed 000 steps 3–4): <c>GET /api/v1/payment/receipt/{id}</c> as JSON,
/// <c>…/{id}/html</c> as a page and <c>…/{id}/pdf</c> as a download, all from one template.
/// <c>{id}</c> is our <c>pay_…</c> id or the receipt number (<c>R-…</c>). Succeeded, partially
/// refunded and refunded payments have a receipt; others answer 409, unknown or someone else's 404.
/// </summary>
public static class ReceiptEndpoints
{
    public sealed record MerchantView(string Name, IReadOnlyList<string> Address, string? VatId);

    public sealed record Response(
        string ReceiptNumber, string PaymentId, string Status, DateTimeOffset PaidAt, string PaidDate,
        string? Plan, string Description, long Amount, string Currency, string AmountDisplay,
        long Refunded, string RefundedDisplay, string Provider, string? ProviderReference,
        MerchantView Merchant, string HtmlUrl, string PdfUrl, string? Wallet = null, TaxView? Tax = null);

    /// <summary>A subscription invoice's VAT: net + VAT at the rate = gross; for reverse charge, no VAT and <c>notice</c> says so.</summary>
    public sealed record TaxView(long Net, string VatRate, long Vat, long Gross, string Currency, bool ReverseCharge, string? Notice,
        string CustomerName, string? CustomerVatId, string? MerchantVatId, string InvoiceId);

    /// <summary>All receipt routes in one group, so authorization and rate limits attach in one place.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        var receipts = app.MapGroup("/api/v1/payment/receipt").WithTags("Receipts")
            .RequireAuthorization(AuthSetup.SignedInPolicy);
        receipts.MapGet("/{id}", GetAsync)
            .WithSummary("A paid payment's receipt: number, date, line item, amount in the currency's decimals, provider reference.")
            .RequireRateLimiting(RateLimits.Receipt)
            .Produces<Response>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        receipts.MapGet("/{id}/html", GetHtmlAsync)
            .WithSummary("The receipt as an HTML page (the same template the PDF is printed from).")
            .RequireRateLimiting(RateLimits.Receipt)
            .Produces(StatusCodes.Status200OK, contentType: "text/html")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        receipts.MapGet("/{id}/pdf", GetPdfAsync)
            .WithSummary("The receipt as a PDF attachment (cached on disk; 503 when no PDF engine is installed).")
            .RequireRateLimiting(RateLimits.ReceiptPdf)
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    internal static async Task<IResult> GetAsync(
        string id, HttpContext http, PaymentsDb db, ProviderRegistry providers, ReceiptOptions options, SiteOptions site, CancellationToken ct)
    {
        var r = await LoadAsync(id, http, db, providers, options, ct);
        NoSharedCaching(http);
        var self = $"/api/v1/payment/receipt/{r.PaymentId}";
        return Results.Ok(new Response(
            r.Number, r.PaymentId, r.Status.ToWire(), r.PaidAt, r.PaidDate,
            r.Plan, r.Description, r.Amount.Minor, r.Amount.Currency.Code, r.Amount.ToString(),
            r.Refunded.Minor, r.Refunded.ToString(), r.Provider, r.ProviderReference,
            new MerchantView(r.Merchant.Name, r.Merchant.AddressLines, r.Merchant.VatId),
            site.Absolute(http.Request, self + "/html").ToString(), site.Absolute(http.Request, self + "/pdf").ToString(), r.Wallet,
            r.Tax is { } t
                ? new TaxView(t.Net.Minor, t.RatePercent, t.Vat.Minor, t.Gross.Minor, t.Gross.Currency.Code, t.ReverseCharge,
                    t.ReverseCharge ? ReceiptTax.ReverseChargeNotice : null, t.CustomerName, t.CustomerVatId, t.MerchantVatId, t.InvoiceId)
                : null));
    }

    internal static async Task<IResult> GetHtmlAsync(
        string id, HttpContext http, PaymentsDb db, ProviderRegistry providers, ReceiptOptions options, CancellationToken ct)
    {
        var receipt = await LoadAsync(id, http, db, providers, options, ct);
        NoSharedCaching(http);
        return Results.Content(ReceiptTemplate.Render(receipt), "text/html; charset=utf-8", Encoding.UTF8);
    }

    internal static async Task<IResult> GetPdfAsync(
        string id, HttpContext http, PaymentsDb db, ProviderRegistry providers, ReceiptOptions options, ReceiptService receipts, CancellationToken ct)
    {
        var receipt = await LoadAsync(id, http, db, providers, options, ct);
        var pdf = await receipts.GetPdfAsync(receipt, ct);
        NoSharedCaching(http);
        return Results.File(pdf.Content, "application/pdf", pdf.FileName);
    }

    private static async Task<Receipt> LoadAsync(string id, HttpContext http, PaymentsDb db, ProviderRegistry providers, ReceiptOptions options, CancellationToken ct)
    {
        var paymentId = ReceiptNumber.ToPaymentId(id) ?? id.Trim();
        var payment = await db.Payments.AsNoTracking().FirstOrDefaultAsync(p => p.Id == paymentId, ct)
                      ?? throw PaymentsException.NotFound($"No payment '{id}'.");
        Ownership.EnsureMayRead(http.Caller(), payment);
        var receipt = Receipt.For(payment, options, providers.DisplayName(payment.Provider));
        // A subscription's invoice carries its VAT breakdown (Features/Subscriptions).
        var invoice = await db.SubscriptionInvoices.AsNoTracking().FirstOrDefaultAsync(i => i.PaymentId == payment.Id, ct);
        return invoice is null ? receipt : receipt with { Tax = ReceiptTax.Of(invoice, options.Merchant.VatId) };
    }

    // A receipt changes when the payment is refunded, and belongs to one customer.
    private static void NoSharedCaching(HttpContext http) => http.Response.Headers.CacheControl = "private, no-cache";
}
