using System.Globalization;
using Payments.Providers.Common;

namespace Payments.Server.Features.Subscriptions;

/// <summary>
/// The subscription worker, by environment-variable names: <c>SUBSCRIPTION_WORKER_ENABLED</c> (default true),
/// <c>SUBSCRIPTION_WORKER_INTERVAL_SECONDS</c> (how often queued events that failed are tried again and the sweep runs;
/// default 60) and <c>SUBSCRIPTION_RESYNC_AFTER_SECONDS</c> (a subscription not heard of for this long is fetched again;
/// default 3600).
/// </summary>
public sealed record SubscriptionOptions
{
    public bool WorkerEnabled { get; init; } = true;
    public TimeSpan WorkerInterval { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan ResyncAfter { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Customers (queue) and subscriptions (sweep) taken per round.</summary>
    public int BatchSize { get; init; } = 50;

    public static SubscriptionOptions From(IConfiguration configuration) => new()
    {
        WorkerEnabled = configuration.Flag("SUBSCRIPTION_WORKER_ENABLED", true),
        WorkerInterval = configuration.Seconds("SUBSCRIPTION_WORKER_INTERVAL_SECONDS", 60, 1, 86_400),
        ResyncAfter = configuration.Seconds("SUBSCRIPTION_RESYNC_AFTER_SECONDS", 3_600, 0, 30 * 86_400),
    };
}
