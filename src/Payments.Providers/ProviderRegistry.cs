using Microsoft.Extensions.Configuration;
using Payments.Core.Errors;
using Payments.Core.Providers;
using Payments.Providers.Common;
using Payments.Providers.Dummy;

namespace Payments.Providers;

/// <summary>
/// All providers this build knows, which of them are enabled, and the default one
/// (<c>PAYMENT_PROVIDER</c>). Several run side by side; each payment stays with the provider
/// that created it, and a provider id finds its provider by shape (<see cref="IPaymentProvider.OwnsPaymentId"/>).
/// </summary>
public sealed class ProviderRegistry
{
    private readonly IReadOnlyDictionary<string, IPaymentProvider> _enabled;

    public ProviderRegistry(IEnumerable<IPaymentProvider> providers, IConfiguration configuration)
    {
        var all = providers.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        Known = all.Keys.Order(StringComparer.Ordinal).ToArray();
        var enabled = all.Values.Where(p => p.IsEnabled).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        ExcludeDummyBesideLiveProviders(enabled, configuration);

        var requested = configuration.Value("PAYMENT_PROVIDER")?.ToLowerInvariant();
        var defaultName = requested ?? DefaultWhenUnset(enabled);
        if (!all.TryGetValue(defaultName, out var defaultProvider))
            throw new InvalidOperationException(
                $"PAYMENT_PROVIDER='{defaultName}' is not a provider this service knows ({string.Join(", ", Known)}).");
        if (!enabled.ContainsKey(defaultName) && defaultProvider.MissingSettings.Count == 0)
            throw new InvalidOperationException(
                $"PAYMENT_PROVIDER='{defaultName}' names a provider that is switched off.");

        var problems = all.Values
            .Where(p => (p.IsEnabled || p == defaultProvider) && p.MissingSettings.Count > 0)
            .Select(p => $"{p.Name} needs {string.Join(", ", p.MissingSettings)}" +
                         (p == defaultProvider && !p.IsEnabled ? " (it is PAYMENT_PROVIDER)" : ""))
            .ToList();
        if (problems.Count > 0)
            throw new InvalidOperationException(
                "Payment provider configuration is incomplete: " + string.Join("; ", problems) + ". Set the named environment variables.");

        _enabled = enabled;
        Default = defaultProvider;
    }

    /// <summary>
    /// The dummy lets anyone mark a payment paid. Beside a provider with live keys it switches itself
    /// off, and asking for it there explicitly (DUMMY_PROVIDER_ENABLED=true, or PAYMENT_PROVIDER=dummy)
    /// stops start-up with that reason: the safe default must not depend on an operator remembering
    /// one variable, and "switched off" alone would not say why.
    /// </summary>
    private static void ExcludeDummyBesideLiveProviders(Dictionary<string, IPaymentProvider> enabled, IConfiguration configuration)
    {
        var live = enabled.Values.Where(p => p.IsLive).Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
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

    /// <summary>Without PAYMENT_PROVIDER: the dummy when it runs, else the only enabled provider.</summary>
    private static string DefaultWhenUnset(Dictionary<string, IPaymentProvider> enabled)
    {
        if (enabled.ContainsKey(DummyProvider.ProviderName) || enabled.Count == 0) return DummyProvider.ProviderName;
        if (enabled.Count == 1) return enabled.Keys.Single();
        throw new InvalidOperationException(
            $"PAYMENT_PROVIDER is not set and several providers are enabled ({string.Join(", ", enabled.Keys.Order(StringComparer.Ordinal))}); name the default one.");
    }

    /// <summary>Every provider compiled in, enabled or not.</summary>
    public IReadOnlyList<string> Known { get; }

    public IPaymentProvider Default { get; }

    /// <summary>Enabled providers, by name.</summary>
    public IEnumerable<IPaymentProvider> Enabled => _enabled.Values;

    /// <summary>The named provider, or the default when <paramref name="name"/> is empty; 422 when not enabled.</summary>
    public IPaymentProvider Get(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return Default;
        return _enabled.TryGetValue(name, out var provider)
            ? provider
            : throw PaymentsException.Validation(
                    $"Provider '{name}' is not enabled here. Enabled: {string.Join(", ", _enabled.Keys.Order(StringComparer.Ordinal))}.")
                .With("provider", name);
    }

    public bool TryGet(string name, out IPaymentProvider provider) => _enabled.TryGetValue(name, out provider!);

    /// <summary>The enabled provider whose id shape matches, or null.</summary>
    public IPaymentProvider? OwnerOf(string providerPaymentId) =>
        _enabled.Values.FirstOrDefault(p => p.OwnsPaymentId(providerPaymentId));
}
