using System.Text.Json;
using System.Text.Json.Serialization;

namespace Payments.Providers.PayPal;

// PayPal's REST wire format (Orders v2, Payments v2, Webhooks v1, OAuth2), only the fields we read or
// send. Property names become snake_case through PayPalJson.Options. Everything PayPal sends is
// nullable: a missing field must be a decision in the mapper, not a crash in the deserializer.

/// <summary>PayPal's money: a currency code and a decimal string in PayPal's own decimals ("19.00", "1900" JPY).</summary>
public sealed record PayPalAmount(string? CurrencyCode, string? Value);

public sealed record PayPalLink(string? Href, string? Rel, string? Method);

/// <summary>An error body: REST errors have name/details, OAuth errors have error/error_description.</summary>
public sealed record PayPalError(
    string? Name, string? Message, string? DebugId, IReadOnlyList<PayPalErrorDetail>? Details,
    string? Error = null, string? ErrorDescription = null);

public sealed record PayPalErrorDetail(string? Field, string? Issue, string? Description);

public sealed record PayPalToken(string? AccessToken, long ExpiresIn);

public sealed record PayPalCreateOrder(string Intent, IReadOnlyList<PayPalPurchaseUnitRequest> PurchaseUnits, PayPalPaymentSource PaymentSource);

public sealed record PayPalPurchaseUnitRequest(string ReferenceId, string CustomId, string InvoiceId, string? Description, PayPalAmount Amount);

public sealed record PayPalPaymentSource(PayPalWallet Paypal);

public sealed record PayPalWallet(PayPalExperienceContext ExperienceContext);

public sealed record PayPalExperienceContext(string ReturnUrl, string CancelUrl, string UserAction, string ShippingPreference);

/// <param name="UpdateTime">When PayPal last changed the order; a buyer's second approval (after a declined capture) changes it.</param>
public sealed record PayPalOrder(
    string? Id, string? Status, IReadOnlyList<PayPalPurchaseUnit>? PurchaseUnits, IReadOnlyList<PayPalLink>? Links, string? UpdateTime = null);

public sealed record PayPalPurchaseUnit(
    string? CustomId, string? InvoiceId, PayPalAmount? Amount, PayPalPurchaseUnitPayments? Payments);

public sealed record PayPalPurchaseUnitPayments(IReadOnlyList<PayPalCapture>? Captures, IReadOnlyList<PayPalRefund>? Refunds);

public sealed record PayPalStatusDetails(string? Reason);

public sealed record PayPalRelatedIds(string? OrderId);

public sealed record PayPalSupplementaryData(PayPalRelatedIds? RelatedIds);

public sealed record PayPalCapture(
    string? Id, string? Status, PayPalStatusDetails? StatusDetails, PayPalAmount? Amount,
    string? CustomId, string? InvoiceId, PayPalSupplementaryData? SupplementaryData, string? UpdateTime = null);

public sealed record PayPalSellerPayableBreakdown(PayPalAmount? TotalRefundedAmount);

public sealed record PayPalRefund(
    string? Id, string? Status, PayPalStatusDetails? StatusDetails, PayPalAmount? Amount, string? CustomId, string? InvoiceId,
    PayPalSellerPayableBreakdown? SellerPayableBreakdown, IReadOnlyList<PayPalLink>? Links);

public sealed record PayPalRefundRequest(PayPalAmount Amount, string? CustomId, string? NoteToPayer);

public sealed record PayPalVerifySignatureResponse(string? VerificationStatus);

/// <summary>A webhook delivery's envelope; <see cref="Resource"/> is an order, capture or refund depending on the type.</summary>
public sealed record PayPalWebhookEvent(string? Id, string? EventType, JsonElement Resource);

public static class PayPalJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // A delivery naming a member twice is ambiguous ("amount" twice: which one was signed for?): malformed.
        AllowDuplicateProperties = false,
    };

    /// <summary>Parses PayPal JSON; null when it is not JSON of that shape (never throws for bad input).</summary>
    public static T? Read<T>(ReadOnlySpan<byte> json) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static T? Read<T>(JsonElement json) where T : class
    {
        try
        {
            return json.ValueKind == JsonValueKind.Object ? json.Deserialize<T>(Options) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
