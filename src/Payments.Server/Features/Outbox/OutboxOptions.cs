using Payments.Providers.Common;

namespace Payments.Server.Features.Outbox;

/// <summary>How outgoing webhooks are sent and retried (environment variables of the same names).</summary>
public sealed record OutboxOptions
{
    /// <summary><c>OUTBOX_POLL_MILLISECONDS</c>: how often the dispatcher looks for work when nothing woke it (default 1000).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary><c>WEBHOOK_RETRY_INITIAL_SECONDS</c>: the wait after the first failed attempt (default 30); it doubles each time.</summary>
    public TimeSpan FirstRetry { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>WEBHOOK_RETRY_MAX_SECONDS</c>: the longest wait between attempts (default 21600, 6 hours).</summary>
    public TimeSpan LongestRetry { get; init; } = TimeSpan.FromHours(6);

    /// <summary><c>WEBHOOK_RETRY_WINDOW_HOURS</c>: after this long since the event, a delivery is given up (default 72).</summary>
    public TimeSpan RetryWindow { get; init; } = TimeSpan.FromDays(3);

    /// <summary><c>WEBHOOK_TIMEOUT_SECONDS</c>: how long the host's endpoint may take to answer (default 10).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a node holds a delivery it is sending: well beyond the timeout, so two nodes never send it at once.</summary>
    public TimeSpan Lease => Timeout * 3 + TimeSpan.FromSeconds(5);

    public static OutboxOptions From(IConfiguration configuration)
    {
        var options = new OutboxOptions
        {
            PollInterval = TimeSpan.FromMilliseconds(Number(configuration, "OUTBOX_POLL_MILLISECONDS", 1000, 10, 60_000)),
            FirstRetry = TimeSpan.FromSeconds(Number(configuration, "WEBHOOK_RETRY_INITIAL_SECONDS", 30, 0.01, 86_400)),
            LongestRetry = TimeSpan.FromSeconds(Number(configuration, "WEBHOOK_RETRY_MAX_SECONDS", 21_600, 0.01, 604_800)),
            RetryWindow = TimeSpan.FromHours(Number(configuration, "WEBHOOK_RETRY_WINDOW_HOURS", 72, 0.001, 720)),
            Timeout = TimeSpan.FromSeconds(Number(configuration, "WEBHOOK_TIMEOUT_SECONDS", 10, 0.1, 60)),
        };
        return options;
    }

    private static double Number(IConfiguration configuration, string name, double fallback, double min, double max)
    {
        var raw = configuration.Value(name);
        if (raw is null) return fallback;
        if (!double.TryParse(raw, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) ||
            value < min || value > max)
            throw new InvalidOperationException($"{name}='{raw}' must be a number from {min} to {max}.");
        return value;
    }

    /// <summary>Exponential backoff with full jitter: a random wait up to FirstRetry × 2^(attempts-1), capped.</summary>
    public TimeSpan Backoff(int attempts, Random random)
    {
        var ceiling = Math.Min(LongestRetry.TotalSeconds, FirstRetry.TotalSeconds * Math.Pow(2, Math.Min(attempts - 1, 30)));
        // Half fixed, half random: never hammers at once, never waits nothing.
        return TimeSpan.FromSeconds(ceiling / 2 + random.NextDouble() * ceiling / 2);
    }
}
