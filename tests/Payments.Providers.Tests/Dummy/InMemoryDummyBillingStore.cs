using Payments.Providers.Dummy;

namespace Payments.Providers.Tests.Dummy;

/// <summary><see cref="IDummyBillingStore"/> in memory, for the provider's own tests (the service keeps the objects in its database).</summary>
public sealed class InMemoryDummyBillingStore : IDummyBillingStore
{
    private readonly Lock _lock = new();
    private readonly List<DummyBillingObject> _objects = [];
    private readonly Dictionary<string, string> _idByKey = new(StringComparer.Ordinal);

    public Task<DummyBillingObject> CreateOnceAsync(string idempotencyKey, DummyBillingObject candidate, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_idByKey.TryGetValue(idempotencyKey, out var id)) return Task.FromResult(_objects.Single(o => o.Id == id));
            _idByKey[idempotencyKey] = candidate.Id;
            _objects.Add(candidate);
            return Task.FromResult(candidate);
        }
    }

    public Task<DummyBillingObject?> FindAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock) return Task.FromResult(_objects.SingleOrDefault(o => o.Id == id));
    }

    public Task<bool> UpdateAsync(string id, string data, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var index = _objects.FindIndex(o => o.Id == id);
            if (index < 0) return Task.FromResult(false);
            _objects[index] = _objects[index] with { Data = data };
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<DummyBillingObject>> ListAsync(string kind, CancellationToken cancellationToken)
    {
        lock (_lock) return Task.FromResult<IReadOnlyList<DummyBillingObject>>(_objects.Where(o => o.Kind == kind).ToList());
    }
}
