using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Payments.Server.Data;
using Payments.Server.Features.Receipts;
using Payments.Server.Tests.Support;

[assembly: AssemblyFixture(typeof(Payments.Client.Tests.Support.ClientServer))]

namespace Payments.Client.Tests.Support;

/// <summary>
/// One real service (SQLite, dummy provider, loopback port) for every test in this assembly; each test
/// makes its own payments, references and users, so they do not see each other's.
/// </summary>
public sealed class ClientServer() : AppFixture(DatabaseKind.Sqlite)
{
    /// <summary>Capture allows one request a minute per caller: how a test meets a real 429.</summary>
    public const int CapturePerMinute = 1;

    private PaymentsClient? _service;

    /// <summary>One HttpClient for all: the client sets no default headers, so differently signed-in clients can share it.</summary>
    public HttpClient Http { get; } = new(new SocketsHttpHandler { AllowAutoRedirect = false });

    protected override IReadOnlyDictionary<string, string?> Settings => Credentials.Settings(new()
    {
        ["OUTBOX_POLL_MILLISECONDS"] = "50",
        ["WEBHOOK_RETRY_INITIAL_SECONDS"] = "0.1",
        ["WEBHOOK_RETRY_MAX_SECONDS"] = "0.3",
        ["ALLOWED_REDIRECT_HOSTS"] = "shop.example",
        // Limits on (PaymentsApp turns them off), high enough never to matter, except capture's.
        ["RATE_LIMITS_ENABLED"] = "true",
        ["RATE_LIMIT_CREATE_INTENT_PER_MINUTE"] = "100000",
        ["RATE_LIMIT_VERIFY_PER_MINUTE"] = "100000",
        ["RATE_LIMIT_RECEIPT_PER_MINUTE"] = "100000",
        ["RATE_LIMIT_RECEIPT_PDF_PER_MINUTE"] = "100000",
        ["RATE_LIMIT_WEBHOOK_PER_MINUTE"] = "100000",
        ["RATE_LIMIT_CAPTURE_PER_MINUTE"] = CapturePerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    // The PDF's transport is under test here, not Chromium (the server tests print real ones).
    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<IPdfRenderer, TinyPdf>();

    public PaymentsClient Client(string? apiKey = null, Func<CancellationToken, ValueTask<string?>>? bearer = null) =>
        new(Http, new PaymentsClientOptions { BaseAddress = App.BaseAddress, ApiKey = apiKey, BearerToken = bearer });

    public PaymentsClient Admin => Client(Credentials.AdminKey);

    public PaymentsClient Guest => Client();

    /// <summary>A user signed in with a JWT the host signed.</summary>
    public PaymentsClient User(string sub) => Client(bearer: _ => ValueTask.FromResult<string?>(Credentials.Jwt(sub)));

    /// <summary>The host's backend: a service key made through the client's own admin call.</summary>
    public async Task<PaymentsClient> ServiceAsync()
    {
        if (_service is not null) return _service;
        var key = await Admin.CreateApiKeyAsync("client tests backend", "service");
        return _service = Client(key.Key);
    }

    /// <summary>The customer pays (or not) on the dummy's hosted page.</summary>
    public async Task PayAsync(string? providerPaymentId, string outcome = "succeeded")
    {
        using var response = await Http.PostAsync(new Uri(App.BaseAddress, $"/payments/simulate/{providerPaymentId}"),
            new FormUrlEncodedContent([new("outcome", outcome)]));
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
    }

    public override async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await base.DisposeAsync();
    }

    private sealed class TinyPdf : IPdfRenderer
    {
        public Task RenderAsync(string html, string pdfPath, CancellationToken cancellationToken) =>
            File.WriteAllTextAsync(pdfPath, "%PDF-1.4\n%%EOF\n", cancellationToken);
    }
}
