using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Payments.Core.Errors;
using Payments.Core.Money;
using Payments.Core.Payments;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Features.Auth;
using Payments.Server.Features.Payments.Refunds;
using Payments.Server.Hosting;

namespace Payments.Server.Features.Admin;

/// <summary>
/// <c>GET /admin/payments/{id}</c>: one payment, its refunds, its timeline and a refund form.
/// <c>POST /admin/payments/{id}/refund</c>: the form goes through <see cref="RefundService"/> (the
/// API's rules and audit). The amount is typed in the currency's own decimals and parsed exactly
/// ("5.00" EUR = 500; "5.001" is refused, never rounded). The form also carries what was refundable
/// when the page was drawn, so sending it twice (a double click, a reload) refunds once.
/// </summary>
public static class PaymentPage
{
    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapGet("/payments/{id}", ShowAsync);
        admin.MapPost("/payments/{id}/refund", RefundAsync);
    }

    private static async Task<IResult> ShowAsync(string id, string? refund, HttpContext http, PaymentsDb db, CancellationToken ct) =>
        await RenderAsync(http, db, id, notice: refund, ct: ct);

    private static async Task<IResult> RefundAsync(
        string id, [FromForm] string? amount, [FromForm] string? reason, [FromForm] long? refundable,
        HttpContext http, PaymentsDb db, RefundService refunds, CancellationToken ct)
    {
        var payment = await db.Payments.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (payment is null) return await RenderAsync(http, db, id, ct: ct);
        reason = RefundService.NormalizeReason(reason);
        string? error = null;
        if (!Money.TryParseAmount(amount?.Trim(), payment.Amount.Currency, out var money) || !money.IsPositive)
            error = $"Enter the amount to refund in {payment.Currency}, like {ExampleAmount(payment.Amount.Currency)}, with at most {payment.Amount.Currency.Exponent} decimals.";
        else if (reason is { Length: > RefundService.MaxReasonLength }) error = $"The reason is at most {RefundService.MaxReasonLength} characters.";
        if (error is not null) return await RenderAsync(http, db, id, error, amount, reason, Problems.StatusOf(ErrorKind.Validation), ct: ct);

        try
        {
            var (done, _) = await refunds.RefundAsync(id, money.Minor, reason, http.Caller().Audit, ct, expectedRefundable: refundable);
            return Html.SeeOther($"/admin/payments/{Uri.EscapeDataString(id)}?refund={Uri.EscapeDataString(done.Id)}");
        }
        catch (PaymentsException e)
        {
            return await RenderAsync(http, db, id, e.Message, amount, reason, Problems.StatusOf(e.Kind), ct: ct);
        }
    }

    private static async Task<IResult> RenderAsync(HttpContext http, PaymentsDb db, string id, string? error = null,
        string? amount = null, string? reason = null, int status = 200, string? notice = null, CancellationToken ct = default)
    {
        var payment = await db.Payments.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (payment is null)
            return AdminLayout.Page(http, "Payment not found", $"<h1>Payment not found</h1><p>No payment {Html.E(id)}.</p>",
                "", Problems.StatusOf(ErrorKind.NotFound));
        var refunds = (await db.Refunds.AsNoTracking().Where(r => r.PaymentId == id).ToListAsync(ct)).OrderBy(r => r.CreatedAt).ToList();
        var refundable = RefundService.Refundable(payment, RefundService.Reserved(refunds));

        var html = new StringBuilder($"<h1>Payment <code>{Html.E(payment.Id)}</code></h1>").Append(AdminLayout.Error(error));
        if (notice is not null && refunds.FirstOrDefault(r => r.Id == notice) is { } done)
            html.Append($"<p class=\"notice\" role=\"status\">Refund {Html.E(done.Id)} of {Html.E(Of(done.AmountMinor, payment))}: {Html.E(done.Status)}.</p>");
        html.Append(Summary(payment, refundable))
            .Append(RefundForm(http, payment, refundable, amount, reason, error is not null))
            .Append(RefundsTable(payment, refunds))
            .Append("<h2 id=\"timeline\">Timeline</h2>")
            .Append("<p class=\"hint\">Webhook deliveries whose signature failed are never tied to a payment (nothing in them can be trusted); ")
            .Append("they are counted on the <a href=\"/admin/webhooks#refused\">webhook events</a> page.</p>")
            .Append(await Timeline.RenderAsync(db, payment, refunds, ct))
            .Append($"<p><a href=\"/admin/audit?payment_id={Uri.EscapeDataString(payment.Id)}\">Audit entries</a> · ")
            .Append($"<a href=\"/admin/webhooks?payment_id={Uri.EscapeDataString(payment.Id)}\">Webhook events</a></p>");
        return AdminLayout.Page(http, $"Payment {payment.Id}", html.ToString(), "", status);
    }

    private static string Summary(Payment p, long refundable) => $"""
        <dl class="summary">
          <dt>Status</dt><dd><span class="status status-{Html.E(p.Status.ToWire())}" data-payment-status>{Html.E(p.Status.ToWire())}</span></dd>
          <dt>Item</dt><dd>{Html.E(p.Description)}{(p.Plan is null ? "" : $" (plan {Html.E(p.Plan)})")}</dd>
          <dt>Amount</dt><dd>{Html.E(p.Amount.ToString())}</dd>
          <dt>Refunded</dt><dd data-refunded>{Html.E(p.Refunded.ToString())}</dd>
          <dt>Still refundable</dt><dd>{Html.E(p.Status.IsPaid() ? Of(Math.Max(refundable, 0), p) : "—")}</dd>
          <dt>Provider</dt><dd>{Html.E(p.Provider)} <code>{Html.E(p.ProviderPaymentId)}</code> {(p.ProviderReference is null ? "" : $"<code>{Html.E(p.ProviderReference)}</code>")}</dd>
          {(p.Wallet is null ? "" : $"<dt>Wallet</dt><dd data-wallet=\"{Html.E(p.Wallet)}\">{Html.E(Providers.Wallets.WalletTypes.DisplayName(p.Wallet))}</dd>")}
          <dt>Buyer</dt><dd>{Html.E(p.OwnerId ?? "guest")}</dd>
          <dt>Created</dt><dd>{AdminLayout.Time(p.CreatedAt)}</dd>
          <dt>Paid</dt><dd>{(p.PaidAt is { } paid ? AdminLayout.Time(paid) : "—")}</dd>
          {(p.FailureReason is null ? "" : $"<dt>Failure</dt><dd>{Html.E(p.FailureReason)}</dd>")}
        </dl>
        """;

    private static string RefundForm(HttpContext http, Payment p, long refundable, string? amount, string? reason, bool invalid)
    {
        if (!p.Status.IsPaid() || refundable <= 0) return "";
        var currency = p.Amount.Currency;
        return $"""
            <section aria-labelledby="refund-heading">
            <h2 id="refund-heading">Refund</h2>
            <form method="post" action="/admin/payments/{Uri.EscapeDataString(p.Id)}/refund" class="stacked">
              {Html.AntiforgeryField(http)}
              <input type="hidden" name="refundable" value="{refundable.ToString(CultureInfo.InvariantCulture)}">
              <label for="refund-amount">Amount in {Html.E(currency.Code)}</label>
              <input type="text" id="refund-amount" name="amount" inputmode="decimal" required autocomplete="off"
                     value="{Html.E(amount)}" aria-describedby="refund-amount-hint"{(invalid ? " aria-invalid=\"true\"" : "")}>
              <p class="hint" id="refund-amount-hint">At most {Html.E(Of(refundable, p))}, written like {ExampleAmount(currency)}.</p>
              <label for="refund-reason">Reason (optional)</label>
              <input type="text" id="refund-reason" name="reason" maxlength="500" value="{Html.E(reason)}">
              <button type="submit">Refund</button>
            </form>
            </section>
            """;
    }

    private static string RefundsTable(Payment p, IReadOnlyList<Refund> refunds)
    {
        if (refunds.Count == 0) return "";
        var rows = string.Concat(refunds.Select(r =>
            $"<tr><th scope=\"row\">{Html.E(r.Id)}</th><td>{AdminLayout.Time(r.CreatedAt)}</td><td class=\"num\">{Html.E(Of(r.AmountMinor, p))}</td>" +
            $"<td>{Html.E(r.Status)}</td><td>{Html.E(r.Reason)}</td><td>{Html.E(r.RequestedBy)}</td><td>{Html.E(r.FailureReason)}</td></tr>"));
        return $"""
            <h2>Refunds</h2>
            <div class="table-wrap"><table>
              <thead><tr><th scope="col">Refund</th><th scope="col">Requested</th><th scope="col" class="num">Amount</th>
                <th scope="col">Status</th><th scope="col">Reason</th><th scope="col">By</th><th scope="col">Failure</th></tr></thead>
              <tbody>{rows}</tbody>
            </table></div>
            """;
    }

    private static string Of(long minor, Payment p) => new Money(minor, p.Amount.Currency).ToString();

    private static string ExampleAmount(Currency currency) => new Money(5 * currency.Factor, currency).ToDecimalString();
}
