using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Payments.Server.Data;

namespace Payments.Server.Tests.Support;

/// <summary>
/// The real service on Kestrel, on a loopback port, with its own database: requests travel over
/// real sockets, and the service can call itself (the dummy's webhook) or be called by fake providers.
/// </summary>
public class PaymentsApp : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;
    private readonly string _receipts = Path.Combine(Path.GetTempPath(), "payments-receipts-" + Guid.NewGuid().ToString("N"));
    private readonly string _keys = Path.Combine(Path.GetTempPath(), "payments-keys-" + Guid.NewGuid().ToString("N"));

    public PaymentsApp(ITestDatabase database, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        Database = database;
        // Most tests make many requests from 127.0.0.1; the rate-limit tests switch limits back on.
        var all = new Dictionary<string, string?>(database.Settings)
        {
            ["RATE_LIMITS_ENABLED"] = "false",
            ["RECONCILE_ENABLED"] = "false", // tests run rounds themselves (ReconciliationWorker.RunOnceAsync)
            ["RECEIPTS_DIR"] = _receipts,
            ["DATA_PROTECTION_KEYS_DIR"] = _keys,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        _settings = all;
        _services = services;
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
    }

    public ITestDatabase Database { get; }
    public Uri BaseAddress { get; }

    /// <summary>
    /// A client over a real socket; redirects are not followed so tests can see them. Every exchange
    /// is held to the OpenAPI document (<see cref="ApiContract"/>): one that breaks it fails the call.
    /// </summary>
    public HttpClient Client() => new(Checked(new SocketsHttpHandler { AllowAutoRedirect = false })) { BaseAddress = BaseAddress };

    /// <summary>The service's own OpenAPI document, read once.</summary>
    public Task<ApiContract> Contract() => _contract ??= ReadContractAsync();

    private Task<ApiContract>? _contract;

    private async Task<ApiContract> ReadContractAsync()
    {
        using var plain = new HttpClient { BaseAddress = BaseAddress };
        return new ApiContract(await plain.GetStringAsync("/openapi/v1.json"));
    }

    private ContractCheck Checked(HttpMessageHandler inner) => new(Contract, inner);

    /// <summary>A client whose connections come from another loopback address (the server sees it as another client IP).</summary>
    public HttpClient ClientFrom(string sourceAddress) => new(Checked(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        ConnectCallback = async (context, ct) =>
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            socket.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Parse(sourceAddress), 0));
            await socket.ConnectAsync(context.DnsEndPoint, ct);
            return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
        },
    })) { BaseAddress = BaseAddress };

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>A fresh DbContext for assertions (its own scope; dispose it).</summary>
    public ScopedDb Db()
    {
        var scope = Services.CreateAsyncScope();
        return new ScopedDb(scope, scope.ServiceProvider.GetRequiredService<PaymentsDb>());
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_receipts)) Directory.Delete(_receipts, recursive: true);
        if (Directory.Exists(_keys)) Directory.Delete(_keys, recursive: true);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        if (_services is not null) builder.ConfigureServices(_services);
    }
}

public sealed class ScopedDb(AsyncServiceScope scope, PaymentsDb db) : IAsyncDisposable
{
    public PaymentsDb Context { get; } = db;
    public ValueTask DisposeAsync() => scope.DisposeAsync();
}

public static class Json
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static Task<HttpResponseMessage> PostJson(this HttpClient client, string path, object body) =>
        client.PostAsJsonAsync(path, body, Options);

    public static async Task<JsonElement> Body(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return string.IsNullOrEmpty(text) ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static string Str(this JsonElement e, string name) => e.GetProperty(name).GetString()!;
}
