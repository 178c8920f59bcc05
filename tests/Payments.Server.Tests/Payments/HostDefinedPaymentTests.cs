using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Payments.Providers.Common;
using Payments.Server.Data;
using Payments.Server.Tests.Outbox;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Payments;

/// <summary>A service whose host may send customers back to shop.example, telling a receiver quickly.</summary>
public abstract class HostPaymentsApp(DatabaseKind engine) : AppFixture(engine)
{
    protected override IReadOnlyDictionary<string, string?> Settings => Credentials.Settings(new()
    {
        ["ALLOWED_REDIRECT_HOSTS"] = "shop.example, *.pay.example",
        ["OUTBOX_POLL_MILLISECONDS"] = "50",
        ["WEBHOOK_RETRY_INITIAL_SECONDS"] = "0.1",
        ["WEBHOOK_RETRY_MAX_SECONDS"] = "0.3",
    });
}

public sealed class SqliteHostPaymentsApp() : HostPaymentsApp(DatabaseKind.Sqlite);

public sealed class PostgresHostPaymentsApp() : HostPaymentsApp(DatabaseKind.Postgres);

/// <summary>
/// Issue 16 item 2 and 3: the host's backend pays what it defines (its receipt, its order) with its service
/// key, once per reference, with its own metadata and landing pages; nobody else may name an amount.
/// </summary>
public abstract class HostDefinedPaymentTests<TApp>(TApp fixture) : IClassFixture<TApp> where TApp : HostPaymentsApp
{
    private PaymentsApp App => fixture.App;

    private async Task<HttpClient> Service()
    {
        var (_, secret) = await Credentials.CreateKey(App);
        return App.Client().As(secret);
    }

    private static string NewReference() => $"receipt-{Guid.NewGuid():N}";

    private static object Receipt(string reference, long amount = 12345, string currency = "THB", object? metadata = null, string? userId = "host-user-1") =>
        new { amount, currency, description = "HPC usage receipt #17", reference, user_id = userId, provider = "dummy", metadata };

