using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Subscriptions;

/// <summary>A signed-in user of the subscription API, as a host application's front end would call it.</summary>
public sealed class SubscriptionClient(PaymentsApp app, string user) : IDisposable
{
    private readonly HttpClient _http = app.Client().As(Credentials.Jwt(user));

    public string User => user;
    public HttpClient Http => _http;

    public static string NewUser() => "user-" + Guid.NewGuid().ToString("N")[..10];

    public static string GermanVat() => "DE" + Random.Shared.NextInt64(100_000_000, 999_999_999);

    /// <summary>Billing information in Berlin, with a VAT number or as a consumer.</summary>
    public Task<JsonElement> SetBillingInfo(string? vat) => Send(HttpMethod.Put, "/api/v1/billing/info", new
    {
        name = "ACME GmbH", email = "billing@acme.example", vat_id = vat,
        address = new { line1 = "Hauptstraße 1", line2 = (string?)null, city = "Berlin", postal_code = "10115", country = "DE" },
    });

    public Task<JsonElement> Subscribe(string provider, string price = "pro_monthly") =>
        Send(HttpMethod.Post, "/api/v1/subscriptions", new { price, provider }, HttpStatusCode.Created);

    public Task<JsonElement> Get(string id) => Send(HttpMethod.Get, $"/api/v1/subscriptions/{id}");

    public Task<JsonElement> Invoices(string id) => Send(HttpMethod.Get, $"/api/v1/subscriptions/{id}/invoices");

    public Task<JsonElement> Cancel(string id, bool atPeriodEnd) => Send(HttpMethod.Post, $"/api/v1/subscriptions/{id}/cancel", new { at_period_end = atPeriodEnd });

    public Task<JsonElement> Resume(string id) => Send(HttpMethod.Post, $"/api/v1/subscriptions/{id}/resume", new { });

    public Task<JsonElement> Receipt(string paymentId) => Send(HttpMethod.Get, $"/api/v1/payment/receipt/{paymentId}");

    public async Task<string> ReceiptHtml(string paymentId)
    {
        using var response = await _http.GetAsync($"/api/v1/payment/receipt/{paymentId}/html");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    public async Task<JsonElement> Send(HttpMethod method, string path, object? body = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body, options: Json.Options);
        using var response = await _http.SendAsync(request);
        var json = await response.Body();
        Assert.True(expected == response.StatusCode, $"{method} {path}: {(int)response.StatusCode} {json}");
        return json;
    }

    public void Dispose() => _http.Dispose();
}
