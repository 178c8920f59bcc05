using System.Globalization;

namespace Payments.Server.Tests.Fakes.Stripe;

/// <summary>Where a destination charge's money goes, as the fake received it (Stripe's units).</summary>
public sealed record FakeDestination(string Account, long ApplicationFeeAmount);

/// <summary>What a refund asked of a destination charge's split.</summary>
public sealed record FakeReversal(string RefundId, long Amount, bool ReverseTransfer, bool RefundApplicationFee);

/// <summary>
/// Destination charges: <c>application_fee_amount</c> and <c>transfer_data[destination]</c> on a PaymentIntent, or under
/// <c>payment_intent_data[…]</c> on a Checkout Session, checked as Stripe checks them (an account that exists here, a fee
/// no larger than the amount, a fee only with a destination); and refunds with <c>reverse_transfer</c> and
/// <c>refund_application_fee</c>, which Stripe takes only for a charge that has a transfer and a fee. Both are recorded
/// for tests to read.
/// </summary>
public sealed partial class FakeStripe
{
    private readonly Dictionary<string, FakeDestination> _destinations = new(); // by session or intent id
    private readonly List<FakeReversal> _reversals = [];

    /// <summary>The destination and fee a Checkout Session (or PaymentIntent) was created with, or null.</summary>
    public FakeDestination? DestinationOf(string sessionOrIntentId)
    {
        lock (_state) return _destinations.GetValueOrDefault(sessionOrIntentId);
    }

    /// <summary>Every refund's reversal flags, in order.</summary>
    public IReadOnlyList<FakeReversal> Reversals
    {
        get { lock (_state) return _reversals.ToList(); }
    }

    /// <summary>The destination parameters, on a PaymentIntent ("") or under a session's <c>payment_intent_data</c>.</summary>
    private static string[] DestinationParams(string within) =>
        within.Length == 0
            ? ["application_fee_amount", "transfer_data[destination]"]
            : [$"{within}[application_fee_amount]", $"{within}[transfer_data][destination]"];

    private static readonly string[] ReversalParams = ["reverse_transfer", "refund_application_fee"];

    /// <summary>The destination a create asked for (null: an ordinary charge), or Stripe's refusal.</summary>
    private (FakeDestination? Destination, (int, string)? Error) Destination(RecordedRequest r, string within, long amount)
    {
        var (feeKey, destinationKey) = (DestinationParams(within)[0], DestinationParams(within)[1]);
        var (rawFee, account) = (r[feeKey], r[destinationKey]);
        if (rawFee is null && account is null) return (null, null);
        if (account is null)
            return (null, Invalid(feeKey, "Can only apply an application_fee_amount when the PaymentIntent is attempting a direct payment " +
                                          "(using an OAuth key or Stripe-Account header) or destination payment (using `transfer_data[destination]`)."));
        lock (_state)
        {
            if (!_accounts.ContainsKey(account))
                return (null, (400, StripeError("invalid_request_error", "resource_missing", $"No such destination: '{account}'", destinationKey)));
        }
        long fee = 0;
        if (rawFee is not null && (!long.TryParse(rawFee, NumberStyles.None, CultureInfo.InvariantCulture, out fee) || fee > amount))
            return (null, Invalid(feeKey, $"The application fee ({rawFee}) must be a non-negative integer no larger than the amount ({amount}).",
                "parameter_invalid_integer"));
        return (new FakeDestination(account, fee), null);
    }

    /// <summary>The destination of the charge a refund is against (its intent's, or its session's), or null.</summary>
    private FakeDestination? DestinationOfIntent(string intentId) =>
        _destinations.GetValueOrDefault(intentId)
        ?? _sessions.Values.Where(s => s.IntentId == intentId).Select(s => _destinations.GetValueOrDefault(s.Id)).FirstOrDefault(d => d is not null);

    /// <summary>Stripe refuses to reverse a transfer or refund a fee that the charge does not have.</summary>
    private (int, string)? CheckReversal(RecordedRequest r, string intentId)
    {
        var destination = DestinationOfIntent(intentId);
        if (r["reverse_transfer"] == "true" && destination is null)
            return Invalid("reverse_transfer", "This charge has no transfer to reverse: reverse_transfer is only for destination charges.");
        if (r["refund_application_fee"] == "true" && destination is not { ApplicationFeeAmount: > 0 })
            return Invalid("refund_application_fee", "This charge has no application fee to refund.");
        return null;
    }

    private void RecordReversal(RecordedRequest r, string refundId, long amount) =>
        _reversals.Add(new FakeReversal(refundId, amount, r["reverse_transfer"] == "true", r["refund_application_fee"] == "true"));
}