    [Fact]
    public async Task The_host_pays_its_own_receipt_and_is_told_with_its_reference_and_metadata_verbatim()
    {
        await using var receiver = new HostReceiver();
        string secret;
        using (var admin = App.Client().As(Credentials.AdminKey))
        {
            var registered = await admin.PostAsJsonAsync("/api/v1/webhook-endpoints", new { url = receiver.Url.ToString(), events = new[] { "payment.succeeded" } });
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
            secret = (await registered.Body()).Str("secret");
        }
        using var service = await Service();
        var reference = NewReference();
        var created = await service.PostJson("/api/v1/payment/create-intent",
            Receipt(reference, metadata: new Dictionary<string, string> { ["orderId"] = "o-17", ["Tenant Name"] = "ACME" }));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var intent = await created.Body();
        Assert.Equal((12345L, "THB", reference, "pending"), (intent.GetProperty("amount").GetInt64(), intent.Str("currency"), intent.Str("reference"), intent.Str("status")));
        Assert.Equal("o-17", intent.GetProperty("metadata").GetProperty("orderId").GetString());

        var paid = await App.Client().PostAsync($"/payments/simulate/{intent.Str("provider_payment_id")}", new FormUrlEncodedContent([new("outcome", "succeeded")]));
        Assert.Equal(HttpStatusCode.SeeOther, paid.StatusCode);

        var got = (await receiver.WaitFor(intent.Str("payment_id"), r => r.Count >= 1)).Single();
        Assert.Equal("payment.succeeded", got.Type);
        Assert.Equal((12345L, "THB", reference), (got.Object.GetProperty("amount").GetInt64(), got.Object.Str("currency"), got.Object.Str("reference")));
        // Keys as the host sent them: the API's snake_case policy must not rename "orderId" or "Tenant Name".
        Assert.Equal("o-17", got.Object.GetProperty("metadata").GetProperty("orderId").GetString());
        Assert.Equal("ACME", got.Object.GetProperty("metadata").GetProperty("Tenant Name").GetString());
        Assert.Equal("host-user-1", got.Object.Str("owner_id"));
        Assert.True(TimestampedHmacSignature.Verify(got.Signature, Encoding.UTF8.GetBytes(got.Body), secret, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)).IsValid);
    }

    [Fact]
    public async Task A_repeated_reference_answers_the_first_payment_and_another_amount_for_it_is_409()
    {
        using var service = await Service();
        var reference = NewReference();
        var first = await (await service.PostJson("/api/v1/payment/create-intent", Receipt(reference))).Body();
        var again = await service.PostJson("/api/v1/payment/create-intent", Receipt(reference));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var repeat = await again.Body();
        Assert.Equal(first.Str("payment_id"), repeat.Str("payment_id"));
        Assert.True(repeat.GetProperty("repeated").GetBoolean());
        Assert.False(first.GetProperty("repeated").GetBoolean());

        var other = await service.PostJson("/api/v1/payment/create-intent", Receipt(reference, amount: 12346));
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Equal(first.Str("payment_id"), (await other.Body()).Str("payment_id"));
        var otherCurrency = await service.PostJson("/api/v1/payment/create-intent", Receipt(reference, currency: "EUR"));
        Assert.Equal(HttpStatusCode.Conflict, otherCurrency.StatusCode);

        // Another service key is the same host: a rotated key still finds the first payment.
        using var rotated = await Service();
        Assert.Equal(first.Str("payment_id"), (await (await rotated.PostJson("/api/v1/payment/create-intent", Receipt(reference))).Body()).Str("payment_id"));

        await using var scoped = App.Db();
        var db = scoped.Context;
        Assert.Equal(1, await db.Payments.CountAsync(p => p.Reference == reference));
    }

    [Fact]
    public async Task Concurrent_requests_with_one_reference_make_one_payment()
    {
        using var service = await Service();
        var reference = NewReference();
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            var response = await service.PostJson("/api/v1/payment/create-intent", Receipt(reference));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await response.Body()).Str("payment_id");
        }));
        Assert.Single(answers.Distinct());
        await using var scoped = App.Db();
        var db = scoped.Context;
        Assert.Equal(1, await db.Payments.CountAsync(p => p.Reference == reference));
    }

    [Fact]
    public async Task Only_a_service_key_may_name_an_amount()
    {
        var body = new { amount = 100, currency = "EUR", reference = NewReference() };
        using var user = App.Client().As(Credentials.Jwt("someone"));
        using var adminUser = App.Client().As(Credentials.Jwt("boss", role: "admin"));
        using var adminKey = App.Client().As(Credentials.AdminKey);
        using var guest = App.Client();
        foreach (var client in new[] { user, adminUser, adminKey, guest })
        {
            var refused = await client.PostJson("/api/v1/payment/create-intent", body);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("forbidden", (await refused.Body()).Str("code"));
        }
        // With a plan, the plan's price is what is paid; an amount sent along is ignored as before.
        var plan = await (await user.PostJson("/api/v1/payment/create-intent", new { plan = "basic", amount = 1, currency = "EUR" })).Body();
        Assert.Equal(1900, plan.GetProperty("amount").GetInt64());
        await using var scoped = App.Db();
        var db = scoped.Context;
        Assert.False(await db.Payments.AnyAsync(p => p.Reference == body.reference));
    }

    [Theory]
    [InlineData("""{"amount":100,"currency":"thb","reference":"r-1"}""", "currency")]
    [InlineData("""{"amount":100,"currency":"XXX","reference":"r-1"}""", "currency")]
    [InlineData("""{"amount":0,"currency":"THB","reference":"r-1"}""", "amount")]
    [InlineData("""{"amount":-5,"currency":"THB","reference":"r-1"}""", "amount")]
    [InlineData("""{"amount":1000000000000,"currency":"THB","reference":"r-1"}""", "amount")]
    [InlineData("""{"amount":100,"reference":"r-1"}""", "currency")]
    [InlineData("""{"currency":"THB","reference":"r-1"}""", "amount")]
    [InlineData("""{"amount":100,"currency":"THB"}""", "reference")]
    [InlineData("""{"amount":100,"currency":"THB","reference":" r-1"}""", "reference")]
    [InlineData("""{"amount":100,"currency":"THB","reference":"r-1","description":""}""", "description")]
    public async Task A_service_key_amount_without_what_it_needs_is_422_naming_the_field(string json, string field)
    {
        using var service = await Service();
        var response = await service.PostAsync("/api/v1/payment/create-intent", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains($"'{field}'", (await response.Body()).Str("detail"));
    }

    [Fact]
    public async Task Payments_are_found_by_reference_and_show_their_checkout_only_while_open()
    {
        using var service = await Service();
        var reference = NewReference();
        var intent = await (await service.PostJson("/api/v1/payment/create-intent", Receipt(reference, userId: "ref-owner"))).Body();
        await service.PostJson("/api/v1/payment/create-intent", Receipt(NewReference(), userId: "ref-owner"));

        var found = await (await service.GetAsync($"/api/v1/payments?reference={Uri.EscapeDataString(reference)}")).Body();
        var item = Assert.Single(found.GetProperty("items").EnumerateArray());
        Assert.Equal(intent.Str("payment_id"), item.Str("payment_id"));
        Assert.Equal(intent.Str("redirect_url"), item.Str("redirect_url"));
        Assert.True(item.GetProperty("expires_at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(30));
        // The end user it was made for finds it too; another user does not.
        using var owner = App.Client().As(Credentials.Jwt("ref-owner"));
        Assert.Single((await (await owner.GetAsync($"/api/v1/payments?reference={reference}")).Body()).GetProperty("items").EnumerateArray());
        using var stranger = App.Client().As(Credentials.Jwt("ref-stranger"));
        Assert.Empty((await (await stranger.GetAsync($"/api/v1/payments?reference={reference}")).Body()).GetProperty("items").EnumerateArray());

        await App.Client().PostAsync($"/payments/simulate/{intent.Str("provider_payment_id")}", new FormUrlEncodedContent([new("outcome", "succeeded")]));
        var paid = (await (await service.GetAsync($"/api/v1/payments/{intent.Str("payment_id")}")).Body()).GetProperty("payment");
        Assert.Equal("succeeded", paid.Str("status"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, paid.GetProperty("redirect_url").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, paid.GetProperty("expires_at").ValueKind);
        Assert.Equal(reference, paid.Str("reference"));
    }

    public static TheoryData<string, string> BadMetadata => new()
    {
        { string.Join(",", Enumerable.Range(0, 21).Select(i => $"\"k{i}\":\"v\"")), "at most 20 keys" },
        { $"\"{new string('k', 41)}\":\"v\"", "keys are 1 to 40 characters" },
        { $"\"k\":\"{new string('v', 501)}\"", "at most 500" },
        { "\"k\":null", "is null" },
        { "\"\":\"v\"", "keys are 1 to 40 characters" },
    };

    [Theory]
    [MemberData(nameof(BadMetadata))]
    public async Task Metadata_beyond_its_limits_is_422(string members, string says)
    {
        using var user = App.Client().As(Credentials.Jwt("meta-user"));
        var response = await user.PostAsync("/api/v1/payment/create-intent",
            new StringContent("{\"plan\":\"basic\",\"metadata\":{" + members + "}}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(says, (await response.Body()).Str("detail"));
    }

    [Fact]
    public async Task Metadata_at_its_limits_is_kept_and_returned_exactly()
    {
        var metadata = Enumerable.Range(0, 20).ToDictionary(i => $"{i:D2}" + new string('K', 38), i => new string((char)('a' + i), 500));
        using var user = App.Client().As(Credentials.Jwt("meta-user-2"));
        var intent = await (await user.PostJson("/api/v1/payment/create-intent", new { plan = "basic", metadata })).Body();
        var shown = (await (await user.GetAsync($"/api/v1/payments/{intent.Str("payment_id")}")).Body()).GetProperty("payment").GetProperty("metadata");
        Assert.Equal(metadata, shown.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!));
    }

    [Fact]
    public async Task A_landing_page_on_an_allowed_host_is_where_the_customer_returns_with_the_payment_id()
    {
        using var user = App.Client().As(Credentials.Jwt("lander"));
        var intent = await (await user.PostJson("/api/v1/payment/create-intent",
            new { plan = "basic", success_url = "https://shop.example/done?order=7", cancel_url = "https://eu.pay.example/back" })).Body();
        var paid = await App.Client().PostAsync($"/payments/simulate/{intent.Str("provider_payment_id")}", new FormUrlEncodedContent([new("outcome", "succeeded")]));
        Assert.Equal(HttpStatusCode.SeeOther, paid.StatusCode);
        Assert.Equal($"https://shop.example/done?order=7&payment_id={intent.Str("payment_id")}", paid.Headers.Location!.ToString());

        var canceled = await (await user.PostJson("/api/v1/payment/create-intent",
            new { plan = "basic", success_url = "https://shop.example/done", cancel_url = "https://eu.pay.example/back" })).Body();
        var back = await App.Client().PostAsync($"/payments/simulate/{canceled.Str("provider_payment_id")}", new FormUrlEncodedContent([new("outcome", "canceled")]));
        Assert.Equal($"https://eu.pay.example/back?payment_id={canceled.Str("payment_id")}", back.Headers.Location!.ToString());
    }

    [Theory]
    [InlineData("https://evil.test/done")]
    [InlineData("https://shop.example.evil.test/done")]
    [InlineData("https://pay.example/done")]
    [InlineData("javascript:alert(1)")]
    [InlineData("/relative")]
    [InlineData("https://user:pw@shop.example/")]
    public async Task A_landing_page_elsewhere_is_422_and_starts_no_payment(string url)
    {
        using var user = App.Client().As(Credentials.Jwt("lander-bad"));
        await using var scoped = App.Db();
        var db = scoped.Context;
        var before = await db.Payments.CountAsync(p => p.OwnerId == "lander-bad");
        var response = await user.PostJson("/api/v1/payment/create-intent", new { plan = "basic", success_url = url });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("success_url", (await response.Body()).Str("detail"));
        Assert.Equal(before, await db.Payments.CountAsync(p => p.OwnerId == "lander-bad"));
    }
}

public sealed class SqliteHostDefinedPaymentTests(SqliteHostPaymentsApp fixture) : HostDefinedPaymentTests<SqliteHostPaymentsApp>(fixture);

public sealed class PostgresHostDefinedPaymentTests(PostgresHostPaymentsApp fixture) : HostDefinedPaymentTests<PostgresHostPaymentsApp>(fixture);
