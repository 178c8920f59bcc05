using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Payments.Server.Features.Auth;
using Payments.Server.Features.Outbox;

namespace Payments.Server.Hosting;

/// <summary>
/// Metrics and money log lines. OpenTelemetry collects the "Payments" meter (<see cref="PaymentsMetrics"/>)
/// with ASP.NET Core's, HttpClient's and the runtime's, and shows them:
/// <list type="bullet">
/// <item>at <c>/metrics</c> (Prometheus text). With <c>METRICS_URLS</c> (e.g. <c>http://127.0.0.1:9464</c>)
/// on that separate listener only, without auth, and nothing else answers there; without it, on the main
/// listener for admins only (an admin API key as Bearer), since counts by provider are business data;</item>
/// <item>to an OTLP collector when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (metrics and traces; the
/// standard <c>OTEL_*</c> variables configure it). Unset, no trace is recorded at all.</item>
/// </list>
/// </summary>
public static class Observability
{
    public const string MetricsPath = "/metrics";

    /// <summary>Distinct tag combinations kept per metric (OpenTelemetry's cardinality limit).</summary>
    public const int MetricPointsPerStream = 500;

    public static WebApplicationBuilder AddPaymentsObservability(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // One line per HTTP call to a provider at Information was noise beside the money lines.
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        services.AddSingleton<PaymentsMetrics>();
        services.AddSingleton<MoneyLog>();
        services.AddSingleton<OutboxLag>();
        services.AddSingleton(sp => MetricsListener.From(sp.GetRequiredService<IConfiguration>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHttpMessageHandlerBuilderFilter, ProviderCallTimerFilter>());

        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("payments"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(PaymentsMetrics.MeterName)
                    // OpenTelemetry allocates every metric stream's points up front, 2,000 by default: about
                    // 57 streams × 144 KB = 8 MB of large-object heap held for the life of the process
                    // (dotnet-gcdump, bench/RESULTS.md step 15). Our tags (route, method, status, provider,
                    // outcome) come nowhere near 500 combinations; past it OpenTelemetry counts the rest
                    // under one overflow point instead of dropping them.
                    .AddView(_ => new MetricStreamConfiguration { CardinalityLimit = MetricPointsPerStream })
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddPrometheusExporter();
                if (otlp) metrics.AddOtlpExporter();
            });
        if (otlp) telemetry.WithTracing(tracing => tracing.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddOtlpExporter());

        // The metrics listener is one more Kestrel address; a bad METRICS_URLS is reported at start-up
        // (MetricsListener, resolved by PrepareAsync) in one line, so it is simply not added here.
        if (MetricsListener.TryParse(builder.Configuration[MetricsListener.Variable], out var listener) && listener.Urls.Count > 0)
        {
            var main = builder.Configuration["urls"] is { Length: > 0 } urls ? urls
                : builder.Configuration["http_ports"] is { Length: > 0 } ports ? string.Join(';', ports.Split(';', ',').Select(p => $"http://*:{p.Trim()}"))
                : ServiceRegistration.DefaultUrl;
            builder.WebHost.UseUrls([.. main.Split(';', StringSplitOptions.RemoveEmptyEntries), .. listener.Urls]);
        }
        return builder;
    }

    /// <summary>First in the pipeline: the metrics listener answers /metrics and nothing else.</summary>
    public static void UseMetricsListener(WebApplication app)
    {
        var listener = app.Services.GetRequiredService<MetricsListener>();
        if (listener.Ports.Count == 0) return;
        app.Use((context, next) =>
        {
            if (!listener.Ports.Contains(context.Connection.LocalPort) || context.Request.Path == MetricsPath) return next(context);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        app.UseOpenTelemetryPrometheusScrapingEndpoint(
            context => context.Request.Path == MetricsPath && listener.Ports.Contains(context.Connection.LocalPort));
    }

    /// <summary>Without a metrics listener, /metrics is on the main one, for admins.</summary>
    public static void MapMetrics(WebApplication app)
    {
        if (app.Services.GetRequiredService<MetricsListener>().Ports.Count > 0) return;
        app.MapPrometheusScrapingEndpoint(MetricsPath).RequireAuthorization(AuthSetup.AdminPolicy).ExcludeFromDescription()
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get])); // a scrape is a GET; the exporter maps every method
    }
}

/// <summary><c>METRICS_URLS</c>: absolute http URLs with explicit ports (the port is how a request is known to be on it).</summary>
public sealed record MetricsListener(IReadOnlyList<string> Urls, IReadOnlySet<int> Ports)
{
    public const string Variable = "METRICS_URLS";

    public static MetricsListener From(IConfiguration configuration)
    {
        var raw = configuration[Variable];
        return TryParse(raw, out var listener) ? listener
            : throw new InvalidOperationException(
                $"{Variable}='{raw}' must be http URLs with a port, separated by ';' (e.g. http://127.0.0.1:9464), on ports the main listener does not use.");
    }

    public static bool TryParse(string? raw, out MetricsListener listener)
    {
        listener = new MetricsListener([], new HashSet<int>());
        if (string.IsNullOrWhiteSpace(raw)) return true;
        var urls = raw.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var ports = new HashSet<int>();
        foreach (var url in urls)
        {
            if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
                || uri.Scheme != Uri.UriSchemeHttp || uri.IsDefaultPort || uri.Port == 0 || uri.AbsolutePath != "/")
                return false;
            ports.Add(uri.Port);
        }
        listener = new MetricsListener(urls, ports);
        return true;
    }
}
