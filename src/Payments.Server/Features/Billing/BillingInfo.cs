using Payments.Core.Billing;
using Payments.Core.Errors;
using Payments.Server.Data.Entities;
using Payments.Server.Features.Auth;

namespace Payments.Server.Features.Billing;

/// <summary>
/// <c>PUT /api/v1/billing/info</c> and <c>GET /api/v1/billing/info</c>: a signed-in user's billing information
/// (service and admin keys name <c>user_id</c>: in the body, or <c>?user_id=</c>), with the VAT number's standing
/// (<c>vat.status</c>: none, pending, valid, invalid, unverified) and the tax treatment it leads to.
/// </summary>
public static class BillingInfo
{
    public sealed record AddressView(string Line1, string? Line2, string City, string? PostalCode, string Country);

    /// <param name="Error">While unverified: the code VIES gave for not answering (MS_UNAVAILABLE, TIMEOUT, …).</param>
    /// <param name="NextCheckAt">While pending or unverified: when VIES is asked again.</param>
    public sealed record VatView(string Status, DateTimeOffset? CheckedAt, string? ConsultationNumber, string? Error, DateTimeOffset? NextCheckAt);

    /// <param name="Rule">reverse_charge, eu_standard_rate or outside_eu (docs: <see cref="TaxRules"/>).</param>
    /// <param name="Rate">The VAT rate charged, in percent ("19", "25.5", "0").</param>
    public sealed record TaxView(string Rule, string Rate, string? Country);

    public sealed record View(
        string UserId, string CustomerId, string Name, string Email, AddressView Address, string? VatId, VatView Vat,
        string TaxExempt, TaxView Tax, DateTimeOffset UpdatedAt);

    public static void Map(RouteGroupBuilder billing)
    {
        billing.MapPut("/info", PutAsync)
            .RequireAuthorization(AuthSetup.SignedInPolicy)
            .WithSummary("Set the user's billing information; a VAT number is checked with VIES, and providers are told.")
            .Produces<View>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        billing.MapGet("/info", GetAsync)
            .RequireAuthorization(AuthSetup.SignedInPolicy)
            .WithSummary("The user's billing information, VAT status (VIES) and tax treatment.")
            .Produces<View>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<View> PutAsync(BillingInfoRequest request, HttpContext http, BillingCustomers customers, CancellationToken ct)
    {
        var user = ActingUser.Resolve(http.Caller(), request.UserId, "billing information");
        var row = await customers.SaveAsync(user, BillingInfoInput.From(request), ct);
        return ViewOf(row, customers.Decide(row));
    }

    private static async Task<View> GetAsync(HttpContext http, BillingCustomers customers, string? user_id, CancellationToken ct)
    {
        var user = ActingUser.Resolve(http.Caller(), user_id, "billing information");
        var row = await customers.FindAsync(user, ct) ?? throw PaymentsException.NotFound($"No billing information for user '{user}'.");
        return ViewOf(row, customers.Decide(row));
    }

    public static View ViewOf(BillingCustomerRow row, TaxDecision tax) => new(
        row.UserId, row.Id, row.Name, row.Email,
        new AddressView(row.AddressLine1, row.AddressLine2, row.AddressCity, row.AddressPostalCode, row.AddressCountry),
        row.VatId,
        new VatView(row.VatStatus, row.VatCheckedAt, row.VatConsultationNumber, row.VatError, row.VatNextCheckAt),
        row.TaxExempt,
        new TaxView(RuleName(tax.Rule), tax.RatePercent, tax.Country),
        row.UpdatedAt);

    public static string RuleName(TaxRule rule) => rule switch
    {
        TaxRule.ReverseCharge => "reverse_charge",
        TaxRule.EuStandardRate => "eu_standard_rate",
        TaxRule.OutsideEu => "outside_eu",
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, null),
    };
}
