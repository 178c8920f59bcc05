namespace Payments.Providers.Dummy;

/// <summary>One record of the dummy's billing side (a product, a price, a customer; later subscriptions and invoices), as JSON.</summary>
/// <param name="Kind">"product", "price", "customer", …: the dummy's own object types.</param>
public sealed record DummyBillingObject(string Id, string Kind, string Data);

/// <summary>
/// Where the dummy keeps its billing objects, as a real provider keeps them in its database: the host implements
/// it (the service, in its own database, so nothing is forgotten on restart), the dummy decides what the objects
/// mean. Each method is one atomic step, safe for concurrent callers and several nodes.
/// </summary>
public interface IDummyBillingStore
{
    /// <summary>Keeps <paramref name="candidate"/> unless an object was created with <paramref name="idempotencyKey"/>; answers the one kept.</summary>
    Task<DummyBillingObject> CreateOnceAsync(string idempotencyKey, DummyBillingObject candidate, CancellationToken cancellationToken);

    Task<DummyBillingObject?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>Replaces an object's data; false when there is no such object.</summary>
    Task<bool> UpdateAsync(string id, string data, CancellationToken cancellationToken);

    /// <summary>Every object of a kind, oldest first.</summary>
    Task<IReadOnlyList<DummyBillingObject>> ListAsync(string kind, CancellationToken cancellationToken);
}
