using System.Globalization;
using System.Text.Json;
using Payments.Core.Providers;

namespace Payments.Providers.Omise;

/// <summary>
/// Omise deliveries as normalized events. Whatever the delivery says, it is only a pointer: the charge it
/// names (the event's charge, or a refund's charge) is fetched from the API, and the event is built from
/// Omise's answer. Omise's older events carry no signature at all, and even a signed body may be in
/// another API version than the one we read; the API's answer in our pinned version is the one truth.
/// <para>
/// The event's de-duplication id: Omise's own event id (<c>evnt_…</c>) when the signature held. Unverified,
/// an id from the sender would let anyone post a forged event with the id of a real one that is still to
/// come, and the real one would then be dropped as a duplicate; so the id is made from what Omise answered
/// (<c>refetch:{charge}:{status}:{refunded}</c>): the same state reported twice is one event, and a new
/// state is a new one, whoever sends it.
/// </para>
/// </summary>
public sealed class OmiseWebhookEvents(OmiseClient client)
{
    public const string RefetchMethod = "refetch";

    /// <summary>The envelope, or null when the body is not an Omise event (no event id or no key).</summary>
    public static OmiseEvent? Envelope(ReadOnlySpan<byte> body) =>
        OmiseJson.Read<OmiseEvent>(body) is { Object: "event", Id.Length: > 0, Key.Length: > 0 } e ? e : null;

    /// <summary>The charge an event is about: a charge's id, or a refund's (or dispute's) charge.</summary>
    public static string? ChargeIdOf(OmiseEvent e)
    {
        if (e.Data.ValueKind != JsonValueKind.Object || !e.Data.TryGetProperty("object", out var kind)) return null;
        var id = kind.GetString() switch
        {
            "charge" => e.Data.TryGetProperty("id", out var own) ? OmiseJson.IdOf(own) : null,
            "refund" or "dispute" => e.Data.TryGetProperty("charge", out var charge) ? OmiseJson.IdOf(charge) : null,
            _ => null,
        };
        return OmiseIds.IsChargeId(id) ? id : null;
    }

    /// <param name="verified">True when the signature held: only then is the envelope's id the event's id.</param>
    public async Task<ProviderEvent> FromDeliveryAsync(OmiseEvent e, bool verified, CancellationToken ct)
    {
        var chargeId = ChargeIdOf(e);
        var charge = chargeId is null ? null : await client.GetChargeAsync(chargeId, ct);
        if (charge is null)
            // Nothing of ours to look at (a customer, a transfer, a charge Omise does not know): recorded, changes nothing.
            return new ProviderEvent(verified ? e.Id! : $"unverified:{e.Id}", e.Key!, ProviderEventKind.Informational);

        var payment = OmiseMapper.ToPayment(charge, chargeId!);
        var kind = OmiseMapper.EventKindOf(payment);
        var eventId = verified
            ? e.Id!
            : string.Create(CultureInfo.InvariantCulture,
                $"{RefetchMethod}:{payment.ProviderPaymentId}:{charge.Status ?? "none"}:{charge.RefundedAmount ?? 0}");
        return new ProviderEvent(eventId, e.Key!, kind,
            ProviderPaymentId: payment.ProviderPaymentId,
            PaymentId: payment.PaymentId,
            // What the charge took: for a success it is compared with ours; with a refund it proves the payment too.
            Amount: kind is ProviderEventKind.PaymentSucceeded or ProviderEventKind.Refunded ? payment.Amount : null,
            RefundedTotal: kind == ProviderEventKind.Refunded ? payment.RefundedTotal : null,
            FailureReason: kind == ProviderEventKind.PaymentFailed ? payment.FailureMessage : null);
    }
}
