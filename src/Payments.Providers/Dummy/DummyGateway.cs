using System.Collections.Concurrent;
using Payments.Core.Providers;

namespace Payments.Providers.Dummy;

/// <summary>One checkout as the pretend provider sees it. URLs are kept as text (a Uri object is
/// several times larger, and the gateway holds thousands of these).</summary>
public sealed record DummyCheckout(
    string Id,
    string PaymentId,
    Core.Money.Money Amount,
    string SuccessLink,
    string CancelLink,
    ProviderPaymentStatus Status,
    long RefundedMinor)
{
    public Uri SuccessUrl => new(SuccessLink);
    public Uri CancelUrl => new(CancelLink);
}

/// <summary>
/// The dummy provider's own side of the world: what a real provider keeps in its database.
/// In memory on purpose (it is a development tool): after a restart the simulate page no longer
/// knows old checkouts and verify answers "unknown", which changes nothing on our side. For the
/// same reason it keeps only the most recent <see cref="MaxCheckouts"/>: a development server left
/// running (or load-tested) must not grow without end; older checkouts are forgotten as if restarted.
/// </summary>
public sealed class DummyGateway
{
    public const int MaxCheckouts = 10_000;

    private readonly ConcurrentDictionary<string, DummyCheckout> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _byIdempotencyKey = new(StringComparer.Ordinal);
    // Refund idempotency keys and the checkout each refunded, so they are forgotten with it.
    // Both are only touched under the lock on _refundCheckoutByKey.
    private readonly Dictionary<string, string> _refundCheckoutByKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _refundKeysByCheckout = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Id, string Key)> _oldestFirst = new();

    /// <summary>Creates a checkout once per idempotency key, like a real provider would.</summary>
    public DummyCheckout Create(CheckoutRequest request, Func<string> newId)
    {
        // "Created" is whoever's TryAdd wins: a GetOrAdd factory can run on several threads at once
        // (only one value is kept), so a flag set inside it could queue one id twice.
        var created = false;
        if (!_byIdempotencyKey.TryGetValue(request.IdempotencyKey, out var id))
        {
            var candidate = newId();
            created = _byIdempotencyKey.TryAdd(request.IdempotencyKey, candidate);
            id = created ? candidate : _byIdempotencyKey[request.IdempotencyKey];
        }
        var checkout = _byId.GetOrAdd(id, _ => new DummyCheckout(
            id, request.PaymentId, request.Amount, request.SuccessUrl.AbsoluteUri, request.CancelUrl.AbsoluteUri, ProviderPaymentStatus.Pending, 0));
        if (created)
        {
            _oldestFirst.Enqueue((id, request.IdempotencyKey));
            while (_oldestFirst.Count > MaxCheckouts && _oldestFirst.TryDequeue(out var oldest)) Forget(oldest.Id, oldest.Key);
        }
        return checkout;
    }

    private void Forget(string id, string idempotencyKey)
    {
        _byIdempotencyKey.TryRemove(idempotencyKey, out _);
        lock (_refundCheckoutByKey) // with Refund's lock: a refund cannot write back a checkout being forgotten
        {
            _byId.TryRemove(id, out _);
            if (!_refundKeysByCheckout.Remove(id, out var refundKeys)) return;
            foreach (var key in refundKeys) _refundCheckoutByKey.Remove(key);
        }
    }

    /// <summary>Checkouts queued for eviction (each once) and refund keys remembered; for tests.</summary>
    internal (int Queued, int RefundKeys) Counts()
    {
        lock (_refundCheckoutByKey) return (_oldestFirst.Count, _refundCheckoutByKey.Count);
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
        lock (_refundCheckoutByKey)
        {
            if (!_byId.TryGetValue(id, out var current)) return (false, null, "unknown payment");
            if (_refundCheckoutByKey.ContainsKey(idempotencyKey)) return (true, current, null);
            if (current.Status != ProviderPaymentStatus.Succeeded) return (false, current, "payment is not paid");
            if (current.RefundedMinor + amountMinor > current.Amount.Minor) return (false, current, "refund exceeds the paid amount");
            var updated = current with { RefundedMinor = current.RefundedMinor + amountMinor };
            _byId[id] = updated;
            _refundCheckoutByKey[idempotencyKey] = id;
            if (!_refundKeysByCheckout.TryGetValue(id, out var keys)) _refundKeysByCheckout[id] = keys = [];
            keys.Add(idempotencyKey);
            return (true, updated, null);
        }
    }
}
