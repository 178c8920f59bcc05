using Payments.Core.Money;
using Payments.Core.Providers;

namespace Payments.Providers.MobilePay;

/// <summary>
/// A verified ePayment delivery as one normalized event. The payload has no event id; each operation
/// (create, capture, refund, cancel) has its own <c>pspReference</c>, and a retried delivery repeats the
/// same body, so <c>reference/name/pspReference</c> is the de-duplication key.
/// </summary>
public sealed class MobilePayWebhookEvents(MobilePayClient client, MobilePayOptions options)
{
    /// <summary>The event, or why the verified body is not one.</summary>
    public async Task<(ProviderEvent? Event, string? Problem)> ParseAsync(ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        var e = MobilePayJson.Read<MobilePayWebhookEvent>(body.Span);
        if (e is not { Reference.Length: > 0, Name.Length: > 0, PspReference.Length: > 0 })
            return (null, "Not an ePayment event: 'reference', 'name' and 'pspReference' are required.");
        if (!MobilePayReference.IsReference(e.Reference))
            return (null, $"'{e.Reference}' is not an ePayment reference ([a-zA-Z0-9-]{{8,50}}).");
        if (e.Amount is not null && MobilePayAmounts.FromMobilePay(e.Amount) is null)
            return (null, $"The amount {e.Amount} is not minor units of an upper-case ISO 4217 currency.");

        var id = $"{e.Reference}/{e.Name}/{e.PspReference}";
        var type = MobilePayMapper.EventType(e.Name!);
        if (e.Msn != options.MerchantSerialNumber)
            // References are unique per sales unit only: another unit's reference may equal one of ours.
            return (new ProviderEvent(id, type, ProviderEventKind.Informational), null);

        var kind = MobilePayMapper.EventKind(e.Name, e.Success ?? false);
        var ours = MobilePayReference.PaymentIdOf(e.Reference);
        var amount = MobilePayAmounts.FromMobilePay(e.Amount);
        return kind switch
        {
            ProviderEventKind.Refunded => (await RefundedAsync(id, type, e.Reference!, ours, ct), null),
            ProviderEventKind.PaymentSucceeded => (new ProviderEvent(id, type, kind, e.Reference, ours, Amount: amount, ProviderReference: e.PspReference), null),
            ProviderEventKind.PaymentCanceled or ProviderEventKind.PaymentExpired =>
                (new ProviderEvent(id, type, kind, e.Reference, ours, FailureReason: $"Vipps MobilePay: {e.Name}"), null),
            _ => (new ProviderEvent(id, type, kind, e.Reference, ours), null),
        };
    }

    /// <summary>
    /// The event's amount is this refund's alone; settlement needs the cumulative total to stay
    /// idempotent under replays, so the payment is read for its aggregate. Its captured amount comes
    /// along as proof of the payment (a capture webhook that was lost is healed by the refund's).
    /// </summary>
    private async Task<ProviderEvent> RefundedAsync(string id, string type, string reference, string? ours, CancellationToken ct)
    {
        var payment = await client.GetPaymentAsync(reference, ct);
        var aggregate = payment?.Aggregate;
        Money? captured = MobilePayAmounts.FromMobilePay(aggregate?.CapturedAmount) is { IsPositive: true } c ? c : null;
        return new ProviderEvent(id, type, ProviderEventKind.Refunded, reference, ours,
            Amount: captured, RefundedTotal: MobilePayAmounts.FromMobilePay(aggregate?.RefundedAmount));
    }
}
