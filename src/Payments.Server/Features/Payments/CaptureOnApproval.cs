using Microsoft.EntityFrameworkCore;
using Payments.Core.Errors;
using Payments.Core.Payments;
using Payments.Core.Providers;
using Payments.Server.Data;

namespace Payments.Server.Features.Payments;

/// <summary>
/// A <see cref="ProviderEventKind.CaptureRequired"/> event (PayPal's CHECKOUT.ORDER.APPROVED) is the
/// buyer saying yes; nothing is paid until we capture. The webhook captures it, and the event is
/// then recorded and applied as what the capture produced (paid with the captured amount, declined,
/// pending), in the webhook's one transaction.
/// <para>
/// The capture happens before the event is recorded on purpose: if the capture cannot be done now
/// (provider unavailable), the delivery fails, the provider retries it, and the retry captures. Had
/// the event been recorded first, the retry would be a "duplicate" and the order would never be
/// captured. Capturing twice is harmless: the key is the same as the capture route's.
/// </para>
/// </summary>
public static class CaptureOnApproval
{
    /// <summary>States in which a buyer's approval should still turn into money.</summary>
    private static readonly PaymentStatus[] Capturable = [PaymentStatus.Created, PaymentStatus.Pending, PaymentStatus.Failed];

    public static async Task<ProviderEvent> RunAsync(IProvider provider, ProviderEvent approval, PaymentsDb db, CancellationToken ct)
    {
        if (provider is not ICaptureProvider capturing || approval.ProviderPaymentId is not { } orderId) return approval;

        // Only orders we created: an order made elsewhere on the same account is not ours to capture.
        // A canceled or expired payment is not captured either, so no money arrives for it.
        var payment = await db.Payments.AsNoTracking()
            .Where(p => p.Provider == provider.Name && p.ProviderPaymentId == orderId)
            .FirstOrDefaultAsync(ct);
        if (payment is null || !Capturable.Contains(payment.Status)) return approval;
        // A delivery already recorded is a duplicate: capturing for it would reach PayPal (a failed payment
        // gets a new capture key) with an answer nobody records. A fast path only; two deliveries racing
        // both capture with the same key, and the UNIQUE index still records one.
        if (await db.PaymentEvents.AnyAsync(e => e.Provider == provider.Name && e.ExternalEventId == approval.EventId, ct)) return approval;

        ProviderPayment captured;
        try
        {
            captured = await capturing.CaptureAsync(orderId, Capture.CaptureKey(payment), ct);
        }
        catch (PaymentsException e) when (e.Kind is ErrorKind.Conflict or ErrorKind.NotFound)
        {
            // Not approved after all (or gone): record the approval as news, change nothing.
            return approval with { FailureReason = e.Message };
        }

        return approval with
        {
            Kind = captured.Status.AsEventKind(),
            PaymentId = payment.Id,
            Amount = captured.Amount,
            ProviderReference = captured.ProviderReference,
            FailureReason = captured.FailureMessage ?? captured.FailureCode,
        };
    }
}
