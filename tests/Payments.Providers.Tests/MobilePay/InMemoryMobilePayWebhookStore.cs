using Payments.Providers.MobilePay;

namespace Payments.Providers.Tests.MobilePay;

/// <summary><see cref="IMobilePayWebhookStore"/> in memory, for tests of the provider alone (the service keeps them in its database).</summary>
public sealed class InMemoryMobilePayWebhookStore : IMobilePayWebhookStore
{
    private readonly List<MobilePayWebhook> _webhooks = [];

    public int Reads { get; private set; }

    public Task SaveAsync(MobilePayWebhook webhook, CancellationToken ct)
    {
        lock (_webhooks) _webhooks.Add(webhook);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<MobilePayWebhook>> ListAsync(string merchantSerialNumber, CancellationToken ct)
    {
        lock (_webhooks)
        {
            Reads++;
            return Task.FromResult<IReadOnlyList<MobilePayWebhook>>(_webhooks.Where(w => w.MerchantSerialNumber == merchantSerialNumber).ToList());
        }
    }
}
