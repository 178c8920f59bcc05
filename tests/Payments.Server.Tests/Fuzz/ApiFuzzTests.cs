using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Fuzz;

/// <summary>One hostile request: a route with hostile path values and query, a hostile body, some credential.</summary>
public sealed record ApiCase(ApiRoute Route, string Path, byte[]? Body, string? ContentType, string Caller, string? IdempotencyKey)
{
    public override string ToString() =>
        $"{Route.Method} {(Path.Length > 200 ? Path[..200] + "…" : Path)} as {Caller}, Content-Type {ContentType ?? "(none)"}, " +
        $"Idempotency-Key {(IdempotencyKey is null ? "(none)" : $"'{IdempotencyKey[..Math.Min(40, IdempotencyKey.Length)]}'")}, body {(Body is null ? "(none)" : Hostile.Show(Body))}";
}

/// <summary>
/// Hostile requests to every route the service maps (<see cref="ApiRoutes"/>), as every kind of caller:
/// hostile path values and query strings, bodies that are no valid request (<see cref="Hostile.Body"/>),
/// odd content types and Idempotency-Keys. Never a 5xx; on the JSON API every refusal is a problem
/// document; and payments, refunds, the credit ledger and the outbox stay exactly as they were.
/// </summary>
public abstract class ApiFuzzTests<TApp>(TApp fixture) : IClassFixture<TApp> where TApp : FuzzApp
{
    /// <summary>Cases per route: every route gets some in the bounded run, and its share of a long one.</summary>
    private static int PerRoute => Math.Max(6, FuzzRun.Iterations / 16);

    private static readonly string[] ContentTypes =
    [
        "application/json", "application/json", "application/json; charset=utf-8", "application/json; charset=utf-16", "application/json; charset=nope",
        "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=fuzz", "application/problem+json", "*/*",
    ];

    [Fact]
    public void The_routes_are_read_from_the_service_itself()
    {
        var routes = ApiRoutes.Of(fixture.App);
        Assert.Contains(new ApiRoute("POST", "/api/v1/payment/refund"), routes);
        Assert.Contains(new ApiRoute("DELETE", "/api/v1/admin/api-keys/{id}"), routes);
        Assert.Contains(new ApiRoute("POST", "/payments/simulate/{paymentId}"), routes);
        Assert.True(routes.Count >= 45, $"only {routes.Count} routes: {string.Join(", ", routes)}");
    }

