using System.Collections.Concurrent;
using Payments.Core.Providers;

namespace Payments.Providers.Dummy;

/// <summary>One checkout as the pretend provider sees it.</summary>
public sealed record DummyCheckout(
    string Id,
    string PaymentId,
    Core.Money.Money Amount,
    Uri SuccessUrl,
    Uri CancelUrl,
    ProviderPaymentStatus Status,
    long RefundedMinor);

/// <summary>
/// The dummy provider's own side of the world: what a real provider keeps in its database.
/// In memory on purpose (it is a development tool): after a restart the simulate page no longer
/// knows old checkouts and verify answers "unknown", which changes nothing on our side.
/// </summary>
public sealed class DummyGateway
{
    private readonly ConcurrentDictionary<string, DummyCheckout> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _byIdempotencyKey = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _refundsByKey = new(StringComparer.Ordinal);

    /// <summary>Creates a checkout once per idempotency key, like a real provider would.</summary>
    public DummyCheckout Create(CheckoutRequest request, Func<string> newId)
    {
        var id = _byIdempotencyKey.GetOrAdd(request.IdempotencyKey, _ => newId());
        return _byId.GetOrAdd(id, _ => new DummyCheckout(
            id, request.PaymentId, request.Amount, request.SuccessUrl, request.CancelUrl, ProviderPaymentStatus.Pending, 0));
    }

    public DummyCheckout? Find(string id) => _byId.TryGetValue(id, out var checkout) ? checkout : null;

    /// <summary>
    /// The customer's choice on the simulate page. An open checkout can be settled, and, as on Stripe
    /// Checkout, a declined one can be tried again with another card; paid or canceled is final.
    /// </summary>
    public DummyCheckout? Settle(string id, ProviderPaymentStatus outcome)
    {
        while (_byId.TryGetValue(id, out var current))
        {
            if (current.Status is not (ProviderPaymentStatus.Pending or ProviderPaymentStatus.Declined)) return current;
            if (_byId.TryUpdate(id, current with { Status = outcome }, current)) return current with { Status = outcome };
        }
        return null;
    }

    /// <summary>Refunds once per key; refuses more than was paid, like a real provider.</summary>
    public (bool Ok, DummyCheckout? Checkout, string? Why) Refund(string id, long amountMinor, string idempotencyKey)
    {
        lock (_refundsByKey)
        {
            if (!_byId.TryGetValue(id, out var current)) return (false, null, "unknown payment");
            if (_refundsByKey.ContainsKey(idempotencyKey)) return (true, current, null);
            if (current.Status != ProviderPaymentStatus.Succeeded) return (false, current, "payment is not paid");
            if (current.RefundedMinor + amountMinor > current.Amount.Minor) return (false, current, "refund exceeds the paid amount");
            var updated = current with { RefundedMinor = current.RefundedMinor + amountMinor };
            _byId[id] = updated;
            _refundsByKey[idempotencyKey] = amountMinor;
            return (true, updated, null);
        }
    }
}
