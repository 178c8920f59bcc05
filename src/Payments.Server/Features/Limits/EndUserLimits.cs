using System.Threading.RateLimiting;
using Payments.Core.Errors;
using Payments.Server.Features.Auth;

namespace Payments.Server.Features.Limits;

/// <summary>
/// A service key acts for many end users; each one it names (<c>user_id</c> in the body) is held to the
/// route's usual per-user limit, so one abusive end user of the host cannot use up the host's whole
/// allowance and the host does not have to build this itself. The body is read by then, which the
/// rate-limiting middleware cannot do, so the handler asks here after binding.
/// </summary>
public sealed class EndUserLimits(RateLimits.Settings settings) : IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetSlidingWindowLimiter(key, _ => RateLimits.Window(settings.PerMinute[key[..key.IndexOf('|')]])));

    /// <summary>Counts one request of <paramref name="policy"/> for <paramref name="userId"/> when a service key names one; 429 beyond the limit.</summary>
    public void Acquire(string policy, Caller caller, string? userId)
    {
        if (!settings.Enabled || !caller.IsService || string.IsNullOrWhiteSpace(userId)) return;
        using var lease = limiter.AttemptAcquire($"{policy}|{userId.Trim()}");
        if (lease.IsAcquired) return;
        var seconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 10;
        throw new PaymentsException(ErrorKind.RateLimited, $"Too many requests for user '{userId.Trim()}'; try again in {seconds} s.")
            .With("retry_after_seconds", seconds);
    }

    public void Dispose() => limiter.Dispose();
}
