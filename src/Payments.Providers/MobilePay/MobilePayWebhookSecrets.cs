namespace Payments.Providers.MobilePay;

/// <summary>A webhook registered at Vipps for one sales unit, with the secret its deliveries are signed with.</summary>
public sealed record MobilePayWebhook(string Id, string MerchantSerialNumber, Uri Url, IReadOnlyList<string> Events, string Secret);

/// <summary>
/// Where registered webhooks and their secrets are kept. The host implements it over its database
/// (every node and the CLI share it, see docs/decisions.md); the provider knows nothing about storage.
/// </summary>
public interface IMobilePayWebhookStore
{
    /// <summary>Keeps a registration (its id is Vipps's, unique) with the time it is kept.</summary>
    Task SaveAsync(MobilePayWebhook webhook, CancellationToken ct);

    /// <summary>The registrations of a sales unit.</summary>
    Task<IReadOnlyList<MobilePayWebhook>> ListAsync(string merchantSerialNumber, CancellationToken ct);
}

/// <summary>
/// The secrets a delivery may be signed with: every stored registration of our sales unit, and
/// <c>MOBILEPAY_WEBHOOK_SECRET</c> when set. Read once and kept; when a delivery matches none of them,
/// read again (at most once a second) before refusing it, so a webhook just registered by the CLI (another
/// process) or on another node is trusted from its first delivery without a restart.
/// </summary>
public sealed class MobilePayWebhookSecrets(IMobilePayWebhookStore store, MobilePayOptions options, TimeProvider clock)
{
    public static readonly TimeSpan MinReloadInterval = TimeSpan.FromSeconds(1);

    private sealed record Snapshot(IReadOnlyList<(string Secret, Uri? Url)> Secrets, DateTimeOffset LoadedAt);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private Snapshot? _current;

    /// <summary>The known secrets, each with the URL it was registered for (null for the configured one).</summary>
    public async Task<IReadOnlyList<(string Secret, Uri? Url)>> GetAsync(bool reload, CancellationToken ct)
    {
        var current = Volatile.Read(ref _current);
        if (current is not null && (!reload || clock.GetUtcNow() - current.LoadedAt < MinReloadInterval)) return current.Secrets;
        await _gate.WaitAsync(ct);
        try
        {
            current = Volatile.Read(ref _current);
            if (current is not null && (!reload || clock.GetUtcNow() - current.LoadedAt < MinReloadInterval)) return current.Secrets;
            var secrets = new List<(string, Uri?)>();
            if (options.WebhookSecret is { } configured) secrets.Add((configured, null));
            if (options.MerchantSerialNumber is { } msn)
                secrets.AddRange((await store.ListAsync(msn, ct)).Select(w => (w.Secret, (Uri?)w.Url)));
            Volatile.Write(ref _current, new Snapshot(secrets, clock.GetUtcNow()));
            return secrets;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forget what was read, so the next delivery reads the store (after a registration in this process).</summary>
    public void Forget() => Volatile.Write(ref _current, null);
}
