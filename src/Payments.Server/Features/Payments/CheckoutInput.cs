using Payments.Core.Errors;
using Payments.Core.Providers;

namespace Payments.Server.Features.Payments;

/// <summary>What every create-intent (a plan, a host's amount, a vendor's order) reads and writes the same way.</summary>
public static class CheckoutInput
{
    /// <summary><c>hosted</c> (the default: the customer goes to the provider's page) or <c>embedded</c>; anything else is a 422.</summary>
    public static CheckoutMode Mode(string? mode) => mode?.ToLowerInvariant() switch
    {
        null or "" or "hosted" => CheckoutMode.Hosted,
        "embedded" => CheckoutMode.Embedded,
        _ => throw PaymentsException.Validation($"Unknown mode '{mode}': use \"hosted\" or \"embedded\"."),
    };

    /// <summary>The landing page with <c>payment_id</c> added to its query, so the page knows which payment it follows.</summary>
    public static Uri WithPaymentId(Uri page, string paymentId) =>
        new(Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(page.AbsoluteUri, "payment_id", paymentId));
}
