using System.Diagnostics.Metrics;
using Payments.Core.Providers;

namespace Payments.Server.Hosting;

/// <summary>
/// Every instrument of the "Payments" meter, in one place (names as Prometheus shows them at /metrics):
/// <list type="bullet">
/// <item><c>payments_payments_total{provider,outcome}</c>: payments created, and every change a provider
/// reported and we committed (succeeded, failed, canceled, expired, conflicted, refunded, partially_refunded);</item>
/// <item><c>payments_webhooks_received_total{provider,result}</c>: deliveries in, by how they ended
/// (applied, no_change, stale, conflict, informational, unmatched, duplicate, unhandled, signature_invalid, malformed_event);</item>
/// <item><c>payments_webhook_signature_failures_total{provider}</c> and <c>payments_conflicts_total{provider}</c>;</item>
/// <item><c>payments_webhooks_sent_total{result}</c>: attempts to deliver to the host (delivered, retry, gave_up);</item>
/// <item><c>payments_outbox_lag_seconds</c>: age of the oldest event not yet delivered (0 when none waits);</item>
/// <item><c>payments_provider_call_duration_seconds{provider,status}</c>: each HTTP call to a provider.</item>
/// </list>
/// Counters cost an interlocked add and a tag lookup; no allocation beyond the tag list on the stack.
/// Created through <see cref="IMeterFactory"/>, so each service instance (and each test host) has its own.
/// </summary>
public sealed class PaymentsMetrics
{
    public const string MeterName = "Payments";

    private readonly Counter<long> _payments;
    private readonly Counter<long> _webhooksIn;
    private readonly Counter<long> _signatureFailures;
    private readonly Counter<long> _conflicts;
    private readonly Counter<long> _webhooksOut;
    private readonly Histogram<double> _providerCalls;

    public PaymentsMetrics(IMeterFactory meters, IServiceProvider services)
    {
        var meter = meters.Create(MeterName);
        _payments = meter.CreateCounter<long>("payments.payments", description: "Payments created, and each change of status a provider reported, by provider and outcome.");
        _webhooksIn = meter.CreateCounter<long>("payments.webhooks.received", description: "Provider webhook deliveries, by provider and how they ended.");
        _signatureFailures = meter.CreateCounter<long>("payments.webhook.signature_failures", description: "Webhook deliveries refused for a missing or wrong signature.");
        _conflicts = meter.CreateCounter<long>("payments.conflicts", description: "Payments a provider reported with another amount or currency than ours.");
        _webhooksOut = meter.CreateCounter<long>("payments.webhooks.sent", description: "Attempts to deliver an event to the host's endpoints, by result.");
        _providerCalls = meter.CreateHistogram<double>("payments.provider.call.duration", unit: "s",
            description: "HTTP calls to payment providers, by provider and status code (or 'error' without an answer).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        // Read when metrics are collected (a scrape), never on a request path.
        meter.CreateObservableGauge("payments.outbox.lag", () => services.GetRequiredService<Features.Outbox.OutboxLag>().Seconds(), unit: "s",
            description: "Age of the oldest event the host has not yet received (0 when nothing waits).");
    }

    public void PaymentOutcome(string provider, string outcome) =>
        _payments.Add(1, new("provider", provider), new("outcome", outcome));

    public void WebhookReceived(string provider, DeliveryOutcome outcome) => WebhookReceived(provider, outcome.ToWire());

    public void WebhookReceived(string provider, string result) =>
        _webhooksIn.Add(1, new("provider", provider), new("result", result));

    public void SignatureFailure(string provider) => _signatureFailures.Add(1, new KeyValuePair<string, object?>("provider", provider));

    public void Conflict(string provider) => _conflicts.Add(1, new KeyValuePair<string, object?>("provider", provider));

    /// <summary><paramref name="result"/>: delivered, retry (a failed attempt to be tried again) or gave_up.</summary>
    public void WebhookSent(string result) => _webhooksOut.Add(1, new KeyValuePair<string, object?>("result", result));

    public void ProviderCall(string provider, int? status, TimeSpan elapsed) =>
        _providerCalls.Record(elapsed.TotalSeconds, new("provider", provider), new("status", status is { } code ? StatusText(code) : "error"));

    // The common codes without a string allocation per call.
    private static string StatusText(int code) => code switch
    {
        200 => "200", 201 => "201", 204 => "204", 400 => "400", 401 => "401", 402 => "402", 404 => "404", 409 => "409",
        422 => "422", 429 => "429", 500 => "500", 502 => "502", 503 => "503", _ => code.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
