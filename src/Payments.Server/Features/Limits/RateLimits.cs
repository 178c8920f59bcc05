using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Payments.Providers.Common;
using Payments.Server.Features.Auth;
using Payments.Server.Hosting;

namespace Payments.Server.Features.Limits;

/// <summary>
/// Per-endpoint limits from seed 000 (create-intent 10/min, verify 30, receipt 30, receipt PDF 10,
/// each webhook route 100, PayPal capture 10), plus the admin sign-in form (10, our own: it is where an
/// admin API key would be guessed), each configurable, all off with
/// <c>RATE_LIMITS_ENABLED=false</c>. Buckets are per signed-in user, per API key, else per client IP,
/// and per route (so one provider's webhook storm does not starve another's; a webhook route by the
/// provider's canonical name, whatever letter case the URL uses). Sliding windows of
/// one minute in six segments: no burst of twice the limit at a window edge.
/// </summary>
public static class RateLimits
{
    public const string CreateIntent = "create-intent";
    public const string Verify = "verify";
    public const string Receipt = "receipt";
    public const string ReceiptPdf = "receipt-pdf";
    public const string Webhook = "webhook";
    public const string Capture = "capture";
    public const string AdminSignIn = "admin-sign-in";

    /// <summary>Policy, the variable that overrides it, and seed 000's default per minute.</summary>
    public static readonly IReadOnlyList<(string Policy, string Variable, int PerMinute)> Policies =
    [
        (CreateIntent, "RATE_LIMIT_CREATE_INTENT_PER_MINUTE", 10),
        (Verify, "RATE_LIMIT_VERIFY_PER_MINUTE", 30),
        (Receipt, "RATE_LIMIT_RECEIPT_PER_MINUTE", 30),
        (ReceiptPdf, "RATE_LIMIT_RECEIPT_PDF_PER_MINUTE", 10),
        (Webhook, "RATE_LIMIT_WEBHOOK_PER_MINUTE", 100),
        (Capture, "RATE_LIMIT_CAPTURE_PER_MINUTE", 10),
        (AdminSignIn, "RATE_LIMIT_ADMIN_SIGN_IN_PER_MINUTE", 10),
    ];

    /// <param name="ServicePerMinute">
    /// <c>RATE_LIMIT_SERVICE_PER_MINUTE</c> (default 6,000): a service key is the host's whole backend, acting for
    /// all its users, so it gets its own, higher limit per route; each end user it names is held to the
    /// route's usual limit (<see cref="EndUserLimits"/>).
    /// </param>
    public sealed record Settings(bool Enabled, IReadOnlyDictionary<string, int> PerMinute, int ServicePerMinute = 6000)
    {
        public static Settings From(IConfiguration configuration) => new(
            configuration.Flag("RATE_LIMITS_ENABLED", true),
            Policies.ToDictionary(p => p.Policy, p => PerMinuteOf(configuration, p.Variable, p.PerMinute)),
            PerMinuteOf(configuration, "RATE_LIMIT_SERVICE_PER_MINUTE", 6000));

        private static int PerMinuteOf(IConfiguration configuration, string variable, int fallback) =>
            configuration.Value(variable) is { } raw
                ? int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                    ? n
                    : throw new InvalidOperationException($"{variable}='{raw}' must be a positive whole number of requests per minute.")
                : fallback;
    }

    public static IServiceCollection AddPaymentsRateLimits(this IServiceCollection services)
    {
        services.AddSingleton(sp => Settings.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<EndUserLimits>();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (context, _) =>
            {
                var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                    : 10;
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                var problem = Problems.Create(context.HttpContext, StatusCodes.Status429TooManyRequests, "rate_limited",
                    $"Too many requests to this endpoint; try again in {seconds} s.");
                problem.Extensions["retry_after_seconds"] = seconds;
                await Problems.WriteAsync(context.HttpContext, problem);
            };
            foreach (var (policy, _, _) in Policies)
                options.AddPolicy(policy, context => Partition(policy, context));
        });
        return services;
    }

    /// <summary>
    /// The provider's own name (routes match it in any letter case, so <c>/webhook/DUMMY</c> must not be a
    /// bucket of its own); every name that is no provider shares one bucket, or made-up names would each get theirs.
    /// </summary>
    private static string CanonicalProvider(HttpContext context) =>
        context.Request.RouteValues["provider"] is string name
        && context.RequestServices.GetRequiredService<global::Payments.Providers.ProviderRegistry>().TryGet(name, out var provider)
            ? provider.Name
            : "?";

    internal static SlidingWindowRateLimiterOptions Window(int perMinute) => new()
    {
        PermitLimit = perMinute,
        Window = TimeSpan.FromMinutes(1),
        SegmentsPerWindow = 6,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private static RateLimitPartition<string> Partition(string policy, HttpContext context)
    {
        var settings = context.RequestServices.GetRequiredService<Settings>();
        if (!settings.Enabled) return RateLimitPartition.GetNoLimiter("off");
        var caller = context.Caller();
        var who = caller.Partition ?? $"ip:{context.Connection.RemoteIpAddress}";
        var route = policy == Webhook ? $"{policy}:{CanonicalProvider(context)}" : policy;
        var limit = caller.IsService ? settings.ServicePerMinute : settings.PerMinute[policy];
        return RateLimitPartition.GetSlidingWindowLimiter($"{route}|{who}", _ => Window(limit));
    }
}
