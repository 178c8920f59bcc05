using Microsoft.Extensions.Configuration;
using Payments.Core.Errors;
using Payments.Core.Providers;
using Payments.Providers.Common;
using Payments.Providers.Dummy;

namespace Payments.Providers;

/// <summary>
/// All providers this build knows, which of them are enabled, and the default one
/// (<c>PAYMENT_PROVIDER</c>). Several run side by side; each payment stays with the provider
/// that created it, and a provider id finds its provider by shape (<see cref="ProviderDescriptor.OwnsPaymentId"/>).
/// </summary>
public sealed class ProviderRegistry
{
    private readonly IReadOnlyDictionary<string, IProvider> _enabled;
    private readonly IReadOnlyDictionary<string, IProvider> _all;

    public ProviderRegistry(IEnumerable<IProvider> providers, IConfiguration configuration)
    {
        var all = providers.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        Known = all.Keys.Order(StringComparer.Ordinal).ToArray();
        var enabled = all.Values.Where(p => p.Descriptor.IsEnabled).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        ExcludeDummyBesideLiveProviders(enabled, configuration);

        var requested = configuration.Value("PAYMENT_PROVIDER")?.ToLowerInvariant();
        var defaultName = requested ?? DefaultWhenUnset(enabled);
        if (!all.TryGetValue(defaultName, out var defaultProvider))
            throw new InvalidOperationException(
                $"PAYMENT_PROVIDER='{defaultName}' is not a provider this service knows ({string.Join(", ", Known)}).");
        if (!enabled.ContainsKey(defaultName) && defaultProvider.Descriptor.MissingSettings.Count == 0)
            throw new InvalidOperationException(
                $"PAYMENT_PROVIDER='{defaultName}' names a provider that is switched off.");
        if (defaultProvider.Descriptor.Gateway is not null)
            throw new InvalidOperationException(
                $"PAYMENT_PROVIDER='{defaultName}' names a wallet: each of its payments needs the buyer's wallet token, so it cannot be the default. " +
                $"Name {defaultProvider.Descriptor.Gateway} (or another provider).");

        var problems = all.Values
            .Where(p => (p.Descriptor.IsEnabled || p == defaultProvider) && p.Descriptor.MissingSettings.Count > 0)
            .Select(p => $"{p.Name} needs {string.Join(", ", p.Descriptor.MissingSettings)}" +
                         (p == defaultProvider && !p.Descriptor.IsEnabled ? " (it is PAYMENT_PROVIDER)" : ""))
            .ToList();
        if (problems.Count > 0)
            throw new InvalidOperationException(
                "Payment provider configuration is incomplete: " + string.Join("; ", problems) + ". Set the named environment variables.");

        _enabled = enabled;
        _all = all;
        Default = defaultProvider;
        _carried = all.Values.ToDictionary(p => p.Name,
            p => (IReadOnlyList<string>)[p.Name, .. all.Values.Where(w => w.Descriptor.Gateway == p.Name).Select(w => w.Name).Order(StringComparer.Ordinal)],
            StringComparer.Ordinal);
    }

    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _carried;

    /// <summary>
    /// The providers whose payments <paramref name="provider"/>'s webhooks and ids can concern: itself and
    /// every wallet it is the gateway of (Stripe: stripe, applepay, googlepay), enabled or not, since a
    /// wallet switched off still has payments whose refunds Stripe reports.
    /// </summary>
    public IReadOnlyList<string> CarriedBy(string provider) => _carried.TryGetValue(provider, out var names) ? names : [provider];

