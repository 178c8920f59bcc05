using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Payments.Providers.Common;

namespace Payments.Server.Hosting;

/// <summary>
/// <c>TRUSTED_PROXIES</c>: the reverse proxies (addresses or CIDR networks, comma-separated) whose
/// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed, so rate limits, guests'
/// idempotency scopes, secure cookies and generated URLs use the real client and scheme. Unset: no
/// forwarded header is believed from anyone (a client could otherwise claim any address).
/// </summary>
public sealed record TrustedProxies(IReadOnlyList<IPAddress> Addresses, IReadOnlyList<System.Net.IPNetwork> Networks)
{
    public const string Variable = "TRUSTED_PROXIES";

    public bool Any => Addresses.Count + Networks.Count > 0;

    public static TrustedProxies From(IConfiguration configuration)
    {
        var addresses = new List<IPAddress>();
        var networks = new List<System.Net.IPNetwork>();
        foreach (var entry in (configuration.Value(Variable) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (entry.Contains('/') && System.Net.IPNetwork.TryParse(entry, out var network)) networks.Add(network);
            else if (!entry.Contains('/') && IPAddress.TryParse(entry, out var address)) addresses.Add(address);
            else throw new InvalidOperationException($"{Variable}: '{entry}' is neither an IP address nor a CIDR network (10.0.0.0/8).");
        }
        return new TrustedProxies(addresses, networks);
    }

    /// <summary>First in the pipeline when proxies are configured; nothing otherwise.</summary>
    public static void Use(WebApplication app)
    {
        var trusted = app.Services.GetRequiredService<TrustedProxies>();
        if (!trusted.Any) return;
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
        // The defaults trust loopback; only what the operator named is trusted.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var address in trusted.Addresses) options.KnownProxies.Add(address);
        foreach (var network in trusted.Networks) options.KnownIPNetworks.Add(network);
        app.UseForwardedHeaders(options);
    }
}
