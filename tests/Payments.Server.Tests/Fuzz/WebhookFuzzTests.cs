using System.Net.Http.Headers;
using Payments.Providers.Dummy;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Fuzz;

/// <summary>
/// Hostile deliveries to each provider's webhook route (<see cref="HostileWebhooks"/>): truncated, huge,
/// deeply nested, not JSON, duplicated <c>v1=</c>, out-of-time or forged signatures, amounts as strings,
/// floats, <c>1e20</c>, negative or beyond Int64, lower-case or unknown currencies, and validly signed
/// events carrying such content. Whatever arrives: never a 5xx, every refusal a problem document, and
/// payments, refunds, the credit ledger and the outbox exactly as they were.
/// </summary>
public abstract class WebhookFuzzTests<TApp>(TApp fixture) : IClassFixture<TApp> where TApp : FuzzApp
{
    [Fact]
    public Task Hostile_dummy_deliveries_answer_4xx_or_2xx_and_change_nothing() => Run(w => w.Dummy);

    [Fact]
    public Task Hostile_Stripe_deliveries_answer_4xx_or_2xx_and_change_nothing() => Run(w => w.Stripe);

    [Fact]
    public Task Hostile_PayPal_deliveries_answer_4xx_or_2xx_and_change_nothing() => Run(w => w.PayPal);

    private Task Run(Func<HostileWebhooks, FsCheck.Gen<WebhookCase>> pick) => RunAsync(fixture, pick);

    internal static async Task RunAsync(FuzzApp fixture, Func<HostileWebhooks, FsCheck.Gen<WebhookCase>> pick)
    {
        var app = fixture.App;
        var targets = await fixture.TargetsAsync();
        var webhooks = new HostileWebhooks(targets, DummyOptions.DevelopmentSecret, fixture.Stripe.WebhookSecret, fixture.PayPal);
        using var http = app.Client();
        var before = await StateSnapshot.TakeAsync(app);
        FuzzRun.ForAll(pick(webhooks), c => DeliverAndCheck(app, http, c, before, fixture.Errors).GetAwaiter().GetResult());
    }

    internal static async Task DeliverAndCheck(PaymentsApp app, HttpClient http, WebhookCase c, IReadOnlyList<string> before, ServerErrors? errors = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/payment/webhook/{c.Provider}")
        {
            Content = new ByteArrayContent(c.Body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        foreach (var (name, value) in c.Headers) request.Headers.TryAddWithoutValidation(name, value);
        using var response = await http.SendAsync(request);
        await FuzzAssert.AnsweredWell(response, problemExpected: true, errors);
        StateSnapshot.AssertSame(before, await StateSnapshot.TakeAsync(app), "this delivery");
    }
}

/// <summary>
/// PayPal without a webhook id: nothing is signed, every delivery is only a pointer to re-fetch. Whatever
/// a stranger posts (any id, any resource, any bytes) changes nothing PayPal does not confirm.
/// </summary>
public abstract class PayPalRefetchFuzzTests<TApp>(TApp fixture) : IClassFixture<TApp> where TApp : FuzzApp
{
    [Fact]
    public Task Hostile_unsigned_PayPal_deliveries_answer_4xx_or_2xx_and_change_nothing() => WebhookFuzzTests<TApp>.RunAsync(fixture, w => w.PayPal);
}

public sealed class PayPalRefetchFuzzTests_Sqlite(FuzzRefetchSqliteApp app) : PayPalRefetchFuzzTests<FuzzRefetchSqliteApp>(app);

public sealed class PayPalRefetchFuzzTests_Postgres(FuzzRefetchPostgresApp app) : PayPalRefetchFuzzTests<FuzzRefetchPostgresApp>(app);

public sealed class WebhookFuzzTests_Sqlite(FuzzSqliteApp app) : WebhookFuzzTests<FuzzSqliteApp>(app);

public sealed class WebhookFuzzTests_Postgres(FuzzPostgresApp app) : WebhookFuzzTests<FuzzPostgresApp>(app);
