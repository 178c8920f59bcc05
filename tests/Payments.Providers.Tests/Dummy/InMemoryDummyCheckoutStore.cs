using Payments.Core.Providers;
using Payments.Providers.Dummy;

namespace Payments.Providers.Tests.Dummy;

/// <summary>
/// <see cref="IDummyCheckoutStore"/> in memory, for tests of the provider alone (the service keeps
/// checkouts in its database: Payments.Server's DummyCheckoutStore, tested against the same rules).
/// One lock makes each method atomic, as one write transaction does there.
/// </summary>
public sealed class InMemoryDummyCheckoutStore : IDummyCheckoutStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, DummyCheckout> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _idByKey = new(StringComparer.Ordinal);
    private readonly HashSet<string> _refundKeys = new(StringComparer.Ordinal);

    public Task<DummyCheckout> CreateOnceAsync(string idempotencyKey, DummyCheckout checkout, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_idByKey.TryGetValue(idempotencyKey, out var id)) return Task.FromResult(_byId[id]);
            var kept = checkout with { Status = ProviderPaymentStatus.Pending, RefundedMinor = 0 };
            _idByKey[idempotencyKey] = kept.Id;
            _byId[kept.Id] = kept;
            return Task.FromResult(kept);
        }
    }

    public Task<DummyCheckout?> FindAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock) return Task.FromResult(_byId.GetValueOrDefault(id));
    }

    public Task<DummyCheckout?> SettleAsync(string id, ProviderPaymentStatus outcome, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_byId.TryGetValue(id, out var current)) return Task.FromResult<DummyCheckout?>(null);
            if (current.Status is ProviderPaymentStatus.Pending or ProviderPaymentStatus.Declined) _byId[id] = current = current with { Status = outcome };
            return Task.FromResult<DummyCheckout?>(current);
        }
    }

    public Task<DummyRefundOutcome> RefundOnceAsync(string id, long amountMinor, string idempotencyKey, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_byId.TryGetValue(id, out var current)) return Task.FromResult(new DummyRefundOutcome(false, null, "unknown payment"));
            if (_refundKeys.Contains(idempotencyKey)) return Task.FromResult(new DummyRefundOutcome(true, current, null));
            if (current.Status != ProviderPaymentStatus.Succeeded) return Task.FromResult(new DummyRefundOutcome(false, current, "payment is not paid"));
            if (current.RefundedMinor + amountMinor > current.Amount.Minor)
                return Task.FromResult(new DummyRefundOutcome(false, current, "refund exceeds the paid amount"));
            _byId[id] = current = current with { RefundedMinor = current.RefundedMinor + amountMinor };
            _refundKeys.Add(idempotencyKey);
            return Task.FromResult(new DummyRefundOutcome(true, current, null));
        }
    }
}