    [Fact]
    public async Task Hostile_requests_to_every_route_answer_below_500_and_change_nothing()
    {
        var app = fixture.App;
        var targets = await fixture.TargetsAsync();
        await using var callers = await Callers.SignInAsync(app, targets);
        var before = await StateSnapshot.TakeAsync(app);
        var failures = new List<string>();
        foreach (var route in ApiRoutes.Of(app))
        {
            try
            {
                FuzzRun.ForAll(Cases(route, targets, callers.Names), c => SendAndCheck(app, callers, c, before, fixture.Errors).GetAwaiter().GetResult(), PerRoute);
            }
            catch (Xunit.Sdk.XunitException e)
            {
                failures.Add($"{route}: {e.Message}");
                // Go on with the other routes, from the state this one left (the failure names what changed).
                before = await StateSnapshot.TakeAsync(app);
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    private static Gen<ApiCase> Cases(ApiRoute route, FuzzTargets targets, IReadOnlyList<string> callers)
    {
        // Real ids reach the handlers' deeper paths; not the PDF's, where they would only time Chromium under load
        // (printing real receipts is ReceiptPdfTests' business).
        var real = route.Pattern.EndsWith("/pdf", StringComparison.Ordinal) ? [] : targets.PaymentIds;
        var segments = Hostile.Segments.Concat(real).Concat(["dummy", "stripe", "paypal"]).ToArray();
        var parameters = ApiRoutes.Parameters(route.Pattern).ToList();
        return
            from values in Gen.Elements(segments).ListOf(parameters.Count)
            from query in Hostile.Query
            from body in Gen.Frequency((1, Gen.Constant<byte[]?>(null)), (5, Hostile.Body.Select(b => (byte[]?)b)))
            from contentType in Gen.Frequency((1, Gen.Constant<string?>(null)), (6, Gen.Elements(ContentTypes).Select(t => (string?)t)))
            from caller in Gen.Elements(callers.ToArray())
            from key in Gen.Frequency((4, Gen.Constant<string?>(null)),
                (1, Gen.Elements("", " ", "k", new string('k', 300), "a b", "key\tx", "fuzz-" + Guid.NewGuid().ToString("N")).Select(k => (string?)k)))
            let path = ApiRoutes.Fill(route.Pattern, name => values[parameters.IndexOf(name)]) + query
            select new ApiCase(route, path, body, contentType, caller, key);
    }

    private static async Task SendAndCheck(PaymentsApp app, Callers callers, ApiCase c, IReadOnlyList<string> before, ServerErrors errors)
    {
        HttpResponseMessage response;
        try
        {
            response = await SendAsync(callers, c);
        }
        catch (HttpRequestException) when (c.Body is not null)
        {
            // Kestrel refused the request line (a NUL in the path) and closed the connection while the body
            // was still being sent; without the body the same request shows that refusal.
            using var bare = await SendAsync(callers, c with { Body = null });
            if (!FuzzAssert.IsKestrelRefusal(bare, await bare.Content.ReadAsStringAsync())) throw;
            return;
        }
        using (response) await FuzzAssert.AnsweredWell(response, problemExpected: c.Route.IsApi, errors);
        StateSnapshot.AssertSame(before, await StateSnapshot.TakeAsync(app), "this request");
    }

    private static async Task<HttpResponseMessage> SendAsync(Callers callers, ApiCase c)
    {
        using var request = new HttpRequestMessage(new HttpMethod(c.Route.Method), c.Path);
        if (c.Body is not null)
        {
            var body = callers.WithFormToken(c.Caller, c.ContentType, c.Body);
            request.Content = new ByteArrayContent(body);
            if (c.ContentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", c.ContentType);
        }
        if (c.IdempotencyKey is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", c.IdempotencyKey);
        var (client, bearer) = callers.For(c.Caller);
        if (bearer is not null) request.Headers.TryAddWithoutValidation("Authorization", bearer);
        return await client.SendAsync(request);
    }
}

/// <summary>
/// The callers hostile requests come as: nobody, an admin key, a service key, a user's and an admin's
/// JWT, credentials that do not hold (garbage, alg none, a role list, expired, another key), and a
/// signed-in dashboard session (whose form posts may carry its antiforgery token).
/// </summary>
public sealed class Callers : IAsyncDisposable
{
    private readonly HttpClient _plain;
    private readonly HttpClient _dashboard;
    private readonly string _formToken;
    private readonly Dictionary<string, string?> _bearers;

    private Callers(HttpClient plain, HttpClient dashboard, string formToken, Dictionary<string, string?> bearers) =>
        (_plain, _dashboard, _formToken, _bearers) = (plain, dashboard, formToken, bearers);

    public IReadOnlyList<string> Names => [.. _bearers.Keys, "dashboard"];

    public static async Task<Callers> SignInAsync(PaymentsApp app, FuzzTargets targets)
    {
        var (_, serviceKey) = await Credentials.CreateKey(app, "service", "fuzz service");
        var dashboard = app.Client();
        using (var signIn = await dashboard.SubmitForm("/admin/sign-in", "/admin/sign-in", ("credential", Credentials.AdminKey)))
            if (signIn.StatusCode != HttpStatusCode.SeeOther) throw new InvalidOperationException($"dashboard sign-in: {signIn.StatusCode}");
        var page = await dashboard.GetStringAsync($"/admin/payments/{targets.Dummy[1].PaymentId}");
        var token = Forms.Token(page) ?? throw new InvalidOperationException("no form token on the payment page");
        string Jwt(string role, TimeSpan? life = null, string secret = Credentials.JwtSecret) => Credentials.Jwt("fuzz-user", role, life, secret);
        var bearers = new Dictionary<string, string?>
        {
            ["nobody"] = null,
            ["admin key"] = "Bearer " + Credentials.AdminKey,
            ["service key"] = "Bearer " + serviceKey,
            ["user JWT"] = "Bearer " + Jwt("user"),
            ["admin JWT"] = "Bearer " + Jwt("admin"),
            ["expired admin JWT"] = "Bearer " + Jwt("admin", TimeSpan.FromMinutes(-10)),
            ["admin JWT, other secret"] = "Bearer " + Jwt("admin", secret: "another-secret-0123456789abcdef0123456789abcdef"),
            ["JWT alg none"] = "Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiIxIiwicm9sZSI6ImFkbWluIn0.",
            ["garbage bearer"] = "Bearer " + new string('A', 8000),
            ["psk prefix"] = "Bearer psk_" + new string('x', 40),
            ["basic"] = "Basic YWRtaW46YWRtaW4=",
            ["empty bearer"] = "Bearer ",
        };
        return new Callers(app.Client(), dashboard, token, bearers);
    }

    public (HttpClient Client, string? Authorization) For(string caller) =>
        caller == "dashboard" ? (_dashboard, null) : (_plain, _bearers[caller]);

    /// <summary>A dashboard session's form posts get its antiforgery token in front of the hostile fields, so they reach the handler.</summary>
    public byte[] WithFormToken(string caller, string? contentType, byte[] body) =>
        caller == "dashboard" && contentType == "application/x-www-form-urlencoded"
            ? [.. Encoding.ASCII.GetBytes($"{Forms.TokenField}={Uri.EscapeDataString(_formToken)}&"), .. body]
            : body;

    public ValueTask DisposeAsync()
    {
        _plain.Dispose();
        _dashboard.Dispose();
        return ValueTask.CompletedTask;
    }
}

public sealed class ApiFuzzTests_Sqlite(FuzzSqliteApp app) : ApiFuzzTests<FuzzSqliteApp>(app);

public sealed class ApiFuzzTests_Postgres(FuzzPostgresApp app) : ApiFuzzTests<FuzzPostgresApp>(app);