    /// <summary>
    /// The dummy lets anyone mark a payment paid. Beside a provider with live keys it switches itself
    /// off, and asking for it there explicitly (DUMMY_PROVIDER_ENABLED=true, or PAYMENT_PROVIDER=dummy)
    /// stops start-up with that reason: the safe default must not depend on an operator remembering
    /// one variable, and "switched off" alone would not say why.
    /// </summary>
    private static void ExcludeDummyBesideLiveProviders(Dictionary<string, IProvider> enabled, IConfiguration configuration)
    {
        var live = enabled.Values.Where(p => p.Descriptor.IsLive).Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
        if (live.Count == 0 || !enabled.ContainsKey(DummyProvider.ProviderName)) return;
        if (configuration.Value("DUMMY_PROVIDER_ENABLED") is not null)
            throw new InvalidOperationException(
                $"DUMMY_PROVIDER_ENABLED is set beside live {string.Join(", ", live)} credentials: the dummy provider lets anyone " +
                "mark a payment paid. Remove DUMMY_PROVIDER_ENABLED (or use test credentials).");
        if (string.Equals(configuration.Value("PAYMENT_PROVIDER"), DummyProvider.ProviderName, StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException(
                $"PAYMENT_PROVIDER=dummy beside live {string.Join(", ", live)} credentials: the dummy provider lets anyone " +
                $"mark a payment paid, so it is switched off. Set PAYMENT_PROVIDER to {string.Join(" or ", live)} (or use test credentials).");
        enabled.Remove(DummyProvider.ProviderName);
    }

    /// <summary>
    /// Without PAYMENT_PROVIDER: the dummy when it runs, else the only enabled provider. Wallets do not
    /// count: they need a token the caller brings, and their gateway is enabled beside them.
    /// </summary>
    private static string DefaultWhenUnset(Dictionary<string, IProvider> enabled)
    {
        var candidates = enabled.Values.Where(p => p.Descriptor.Gateway is null).Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
        if (enabled.ContainsKey(DummyProvider.ProviderName) || candidates.Count == 0) return DummyProvider.ProviderName;
        if (candidates.Count == 1) return candidates[0];
        throw new InvalidOperationException(
            $"PAYMENT_PROVIDER is not set and several providers are enabled ({string.Join(", ", candidates)}); name the default one.");
    }

    /// <summary>Every provider compiled in, enabled or not.</summary>
    public IReadOnlyList<string> Known { get; }

    public IProvider Default { get; }

    /// <summary>Enabled providers, by name.</summary>
    public IEnumerable<IProvider> Enabled => _enabled.Values;

    /// <summary>
    /// The named provider's <typeparamref name="T"/> capability, or the default provider's when
    /// <paramref name="name"/> is empty; 422 when that provider is not enabled or cannot do it.
    /// </summary>
    public T Get<T>(string? name) where T : class, IProvider
    {
        var provider = string.IsNullOrWhiteSpace(name) ? Default : Find(name);
        return provider as T ?? throw Unsupported<T>(provider);
    }

    /// <summary>The named enabled provider, whatever it can do; 422 when not enabled.</summary>
    public IProvider Find(string name) =>
        _enabled.TryGetValue(name, out var provider)
            ? provider
            : throw PaymentsException.Validation(
                    $"Provider '{name}' is not enabled here. Enabled: {string.Join(", ", _enabled.Keys.Order(StringComparer.Ordinal))}.")
                .With("provider", name);

    public bool TryGet(string name, out IProvider provider) => _enabled.TryGetValue(name, out provider!);

    /// <summary>The named enabled provider when it has the <typeparamref name="T"/> capability.</summary>
    public bool TryGet<T>(string name, out T provider) where T : class, IProvider
    {
        provider = (_enabled.TryGetValue(name, out var found) ? found as T : null)!;
        return provider is not null;
    }

    /// <summary>Enabled providers that have the <typeparamref name="T"/> capability.</summary>
    public IEnumerable<T> EnabledWith<T>() where T : class, IProvider => _enabled.Values.OfType<T>();

    /// <summary>The enabled provider whose id shape matches, or null.</summary>
    public IProvider? OwnerOf(string providerPaymentId) =>
        _enabled.Values.FirstOrDefault(p => p.Descriptor.OwnsPaymentId(providerPaymentId));

    /// <summary>The descriptor of any known provider (enabled or not), or null: for names stored on old rows.</summary>
    public ProviderDescriptor? Describe(string name) => _all.TryGetValue(name, out var provider) ? provider.Descriptor : null;

    /// <summary>
    /// How a provider is named to people ("Stripe"): its descriptor's display name, also for a
    /// provider switched off since (old payments keep their receipts); an unknown name capitalised.
    /// </summary>
    public string DisplayName(string name) => Describe(name)?.DisplayName ?? Capitalised(name);

    public static string Capitalised(string name) => name.Length > 0 ? char.ToUpperInvariant(name[0]) + name[1..] : name;

    /// <summary>A provider that cannot do what was asked: a clear 422 naming the capability, never a NotSupportedException.</summary>
    public static PaymentsException Unsupported<T>(IProvider provider) where T : IProvider =>
        PaymentsException.Validation($"Provider '{provider.Name}' does not support {CapabilityName(typeof(T))}.")
            .With("provider", provider.Name);

    private static string CapabilityName(Type capability) => capability.Name switch
    {
        nameof(ICheckoutProvider) => "one-off payments",
        nameof(IRefundProvider) => "refunds",
        nameof(ICaptureProvider) => "captures",
        nameof(IWebhookProvider) or nameof(IWebhookVerifier) or nameof(IWebhookParser) => "webhooks",
        nameof(IBillingProvider) => "billing (catalog and customers)",
        nameof(ISubscriptionProvider) => "subscriptions",
        nameof(IConnectedAccountsProvider) => "connected accounts",
        _ => capability.Name,
    };
}
