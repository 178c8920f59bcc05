using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Payments.Bench.LoadGen;

/// <summary>
/// A Stripe that answers at once: <c>POST /v1/checkout/sessions</c> in Stripe's JSON shape, nothing
/// else. Just enough for the service to create Stripe payments whose events the generator then signs
/// with the endpoint secret. The full, validating fake lives in the test project; this one only has
/// to be fast and to echo what the service sent (amount, currency, our id).
/// </summary>
public sealed class InstantStripe : IAsyncDisposable
{
    public const string SecretKey = "sk_test_bench_instant";
    public const string WebhookSecret = "whsec_bench_instant_secret";
    private readonly WebApplication _app;
    private long _sessions;

    private InstantStripe()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/v1/checkout/sessions", CreateSessionAsync);
        _app.MapFallback(async http =>
        {
            http.Response.StatusCode = 404;
            await http.Response.WriteAsync("""{"error":{"type":"invalid_request_error","message":"Not in the instant fake."}}""");
        });
    }

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<InstantStripe> StartAsync()
    {
        var stripe = new InstantStripe();
        await stripe._app.StartAsync();
        var address = stripe._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        stripe.BaseAddress = new Uri(address);
        return stripe;
    }

    private async Task CreateSessionAsync(HttpContext http)
    {
        if (http.Request.Headers.Authorization != $"Bearer {SecretKey}")
        {
            http.Response.StatusCode = 401;
            await http.Response.WriteAsync("""{"error":{"type":"invalid_request_error","message":"Invalid API Key provided."}}""");
            return;
        }
        var form = await http.Request.ReadFormAsync();
        var n = Interlocked.Increment(ref _sessions);
        var id = $"cs_test_bench{n:D10}";
        var ours = form["client_reference_id"].ToString();
        var amount = long.Parse(form["line_items[0][price_data][unit_amount]"].ToString(), CultureInfo.InvariantCulture);
        var currency = form["line_items[0][price_data][currency]"].ToString();
        http.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(http.Response.BodyWriter);
        json.WriteStartObject();
        json.WriteString("id", id);
        json.WriteString("object", "checkout.session");
        json.WriteNumber("amount_total", amount);
        json.WriteString("client_reference_id", ours);
        json.WriteString("currency", currency);
        json.WriteNumber("expires_at", DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds());
        json.WriteStartObject("metadata");
        json.WriteString("payment_id", form["metadata[payment_id]"].ToString());
        json.WriteEndObject();
        json.WriteString("mode", "payment");
        json.WriteNull("payment_intent");
        json.WriteString("payment_status", "unpaid");
        json.WriteString("status", "open");
        json.WriteString("url", $"https://checkout.stripe.com/c/pay/{id}");
        json.WriteEndObject();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
